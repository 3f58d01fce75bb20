"""Two clean builds make the same site, byte for byte, but for fields that are
dates by design (listed below).

The second build runs in a copy of the project with no caches at all: every
notebook is executed and every figure and table is made again. The first is this
run's site (`built_site`): on a fresh clone a clean build too; in a working copy
it may come from cached outputs, which then must equal a fresh execution. Both read
the same record of verified claims (docs_build/claims.py).
"""

import difflib
import gzip
import re

import pytest

from docs_build import claims
from support import build_site, copy_project

pytestmark = pytest.mark.meta  # run by `pytest -m meta` (tests/conftest.py)

# Files that hold dates by design, and what is masked in them.
DATED = {
    "sitemap.xml": re.compile(r"<lastmod>[^<]*</lastmod>"),     # the build date
}
# The gzip of sitemap.xml stores a modification time in its header; its content
# is compared unzipped, with the dates above masked.
GZIPPED = {"sitemap.xml.gz": "sitemap.xml"}


def content(path, rel):
    data = path.read_bytes()
    if rel in GZIPPED:
        data, rel = gzip.decompress(data), GZIPPED[rel]
    if rel in DATED:
        data = DATED[rel].sub("<lastmod>(date)</lastmod>", data.decode("utf-8")).encode("utf-8")
    return data


def files(site):
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()
            and p.name != ".build-ok"}


def test_two_clean_builds_make_identical_sites(built_site, tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project", caches=False)
    # Both read the same record of verified claims: the one this run's site was built from.
    monkeypatch.setenv("CLAIMS_RESULTS", str(claims.RESULTS))
    proc = build_site(tmp_path / "site", cwd=project)
    assert proc.returncode == 0, proc.stderr[-4000:]
    first, second = files(built_site), files(tmp_path / "site")
    assert sorted(first) == sorted(second)
    differ = []
    for rel in sorted(first):
        a, b = content(first[rel], rel), content(second[rel], rel)
        if a != b:
            try:
                diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
                differ.append(f"{rel}:\n" + "\n".join(list(diff)[2:8]))
            except UnicodeDecodeError:
                differ.append(f"{rel}: binary files differ")
    assert not differ, "the two builds differ in:\n" + "\n".join(differ)
