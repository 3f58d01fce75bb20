"""Fault injection: break a copy of the project one way at a time, and prove the
test command fails and names the file at fault.

    python -m tests.pipeline.faults                 # every fault, each run by the tests that guard it
    python -m tests.pipeline.faults broken-anchor   # the faults whose names contain this text
    python -m tests.pipeline.faults --full          # run the whole test command for each fault (slow)
    python -m tests.pipeline.faults --list

Each fault is applied to a fresh copy of the working tree (tracked files and new
ones not ignored by git), with the build caches copied in so that only what the
fault touches is rebuilt. The copy is then tested with the project's test
command, `python -m pytest`, limited to the modules that guard against that
fault (`--full` drops the limit: about two minutes a fault). A fault counts as
caught when pytest fails and its output names the faulty file.

Faults with the same `shares` go into one copy and one test run, to save builds:
the strict build reports each of its warnings (broken link, broken anchor, page
not in the nav), and faults whose copy still builds are caught by tests of their
own. Each is still judged alone: its own message and file must be in the output,
and where the faults of a copy have different guards, one of its own guards must
fail. A fault that stops the build stays alone, since it would hide the others.

tests/pipeline/test_faults.py runs every fault this way in `make test` (its second
pytest run, `pytest -m meta`).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # run as `python -m tests.pipeline.faults`, not by pytest
    sys.path.insert(0, str(ROOT / "tests"))

from support import copy_project, edit, pin  # noqa: E402
SITE_TESTS = ["tests/pipeline/test_site.py"]  # they share one strict build of the copy
WARNINGS = "strict-build-warnings"  # one build lists every warning, each naming its page
BUILDS = "copy-still-builds"  # distinct guards; the build passes, so test_site sees the site


@dataclass
class Fault:
    name: str
    what: str                       # one line, for people
    apply: Callable[[Path], None]   # breaks the copy in place
    names: str                      # the output must contain this (the faulty file)
    guards: list                    # pytest arguments: the tests that must catch it
    expect: str                     # a regex the output must match: it failed for this fault
    shares: str = ""                # faults with the same value share one copy and one run


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _raising_first_cell(source):
    """A code cell that raises, before the first code cell of a notebook's text source."""
    text = source.read_text(encoding="utf-8")
    first = re.search(r"^# %%\s*$", text, re.M)
    source.write_text(text[:first.start()] + "# %%\nraise ValueError('a deliberately failing cell')\n\n"
                      + text[first.start():], encoding="utf-8")


def _notebook_beside_its_source(source):
    """The .ipynb jupytext writes beside a paired text source, as if committed by mistake."""
    import jupytext

    jupytext.write(jupytext.read(source), source.with_suffix(".ipynb"))


