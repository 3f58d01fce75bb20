r"""Claims: each number or comparison in a page's prose that code can compute is bound to a test.

In a page (mkdocs-macros renders these; see CONTRIBUTING.md, "Claims"):

    {{ claim("w30-lr0.1", "0.21") }}   a claim: a test checks this text (tests/claims.py)
    {% call claim("factor") %}\(0.95^{30}\){% endcall %}
                                       the same, for text with TeX (no string escapes)
    {{ n("1998") }}                    a number that is not a claim: a year, a citation, a
                                       setting the page chooses, an exercise's own number

Notebook pages use the same two calls in their Markdown cells, each claim on one line
of the text source (docs/<page>.py): the notebook template renders them
(docs_build/notebook_html.py, marked()), and the download shows their plain text
(plain()).

The test run writes what it verified to .cache/claims.json (or $CLAIMS_RESULTS). The
build marks each claim with the test that verified it, when that test passed on the
text the page holds now, and each page says how many of its claims were verified, on
which commit, with which Python and torch, and when. With CLAIMS_REQUIRED=1 (the
deploy), a page with a claim that is not verified fails the build.
"""

import html
import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("CLAIMS_RESULTS", ROOT / ".cache" / "claims.json"))
# A claim as written in a page: {{ claim("id", "text") }}, or a call block around text with TeX.
CLAIM = re.compile(r"""\{\{-?\s*claim\(\s*(["'])(?P<id>[^"']+)\1\s*,\s*(["'])(?P<text>[^"'\\]*?)\3\s*\)\s*-?\}\}"""
                   r"""|\{%-?\s*call\s+claim\(\s*(["'])(?P<block_id>[^"']+)\5\s*\)\s*-?%\}(?P<block>.*?)\{%-?\s*endcall\s*-?%\}""",
                   re.S)
NUMBER = re.compile(r"""\{\{-?\s*n\(\s*(["'])(?P<text>[^"']*?)\1\s*\)\s*-?\}\}""")


def _id_and_text(match):
    """A CLAIM match's id and text, from either form."""
    return (match["id"], match["text"]) if match["id"] else (match["block_id"], match["block"])


def claims_in(source):
    """The claims a page's Markdown source holds: {id: (text, line)}; an id used twice is an error."""
    found = {}
    for match in CLAIM.finditer(source):
        claim_id, text = _id_and_text(match)
        line = source.count("\n", 0, match.start()) + 1
        if claim_id in found:
            raise ValueError(f"line {line}: the claim id {claim_id!r} is used twice (also line {found[claim_id][1]})")
        found[claim_id] = (text, line)
    return found


def results(path=RESULTS):
    """The last test run's record of verified claims, or None if no run wrote one."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def verification(run, page, claim_id, text):
    """The test that verified this claim, or None: it passed, on this very text."""
    record = ((run or {}).get("claims", {}).get(page) or {}).get(claim_id)
    return record["test"] if record and record["passed"] and record["text"] == text else None


def source_path(page):
    """The file a page named like "loss" or "xor-44-training" is written in: docs/<page>.md,
    or a notebook page's text source docs/<page>.py."""
    markdown = ROOT / "docs" / f"{page}.md"
    return markdown if markdown.exists() else ROOT / "docs" / f"{page}.py"


def source(page):
    """(its key in the record, its source text): loss.md, or xor-44-training.ipynb."""
    path = source_path(page)
    return f"{page}{'.md' if path.suffix == '.md' else '.ipynb'}", path.read_text(encoding="utf-8")


def mark(claim_id, text, test):
    """A claim as the page shows it: its text, then a mark that names its test (or says
    that none verified it), linked to the page's provenance."""
    label = html.escape(f"Verified by {test}" if test else
                        "Not verified: no passing test checked this text in the last test run", quote=True)
    return (f'<span class="claim{"" if test else " claim--unverified"}" data-claim="{html.escape(claim_id)}">'
            f'{text}<a class="claim__mark" href="#verified-claims" title="{label}" aria-label="{label}"></a></span>')


def marked(text, key, run):
    """Notebook Markdown: each claim marked, each n() its plain number."""
    text = CLAIM.sub(lambda m: mark(*_id_and_text(m), verification(run, key, *_id_and_text(m))), text)
    return NUMBER.sub(lambda m: m["text"], text)


def plain(text):
    """Notebook Markdown for the download (Jupyter, Colab): the claims' and numbers' text."""
    return NUMBER.sub(lambda m: m["text"], CLAIM.sub(lambda m: _id_and_text(m)[1], text))


def define_env(env):
    """mkdocs-macros' entry point: the two macros. Each page's tally goes in its
    page.meta (the template shows it); the build's list of unverified claims lives on
    this build's env, for on_post_build."""
    run = env.variables["claims_run"] = results()
    env.variables["claims_unverified"] = []

    @env.macro
    def claim(claim_id, text=None, caller=None):
        text = caller() if caller else text
        page = env.page.file.src_path
        test = verification(run, page, claim_id, text)
        _tally(env, claim_id, test)
        return mark(claim_id, text, test)

    @env.macro
    def n(text):
        return text


def _tally(env, claim_id, test):
    """Count the claim in its page's tally; an unverified one also goes in the build's
    list, with the file and line to fix (looked up only for those)."""
    meta = env.page.meta.setdefault("claims", {"verified": 0, "unverified": [], "run": env.variables["claims_run"]})
    if test:
        meta["verified"] += 1
        return
    meta["unverified"].append(claim_id)
    path = source_path(Path(env.page.file.src_path).stem)
    line = claims_in(path.read_text(encoding="utf-8"))[claim_id][1]
    env.variables["claims_unverified"].append(f"docs/{path.name}:{line}: {claim_id}")


def on_post_page_macros(env):
    """Every page carries its tally, even with no claims (its provenance says so). A
    notebook page's claims are in its text source, which macros does not render: they
    are tallied from there."""
    env.page.meta.setdefault("claims", {"verified": 0, "unverified": [], "run": env.variables["claims_run"]})
    if env.page.file.src_path.endswith(".ipynb"):
        key, text = source(env.page.file.src_path.removesuffix(".ipynb"))
        for claim_id, (claim_text, _) in claims_in(text).items():
            _tally(env, claim_id, verification(env.variables["claims_run"], key, claim_id, claim_text))


def on_post_build(env):
    """The deploy (CLAIMS_REQUIRED=1) refuses to publish a claim the tests did not verify."""
    if os.environ.get("CLAIMS_REQUIRED") != "1":
        return
    if env.variables["claims_run"] is None:
        raise PluginError(f"CLAIMS_REQUIRED=1, but no test run wrote {RESULTS}: run the tests first")
    if env.variables["claims_unverified"]:
        raise PluginError("CLAIMS_REQUIRED=1, and the tests did not verify these claims:\n  "
                          + "\n  ".join(env.variables["claims_unverified"]))
