"""The Python lock: requirements.in declares, requirements.txt pins every file with its sha256.

    python3 docs_build/lock.py [--torch-wheels DIR]  # `make lock`: regenerate it with uv, from PyPI and
                                                     # PyTorch's CPU index (or DIR, a folder of its wheels)
    python3 docs_build/lock.py --check               # offline: the lock agrees with requirements.in
    python3 docs_build/lock.py --machine             # refuse a machine or Python the lock does not cover
    python3 docs_build/lock.py --only torch          # one package's entries, to install it alone

To check the lock, regenerate it and diff: `make lock && git diff --exit-code requirements.txt`.
Nothing here is newer than Python 3.6 outside regenerate(), so --machine answers an old
Python with a sentence, not a traceback.
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
DECLARED, LOCK = ROOT / "requirements.in", ROOT / "requirements.txt"
UV = "uv==0.13.9"
PLATFORMS, PYTHONS, OLDEST = ("Linux x86_64", "Linux aarch64", "macOS arm64"), ("3.11", "3.12", "3.13"), (3, 11, 5)
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
# uv's recipe for PyTorch: on Linux, torch comes from PyTorch's CPU index only.
PROJECT = """[project]\nname = "lock"\nversion = "0"\ndependencies = {pins}
[[tool.uv.index]]\nname = "pytorch-cpu"\nurl = "{url}"\nformat = "{format}"\nexplicit = true
[tool.uv.sources]\ntorch = {{ index = "pytorch-cpu", marker = "sys_platform == 'linux'" }}\n"""
HEADER = """\
# The lock: each package `make setup` installs, pinned, with the sha256 of every file pip may
# install for it, with markers, for {platforms}; Python {pythons}.
# `make lock` generates it from requirements.in ({uv}, universal resolution); never edit it
# by hand. Its hashes are those PyPI lists, except torch's on Linux.
#
# torch: PyPI's macOS wheels are CPU builds; its Linux wheels are CUDA builds that pull in
# several GB of nvidia packages. So on Linux the lock takes the +cpu builds of PyTorch's CPU
# index, {index}, and `make setup` installs torch alone: from a wheel folder pip is
# configured with, or else from that index. This lock read those files and hashes from
# {source}; each is listed under torch's entry. A maintainer confirms one against the
# sha256 that {index}/torch/ lists, or with `pip download --no-deps --index-url {index}
# -d /tmp/t torch==VERSION+cpu` and `sha256sum /tmp/t/*`. A machine and Python for which no
# file is listed (tests/repo/test_lock.py names them) stops the set-up at pip's hash check:
# run `make lock` where the CPU index is reachable, and commit the result.
"""


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path=None):
    return [line.split("#")[0].strip() for line in (path or DECLARED).read_text(encoding="utf-8").splitlines()]


def declared(path=None):
    """requirements.in: {name: (version, line number)}; version is None unless pinned exactly."""
    found = {}
    for number, text in enumerate(requirements(path), 1):
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:==(\S+))?", text)
        if text:
            found[canonical(match.group(1) if match else text.split()[0])] = (match and match.group(2), number)
    return found


def locked(path=None):
    """requirements.txt: [{name, version, marker, hashes, files, direct, line, text}], in file order."""
    found = []
    for number, line in enumerate((path or LOCK).read_text(encoding="utf-8").splitlines(), 1):
        entry = re.match(r"([A-Za-z0-9._-]+)==(\S+)(?: ; ([^\\]*))?", line)
        if entry:
            found.append(dict(name=canonical(entry.group(1)), version=entry.group(2), marker=(entry.group(3) or "").strip(),
                              hashes=[], files={}, direct=False, line=number, text=""))
        if not found:
            continue
        found[-1]["text"] += line + "\n"
        if line.startswith("    --hash=sha256:"):
            found[-1]["hashes"].append(line.split(":")[1].rstrip(" \\"))
        elif line.startswith("    #   sha256:"):
            found[-1]["files"][line.split()[2]] = line.split()[1][len("sha256:"):]
        elif line == "    # via -r requirements.in":
            found[-1]["direct"] = True
    return found


def problems():
    wanted, pinned, found = declared(), locked(), []
    for name, (version, number) in wanted.items():
        mine = [entry for entry in pinned if entry["name"] == name]
        found += [f"requirements.in:{number}: declares {name}, which requirements.txt does not pin"] * (not mine)
        found += [f"requirements.in:{number}: declares {name}=={version}, but requirements.txt:{entry['line']} pins "
                  f"{name}=={entry['version']}" for entry in mine if version and entry["version"].split("+")[0] != version]
    for entry in pinned:
        found += [f"requirements.txt:{entry['line']}: {entry['name']} has no --hash"] * (not entry["hashes"])
        found += [f"requirements.txt:{entry['line']}: pins {entry['name']} for requirements.in, "
                  f"which no longer declares it"] * (entry["direct"] and entry["name"] not in wanted)
    return found


def check():
    found = problems()
    if found:
        print("The lock (requirements.txt) disagrees with requirements.in:", *found,
              "Run `make lock` to regenerate it from requirements.in.", sep="\n  ", file=sys.stderr)
    return int(bool(found))


def machine():
    """Why this machine or Python is not one the lock covers, or None."""
    where = {"Darwin": "macOS"}.get(platform.system(), platform.system()) + " " + platform.machine()
    if where not in PLATFORMS:
        return "this machine is " + where
    if where.startswith("macOS") and int(platform.mac_ver()[0].split(".")[0]) < 14:
        return "this Mac runs macOS " + platform.mac_ver()[0]
    if not (OLDEST <= sys.version_info[:3] and "%d.%d" % sys.version_info[:2] in PYTHONS):
        return "%s is Python %s" % (sys.executable, platform.python_version())
    return None


def regenerate(torch_wheels):
    import tomllib

    tool, folder = ROOT / ".cache" / "lock-venv", torch_wheels and Path(torch_wheels).resolve()
    if not (tool / "bin" / "uv").exists():
        subprocess.run([sys.executable, "-m", "venv", tool], check=True)
        subprocess.run([tool / "bin" / "python", "-m", "pip", "install", "--quiet", UV], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pyproject.toml").write_text(PROJECT.format(
            pins=[text for text in requirements() if text], url=folder.as_uri() if folder else TORCH_INDEX,
            format="flat" if folder else "simple"), encoding="utf-8")
        subprocess.run([tool / "bin" / "uv", "pip", "compile", "--quiet", "--no-config", "--no-python-downloads",
                        "--universal", "--generate-hashes", "--python-version=%d.%d.%d" % OLDEST,
                        "--format=pylock.toml", "--output-file=pylock.toml", "pyproject.toml"], cwd=tmp, check=True)
        packages = tomllib.loads((Path(tmp) / "pylock.toml").read_text(encoding="utf-8"))["packages"]
    lines, wanted = [], declared()
    for package in packages:
        files = {unquote(f["url"].rsplit("/", 1)[1]): f["hashes"]["sha256"]
                 for f in package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])}
        lines.append(f"{package['name']}=={package['version']} ; {package['marker']} \\")
        lines += [f"    --hash=sha256:{h}" + " \\" * (n < len(files)) for n, h in enumerate(sorted(files.values()), 1)]
        lines += ["    # via -r requirements.in"] * (canonical(package["name"]) in wanted)
        lines += [f"    #   sha256:{h} {name}" for name, h in sorted(files.items()) if package["name"] == "torch"]
    source = f"the wheel folder {folder}" if folder else "that index"
    LOCK.write_text(HEADER.format(platforms=", ".join(PLATFORMS), pythons=", ".join(PYTHONS), uv=UV, index=TORCH_INDEX,
                                  source=source) + "\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--check", "--machine"):
        parser.add_argument(flag, action="store_true")
    parser.add_argument("--only", metavar="NAME")
    parser.add_argument("--torch-wheels", metavar="DIR")
    args = parser.parse_args(argv)
    if args.machine:
        reason = machine()
        return reason and (f"The set-up stops: {reason}. It supports {', '.join(PLATFORMS)} (macOS 14 or later) with "
                           f"Python {', '.join(PYTHONS)} ({'.'.join(map(str, OLDEST))} or later). Install one of those Pythons and name it, "
                           f"e.g. `make serve PYTHON=python3.13`. On Windows, use WSL and follow the Linux set-up.")
    if args.only:
        sys.stdout.write("".join(entry["text"] for entry in locked() if entry["name"] == canonical(args.only)))
        return 0
    if not args.check:
        regenerate(args.torch_wheels)
    return check()


if __name__ == "__main__":
    sys.exit(main())
