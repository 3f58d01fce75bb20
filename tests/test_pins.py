"""Every installed package is pinned to an exact version, and the pins are installed."""

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")
# pip's own tooling lives in every venv and is pinned by the Makefile instead.
TOOLING = {"pip", "setuptools", "wheel"}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [l.split("#")[0].strip() for l in lines if l.split("#")[0].strip()]


def pins(name):
    found = {}
    for line in requirement_lines(name):
        match = PIN.match(line)
        assert match, f"{name}: '{line}' is not an exact pin (name==version)"
        found[canonical(match.group(1))] = match.group(2)
    return found


def test_every_line_is_an_exact_pin():
    assert pins("requirements.txt") and pins("requirements.in")


def test_direct_dependencies_agree_with_the_full_pins():
    full = pins("requirements.txt")
    for name, version in pins("requirements.in").items():
        assert full.get(name) == version, f"requirements.in pins {name}=={version}, requirements.txt {full.get(name)}"


def test_installed_packages_are_exactly_the_pinned_ones():
    full = pins("requirements.txt")
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    unpinned = sorted(set(installed) - set(full) - TOOLING)
    assert not unpinned, f"installed but not pinned in requirements.txt: {unpinned}"
    for name, version in full.items():
        assert name in installed, f"{name} is pinned but not installed"
        # the CPU build of torch carries a local label (+cpu) that the pin leaves off
        assert installed[name].split("+")[0] == version, f"{name}: installed {installed[name]}, pinned {version}"


def test_torch_is_pinned_to_2_13_0():
    assert pins("requirements.txt")["torch"] == "2.13.0"


def test_npm_packages_are_exact_and_locked():
    import json

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"package.json: {name} {version} is not exact"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
