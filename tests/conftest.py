"""Fixtures and report hooks for every test: the built site, one thread for torch,
and the snippets a failing test module ran."""

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from support import LOADED, ROOT, build_site

pytest_plugins = ["snippet_coverage"]  # every line of snippets/ runs in a test


def pytest_collection_modifyitems(config, items):
    """A whole run (no paths, -k or -m given) leaves out the meta-suite (tests marked
    meta: the fault suite and the determinism check), which builds copies of the
    project; `make test` runs it next with `pytest -m meta`. Naming its modules, or
    -m meta, runs it."""
    if config.args_source == pytest.Config.ArgsSource.ARGS or config.option.keyword or config.option.markexpr:
        return
    meta = [item for item in items if item.get_closest_marker("meta")]
    if meta:
        config.hook.pytest_deselected(items=meta)
        items[:] = [item for item in items if not item.get_closest_marker("meta")]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if LOADED["module"] != item.nodeid.split("::")[0]:
        LOADED.update(module=item.nodeid.split("::")[0], paths=[])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test names the snippet files its module ran, so a wrong formula
    points at its file, not only at the test that noticed."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and LOADED["paths"]:
        report.sections.append(("snippets run by this test module", "\n".join(dict.fromkeys(LOADED["paths"]))))


@pytest.fixture(autouse=True)
def one_thread():
    """Small matrices run faster on one thread, and two workers share two cores.
    Tests that never import torch don't pay ~3 s to import it here."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site, built strictly once per test run and shared by every worker."""
    shared = Path(os.environ.get("PYTEST_SHARED_DIR", ROOT / ".cache" / "tests"))
    shared.mkdir(parents=True, exist_ok=True)
    # Each pytest run has its own id (xdist workers share it), so a site left
    # from an earlier run is never reused.
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"solo-{os.getpid()}")
    site = shared / f"site-{run_id}"
    with FileLock(str(shared / "build.lock")):
        done = site / ".build-ok"
        failed = site.with_suffix(".failed")
        if failed.exists():
            pytest.fail(failed.read_text(), pytrace=False)
        if not done.exists():
            for old in shared.glob("site-*"):
                # sites of earlier runs; one younger than an hour may be another live run's
                if old != site and time.time() - old.stat().st_mtime > 3600:
                    shutil.rmtree(old, ignore_errors=True)
            proc = build_site(site)
            if proc.returncode != 0:
                message = f"mkdocs build --strict failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
                failed.write_text(message)
                pytest.fail(message, pytrace=False)
            done.write_text(proc.stderr)
    return site
