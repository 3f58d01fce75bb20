"""The Python lock: requirements.in declares, requirements.txt pins with hashes.

    python3.11 tools/lock.py            # regenerate requirements.txt (`make lock`)
    python3.11 tools/lock.py --check    # fail unless the lock agrees with requirements.in
    python3.11 tools/lock.py --only torch > torch.txt   # one package's lock entry

`--check` runs before every install (`make setup`), with the standard library
and pip alone, so a lock that disagrees with the declared dependencies stops the
set-up with a message that says which package and what to run.
"""

import argparse
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECLARED = ROOT / "requirements.in"
LOCK = ROOT / "requirements.txt"
TOOL_VENV = ROOT / ".cache" / "lock-venv"
PIP_TOOLS = "pip-tools==7.6.2"

HEADER = """\
# The lock: every package the project installs, pinned to one version, with the
# sha256 of every file pip may install for it. pip installs with --require-hashes.
# Generated from requirements.in by `make lock` (pip-compile); never edit it by hand.
# `make setup` refuses to install when this file and requirements.in disagree.
#
# torch: requirements.in asks for torch==2.13.0. Its CPU build is 2.13.0+cpu, and
# PyPI has no CPU build for Linux (PyPI's torch is a CUDA build of several GB), so
# the CPU wheel comes from outside PyPI, and from a different place on each machine:
#   - on these development machines, from the wheel folder pip is configured with
#     (PIP_FIND_LINKS); its hash below is the hash of that file;
#   - on GitHub, from PyTorch's CPU index (TORCH_INDEX_URL in the workflow). The Makefile
#     installs torch alone from there, still with --require-hashes against the hash
#     below. The file there carries the same name; that it is byte-identical cannot be
#     checked from a machine with no route to that index. If it is not, the set-up
#     stops with pip's hash-mismatch error naming torch and both hashes: add the
#     hash pip reports as a second --hash line under torch, after checking it
#     against the sha256 that https://download.pytorch.org/whl/cpu/torch/ lists.
#
"""

ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared():
    """requirements.in: {name: (specifier, line number)}."""
    from pip._vendor.packaging.requirements import Requirement

    found = {}
    for number, line in enumerate(DECLARED.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#")[0].strip()
        if text:
            requirement = Requirement(text)
            found[canonical(requirement.name)] = (requirement.specifier, number)
    return found


def locked():
    """requirements.txt: {name: {"version", "hashes", "direct", "line"}}."""
    entries, current = {}, None
    for number, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), 1):
        match = ENTRY.match(line)
        if match:
            current = {"version": match.group(2), "hashes": [], "direct": False, "line": number}
            entries[canonical(match.group(1))] = current
        elif line.strip().startswith("--hash=") and current is not None:
            current["hashes"].append(line.strip().rstrip("\\").strip())
        elif re.match(r"^\s*#\s*(via)?\s*-r requirements\.in\b", line) and current is not None:
            current["direct"] = True
        elif line.strip() and not line.lstrip().startswith("#") and not ENTRY.match(line):
            raise SystemExit(f"{LOCK.name}:{number}: not a pinned entry: {line.strip()}")
    return entries


def problems():
    from pip._vendor.packaging.version import Version

    wanted, pinned = declared(), locked()
    found = []
    for name, (specifier, number) in wanted.items():
        entry = pinned.get(name)
        if entry is None:
            found.append(f"{DECLARED.name}:{number}: declares {name}, which {LOCK.name} does not pin")
        elif not specifier.contains(Version(entry["version"]), prereleases=True):
            found.append(
                f"{DECLARED.name}:{number}: declares {name}{specifier}, "
                f"but {LOCK.name}:{entry['line']} pins {name}=={entry['version']}"
            )
    for name, entry in pinned.items():
        if not entry["hashes"]:
            found.append(f"{LOCK.name}:{entry['line']}: {name} has no --hash")
        if entry["direct"] and name not in wanted:
            found.append(
                f"{LOCK.name}:{entry['line']}: pins {name} for requirements.in, "
                f"which no longer declares it"
            )
    return found


def check():
    found = problems()
    if found:
        print(f"The lock ({LOCK.name}) disagrees with the declared dependencies "
              f"({DECLARED.name}):", file=sys.stderr)
        for problem in found:
            print(f"  {problem}", file=sys.stderr)
        print("Run `make lock` to regenerate the lock from requirements.in.", file=sys.stderr)
        return 1
    return 0


def only(name):
    """The lock's entry for one package, as a requirements file of its own."""
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    entry = locked()[canonical(name)]
    block = [lines[entry["line"] - 1]]
    for line in lines[entry["line"]:]:
        if not line.strip().startswith("--hash="):
            break
        block.append(line)
    return "\n".join(block) + "\n"


def regenerate():
    python = TOOL_VENV / "bin" / "python"
    if not python.exists():
        venv.create(TOOL_VENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "pip==25.3", PIP_TOOLS], check=True)
    subprocess.run(
        [python, "-m", "piptools", "compile", "--quiet", "--generate-hashes", "--allow-unsafe",
         "--strip-extras", "--no-emit-index-url", "--no-emit-find-links",
         "--no-emit-trusted-host", "--no-header", "--output-file", LOCK.name, DECLARED.name],
        cwd=ROOT, check=True,
    )
    body = LOCK.read_text(encoding="utf-8")
    LOCK.write_text(HEADER + body, encoding="utf-8")
    return check()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="check the lock against requirements.in")
    group.add_argument("--only", metavar="NAME", help="print one package's lock entry")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.only:
        sys.stdout.write(only(args.only))
        return 0
    return regenerate()


if __name__ == "__main__":
    sys.exit(main())
