"""Loading a SNOMED CT release the size of the UK Edition, and expanding every codelist.

    uv run python benchmarks/bench_snomed.py [--concepts 370000] [--is-a 1300000]
        [--database sqlite|postgres|both]

Generates (seeded, into a temporary folder) an RF2 Snapshot release: a hierarchy of 370,000
concepts (5% of them retired) eleven levels deep, 1.3 million active IS-A relationships (most
concepts have several parents), retired IS-A rows, one attribute relationship per concept, and
an active fully specified name and one to four synonyms for every concept. Every code of every
bundled codelist is a concept of it, each list's codes together in a few regions of the
hierarchy (as a published list is a few concepts and their descendants). Then, each in its own
child process (peak memory from /proc/self/status), on a fresh SQLite file and on a throwaway
PostgreSQL cluster:

- baseline: just reading the three files, decoding and splitting every line;
- `load_release` (what `manage.py load_snomed` runs): every row checked, the release stored;
- expansion of every bundled list as a definition "<< each of its codes" (what
  `manage.py codelists expand` runs: recursive SQL queries over the IS-A table, with terms);
- the alternative, measured in the same run: the whole hierarchy built in memory (numpy) from
  the database, then walked for each list; the script fails unless both give the same codes.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oneroof.analytics.codelists import read_codelists  # noqa: E402

DATA_DIR = ROOT / "oneroof" / "codelists" / "data"
SEED = 20261203
VERSION = "GB1000000_20250101"
CORE = "900000000000207008"
FSN, SYNONYM, CASE = "900000000000003001", "900000000000013009", "900000000000448009"
IS_A, SITE = "116680003", "363698007"  # is a; finding site
INFERRED, EXISTENTIAL, PRIMITIVE = "900000000000011006", "900000000000451002", "900000000000074008"


# --- the release --------------------------------------------------------------------------------


def level_sizes(concepts: int) -> list[int]:
    sizes, total = [1, 19], 20
    while total < concepts:
        size = min(sizes[-1] * 3, concepts - total)
        sizes.append(size)
        total += size
    return sizes


def hierarchy(rng, concepts: int, is_a: int, window: int = 30):
    """(child, parent) node pairs for the active IS-A relationships, node levels, and which
    nodes are retired (from the last level: leaves)."""
    sizes = level_sizes(concepts)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    level = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(concepts) - starts[level]
    retired = np.zeros(concepts, dtype=bool)
    last = np.arange(starts[-2], concepts)
    retired[rng.choice(last, int(concepts * 0.05), replace=False)] = True
    nodes = np.flatnonzero((level > 0) & ~retired)
    size = np.array(sizes)
    up = level[nodes] - 1  # parents are one level up, the primary one in the same place
    primary = starts[up] + position[nodes] * size[up] // size[level[nodes]]
    extra_each = (is_a - len(nodes)) / len(nodes) * 1.15
    counts = rng.poisson(extra_each, len(nodes))
    child = np.repeat(nodes, counts)
    base = np.repeat(primary, counts)
    lvl = level[child] - 1
    pos = np.clip(
        base - starts[lvl] + rng.integers(-window, window + 1, len(child)), 0, size[lvl] - 1
    )
    extra = np.stack([child, starts[lvl] + pos], axis=1)
    extra = np.unique(extra[extra[:, 1] != base], axis=0)
    first = np.stack([nodes, primary], axis=1)
    keep = is_a - len(first)
    extra = extra[np.sort(rng.choice(len(extra), min(keep, len(extra)), replace=False))]
    pairs = np.concatenate([first, extra])
    return pairs, level, retired


def generate(folder: Path, concepts: int, is_a: int) -> dict:
    rng = np.random.default_rng(SEED)
    pairs, level, retired = hierarchy(rng, concepts, is_a)
    # Every code of every bundled list is a concept. A published list is a region of the
    # hierarchy (a condition's concept and its descendants), so each list's codes are placed
    # together in the subtree of one root: the largest lists first, so that a list holding
    # another (an eFI deficit holding its condition list) places the shared codes in its own
    # region. The rest get made-up identifiers of the right form (partition 00).
    codelists = read_codelists(DATA_DIR)
    terms_of: dict[str, str] = {}
    for path in sorted(DATA_DIR.glob("*.csv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line[:1].isdigit():
                code, _, term = line.partition(",")
                terms_of.setdefault(code, term.strip('"'))
    ids = np.array([(90_000_000 + i) * 1000 + i % 10 for i in range(concepts)], dtype=np.int64)
    assert not {int(c) for c in terms_of} & set(ids.tolist()), "a made-up id is a real code"
    place_of = _place_lists(rng, codelists, pairs, level, retired)
    places = np.array(list(place_of.values()), dtype=np.int64)
    ids[places] = [int(code) for code in place_of]
    bundled = terms_of
    terms = {int(place_of[code]): term for code, term in terms_of.items()}
    folder.mkdir(parents=True)
    write = _writer(folder)
    write(
        "Concept",
        "Snapshot",
        ["id", "effectiveTime", "active", "moduleId", "definitionStatusId"],
        (
            f"{ids[i]}\t20020131\t{0 if retired[i] else 1}\t{CORE}\t{PRIMITIVE}"
            for i in range(concepts)
        ),
    )
    synonyms = rng.integers(1, 5, concepts)
    write(
        "Description",
        "Snapshot-en",
        [
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "conceptId",
            "languageCode",
            "typeId",
            "term",
            "caseSignificanceId",
        ],
        _descriptions(ids, terms, synonyms, rng),
    )
    write(
        "Relationship",
        "Snapshot",
        [
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "sourceId",
            "destinationId",
            "relationshipGroup",
            "typeId",
            "characteristicTypeId",
            "modifierId",
        ],
        _relationships(ids, pairs, retired, level, rng),
    )
    return {
        "concepts": concepts,
        "is_a": len(pairs),
        "descriptions": int(concepts + synonyms.sum() + concepts // 20),
        "bundled_codes": len(bundled),
        "megabytes": sum(p.stat().st_size for p in folder.iterdir()) / 2**20,
    }


def _place_lists(rng, codelists, pairs, level, retired) -> dict[str, int]:
    """{code: node}: each list's codes on the nodes of a few subtrees (primary IS-A) rooted in
    the middle levels, where a disorder's concept sits, breadth-first from each root, as a
    published list is the union of a few concepts and their descendants. The largest lists
    are placed first, so that a list holding another keeps the shared codes in its regions."""
    children: dict[int, list[int]] = {}
    nodes = np.flatnonzero(level > 0)
    first = pairs[: len(nodes) - int(retired[nodes].sum())]  # the primary parent of each node
    for child, parent in first.tolist():
        children.setdefault(parent, []).append(child)
    place_of: dict[str, int] = {}
    taken = retired.copy()
    roots = rng.permutation(np.flatnonzero((level >= 6) & (level <= 8) & ~retired)).tolist()
    for codelist in sorted(codelists.values(), key=lambda c: (-len(c.codes), c.slug)):
        codes = sorted(code for code in codelist.codes if code not in place_of)
        while codes:
            root = roots.pop()
            if taken[root]:
                continue
            region, frontier = [], [root]
            while frontier and len(region) < len(codes):
                region.extend(n for n in frontier if not taken[n])
                frontier = [c for n in frontier for c in children.get(n, ())]
            for code, node in zip(codes, region, strict=False):
                place_of[code] = node
                taken[node] = True
            codes = codes[len(region) :]
    return place_of


def _writer(folder: Path):
    def write(kind: str, snapshot: str, header: list[str], rows) -> None:
        path = folder / f"sct2_{kind}_UKCL{snapshot}_{VERSION}.txt"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\t".join(header) + "\r\n")
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 100_000:
                    handle.write("\r\n".join(batch) + "\r\n")
                    batch = []
            if batch:
                handle.write("\r\n".join(batch) + "\r\n")

    return write


def _descriptions(ids, terms, synonyms, rng):
    number = 1000
    retired_synonym = rng.random(len(ids)) < 0.05
    for i, concept in enumerate(ids.tolist()):
        name = terms.get(i) or f"Generated concept {concept}"
        number += 1
        yield _row(f"{number}01{number % 10}", "20170731", 1, concept, FSN, f"{name} (disorder)")
        for k in range(int(synonyms[i])):
            number += 1
            yield _row(f"{number}01{number % 10}", "20170731", 1, concept, SYNONYM, f"{name} {k}")
        if retired_synonym[i]:
            number += 1
            yield _row(f"{number}01{number % 10}", "20190131", 0, concept, SYNONYM, f"{name} NOS")


def _row(number: str, day: str, active: int, concept: int, kind: str, term: str) -> str:
    return f"{number}\t{day}\t{active}\t{CORE}\t{concept}\ten\t{kind}\t{term}\t{CASE}"


def _relationships(ids, pairs, retired, level, rng):
    number = 5000
    tail = f"{INFERRED}\t{EXISTENTIAL}"
    for child, parent in zip(ids[pairs[:, 0]].tolist(), ids[pairs[:, 1]].tolist(), strict=True):
        number += 1
        yield f"{number}02{number % 10}\t20200131\t1\t{CORE}\t{child}\t{parent}\t0\t{IS_A}\t{tail}"
    # retired concepts keep their IS-A rows, inactive; a few active concepts have a retired one
    old_child = np.concatenate([np.flatnonzero(retired), rng.choice(len(ids), len(ids) // 20)])
    old_parent = rng.choice(np.flatnonzero(level == level.max() - 1), len(old_child))
    for child, parent in zip(ids[old_child].tolist(), ids[old_parent].tolist(), strict=True):
        number += 1
        yield f"{number}02{number % 10}\t20240401\t0\t{CORE}\t{child}\t{parent}\t0\t{IS_A}\t{tail}"
    sites = rng.choice(len(ids), len(ids))
    for concept, site in zip(ids.tolist(), ids[sites].tolist(), strict=True):
        number += 1
        yield f"{number}02{number % 10}\t20200131\t1\t{CORE}\t{concept}\t{site}\t1\t{SITE}\t{tail}"


# --- the measurements (each in a child process) -------------------------------------------------


def peak_mib() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that over
    from the parent at fork, and the parent has just held the generated release."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def baseline(folder: Path) -> dict:
    started, rows = time.perf_counter(), 0
    for path in sorted(folder.iterdir()):
        with path.open("rb") as handle:
            for raw in handle:
                raw.decode("utf-8").rstrip("\r\n").split("\t")
                rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mib": peak_mib()}


def measure(folder: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneroof.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from oneroof.codelists.snomed import Definition, expand, load_release
    from oneroof.codelists.snomed.definitions import Entry

    call_command("migrate", verbosity=0)
    figures = {"before_mib": peak_mib()}
    started = time.perf_counter()
    release = load_release(folder)
    figures["load_seconds"] = time.perf_counter() - started
    figures["load_mib"] = peak_mib()
    definitions = [
        Definition(
            path=Path(f"{slug}.toml"),
            slug=slug,
            name=codelist.name,
            source=codelist.source,
            version="bench",
            include=tuple(Entry("<<", int(code), f"<< {code}") for code in sorted(codelist.codes)),
            exclude=(),
        )
        for slug, codelist in read_codelists(DATA_DIR).items()
    ]
    started = time.perf_counter()
    expansions = [expand(definition, release) for definition in definitions]
    figures["expand_seconds"] = time.perf_counter() - started
    figures["expand_mib"] = peak_mib()
    figures["lists"] = len(expansions)
    figures["codes"] = sum(len(e.entries) for e in expansions)
    figures["largest"] = max(len(e.entries) for e in expansions)
    # The alternative: the whole hierarchy in memory, built once, then walked per list.
    started = time.perf_counter()
    tree = InMemory.from_database()
    figures["memory_build_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    walked = [tree.expand([e.concept_id for e in d.include]) for d in definitions]
    figures["memory_walk_seconds"] = time.perf_counter() - started
    figures["memory_mib"] = peak_mib()
    for expansion, codes in zip(expansions, walked, strict=True):
        assert {int(code) for code, _ in expansion.entries} == codes, expansion.definition.slug
    return figures


class InMemory:
    """The IS-A hierarchy as numpy arrays: concept ids sorted, children in compressed sparse
    row form; descendants found a whole level at a time."""

    def __init__(self, ids, active, starts, children):
        self.ids, self.active, self.starts, self.children = ids, active, starts, children

    @classmethod
    def from_database(cls) -> "InMemory":
        ids, active = _columns("SELECT id, active FROM codelists_snomedconcept ORDER BY id", 2)
        child, parent = _columns("SELECT child, parent FROM codelists_snomedisa", 2)
        child_at, parent_at = np.searchsorted(ids, child), np.searchsorted(ids, parent)
        order = np.argsort(parent_at, kind="stable")
        starts = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(parent_at, minlength=len(ids)), out=starts[1:])
        return cls(ids, active.astype(bool), starts, child_at[order])

    def expand(self, roots: list[int]) -> set[int]:
        seen = np.zeros(len(self.ids), dtype=bool)
        frontier = np.unique(np.searchsorted(self.ids, roots))
        seen[frontier] = True
        while frontier.size:
            begin, end = self.starts[frontier], self.starts[frontier + 1]
            counts = end - begin
            offsets = np.cumsum(counts) - counts
            found = self.children[np.repeat(begin - offsets, counts) + np.arange(counts.sum())]
            frontier = np.unique(found[~seen[found]])
            seen[frontier] = True
        return set(self.ids[seen & self.active].tolist())


def _columns(sql: str, width: int):
    from django.db import connection

    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(100_000):
            chunks.append(np.array(rows, dtype=np.int64).reshape(-1, width))
    table = np.concatenate(chunks)
    return tuple(table[:, i].copy() for i in range(width))


def run_child(args: list[str], database: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["ONEROOF_VAR_DIR"] = str(var_dir)
    command = [sys.executable, __file__, "--child", *args]
    if database == "postgres":
        command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the {database} child failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        what, folder = sys.argv[2], Path(sys.argv[3])
        print(json.dumps(baseline(folder) if what == "baseline" else measure(folder)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=370_000)
    parser.add_argument("--is-a", type=int, default=1_300_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    with tempfile.TemporaryDirectory(prefix="oneroof-bench-snomed-") as temp:
        folder = Path(temp) / "SnomedCT_BenchRF2_PRODUCTION_20250101T000001Z"
        terminology = folder / "Snapshot" / "Terminology"
        started = time.perf_counter()
        made = generate(terminology, args.concepts, args.is_a)
        print(
            f"Generated RF2 Snapshot: {made['concepts']:,} concepts, {made['is_a']:,} active IS-A "
            f"relationships, about {made['descriptions']:,} descriptions, {made['megabytes']:.0f} "
            f"MiB of files ({made['bundled_codes']:,} bundled codes among the concepts) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        base = run_child(["baseline", str(terminology)], "sqlite", Path(temp))
        print(
            f"  baseline: read, decode and split {base['rows']:,} rows   {base['seconds']:6.1f} s"
            f"   peak {base['peak_mib']:5.0f} MiB"
        )
        for database in databases:
            var = Path(temp) / f"var-{database}"
            var.mkdir()
            got = run_child(["measure", str(folder)], database, var)
            ratio = got["load_seconds"] / base["seconds"]
            print(f"  {database}:")
            print(
                f"    load_release                  {got['load_seconds']:6.1f} s ({ratio:.1f}x "
                f"baseline)   peak {got['load_mib']:5.0f} MiB (after migrate "
                f"{got['before_mib']:.0f} MiB)"
            )
            print(
                f"    expand {got['lists']} lists (<< every code)   {got['expand_seconds']:6.2f} s"
                f"   peak {got['expand_mib']:5.0f} MiB   {got['codes']:,} codes, largest list "
                f"{got['largest']:,}\n"
                f"    alternative, hierarchy in memory: build {got['memory_build_seconds']:.2f} s"
                f" + walk {got['memory_walk_seconds']:.2f} s   peak {got['memory_mib']:5.0f} MiB"
                " (same codes)"
            )


if __name__ == "__main__":
    main()
