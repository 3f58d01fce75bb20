"""The Python lock: requirements.in declares, requirements.txt pins every file with its sha256.

    python3 docs_build/lock.py [--torch-wheels DIR]  # `make lock`: regenerate with uv from PyPI, and torch's
                                                     # Linux builds from PyTorch's CPU index (or DIR of them)
    python3 docs_build/lock.py --machine --check     # offline: refuse an uncovered machine or a stale lock
    python3 docs_build/lock.py --only torch          # one package's entries, to install it alone

To check the lock, regenerate it and diff: `make lock && git diff --exit-code requirements.txt`.
uv keeps the versions locked now where it can (delete the lock to upgrade them all). Outside
regenerate() nothing is newer than Python 3.6, so an old Python is refused with a sentence.
"""

import argparse
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
DECLARED, LOCK, UV = ROOT / "requirements.in", ROOT / "requirements.txt", "uv==0.13.9"
PLATFORMS, PYTHONS, OLDEST = ("Linux x86_64", "Linux aarch64", "macOS arm64"), ("3.11", "3.12", "3.13"), (3, 11, 5)
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
# uv's recipe for PyTorch: on Linux, torch comes from PyTorch's CPU index alone.
PROJECT = """[project]\nname = "lock"\nversion = "0"\ndependencies = {pins}
[[tool.uv.index]]\nname = "cpu"\nurl = "{url}"\nformat = "{format}"\nexplicit = true
[tool.uv.sources]\ntorch = {{ index = "cpu", marker = "sys_platform == 'linux'" }}\n"""
HEADER = """\
# The lock: each package `make setup` installs, pinned, with the sha256 of every file pip may
# install for it, with markers, on {platforms}, with Python {pythons}.
# `make lock` generates it from requirements.in ({uv}); never edit it by hand.
#
# Every hash is PyPI's except torch's on Linux. PyPI's Linux torch is a CUDA build that pulls
# in several GB, so on Linux the lock takes the +cpu builds of PyTorch's CPU index,
#   {index}
# and `make setup` installs torch alone, from a wheel folder pip is configured with, else from
# that index. This lock read those files and hashes from {source};
# they are listed under torch's entry. A maintainer confirms one against the sha256 listed at
#   {index}/torch/
# or with `pip download --no-deps --index-url {index} -d /tmp/t torch==VERSION+cpu`
# and `sha256sum /tmp/t/*`. Where no file is listed for a machine and Python (tests/repo/
# test_lock.py names them), the set-up stops at pip's hash check: run `make lock` where that
# index is reachable, and commit the new lock.
"""


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path=None):
    return [line.split("#")[0].strip() for line in (path or DECLARED).read_text(encoding="utf-8").splitlines()]


def declared(path=None):
    """requirements.in: {name: (version, line number)}; version is None unless pinned exactly."""
    matches = [(n, t, re.fullmatch(r"([A-Za-z0-9._-]+)(?:==(\S+))?", t)) for n, t in enumerate(requirements(path), 1) if t]
    return {canonical(m.group(1) if m else t.split()[0]): (m and m.group(2), n) for n, t, m in matches}


def locked(path=None):
    """requirements.txt: [{name, version, marker, hashes, files, direct, line, text}], in file order."""
    text = (path or LOCK).read_text(encoding="utf-8")
    # An entry is its `name==version ; marker` line and the indented lines under it.
    return [dict(name=canonical(m[1]), version=m[2], marker=(m[3] or "").strip(), text=m[0],
                 hashes=re.findall(r"--hash=sha256:(\w+)", m[0]), direct="    # via -r requirements.in\n" in m[0],
                 files={name: digest for digest, name in re.findall(r"#   sha256:(\w+) (\S+)", m[0])},
                 line=text.count("\n", 0, m.start()) + 1)
            for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)(?: ; ([^\\\n]*))?.*\n(?:[ \t].*\n)*", text, re.M)]


def problems():
    wanted, pinned, found = declared(), locked(), []
    for name, (version, number) in wanted.items():
        mine = [e for e in pinned if e["name"] == name]
        found += [f"requirements.in:{number}: declares {name}, which requirements.txt does not pin"] * (not mine)
        found += [f"requirements.in:{number}: declares {name}=={version}, but requirements.txt:{e['line']} pins "
                  f"{name}=={e['version']}" for e in mine if version and e["version"].split("+")[0] != version]
    for e in pinned:
        found += [f"requirements.txt:{e['line']}: {e['name']} has no --hash"] * (not e["hashes"])
        found += [f"requirements.txt:{e['line']}: pins {e['name']} for requirements.in, which no longer "
                  f"declares it"] * (e["direct"] and e["name"] not in wanted)
    return found


