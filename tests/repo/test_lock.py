"""Every installed package is pinned to an exact version, and the pins are installed."""

import re
from importlib import metadata
from pathlib import Path

import pytest

from docs_build import lock
from support import edit, pin

ROOT = Path(__file__).resolve().parents[2]
# pip's own tooling lives in every venv and is pinned by the Makefile instead.
TOOLING = {"pip", "setuptools", "wheel"}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_declared_dependency_is_an_exact_pin():
    for name, (specifier, number) in lock.declared().items():
        assert str(specifier).startswith("=="), f"requirements.in:{number}: {name}{specifier} is not an exact pin"


def test_the_lock_agrees_with_the_declared_dependencies_and_has_hashes():
    assert lock.problems() == []
    assert all(entry["hashes"] for entry in lock.locked().values())


def test_installed_packages_are_exactly_the_locked_ones():
    full = {name: entry["version"] for name, entry in lock.locked().items()}
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    unpinned = sorted(set(installed) - set(full) - TOOLING)
    assert not unpinned, f"installed but not in the lock requirements.txt: {unpinned}"
    for name, version in full.items():
        if name in TOOLING:
            continue
        assert installed.get(name) == version, f"{name}: installed {installed.get(name)}, locked {version}"


def test_torch_is_2_13_0_cpu():
    specifier, _ = lock.declared()["torch"]
    assert str(specifier) == "==2.13.0"
    assert lock.locked()["torch"]["version"] == "2.13.0+cpu"
    assert metadata.version("torch") == "2.13.0+cpu"


@pytest.fixture
def lock_files(tmp_path, monkeypatch):
    declared, locked = tmp_path / "requirements.in", tmp_path / "requirements.txt"
    declared.write_text(lock.DECLARED.read_text(encoding="utf-8"), encoding="utf-8")
    locked.write_text(lock.LOCK.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(lock, "DECLARED", declared)
    monkeypatch.setattr(lock, "LOCK", locked)
    return declared, locked


def line_of(path, text):
    return next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith(text))


@pytest.mark.parametrize("case", ["undeclared-in-lock", "other-version", "no-hash", "dropped-declaration"])
def test_the_check_names_file_line_and_package_when_they_disagree(lock_files, case, capsys):
    declared, locked = lock_files
    if case == "undeclared-in-lock":
        declared.write_text(declared.read_text(encoding="utf-8") + "httpx\n", encoding="utf-8")
        expected = f"requirements.in:{line_of(declared, 'httpx')}: declares httpx, which requirements.txt does not pin"
    elif case == "other-version":
        pytest_version = pin(declared.parent, "pytest")
        edit(declared, f"pytest=={pytest_version}", "pytest==0.0.1")
        expected = (f"requirements.in:{line_of(declared, 'pytest==')}: declares pytest==0.0.1, "
                    f"but requirements.txt:{line_of(locked, 'pytest==')} pins pytest=={pytest_version}")
    elif case == "no-hash":
        text = locked.read_text(encoding="utf-8")
        entry = re.search(r"^sybil==\S+ \\\n(    --hash=\S+( \\)?\n)+", text, re.M).group(0)
        locked.write_text(text.replace(entry, entry.split(" ")[0] + "\n"), encoding="utf-8")
        expected = f"requirements.txt:{line_of(locked, 'sybil==')}: sybil has no --hash"
    else:
        edit(declared, "filelock==", "# filelock==")
        expected = f"requirements.txt:{line_of(locked, 'filelock==')}: pins filelock for requirements.in"
    assert lock.check() == 1
    err = capsys.readouterr().err
    assert expected in err and "Run `make lock`" in err, err


def test_npm_packages_are_exact_and_locked():
    import json

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"package.json: {name} {version} is not exact"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
