"""Nothing broken deploys: each fault in tests/pipeline/faults.py, applied to a copy of the
project (alone, or with faults that share its copy and are judged each on its own), makes
the test command fail, and its output names the file at fault.

The copies start from the build caches of this run's site (the `built_site`
fixture), so each fault rebuilds only what it touches. Part of the meta-suite, which
`make test` runs after the other tests (tests/conftest.py).
"""

import pytest

import faults
from support import ROOT, copy_project

pytestmark = pytest.mark.meta

# The tests the faults are run by, on an unbroken copy: they must pass there, or
# a "caught" fault could have failed for a reason of the copy's own. (Of
# test_notebooks only the guard; its other tests take 13 s and guard no fault.)
CONTROL = ["tests/pipeline/test_site.py", "tests/repo/test_lock.py",
           "tests/pipeline/test_notebooks.py::test_no_generated_notebook_sits_beside_the_sources",
           "tests/repo/test_workflow.py", "docs/neuron.md", "tests/pages/test_gradient_descent.py",
           "tests/pipeline/test_claims.py", "tests/pipeline/test_solutions.py", "tests/pages/test_glossary.py"]


@pytest.fixture
def workdir(built_site, tmp_path):
    return tmp_path


def test_the_unbroken_copy_passes_the_guarding_tests(workdir):
    project = copy_project(workdir / "project")
    code, output = faults.test_command(project, CONTROL)
    assert code == 0, output[-4000:]


def test_there_are_at_least_fifteen_distinct_faults():
    names = [fault.name for fault in faults.FAULTS]
    assert len(set(names)) == len(names) >= 15


def test_faults_that_share_a_copy_can_be_told_apart():
    for group in faults.copies():
        if len(group) > 1:
            faults.shared_guards(group)  # plain paths, one set or each its own
            assert len({(f.names, f.expect) for f in group}) == len(group)  # each its own file or message


def test_a_fault_in_a_shared_copy_counts_only_with_its_own_guard_file_and_message():
    fault = faults.Fault("f", "for this test", lambda root: None, "docs/a.md", ["tests/test_a.py"], r"bad \w+", "g")
    own = "FAILED tests/test_a.py::test_one - docs/a.md: bad link\n"
    assert faults.judge(fault, 1, own, own_guard_must_fail=True)[0]
    assert not faults.judge(fault, 1, own.replace("test_a.py", "test_b.py"), own_guard_must_fail=True)[0]
    assert not faults.judge(fault, 1, own.replace("docs/a.md", "docs/b.md"), own_guard_must_fail=True)[0]
    assert not faults.judge(fault, 1, own.replace("bad link", "good"), own_guard_must_fail=True)[0]
    assert not faults.judge(fault, 0, own)[0]


COPIES = {fault.name: group for group in faults.copies() for fault in group}


@pytest.mark.parametrize("fault", faults.FAULTS, ids=[f.name for f in faults.FAULTS])
def test_the_tests_catch_the_fault_and_name_the_file(fault, workdir, once):
    group = COPIES[fault.name]
    # the first of a copy's faults to run makes the copy and runs its guards, for all of them
    caught, why, output = once(f"fault-copy-{group[0].name}", lambda: faults.inject(group, workdir))[fault.name]
    shared = f" (in one copy with {', '.join(f.name for f in group if f is not fault)})" if len(group) > 1 else ""
    assert caught, f"{fault.name} ({fault.what}){shared}: {why}\n{output[-4000:]}"


def test_the_readme_and_the_guide_count_the_faults():
    count = len(faults.FAULTS)
    assert f"- {count} injected faults" in (ROOT / "README.md").read_text(encoding="utf-8"), "README.md"
    assert f"{count} ways to break" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), "CONTRIBUTING.md"