FAULTS = [
    Fault("formula-constant", "sigmoid computes 1/(1+e^(-2z)) instead of 1/(1+e^(-z))",
          lambda r: edit(r / "snippets/activation_functions/activations.py",
                         "return 1 / (1 + torch.exp(-z))", "return 1 / (1 + torch.exp(-2 * z))"),
          "snippets/activation_functions/activations.py",
          ["tests/pages/test_activation_functions.py::test_function_equals_torch"],
          r"FAILED tests/pages/test_activation_functions\.py::test_function_equals_torch\[sigmoid\]", BUILDS),
    Fault("expected-output", "a #> line shows a shape the snippet does not print",
          lambda r: edit(r / "snippets/xor_44/enumerate_44.py", "#>     2-5-4-1", "#>     2-4-5-1"),
          "snippets/xor_44/enumerate_44.py:",
          ["tests/pipeline/test_outputs.py::test_snippet_output_matches[snippets/xor_44/enumerate_44.py]"],
          r"the #> output shown differs", BUILDS),
    Fault("pycon-output", "a doctest example on a page shows the wrong result",
          lambda r: _wrong_pycon_result(r / "docs/neuron.md"),
          "docs/neuron.md", ["docs/neuron.md"],
          r"did not evaluate as expected", BUILDS),
    Fault("missing-snippet-file", "a page includes a snippet file that was deleted",
          lambda r: (r / "snippets/xor_44/shared_layer.py").unlink(),
          "snippets/xor_44/shared_layer.py", SITE_TESTS,
          r"includes snippets/xor_44/shared_layer\.py, which does not exist"),
    Fault("missing-snippet-section", "a page includes a section the snippet does not have",
          lambda r: edit(r / "docs/xor-44.md", 'original.py:train"', 'original.py:trian"'),
          "docs/xor-44.md", SITE_TESTS,
          r"has no section 'trian'"),
    Fault("notebook-cell-raises", "a notebook cell raises",
          lambda r: _raising_first_cell(r / "docs/weight-initialization-deep-stacks.py"),
          "docs/weight-initialization-deep-stacks.py", SITE_TESTS,
          r"a deliberately failing cell"),
    Fault("figure-snippet-raises", "a figure snippet fails while the build makes its figure",
          lambda r: edit(r / "snippets/loss/fig_losses.py", "plt.show()", "raise RuntimeError('no figure')\nplt.show()"),
          "snippets/loss/fig_losses.py", SITE_TESTS,
          r"RuntimeError: no figure"),
    Fault("broken-link", "a page links to a page that does not exist",
          lambda r: append(r / "docs/loss.md", "\nSee [the steps](gradient-desent.md).\n"),
          "loss.md", SITE_TESTS,
          r"gradient-desent\.md", WARNINGS),
    Fault("broken-anchor", "a page links to a heading that does not exist",
          lambda r: append(r / "docs/loss.md", "\nSee [the steps](gradient-descent.md#no-such-heading).\n"),
          "loss.md", SITE_TESTS,
          r"no-such-heading", WARNINGS),
    Fault("page-not-in-nav", "a page is left out of the nav",
          lambda r: edit(r / "mkdocs.yml", "  - Glossary and FAQ: glossary.md\n", ""),
          "glossary.md", SITE_TESTS,
          r"not included in the \"nav\"", WARNINGS),
    Fault("foreign-asset", "a page pulls an image from another host",
          lambda r: append(r / "docs/neuron.md",
                           '\n<img src="https://cdn.example.com/neuron.png" alt="A neuron">\n'),
          "docs/neuron.md", ["tests/pipeline/test_site.py::test_no_page_loads_anything_from_another_host"],
          r"loads \['https://cdn\.example\.com/neuron\.png'\]", BUILDS),
    Fault("math-does-not-typeset", "a formula KaTeX cannot parse",
          lambda r: append(r / "docs/neuron.md", "\nThe broken formula \\(\\frac{1}{\\)\n"),
          "neuron.md", ["tests/browser/test_pages.py::test_every_page_renders_cleanly[neuron.md]"],
          r"frac\{1\}\{"),
    Fault("notebook-beside-its-source", "a generated .ipynb is committed beside a notebook's text source",
          lambda r: _notebook_beside_its_source(r / "docs/xor-44-training.py"),
          "docs/xor-44-training.ipynb", ["tests/pipeline/test_notebooks.py", "-k", "no_generated_notebook"],
          r"FAILED tests/pipeline/test_notebooks\.py::test_no_generated_notebook_sits_beside_the_sources"),
    Fault("helper-behind-cached-notebook",
          "a snippet a notebook imports is edited (a function renamed) while the notebook's outputs are cached",
          lambda r: edit(r / "snippets/weight_initialization/deep_stack.py",
                         "activation_stds", "layer_stds", count=-1),
          "snippets/weight_initialization/deep_stack.py", SITE_TESTS,
          r"cannot import name 'activation_stds'"),
    Fault("state-from-another-snippet",
          "a snippet uses a function from a sibling snippet: it runs in its folder, not when copied",
          lambda r: _use_a_sibling(r / "snippets/xor_44/train_44.py"),
          "snippets/xor_44/train_44.py", ["tests/pipeline/test_outputs.py", "-k", "self_contained and train_44"],
          r"imports sibling snippet"),
    Fault("unseeded-snippet", "a snippet that draws random numbers is not seeded",
          lambda r: edit(r / "snippets/loss/cross_entropy.py", "torch.manual_seed(0)\n", ""),
          "snippets/loss/cross_entropy.py",
          ["tests/pipeline/test_outputs.py::test_snippet_output_matches[snippets/loss/cross_entropy.py]"],
          r"the #> output shown differs", BUILDS),
    Fault("unpinned-dependency", "a dependency is declared without a version",
          lambda r: edit(r / "requirements.in", f"numpy=={pin(r, 'numpy')}", "numpy"),
          "requirements.in", ["tests/repo/test_lock.py"],
          r"numpy is not an exact pin"),
    Fault("lock-disagrees", "the lock pins another version than the one declared",
          lambda r: edit(r / "requirements.txt", f"\npytest=={pin(r, 'pytest')} ", "\npytest==9.1.0 "),
          "requirements.txt", ["tests/repo/test_lock.py"],
          r"pins pytest==9\.1\.0"),
    Fault("claim-edited", "a number a test binds is changed in the prose",
          lambda r: edit(r / "docs/gradient-descent.md", '{{ claim("w30-lr0.1", "0.21") }}',
                         '{{ claim("w30-lr0.1", "0.31") }}'),
          "docs/gradient-descent.md", ["tests/pages/test_gradient_descent.py"],
          r"docs/gradient-descent\.md:\d+: the claim 'w30-lr0\.1' says '0\.31'"),
    Fault("comparison-inverted", "a comparison a test binds is turned around in the prose",
          lambda r: edit(r / "docs/gradient-descent.md", '{{ claim("lr4.2-far", "far away") }}',
                         '{{ claim("lr4.2-far", "close to the minimum") }}'),
          "docs/gradient-descent.md", ["tests/pages/test_gradient_descent.py"],
          r"docs/gradient-descent\.md:\d+: the claim 'lr4\.2-far' says 'close to the minimum'"),
    Fault("unbound-number", "a sentence states a number that is neither a claim nor marked",
          lambda r: append(r / "docs/loss.md", "\nThe loss falls to 0.37 after 12 steps.\n"),
          "docs/loss.md", ["tests/pipeline/test_claims.py"],
          r"docs/loss\.md:\d+: '0\.37'", BUILDS),
    Fault("exercise-without-solution", "an exercise loses its worked solution",
          lambda r: _drop_first_solution(r / "docs/neuron.md"),
          "docs/neuron.md",
          ["tests/pipeline/test_solutions.py::test_every_exercise_has_a_collapsed_solution_with_its_snippet[neuron.md]"],
          r"docs/neuron\.md, exercise 1: no collapsed solution", BUILDS),
    Fault("glossary-lacks-a-term", "a term that several pages use loses its glossary entry",
          lambda r: _drop_glossary_entry(r / "docs/glossary.md", "curvature"),
          "docs/glossary.md",
          ["tests/pages/test_glossary.py::test_every_term_that_two_pages_use_has_a_glossary_entry"],
          r"lacks an entry for terms that two or more pages use:\nE?\s+curvature \(", BUILDS),
    Fault("deploy-without-tests", "the workflow lets the build and deploy jobs run without the test job",
          lambda r: _drop_needs_test(r / ".github/workflows/site.yml"),
          ".github/workflows/site.yml", ["tests/repo/test_workflow.py"],
          r"job build can run without the test job", BUILDS),
]


