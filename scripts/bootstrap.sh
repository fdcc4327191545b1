#!/usr/bin/env bash
# Install what OneRoof needs on a fresh Debian machine: uv, Node.js/npm, and for the test suite
# PostgreSQL and Chromium. Debian packages need root; without it we say what is missing.
# Usage: scripts/bootstrap.sh [run|test]
set -euo pipefail
purpose=${1:-run}

need_debs=()
if ! command -v python3 >/dev/null || ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  need_debs+=(python3 python3-venv)
fi
command -v npm >/dev/null || need_debs+=(nodejs npm)
if [ "$purpose" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_debs+=(postgresql postgresql-contrib)
  command -v chromium >/dev/null || need_debs+=(chromium fonts-liberation)
  # PySpark (the analytics spec tests run case-finding on Spark in local mode) needs Java 17+.
  command -v java >/dev/null || need_debs+=(default-jre-headless)
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${need_debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
  else
    echo "OneRoof needs these Debian packages: ${need_debs[*]}" >&2
    echo "Install them with: sudo apt-get install ${need_debs[*]}" >&2
    exit 1
  fi
fi

# uv: from PyPI into a private tools venv when it is not already on the PATH.
if ! command -v uv >/dev/null && [ ! -x var/tools/bin/uv ]; then
  echo "Installing uv"
  python3 -m venv var/tools
  var/tools/bin/pip install -q uv
fi
