"""The glossary's claims, each computed by the code of the page its entry links to."""

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.optimizer import register_optimizer_step_post_hook

from support import DOCS, ROOT, load_snippet, number_word, words_of


def test_the_exercise_network_has_44_parameters(claim):
    build_mlp = load_snippet("xor_44/train_44.py", run_main=False)["build_mlp"]
    model = build_mlp([2, 5, 4, 1])  # the page's run (train_44.py's main block)
    claim("glossary", "exercise-parameters", sum(p.numel() for p in model.parameters() if p.requires_grad))


def test_softmax_probabilities_are_positive_and_add_up_to_1(claim):
    softmax = load_snippet("activation_functions/softmax.py")["softmax"]
    z = torch.randn(7, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 5
    s = softmax(z)
    assert (s > 0).all()
    assert s.sum().item() == pytest.approx(1.0, abs=1e-12)
    claim("glossary", "softmax-sums-to-1", "add up to 1")


def test_a_saturated_unit_passes_almost_no_gradient(claim):
    z = torch.tensor([-10.0, 10.0], dtype=torch.float64, requires_grad=True)
    for f in (torch.sigmoid, torch.tanh):
        (slope,) = torch.autograd.grad(f(z).sum(), z)
        assert slope.abs().max() < 1e-4
    claim("glossary", "saturated-slope", "near 0")


def test_a_dead_relu_unit_gets_no_gradient_and_never_changes(claim):
    torch.manual_seed(0)
    X, y = torch.randn(64, 2), torch.rand(64, 1).round()
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        model[0].bias[:4] = -10.0  # these four units are below 0 for every row of X
    dead = (model[1](model[0](X)) == 0).all(dim=0)
    assert dead[:4].all() and not dead[4:].all()
    before = model[0].weight[dead].clone(), model[0].bias[dead].clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(50):
        optimizer.zero_grad()
        F.binary_cross_entropy_with_logits(model(X), y).backward()
        if step == 0:
            largest = max(model[0].weight.grad[dead].abs().max().item(), model[0].bias.grad[dead].abs().max().item())
            assert largest == 0.0  # exactly, not merely small
            claim("glossary", "dead-unit-gradient", largest)
        optimizer.step()
    assert torch.equal(model[0].weight[dead], before[0]) and torch.equal(model[0].bias[dead], before[1])
    claim("glossary", "dead-unit-stays", "never changes it")


def test_binary_cross_entropy_is_two_class_cross_entropy(claim):
    gen = torch.Generator().manual_seed(0)
    z, y = torch.randn(20, dtype=torch.float64, generator=gen) * 4, torch.randint(0, 2, (20,), generator=gen)
    two_logits = torch.stack([torch.zeros_like(z), z], dim=1)  # class 0's logit fixed at 0, class 1's is z
    torch.testing.assert_close(F.binary_cross_entropy_with_logits(z, y.double()), F.cross_entropy(two_logits, y),
                               rtol=0, atol=1e-12)
    claim("glossary", "bce-two-class", "the two-class case")


def test_a_learning_rate_above_1_can_converge(claim):
    ns = load_snippet("gradient_descent/quadratic.py")
    lr = 3.0
    assert lr > 1 and abs(ns["gradient_descent"](1.0, lr, ns["c"], 30)[-1]) < 1e-8
    claim("glossary", "lr-below-1-myth", '"it must be below 1" is a myth')


def test_the_course_epoch_is_four_single_row_steps(claim):
    steps = []
    hook = register_optimizer_step_post_hook(lambda optimizer, args, kwargs: steps.append(1))
    try:
        ns = load_snippet("xor_44/original.py")
    finally:
        hook.remove()
    assert len(steps) % ns["num_epochs"] == 0
    claim("glossary", "course-epoch-steps", number_word(len(steps) // ns["num_epochs"]))


# ---------------------------------------------------------------------------
# Every term two pages use has an entry, and each entry links to a page that teaches it
# ---------------------------------------------------------------------------

TERMS = ROOT / "tests" / "data" / "glossary-terms.txt"
# A definition-list entry of the glossary: its title line, with the id readers link to.
ENTRY = re.compile(r'^(?P<title>\S[^\n]*?) <span id="(?P<id>[\w-]+)"></span>\n(?P<body>(?::   |    |\n)[^\n]*'
                   r'(?:\n(?:    [^\n]*|))*)', re.M)
TITLE_LINE = re.compile(r"^\S[^\n]*\n:   ", re.M)
LINK = re.compile(r"\]\((?P<page>[\w-]+)\.(?P<kind>md|ipynb)(?:#[\w-]+)?\)")  # a notebook page: its .py source
# The pages whose words count: all but the glossary itself.
PAGES = sorted(p.name for p in [*DOCS.glob("*.md"), *DOCS.glob("*.py")] if p.name != "glossary.md")


def vocabulary():
    """{glossary id: [variants]} from tests/data/glossary-terms.txt."""
    terms = {}
    for number, line in enumerate(TERMS.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            term_id, _, variants = line.partition(":")
            assert variants, f"{TERMS.relative_to(ROOT)}:{number}: not `id: variant | variant`"
            terms[term_id.strip()] = [v.strip().lower() for v in variants.split("|")]
    return terms


def pattern(variants):
    """Any of the variants as whole words (a hyphen joins words: 'pre-activation' is not 'activation')."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, variants)) + r")(?![\w-])")


@pytest.fixture(scope="module")
def words():
    return {page: " ".join(words_of(page).lower().split()) for page in PAGES}


def glossary_entries():
    """{id: (title, definition)} for each entry under the glossary's Terms."""
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    terms = text[text.index("\n## Terms"):]
    titles = TITLE_LINE.findall(terms)
    entries = {m["id"]: (m["title"], m["body"]) for m in ENTRY.finditer(terms)}
    assert len(entries) == len(titles), (
        f"docs/glossary.md: {len(titles) - len(entries)} entries have no id: write each title line as "
        '`Term <span id="term"></span>`')
    return entries


def test_every_term_that_two_pages_use_has_a_glossary_entry(words):
    entries = glossary_entries()
    lacking = []
    for term_id, variants in vocabulary().items():
        used = [page for page, text in words.items() if pattern(variants).search(text)]
        if len(used) >= 2 and term_id not in entries:
            lacking.append(f"  {term_id} ({' | '.join(variants)}): used on {', '.join(used)}")
    assert not lacking, "docs/glossary.md lacks an entry for terms that two or more pages use:\n" + "\n".join(lacking)


def test_the_vocabulary_names_every_glossary_entry():
    unknown = set(glossary_entries()) - set(vocabulary())
    assert not unknown, f"docs/glossary.md has entries {sorted(unknown)} that {TERMS.relative_to(ROOT)} does not list"


def test_every_entry_links_to_a_page_that_uses_the_term(words):
    vocab, wrong = vocabulary(), []
    for term_id, (title, body) in glossary_entries().items():
        linked = {m["page"] + (".md" if m["kind"] == "md" else ".py") for m in LINK.finditer(body)}
        linked -= {"glossary.md", "notation.md", "index.md"}
        if not any(pattern(vocab[term_id]).search(words[page]) for page in linked):
            wrong.append(f"  {title!r} links to {sorted(linked) or 'no page'}, none of which uses the term "
                         f"({' | '.join(vocab[term_id])})")
    assert not wrong, "docs/glossary.md: entries that link to no page teaching their term:\n" + "\n".join(wrong)


def test_the_finder_sees_a_term_in_prose_but_not_in_code_or_math():
    text = " ".join(words_of("neuron.md").lower().split())
    assert pattern(["bias"]).search(text) and pattern(["weights"]).search(text)
    assert not pattern(["nn.linear(3, 1)"]).search(text)  # inline code is not prose
    assert not pattern(["pre-activation"]).search("the activation") and pattern(["activation"]).search("an activation.")


def test_float64_and_float32(claim):
    for dtype, name in ((torch.float64, "float64"), (torch.float32, "float32")):
        info = torch.finfo(dtype)
        claim("glossary", f"{name}-bits", info.bits)
        claim("glossary", f"{name}-digits", round(-math.log10(info.eps)))  # significant decimal digits
    assert torch.get_default_dtype() == torch.float32  # "float32 is PyTorch's default"
