"""The deploy path publishes only what the tests verified: the workflow's build job builds
with CLAIMS_REQUIRED=1 and the test job's record of claims (tests/repo/test_workflow.py),
and that build refuses a claim the record does not verify (docs_build/claims.py).

One build of a copy proves both halves: given a record that verifies every claim but
one, the build fails naming that claim's page and line, and every page it wrote names
the commit the record's tests ran on. Part of the meta-suite (tests/conftest.py)."""

import json
import os
import subprocess
import sys

import pytest

from claims import page_claims
from docs_build.claims import source
from support import DOCS, copy_project

pytestmark = pytest.mark.meta

COMMIT = "0123abc"


def record_of_all_claims_but(page, claim_id):
    """What a test run that verified every claim on the pages except one would write."""
    claims = {}
    for name in sorted({path.stem for path in [*DOCS.glob("*.md"), *DOCS.glob("*.py")]}):
        key = source(name)[0]  # gradient-descent.md; a notebook page: xor-44-training.ipynb
        for cid, (text, _) in page_claims(name).items():
            if (key, cid) != (page, claim_id):
                claims.setdefault(key, {})[cid] = {"text": text, "test": f"tests/pages/test_x.py::test_{cid}",
                                                   "passed": True}
    return {"commit": COMMIT, "python": "3.11.7", "torch": "2.13.0", "finished": "1 December 2026, 12:00 UTC",
            "claims": claims}


def test_the_deploy_build_refuses_an_unverified_claim_and_every_page_names_the_commit(built_site, tmp_path):
    project = copy_project(tmp_path / "project")
    page = "gradient-descent.md"
    claim_id, (_, line) = next(iter(page_claims("gradient-descent").items()))
    record = project / "claims.json"
    record.write_text(json.dumps(record_of_all_claims_but(page, claim_id)), encoding="utf-8")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CLAIMS_REQUIRED": "1",
                               "CLAIMS_RESULTS": str(record)})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, "the deploy build published a claim the tests did not verify"
    assert f"docs/{page}:{line}: {claim_id}" in output, output[-3000:]
    pages = sorted(site.rglob("index.html"))
    assert len(pages) >= len(list(DOCS.glob("*.md"))), pages
    for built in pages:
        html = built.read_text(encoding="utf-8")
        assert 'id="verified-claims"' in html and f"<code>{COMMIT}</code>" in html, \
            f"{built.relative_to(site)} does not name the commit its tests ran on"
    refused = (site / "gradient-descent" / "index.html").read_text(encoding="utf-8")
    assert f'claim claim--unverified" data-claim="{claim_id}"' in refused and "claims not verified" in refused