def check():
    found = problems()
    if found:
        print("The lock (requirements.txt) disagrees with requirements.in:", *found,
              "Run `make lock` to regenerate it from requirements.in.", sep="\n  ", file=sys.stderr)
    return int(bool(found))


def machine():
    """Why the set-up refuses this machine or Python, or None."""
    where = {"Darwin": "macOS"}.get(platform.system(), platform.system()) + " " + platform.machine()
    if where not in PLATFORMS:
        reason = "this machine is " + where
    elif where == "macOS arm64" and int(platform.mac_ver()[0].split(".")[0]) < 14:
        reason = "this Mac runs macOS " + platform.mac_ver()[0]
    elif not (OLDEST <= sys.version_info[:3] and "%d.%d" % sys.version_info[:2] in PYTHONS):
        reason = "%s is Python %s" % (sys.executable, platform.python_version())
    else:
        return None
    return (f"The set-up stops: {reason}. It supports {', '.join(PLATFORMS)} (macOS 14 or later), with Python "
                       f"{', '.join(PYTHONS)} ({'.'.join(map(str, OLDEST))} or later). Install one of those Pythons and name it, "
                       f"e.g. `make serve PYTHON=python3.13`. On Windows, use WSL and follow the Linux set-up.")


def resolve(uv, tmp, folder):
    """uv's universal resolution of requirements.in, as the packages of a PEP 751 pylock.toml."""
    import tomllib

    # The versions locked now are uv's preferences, so that a regeneration changes only what it must.
    (tmp / "pylock.toml").write_text('lock-version = "1.0"\ncreated-by = "uv"\n' + "".join(
        f'[[packages]]\nname = "{e["name"]}"\nversion = "{e["version"]}"\n' + f'marker = "{e["marker"]}"\n' * bool(e["marker"])
        for e in (locked() if LOCK.exists() else [])), encoding="utf-8")
    (tmp / "pyproject.toml").write_text(PROJECT.format(pins=[t for t in requirements() if t], format="flat" if folder else
                                                       "simple", url=folder.as_uri() if folder else TORCH_INDEX), encoding="utf-8")
    subprocess.run([uv, "pip", "compile", "--quiet", "--no-config", "--no-python-downloads", "--universal", "--generate-hashes",
                    "--python-version=%d.%d.%d" % OLDEST, "--format=pylock.toml", "--output-file=pylock.toml",
                    "pyproject.toml"], cwd=tmp, check=True)
    return tomllib.loads((tmp / "pylock.toml").read_text(encoding="utf-8"))["packages"]


def regenerate(torch_wheels):
    tool, folder = ROOT / ".cache" / "lock-venv", torch_wheels and Path(torch_wheels).resolve()
    if not (tool / "bin" / "uv").exists():
        subprocess.run([sys.executable, "-m", "venv", tool], check=True)
        subprocess.run([tool / "bin" / "python", "-m", "pip", "install", "--quiet", UV], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        packages = resolve(tool / "bin" / "uv", Path(tmp), folder)
    lines, wanted = [], declared()
    for package in packages:
        files = {unquote(f["url"].rsplit("/", 1)[1]): f["hashes"]["sha256"]
                 for f in package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])}
        lines.append(f"{package['name']}=={package['version']}" + (f" ; {package['marker']}" if "marker" in package else "") + " \\")
        lines += [f"    --hash=sha256:{h}" + " \\" * (n < len(files)) for n, h in enumerate(sorted(files.values()), 1)]
        lines += ["    # via -r requirements.in"] * (canonical(package["name"]) in wanted)
        lines += [f"    #   sha256:{h} {name}" for name, h in sorted(files.items()) if package["name"] == "torch"]
    LOCK.write_text(HEADER.format(platforms=", ".join(PLATFORMS), pythons=", ".join(PYTHONS), uv=UV, index=TORCH_INDEX,
                                  source=f"the wheel folder {folder}" if folder else "that index") + "\n".join(lines) + "\n",
                    encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--machine", action="store_true")
    parser.add_argument("--only", metavar="NAME")
    parser.add_argument("--torch-wheels", metavar="DIR")
    args = parser.parse_args(argv)
    if args.only:
        return sys.stdout.write("".join(e["text"] for e in locked() if e["name"] == canonical(args.only))) and None
    if args.machine and machine():
        return machine()
    if not (args.check or args.machine):
        regenerate(args.torch_wheels)
    return check() if args.check or not args.machine else None


if __name__ == "__main__":
    sys.exit(main())
