"""Nothing broken deploys: each fault in tests/pipeline/faults.py, applied alone to a copy
of the project, makes the test command fail, and its output names the file at fault.

The copies start from the build caches of this run's site (the `built_site`
fixture), so each fault rebuilds only what it touches.
"""

import pytest

import faults
from support import copy_project

# The tests the faults are run by, on an unbroken copy: they must pass there, or
# a "caught" fault could have failed for a reason of the copy's own.
CONTROL = ["tests/pipeline/test_site.py", "tests/repo/test_lock.py", "tests/pipeline/test_notebooks.py",
           "tests/repo/test_workflow.py", "docs/neuron.md"]


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


@pytest.mark.parametrize("fault", faults.FAULTS, ids=[f.name for f in faults.FAULTS])
def test_the_tests_catch_the_fault_and_name_the_file(fault, workdir):
    caught, why, output = faults.inject(fault, workdir)
    assert caught, f"{fault.name} ({fault.what}): {why}\n{output[-4000:]}"
