"""Build speed, as ratios measured in one run on this machine.

- clean build / the summed standalone run time of the code the build executes
  (each notebook run alone with jupytext and nbconvert, each figure or table snippet run
  alone with python): below 1 means the build's parallelism and its torch
  forkserver runner (docs_build/runner.py) more than pay for the site's own work;
- no-change rebuild / clean build;
- rebuild after a prose-only edit of a notebook / clean build;
- the test command (`python -m pytest`, after set-up) / clean build.

The builds run in a copy of the working tree with no caches, so the project's
own caches are neither used nor touched. Set BENCH_SKIP_TESTS=1 to leave out
the test-suite run (about three minutes).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import copy_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}


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
    print(f"  clean build / standalone sum   {clean / summed:7.2f}   (goal <= 1.0)")
    print(f"no-change rebuild                {no_change:7.1f} s")
    print(f"  no-change / clean              {no_change / clean:7.2f}   (goal <= 0.15)")
    print(f"rebuild after a prose-only notebook edit {prose:5.1f} s")
    print(f"  prose edit / clean             {prose / clean:7.2f}")
    if os.environ.get("BENCH_SKIP_TESTS"):
        return
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT)
    tests = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"the tests failed (status {proc.returncode}): the figure below times a failing run")
    print(f"test command (python -m pytest)  {tests:7.1f} s")
    print(f"  tests / clean build            {tests / clean:7.2f}   (goal <= 2)")
