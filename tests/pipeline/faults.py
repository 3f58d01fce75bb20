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

tests/test_faults.py runs every fault this way in `make test`.
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

from support import copy_project, edit, pin

ROOT = Path(__file__).resolve().parents[2]
SITE_TESTS = ["tests/pipeline/test_site.py"]  # they share one strict build of the copy


@dataclass
class Fault:
    name: str
    what: str                       # one line, for people
    apply: Callable[[Path], None]   # breaks the copy in place
    names: str                      # the output must contain this (the faulty file)
    guards: list                    # pytest arguments: the tests that must catch it
    expect: str                     # a regex the output must match: it failed for this fault


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
          "snippets/activation_functions/activations.py", ["tests/pages/test_activation_functions.py"],
          r"FAILED tests/pages/test_activation_functions\.py::test_function_equals_torch\[sigmoid\]"),
    Fault("expected-output", "a #> line shows a shape the snippet does not print",
          lambda r: edit(r / "snippets/xor_44/enumerate_44.py", "#>     2-5-4-1", "#>     2-4-5-1"),
          "snippets/xor_44/enumerate_44.py:", ["tests/pipeline/test_outputs.py", "-k", "output_matches and enumerate_44"],
          r"the #> output shown differs"),
    Fault("pycon-output", "a doctest example on a page shows the wrong result",
          lambda r: _wrong_pycon_result(r / "docs/neuron.md"),
          "docs/neuron.md", ["docs/neuron.md"],
          r"did not evaluate as expected"),
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
          r"gradient-desent\.md"),
    Fault("broken-anchor", "a page links to a heading that does not exist",
          lambda r: append(r / "docs/loss.md", "\nSee [the steps](gradient-descent.md#no-such-heading).\n"),
          "loss.md", SITE_TESTS,
          r"no-such-heading"),
    Fault("page-not-in-nav", "a page is left out of the nav",
          lambda r: edit(r / "mkdocs.yml", "  - Glossary and FAQ: glossary.md\n", ""),
          "glossary.md", SITE_TESTS,
          r"not included in the \"nav\""),
    Fault("foreign-asset", "a page pulls an image from another host",
          lambda r: append(r / "docs/neuron.md",
                           '\n<img src="https://cdn.example.com/neuron.png" alt="A neuron">\n'),
          "docs/neuron.md", SITE_TESTS,
          r"loads \['https://cdn\.example\.com/neuron\.png'\]"),
    Fault("math-does-not-typeset", "a formula KaTeX cannot parse",
          lambda r: append(r / "docs/neuron.md", "\nThe broken formula \\(\\frac{1}{\\)\n"),
          "neuron.md", ["tests/browser/test_pages.py", "-k", "every_page_renders_cleanly and light"],
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
          "snippets/loss/cross_entropy.py", ["tests/pipeline/test_outputs.py", "-k", "output_matches and cross_entropy"],
          r"the #> output shown differs"),
    Fault("unpinned-dependency", "a dependency is declared without a version",
          lambda r: edit(r / "requirements.in", f"numpy=={pin(r, 'numpy')}", "numpy"),
          "requirements.in", ["tests/repo/test_lock.py"],
          r"numpy is not an exact pin"),
    Fault("lock-disagrees", "the lock pins another version than the one declared",
          lambda r: edit(r / "requirements.txt", f"\npytest=={pin(r, 'pytest')} ", "\npytest==9.1.0 "),
          "requirements.txt", ["tests/repo/test_lock.py"],
          r"pins pytest==9\.1\.0"),
    Fault("deploy-without-tests", "the workflow lets the build and deploy jobs run without the test job",
          lambda r: _drop_needs_test(r / ".github/workflows/site.yml"),
          ".github/workflows/site.yml", ["tests/repo/test_workflow.py"],
          r"job build can run without the test job"),
]


def _wrong_pycon_result(page):
    text = page.read_text(encoding="utf-8")
    block = re.search(r"```pycon\n(.*?)```", text, re.S).group(1)
    # the first result line in the block (a line after a >>> line that is not a prompt)
    lines = block.splitlines()
    i = next(i for i, l in enumerate(lines) if i and not l.startswith((">>>", "...")) and l.strip())
    wrong = lines[i] + "1"
    edit(page, "\n".join(lines[i - 1:i + 1]), "\n".join([lines[i - 1], wrong]))


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


def test_command(project, guards, full=False):
    """The project's test command run in the copy: python -m pytest (limited to
    the guarding tests unless full), stopping at the first failure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--color=no"]
    args += ["-n", "auto"] if full else ["-n", "0", *guards]
    proc = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    return proc.returncode, proc.stdout + proc.stderr


def inject(fault, workdir, full=False):
    """Apply one fault to a fresh copy and run the tests; return (caught, why, output)."""
    project = copy_project(Path(workdir) / "project")
    fault.apply(project)
    code, output = test_command(project, fault.guards, full)
    if code == 0:
        return False, "the tests passed", output
    if code not in (1, 2):  # 1: a test failed; 2: collection or a fixture failed
        return False, f"pytest ended with status {code}, not a test failure", output
    if fault.names not in output:
        return False, f"the output does not name {fault.names}", output
    if not re.search(fault.expect, output):
        return False, f"the tests failed, but not with /{fault.expect}/", output
    return True, f"caught, and the output names {fault.names}", output


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
    for fault in chosen:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            caught, why, output = inject(fault, tmp, args.full)
        print(f"{'ok ' if caught else 'MISSED'} {fault.name:32} {why} ({time.perf_counter() - start:.0f} s)",
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
