"""Build speed, as ratios measured in one run on this machine.

- clean build / the summed standalone run time of the code the build executes
  (each notebook run alone with jupytext and nbconvert, each figure or table snippet run
  alone with python): below 1 means the build's parallelism and its torch
  forkserver runner (docs_build/runner.py) more than pay for the site's own work;
- no-change rebuild / clean build;
- rebuild after a prose-only edit of a notebook / clean build;
- `make test`'s first pytest run (`python -m pytest`) / clean build, and its second,
  the meta-suite (`python -m pytest -m meta`: the faults and the determinism check),
  each with its longest test modules (durations summed over both workers).

The builds run in a copy of the working tree with no caches, so the project's
own caches are neither used nor touched. The tests run in another such copy, as
on a fresh clone: the first run includes its own clean build of the site. Set
BENCH_SKIP_TESTS=1 to leave the test runs out (about four minutes).
"""

import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import copy_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
# The test command as `make test` runs it, each line timed alone.
TEST_RUNS = {"python -m pytest": [], "python -m pytest -m meta": ["-m", "meta"]}


def timed(args, cwd, env=ENV):
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed in {cwd}:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
    return elapsed


def build(project):
    return timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"], project)


def standalone(project):
    """Each piece of code the build executes, run alone and one after another."""
    times = {}
    for notebook in sorted((project / "docs").glob("*.py")):
        times[notebook.name] = timed(
            [sys.executable, "-m", "jupytext", "--to", "ipynb", "--execute", "--run-path", str(notebook.parent),
             "--output", str(project / "bench-out.ipynb"), str(notebook)], notebook.parent,
            env={k: v for k, v in ENV.items() if k != "MPLBACKEND"})  # inline figures, as built
    for snippet in sorted((project / "snippets").rglob("*.py")):
        if snippet.name.startswith(("fig_", "table_")):
            times[snippet.relative_to(project).as_posix()] = timed([sys.executable, snippet], snippet.parent)
    return times


def module_times(junit):
    """{test module: its tests' summed durations}, from pytest's JUnit XML report."""
    summed = Counter()
    for case in ET.parse(junit).iter("testcase"):
        module = case.get("classname", "").split("::")[0]
        # "tests.browser.test_pages" or "tests.browser.test_pages.TestClass": the module's path
        parts = module.split(".")
        while parts and not parts[-1].startswith("test_"):
            parts.pop()
        summed["/".join(parts) + ".py" if parts else module] += float(case.get("time", 0))
    return summed


def edit_prose(notebook):
    """One more sentence at the end of the first Markdown cell of a notebook's text source."""
    text = notebook.read_text(encoding="utf-8")
    end = text.index("\n# %%", text.index("# %% [markdown]") + 1)
    notebook.write_text(text[:end] + "#\n# One more sentence of prose.\n" + text[end:], encoding="utf-8")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project", caches=False)
        clean = build(project)
        no_change = build(project)
        edit_prose(project / "docs" / "xor-44-training.py")
        prose = build(project)
        pieces = standalone(project)
    summed = sum(pieces.values())
    print(f"clean build                      {clean:7.1f} s")
    print(f"standalone runs, summed          {summed:7.1f} s  ({len(pieces)} pieces; "
          f"slowest {max(pieces, key=pieces.get)} {max(pieces.values()):.1f} s)")
    print(f"  clean build / standalone sum   {clean / summed:7.2f}")
    print(f"no-change rebuild                {no_change:7.1f} s")
    print(f"  no-change / clean              {no_change / clean:7.2f}")
    print(f"rebuild after a prose-only notebook edit {prose:5.1f} s")
    print(f"  prose edit / clean             {prose / clean:7.2f}")
    if os.environ.get("BENCH_SKIP_TESTS"):
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = copy_project(Path(tmp) / "project", caches=False)  # reads this repository's history, as a clone has
        for command, args in TEST_RUNS.items():
            junit = Path(tmp) / "junit.xml"
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                   f"--junitxml={junit}", *args], cwd=fresh, env=env, capture_output=True, text=True)
            tests = time.perf_counter() - start
            if proc.returncode != 0:
                print(f"{command} failed (status {proc.returncode}); the figure below times a failing run:\n"
                      + proc.stdout[-1500:])
            print(f"{command:32} {tests:7.1f} s  ({proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ''})")
            print(f"  / clean build                  {tests / clean:7.2f}")
            if junit.exists():  # where the time goes: the test modules that take longest, summed over workers
                summed = module_times(junit)
                print(f"  summed test durations          {sum(summed.values()):7.1f} s; the longest modules:")
                for module, seconds in summed.most_common(8):
                    print(f"    {seconds:7.1f} s  {module}")
