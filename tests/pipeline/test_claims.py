"""Every number a page states is bound (docs_build/claims.py, tests/claims.py): a claim
that a test checks, or a number marked as not a claim, {{ n("1998") }}, listed in
tests/data/not-claims.txt for review. Which numbers count is below (audit)."""

import re
import sys
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script, it rewrites the list: pytest.ini's pythonpath, by hand
    sys.path[:0] = [str(Path(__file__).parents[2]), str(Path(__file__).parents[1])]

from claims import matches, page_claims  # noqa: E402
from docs_build.claims import CLAIM, NUMBER  # noqa: E402
from support import DOCS, MATH, NOT_PROSE, NOTEBOOK_MATH, ROOT, blank, prose_of  # noqa: E402

NOT_CLAIMS = ROOT / "tests" / "data" / "not-claims.txt"
# The Markdown pages, and the notebook pages' text sources (docs/<page>.py).
PAGES = sorted(path.name for path in [*DOCS.glob("*.md"), *DOCS.glob("*.py")])
# Pages whose numbers are not all bound yet (issue 13 binds them page by page).
NOT_YET = set()

DIGITS = re.compile(r"(?<![\w.])[-−]?\d+(?:[.,]\d+)*(?:e[-−+]?\d+)?(?![\w])")
WORDS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                   r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|"
                   r"twice|thrice|half|double|tenfold|hundredfold|dozen)\b", re.I)


def unbound_numbers(source, math=MATH):
    """[(line, number, context)] for each number in the page's prose or math that is
    neither inside a claim nor marked with n(): in prose every number, in digits or in
    words; in math a number with a decimal point or two or more digits (one-digit
    integers in a formula are its constants) that is not a subscript or exponent."""
    decided = [m.span() for pattern in (CLAIM, NUMBER) for m in pattern.finditer(source)]
    text = blank(source, decided)
    text = blank(text, [m.span() for m in NOT_PROSE.finditer(text)])
    found = []
    maths = [m.span() for m in math.finditer(text)]
    prose = blank(text, maths)
    for match in [*DIGITS.finditer(prose), *WORDS.finditer(prose)]:
        found.append((match.start(), match.group()))
    for start, end in maths:
        for match in DIGITS.finditer(text, start, end):
            before = text[max(start, match.start() - 2):match.start()]
            if before.endswith(("_", "^", "_{", "^{")):
                continue
            if "." in match.group() or len(match.group().lstrip("-−")) >= 2:
                found.append((match.start(), match.group()))
    return [(source.count("\n", 0, at) + 1, number, " ".join(source[max(0, at - 40):at + 40].split()))
            for at, number in sorted(found)]


def marked_numbers(source):
    """Each n() mark with the words before it in its paragraph: 'number | words'."""
    def words_before(at):
        paragraph = source[:at].rsplit("\n\n", 1)[-1]
        paragraph = NUMBER.sub(lambda m: m["text"], CLAIM.sub(lambda m: m["text"] or m["block"], paragraph))
        return " ".join(paragraph.split()[-8:])
    return [f"{m['text']} | {words_before(m.start())}" for m in NUMBER.finditer(source)]


def listing():
    """tests/data/not-claims.txt as the pages make it now."""
    lines = ["# Numbers the pages mark as not claims ({{ n(...) }}), page by page, with the words before",
             "# each. A reviewer reads the changes here; regenerate with",
             "#   .venv/bin/python tests/pipeline/test_claims.py", ""]
    for page in PAGES:
        marks = marked_numbers(prose_of(page))
        if marks:
            lines += [f"## {page}", *marks, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("page", [pytest.param(p, marks=pytest.mark.xfail(
    reason="its numbers are not all bound yet (issue 13)", strict=True)) if p in NOT_YET else p for p in PAGES])
def test_every_number_on_the_page_is_a_claim_or_marked(page):
    unbound = unbound_numbers(prose_of(page), NOTEBOOK_MATH if page.endswith(".py") else MATH)
    assert not unbound, f"{len(unbound)} numbers on docs/{page} are neither a claim nor marked n():\n" + "\n".join(
        f"  docs/{page}:{line}: {number!r} in …{context}…" for line, number, context in unbound)


@pytest.mark.parametrize("page", PAGES)
def test_claim_ids_are_unique_and_texts_are_plain(page):
    for claim_id, (text, line) in page_claims(Path(page).stem).items():
        assert re.fullmatch(r"[\w.+-]+", claim_id), f"docs/{page}:{line}: the claim id {claim_id!r} has other characters"
        assert "{{" not in text and "{%" not in text, f"docs/{page}:{line}: a claim inside claim {claim_id!r}"


def test_the_marked_numbers_are_listed_for_review():
    assert NOT_CLAIMS.read_text(encoding="utf-8") == listing(), (
        f"{NOT_CLAIMS.relative_to(ROOT)} differs from the pages' n() marks: regenerate it with "
        "`.venv/bin/python tests/pipeline/test_claims.py` and review the difference")


@pytest.mark.parametrize("shown, computed, same", [
    ("0.21", 0.2146, True), ("0.21", 0.2151, False), ("2.6", 2.6000000001, True), ("2.6", 2.66, False),
    ("1e-12", 1.4e-12, True), ("1e-12", 1.6e-12, False), ("−0.5", -0.5, True), ("44", 44, True), ("44", 45, False),
    ("\\(0.95^{30}\\)", 0.95, True), ("diverges", "diverges", True), ("diverges", "converges", False),
])
def test_a_claim_matches_the_computation_to_the_digits_it_shows(shown, computed, same):
    assert matches(shown, computed) is same


def test_the_audit_finds_each_kind_of_number():
    source = ("After 30 steps the loss is 0.5 and ten times smaller. \\(w_{30} = 0.21\\), \\(x^2 + 2x\\), "
              "\\(\\kappa = 50\\). `lr = 0.3` ![a plot of 7 curves](fig.svg) [page](page-2.md) "
              '{{ claim("a", "0.25") }} {{ n("1998") }}\n1. An exercise\n```python\nx = 4\n```\n'
              '!!! note\n    ```python\n    --8<-- "a/b.py:c"\n    ```\n    Then 3 more.\n')
    assert [number for _, number, _ in unbound_numbers(source)] == ["30", "0.5", "ten", "0.21", "50", "3"]


if __name__ == "__main__":
    NOT_CLAIMS.write_text(listing(), encoding="utf-8")
    print(f"wrote {NOT_CLAIMS.relative_to(ROOT)}")
