"""House style rule 2: every line of snippets/ runs in a test. A pytest plugin
(tests/conftest.py loads it) that measures, with coverage.py, which snippet lines
run, both in the tests' own processes and in the runner's children
(docs_build/runner.py records them when SNIPPET_COVERAGE names a folder), and fails
the run when a full run leaves a line of a snippet unrun, naming the file and lines.

A run of only some tests (file arguments, -k or -m) measures but does not judge:
most snippets would look unrun."""

import os
import shutil
import tempfile
from pathlib import Path

import coverage
import pytest

from support import ROOT, SNIPPETS

INCLUDE = [str(SNIPPETS / "*")]


def snippet_files():
    return sorted(SNIPPETS.rglob("*.py"))


def unrun_lines(folder, files):
    """{file: [line numbers no test ran]}, for the files that have any, from the data in folder."""
    combined = coverage.Coverage(data_file=os.path.join(folder, ".coverage"), include=[str(f) for f in files])
    combined.combine([folder])
    missing = {}
    for path in files:
        _, _, _, unrun, _ = combined.analysis2(str(path))
        if unrun:
            missing[path] = unrun
    return missing


def _whole_run(config):
    return not config.args_source == pytest.Config.ArgsSource.ARGS and not config.option.keyword \
        and not config.option.markexpr


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controlling process: one folder for the whole run
        os.environ["SNIPPET_COVERAGE"] = tempfile.mkdtemp(prefix="snippet-coverage-")
    measured = coverage.Coverage(data_file=os.path.join(os.environ["SNIPPET_COVERAGE"], ".coverage"),
                                 data_suffix=True, include=INCLUDE)
    measured.set_option("run:disable_warnings", ["no-data-collected"])  # a worker may run no snippet
    measured.start()
    config.stash[MEASURED] = measured


MEASURED = pytest.StashKey()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    measured = session.config.stash[MEASURED]
    measured.stop()
    measured.save()
    if hasattr(session.config, "workerinput"):
        return
    if not _whole_run(session.config):
        shutil.rmtree(os.environ["SNIPPET_COVERAGE"], ignore_errors=True)
        return
    folder = os.environ["SNIPPET_COVERAGE"]
    missing = unrun_lines(folder, snippet_files())
    shutil.rmtree(folder, ignore_errors=True)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line("snippet coverage is below 100 %: no test ran these lines", red=True)
        for path, lines in missing.items():
            reporter.write_line(f"  {path.relative_to(ROOT)}: lines {', '.join(map(str, lines))}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
