"""GLOSSARY.md is the words of the code: every name in its "in the code" column exists; and
every module, object and file docs/architecture.md points to exists too.

A name is a module, class, function, field or attribute, written from the app
(`access.rights.Right`, `people.Person`, `Referral.standard_due_at`), or a path in the
repository (`oneroof/codelists/sources.toml`). A rename that leaves the glossary behind fails
here.
"""

import dataclasses
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

ROOT = Path(__file__).resolve().parents[2]
APPS = {path.parent.name for path in (ROOT / "oneroof").glob("*/__init__.py")}
NAME = re.compile(r"[A-Za-z_]\w*(\.\w+)*")


def glossary_rows() -> list[tuple[str, list[str]]]:
    rows = []
    for line in (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 3 or cells[0] in {"word", "---"} or set(cells[0]) <= {"-", " "}:
            continue
        # "permission `audit.view_recordaccess`" names a permission, checked on its own.
        code = re.sub(r"permission `[^`]+`", "", cells[2])
        rows.append((cells[0], re.findall(r"`([^`]+)`", code)))
    return rows


def _member(obj, name: str):
    if hasattr(obj, name):
        return getattr(obj, name)
    if dataclasses.is_dataclass(obj) and name in {f.name for f in dataclasses.fields(obj)}:
        return name
    if hasattr(obj, "_meta"):
        try:
            return obj._meta.get_field(name)  # a model field, reverse relations included
        except FieldDoesNotExist:
            pass
    raise AttributeError(f"{obj!r} has no {name}")


def _start(parts: list[str]):
    """The object the first parts name, and the parts left: a module of an app, a model by its
    bare name, or a class of an app's models module."""
    if parts[0] in APPS:
        for end in range(len(parts), 0, -1):
            try:
                module = importlib.import_module("oneroof." + ".".join(parts[:end]))
            except ModuleNotFoundError:
                continue
            if end == 1 and len(parts) > 1 and not hasattr(module, parts[1]):
                module = importlib.import_module(f"oneroof.{parts[0]}.models")
            return module, parts[end:]
    models = {model.__name__: model for model in apps.get_models()}
    if parts[0] in models:
        return models[parts[0]], parts[1:]
    for app in sorted(APPS):
        try:
            module = importlib.import_module(f"oneroof.{app}.models")
        except ModuleNotFoundError:
            continue
        if hasattr(module, parts[0]):
            return getattr(module, parts[0]), parts[1:]
    raise LookupError(f"{parts[0]} is neither an app, a model nor a class of an app's models")


def resolve(name: str):
    """The object a glossary name refers to; raises when there is none."""
    if "/" in name:
        found = [base / name for base in (ROOT, ROOT / "oneroof") if (base / name).exists()]
        if not found:
            raise LookupError(f"no file or folder {name}")
        return found[0]
    obj, rest = _start(name.split("."))
    for part in rest:
        obj = _member(obj, part)
    return obj


def _checkable(name: str) -> bool:
    if "/" in name:
        return not any(mark in name for mark in "<*$ =")  # patterns, operations, commands
    return NAME.fullmatch(name) is not None and not name.isupper() and name[0] != "_"


def test_every_name_in_the_glossary_is_in_the_code():
    missing = []
    for word, names in glossary_rows():
        for name in filter(_checkable, names):
            try:
                resolve(name)
            except (LookupError, AttributeError, ImportError) as error:
                missing.append(f"{word}: {name} ({error})")
    assert not missing, "\n".join(missing)


def test_the_privacy_officers_permission_exists():  # audit.view_recordaccess
    assert "view" in apps.get_model("audit", "RecordAccess")._meta.default_permissions


def test_the_glossary_is_read_whole():
    rows = dict(glossary_rows())
    assert len(rows) > 50
    assert rows["Access right"] == ["access.rights.Right", "access.rights.offer"]


@pytest.mark.parametrize(
    "name",
    [
        "access.rights.NoSuchRight",
        "people.Person.no_such_field",
        "Referral.no_such_field",
        "NoSuchModel.field",
        "analytics.rules.RuleSet.no_such_field",
        "oneroof/no_such_file.toml",
    ],
)
def test_a_name_that_is_not_in_the_code_is_found(name):
    with pytest.raises((LookupError, AttributeError)):
        resolve(name)


def architecture_names() -> list[str]:
    """The modules, objects and files docs/architecture.md points to: dotted names that start
    with an app, and paths in the repository (not URLs, not patterns)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = []
    for name in re.findall(r"`([^`]+)`", text):
        if "/" in name:
            if not name.startswith(("/", "..")) and _checkable(name):
                names.append(name)
        elif NAME.fullmatch(name) and name.split(".")[0] in APPS and "." in name:
            names.append(name)
    return names


def test_every_module_the_architecture_names_is_in_the_code():
    names = architecture_names()
    assert len(names) > 60
    missing = []
    for name in names:
        try:
            resolve(name)
        except (LookupError, AttributeError, ImportError) as error:
            missing.append(f"{name} ({error})")
    assert not missing, "\n".join(missing)