def _wrong_pycon_result(page):
    text = page.read_text(encoding="utf-8")
    block = re.search(r"```pycon\n(.*?)```", text, re.S).group(1)
    # the first result line in the block (a line after a >>> line that is not a prompt)
    lines = block.splitlines()
    i = next(i for i, l in enumerate(lines) if i and not l.startswith((">>>", "...")) and l.strip())
    wrong = lines[i] + "1"
    edit(page, "\n".join(lines[i - 1:i + 1]), "\n".join([lines[i - 1], wrong]))


def _drop_first_solution(page):
    """The page without its first exercise's solution block (the block and what it holds)."""
    text = page.read_text(encoding="utf-8")
    new = re.sub(r'\n {4}\?\?\? success "Solution"\n(?:\n| {8}[^\n]*\n)*', "\n", text, count=1)
    if new == text:
        raise LookupError(f"{page}: found no solution block to remove")
    page.write_text(new, encoding="utf-8")


def _drop_glossary_entry(glossary, term_id):
    """The glossary without the entry whose id is term_id."""
    text = glossary.read_text(encoding="utf-8")
    new = re.sub(rf'\n[^\n]+ <span id="{term_id}"></span>\n:   [^\n]*\n(?: {{4}}[^\n]*\n)*', "\n", text, count=1)
    if new == text:
        raise LookupError(f"{glossary}: found no entry {term_id}")
    glossary.write_text(new, encoding="utf-8")


