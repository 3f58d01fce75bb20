"""Fixtures and report hooks for every test: the built site, one thread for torch,
and the snippets a failing test module ran."""

import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock

from support import LOADED, ROOT, build_site

pytest_plugins = ["snippet_coverage", "claims"]  # every line of snippets/ runs in a test; every claim is checked


def pytest_collection_modifyitems(config, items):
    """A whole run (no paths, -k or -m given) leaves out the meta-suite (tests marked
    meta: the fault suite and the determinism check), which builds copies of the
    project; `make test` runs it next with `pytest -m meta`. Naming its modules, or
    -m meta, runs it.

    If a test needs the built site, its build starts now, in the background, and the
    tests that do not need it run first: no worker waits for the build idle."""
    whole = not (config.args_source == pytest.Config.ArgsSource.ARGS or config.option.keyword
                 or config.option.markexpr)
    meta = [item for item in items if item.get_closest_marker("meta")] if whole else []
    if meta:
        config.hook.pytest_deselected(items=meta)
        items[:] = [item for item in items if not item.get_closest_marker("meta")]
    needs_site = {id(item) for item in items if "built_site" in getattr(item, "fixturenames", ())}
    if needs_site and not config.option.collectonly:
        start_site_build()
        items.sort(key=lambda item: id(item) in needs_site)  # stable: file order otherwise


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


def _site():
    """Where this run's site goes, and the folder all runs share (for the lock)."""
    shared = Path(os.environ.get("PYTEST_SHARED_DIR", ROOT / ".cache" / "tests"))
    shared.mkdir(parents=True, exist_ok=True)
    # Each pytest run has its own id (xdist workers share it), so a site left
    # from an earlier run is never reused.
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"solo-{os.getpid()}")
    return shared, shared / f"site-{run_id}"


def _write_at_once(path, text):
    """Write a file that appears whole: the waiting workers read it as soon as it exists."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _build(site):
    """Build the site strictly; leave .build-ok in it, or site.failed beside it with the reason."""
    try:
        proc = build_site(site)
    except Exception as error:  # noqa: BLE001 - the waiting tests must hear of it
        _write_at_once(site.with_suffix(".failed"), f"the site build could not run: {error!r}")
        return
    if proc.returncode != 0:
        _write_at_once(site.with_suffix(".failed"),
                       f"mkdocs build --strict failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    else:
        _write_at_once(site / ".build-ok", proc.stderr)


def start_site_build():
    """Start this run's build in a thread of this process, unless a worker already has."""
    shared, site = _site()
    with FileLock(str(shared / "build.lock")):
        started = site.with_suffix(".started")
        if started.exists() or (site / ".build-ok").exists():
            return
        for old in shared.glob("site-*"):
            # sites of earlier runs; one younger than an hour may be another live run's
            if old.name.split(".")[0] != site.name and time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
        started.write_text(str(os.getpid()))
        # not a daemon: the process that started the build ends only after it
        threading.Thread(target=_build, args=(site,), name="site build").start()


@pytest.fixture(scope="session")
def built_site():
    """The site, built strictly once per test run and shared by every worker."""
    start_site_build()  # at collection already, if any test of the run needs the site
    _, site = _site()
    done, failed = site / ".build-ok", site.with_suffix(".failed")
    deadline = time.monotonic() + 1800  # build_site's own timeout
    while not (done.exists() or failed.exists()):
        if time.monotonic() > deadline:
            pytest.fail(f"the site build did not finish in 30 minutes ({site})", pytrace=False)
        time.sleep(0.2)
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
    return site


@pytest.fixture(scope="session")
def once():
    """once(key, make): what make() returns (JSON), made by the first worker of this run
    that asks; a worker that asks meanwhile waits and reads it. pytest-xdist's
    xdist_group would keep such tests on one worker, but it has no effect with
    pytest 9 (xdist 3.8 renames a node id pytest no longer reads)."""
    _, site = _site()
    folder = site.with_name(site.name + ".once")  # swept with the site (start_site_build)
    folder.mkdir(exist_ok=True)

    def get(key, make):
        path = folder / f"{key}.json"
        with FileLock(str(path) + ".lock"):
            if not path.exists():
                path.write_text(json.dumps(make()), encoding="utf-8")
        return json.loads(path.read_text(encoding="utf-8"))

    return get