def _use_a_sibling(snippet):
    # count_parameters lives in enumerate_44.py, a sibling in the same folder
    edit(snippet, "import torch\n", "import torch\nfrom enumerate_44 import count_parameters\n")


def _drop_needs_test(workflow):
    text = workflow.read_text(encoding="utf-8")
    new = re.sub(r"^\s*needs:\s*test\s*\n", "", text, flags=re.M)
    new = re.sub(r"^(\s*needs:\s*)\[\s*test,\s*(\w+)\s*\]\s*$", r"\1\2", new, flags=re.M)
    if new == text:
        raise LookupError(f"{workflow}: found no `needs: test` to remove")
    workflow.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------------------


def test_command(project, guards, full=False, stop_at_first_failure=True):
    """The project's test command run in the copy: python -m pytest (limited to
    the guarding tests unless full), by default stopping at the first failure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=no"]
    args += ["-x"] if stop_at_first_failure else []
    args += ["-n", "auto"] if full else ["-n", "0", *guards]
    proc = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    return proc.returncode, proc.stdout + proc.stderr


def copies(faults=None):
    """The faults grouped by copy, in catalogue order: a list of lists."""
    grouped = {}
    for fault in FAULTS if faults is None else faults:
        grouped.setdefault(fault.shares or fault.name, []).append(fault)
    return list(grouped.values())


def shared_guards(group):
    """The pytest arguments of one run for the faults of one copy. They share a copy
    only with plain test paths (no -k), all the same or no two alike."""
    guards = [tuple(fault.guards) for fault in group]
    flat = [g for fault in group for g in fault.guards]
    if any(g.startswith("-") for g in flat):
        raise ValueError(f"faults that share a copy name their guards as paths or node ids: {flat}")
    if len(set(guards)) not in (1, len(guards)) or len(set(flat)) not in (len(group[0].guards), len(flat)):
        raise ValueError(f"faults that share a copy have one set of guards or their own: {guards}")
    return list(dict.fromkeys(flat))


def failed_tests(output):
    """The node ids pytest's summary lists as FAILED or ERROR."""
    return re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.M)


def judge(fault, code, output, own_guard_must_fail=False):
    """(caught, why) for one fault, from the test run of its copy."""
    if code == 0:
        return False, "the tests passed"
    if code not in (1, 2):  # 1: a test failed; 2: collection or a fixture failed
        return False, f"pytest ended with status {code}, not a test failure"
    if own_guard_must_fail and not any(failed.startswith(guard) for failed in failed_tests(output)
                                       for guard in fault.guards):
        return False, f"none of its own guards failed ({', '.join(fault.guards)})"
    if fault.names not in output:
        return False, f"the output does not name {fault.names}"
    if not re.search(fault.expect, output):
        return False, f"the tests failed, but not with /{fault.expect}/"
    return True, f"caught, and the output names {fault.names}"


def inject(group, workdir, full=False):
    """Apply the faults of one copy (see copies()) to a fresh copy of the project and run
    their guards once; return {fault name: (caught, why, output)}."""
    project = copy_project(Path(workdir) / "project")
    for fault in group:
        fault.apply(project)
    alone = len(group) == 1
    guards = group[0].guards if alone else shared_guards(group)
    code, output = test_command(project, guards, full, stop_at_first_failure=alone)
    distinct = not alone and len({tuple(f.guards) for f in group}) > 1
    return {fault.name: (*judge(fault, code, output, own_guard_must_fail=distinct), output) for fault in group}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only faults whose names contain one of these")
    parser.add_argument("--full", action="store_true", help="run the whole test command for each fault")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the end of each test output")
    args = parser.parse_args(argv)
    chosen = [f for f in FAULTS if not args.names or any(n in f.name for n in args.names)]
    if args.list:
        for fault in chosen:
            print(f"{fault.name:32} {fault.what}")
        return 0
    missed = 0
    for group in copies(chosen):
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            results = inject(group, tmp, args.full)
        seconds = time.perf_counter() - start
        for name, (caught, why, output) in results.items():
            print(f"{'ok ' if caught else 'MISSED'} {name:32} {why} ({seconds:.0f} s, {len(group)} in the copy)",
                  flush=True)
            if args.show:
                print(output[-1500:])
            if not caught:
                missed += 1
                print(output[-3000:], file=sys.stderr)
    print(f"{len(chosen) - missed} of {len(chosen)} faults caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
