"""The network playground: its maths against torch, and the widget in a real browser.

The maths (docs/assets/javascripts/playground/nn.js) runs in Node on a fixture
that tests/playground_fixture.py writes with torch at test time. The widget runs
in headless Chromium on the three pages that embed it, driven through its
buttons and, where a test needs an exact number of steps, its hook
`element.playground` (documented at the top of widget.js).
"""

import itertools
import json
import math
from pathlib import Path

import pytest
import torch

from playground_fixture import ACTIVATIONS, INIT_SIZES, LOSSES, SHAPES, write_fixture
from support import ROOT, SCHEMES, SHOTS, VIEWPORTS, Visit, built_path, load_snippet, node, symmetry_in_float64

GRAD_ATOL = 1e-9  # JavaScript against torch, both in float64
VAR_RTOL = 0.02  # empirical variance of a 512 x 256 draw against its formula
CASES = list(itertools.product(SHAPES, ACTIVATIONS, LOSSES))  # the fixture's order

# The bounds the pages state, each with its page and the steps it allows.
LEARNS = {
    "gradient-descent.md": (500, 1e-3),  # preset lr 0.1: loss below 1e-3 within 500 steps
    "xor-44.md": (200, 1e-3),  # 2-5-4-1 from N(0, 1): below 1e-3 within 200 steps
}
DIVERGING_LR = 1  # the rate the gradient-descent page tells the reader to try
SYMMETRY_STEPS = 500  # the weight-initialization page's run, as in symmetry.py
XAVIER_BOUND = 1e-6


# --- The maths, in Node, against torch --------------------------------------------


def fixture_and_js(folder):
    """[fixture written by torch, what nn.js computes from it]."""
    path = folder / "fixture.json"
    write_fixture(path)
    out = node(Path(__file__).with_name("playground_nn.mjs"), path)
    return [json.loads(path.read_text(encoding="utf-8")), json.loads(out)]


@pytest.fixture(scope="module")
def js(tmp_path_factory, once):
    """(fixture, nn.js's results), computed once per run for every worker."""
    return tuple(once("playground-js", lambda: fixture_and_js(tmp_path_factory.mktemp("playground"))))


def max_abs_diff(a, b):
    a, b = torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    assert a.shape == b.shape
    return (a - b).abs().max().item()


def test_the_fixture_covers_every_activation_and_loss_the_playground_offers(js):
    fixture, out = js
    assert out["offered"]["activations"] == list(ACTIVATIONS)
    assert out["offered"]["losses"] == list(LOSSES)
    assert [[c["sizes"], c["activation"], c["loss"]] for c in fixture["cases"]] == [list(c) for c in CASES]
    for case in fixture["cases"]:
        errors = [z - y for z, y in zip(case["torch"]["z_out"], case["Y"])]
        # Huber's two pieces and both signs of L1's slope are exercised
        assert any(abs(e) < 1 for e in errors) and any(abs(e) > 1 for e in errors), case["activation"]
        assert any(e < 0 for e in errors) and any(e > 0 for e in errors)
        # every hidden layer has units on both sides of z = 0 (ReLU's two branches)
        a = torch.tensor(case["X"])
        for W, b in zip(case["W"][:-1], case["b"][:-1]):
            z = a @ torch.tensor(W).T + torch.tensor(b)
            assert (z < 0).any() and (z > 0).any()
            a = ACTIVATIONS[case["activation"]](z)


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=["-".join(map(str, s)) + f"-{a}-{l}" for s, a, l in CASES])
def test_js_loss_gradients_and_step_equal_torch(js, index):
    fixture, out = js
    theirs, ours = fixture["cases"][index]["torch"], out["cases"][index]
    assert abs(ours["loss"] - theirs["loss"]) <= GRAD_ATOL
    assert abs(ours["grad_loss"] - theirs["loss"]) <= GRAD_ATOL
    for key in ("z_out", "y_hat"):
        assert max_abs_diff(ours[key], theirs[key]) <= GRAD_ATOL, key
    for key in ("dW", "db", "W_next", "b_next"):
        for layer, (mine, torch_layer) in enumerate(zip(ours[key], theirs[key], strict=True)):
            assert max_abs_diff(mine, torch_layer) <= GRAD_ATOL, f"{key}[{layer}]"
    # the tolerance means something: the gradients are far larger than it
    assert max(abs(g) for layer in theirs["dW"] for row in layer for g in row) > 1e-3


@pytest.mark.parametrize("scheme", ["zero", "constant", "normal", "xavier", "kaiming", "default"])
def test_js_initializations_follow_the_formulas(js, scheme):
    fixture, out = js
    n_in, n_out = INIT_SIZES
    i = [f["scheme"] for f in fixture["inits"]].index(scheme)
    drawn = out["inits"][i]
    assert drawn["count"] == n_in * n_out + n_out
    W, b = torch.tensor(drawn["W"][0], dtype=torch.float64), torch.tensor(drawn["b"][0], dtype=torch.float64)
    assert W.shape == (n_out, n_in) and b.shape == (n_out,)  # nn.Linear's layout
    if scheme in ("zero", "constant"):
        value = 0.0 if scheme == "zero" else 0.5
        assert torch.all(W == value) and torch.all(b == value)
        return
    var, bound = {
        "normal": (1.0, None),
        "xavier": (2 / (n_in + n_out), math.sqrt(6 / (n_in + n_out))),
        "kaiming": (2 / n_in, None),
        "default": (1 / (3 * n_in), 1 / math.sqrt(n_in)),
    }[scheme]
    assert W.var().item() == pytest.approx(var, rel=VAR_RTOL)
    assert abs(W.mean().item()) < 4 * math.sqrt(var / W.numel())
    if bound is not None:
        assert W.abs().max().item() <= bound
        assert W.abs().max().item() > 0.99 * bound  # fills its interval
    if scheme == "default":
        assert b.abs().max().item() <= bound and b.std().item() > 0
    else:
        assert torch.all(b == 0)


def test_js_xor_is_the_pages_data_set(js):
    _, out = js
    xor = load_snippet("xor_44/train_44.py", run_main=False)
    assert out["datasets"]["xor"]["X"] == xor["X"].tolist()
    assert out["datasets"]["xor"]["Y"] == xor["y"].flatten().tolist()
    circles = out["datasets"]["circles"]
    radius = torch.tensor(circles["X"]).norm(dim=1)
    labels = torch.tensor(circles["Y"])
    assert labels.sum().item() == len(labels) / 2
    assert radius[labels == 1].max() < 0.45 + 1e-12 < 0.75 <= radius[labels == 0].min()


# --- The widget, in headless Chromium ------------------------------------------------


def browser_test(f):
    """Marked like tests/browser/test_pages.py (each worker drives its own browser)."""
    return pytest.mark.browser(f)


def open_playground(visit, source):
    """Load the page of `source` and wait for its playground (not for anything else)."""
    rel = built_path(Path("."), source).parent.as_posix()
    visit.page.goto(f"{visit.base}/{rel}/", wait_until="load")
    visit.page.wait_for_function("document.querySelector('.nn-playground')?.playground !== undefined")
    return visit.page.locator(".nn-playground")


def hook(widget, expression, arg=None):
    """Evaluate `expression` with p = the element's playground object."""
    return widget.evaluate(f"(el, arg) => {{ const p = el.playground; return {expression}; }}", arg)


RUN_STEPS = 40  # what Run is pressed for: ten frames of four steps; p.step() goes on from there


def run_until(widget, steps):
    """Press Run, wait until `steps` steps are done, press Pause; the losses so far."""
    widget.get_by_role("button", name="Run").click()
    widget.page.wait_for_function(
        "([el, n]) => el.playground.losses.length > n || !el.playground.running",
        arg=[widget.element_handle(), steps], timeout=60000)
    if hook(widget, "p.running"):
        widget.get_by_role("button", name="Pause").click()
    return hook(widget, "p.losses")


def assert_clean(visit):
    assert not visit.errors, visit.errors
    assert not visit.foreign, f"requests to other hosts: {visit.foreign}"


def hidden_rows(weights):
    """Each hidden layer's units as rows of (incoming weights..., bias)."""
    return [[row + [bias] for row, bias in zip(W, b)] for W, b in zip(weights["W"][:-1], weights["b"][:-1])]


@pytest.fixture
def visit(browser, server):  # noqa: F811
    visit = Visit(browser, server, "light", "wide")
    yield visit
    visit.close()


@browser_test
@pytest.mark.parametrize("source", LEARNS)
def test_run_with_the_page_presets_learns_xor(visit, source):
    steps, bound = LEARNS[source]
    widget = open_playground(visit, source)
    ran = run_until(widget, RUN_STEPS)
    assert len(ran) > RUN_STEPS, "the run stopped early"
    hook(widget, "p.step(arg)", max(0, steps + 1 - len(ran)))  # Run's own steps, without the frames
    losses = hook(widget, "p.losses")
    assert len(losses) >= steps + 1 and losses[:len(ran)] == ran
    assert losses[0] > 0.1 and losses[steps] < bound, (losses[0], losses[steps])
    assert widget.get_by_role("button", name="Run").is_visible()  # paused
    assert_clean(visit)


@browser_test
def test_a_rate_past_the_threshold_makes_the_loss_grow(visit):
    widget = open_playground(visit, "gradient-descent.md")
    widget.get_by_label("Learning rate").fill(str(math.log10(DIVERGING_LR)))
    assert hook(widget, "p.settings.lr") == DIVERGING_LR
    assert widget.locator(".nn-playground__value").inner_text() == str(DIVERGING_LR)
    widget.get_by_role("button", name="Run").click()
    # the run stops by itself once the loss overflows
    visit.page.wait_for_function("el => !el.playground.running", arg=widget.element_handle(), timeout=60000)
    losses = hook(widget, "p.losses")
    assert losses[0] < 1
    assert losses[10] > 10 * losses[0] and losses[50] > 1e6 * losses[0]
    assert losses[-1] is None or not math.isfinite(losses[-1])  # JSON turns inf and NaN into None
    assert "diverged" in widget.get_by_role("status").inner_text()
    # Reset brings the preset network back; the rate stays where the reader put it
    widget.get_by_role("button", name="Reset").click()
    assert hook(widget, "p.losses") == losses[:1] and hook(widget, "p.settings.lr") == DIVERGING_LR
    assert widget.get_by_role("status").inner_text() == ""
    assert_clean(visit)


@browser_test
def test_zero_and_constant_init_keep_the_hidden_units_identical(visit):
    widget = open_playground(visit, "weight-initialization.md")
    assert hook(widget, "p.settings.init") == "zero" and hook(widget, "p.sizes") == [2, 4, 1]
    ran = run_until(widget, RUN_STEPS)
    hook(widget, "p.step(arg)", max(0, SYMMETRY_STEPS + 1 - len(ran)))
    losses = hook(widget, "p.losses")
    weights = hook(widget, "p.weights()")
    for layer in hidden_rows(weights):
        assert all(row == [0, 0, 0] for row in layer)  # nothing in the hidden layer moves
    assert weights["W"][-1] == [[0, 0, 0, 0]]
    assert abs(hook(widget, "p.losses")[SYMMETRY_STEPS] - 0.25) < 1e-12 and len(losses) > SYMMETRY_STEPS

    widget.get_by_label("Initialization").select_option(label="constant 0.5")
    hook(widget, "p.step(arg)", SYMMETRY_STEPS)
    weights = hook(widget, "p.weights()")
    (rows,) = hidden_rows(weights)
    assert all(row == rows[0] for row in rows)  # identical to the last bit
    assert all(abs(w - 0.5) > 0.1 for w in rows[0][:2])  # ...and they did train
    assert len(set(weights["W"][-1][0])) == 1
    # the same numbers as the page's PyTorch run
    reference = symmetry_in_float64("constant", SYMMETRY_STEPS, 0.2)
    for key in ("W", "b"):
        for mine, theirs in zip(weights[key], reference[key], strict=True):
            assert max_abs_diff(mine, theirs) <= GRAD_ATOL
    # and the reader sees it: every row of the table reads the same
    texts = widget.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))")
    assert len(texts) == 4 and all(t == texts[0] for t in texts)

    widget.get_by_label("Initialization").select_option(label="Xavier/Glorot")
    hook(widget, "p.step(arg)", SYMMETRY_STEPS)
    (rows,) = hidden_rows(hook(widget, "p.weights()"))
    distances = [max(abs(a - b) for a, b in zip(r, s)) for r, s in itertools.combinations(rows, 2)]
    assert min(distances) > 0.1
    assert hook(widget, "p.losses")[SYMMETRY_STEPS] < XAVIER_BOUND
    assert_clean(visit)


@browser_test
def test_reset_with_the_same_seed_draws_the_same_curve(visit):
    widget = open_playground(visit, "xor-44.md")
    assert hook(widget, "p.sizes") == [2, 5, 4, 1]
    assert "44 parameters" in widget.inner_text()
    start = hook(widget, "p.weights()")
    first = run_until(widget, RUN_STEPS)
    widget.get_by_role("button", name="Reset").click()
    assert hook(widget, "p.losses") == first[:1] and hook(widget, "p.weights()") == start
    second = run_until(widget, RUN_STEPS)
    assert second[:RUN_STEPS + 1] == first[:RUN_STEPS + 1] and first[RUN_STEPS] < first[0]
    # another seed, another start
    seed = widget.get_by_label("Seed")
    seed.fill("2")
    seed.press("Tab")
    assert hook(widget, "p.losses")[0] != first[0] and hook(widget, "p.weights()") != start
    assert_clean(visit)


@browser_test
def test_controls_are_labelled_and_work_from_the_keyboard(visit):
    widget = open_playground(visit, "gradient-descent.md")
    unlabelled = widget.locator("select, input").evaluate_all(
        "els => els.filter(e => !e.labels.length || !e.labels[0].textContent.trim()).map(e => e.id)")
    assert unlabelled == []
    for name in ("Step", "Run", "Reset"):
        assert widget.get_by_role("button", name=name).count() == 1
    # every activation and loss the page offers is one the torch fixture checks
    assert widget.get_by_label("Activation").locator("option").evaluate_all(
        "os => os.map(o => o.value)") == list(ACTIVATIONS)
    assert widget.get_by_label("Loss").locator("option").evaluate_all("os => os.map(o => o.value)") == list(LOSSES)
    # the slider moves log10(lr) with the arrow keys
    slider = widget.get_by_label("Learning rate")
    slider.focus()
    slider.press("ArrowRight")
    assert hook(widget, "p.settings.lr") == round(10 ** -0.95, 3)
    assert slider.get_attribute("aria-valuetext") == str(round(10 ** -0.95, 3))
    # Step, then Run and Pause, with the keyboard alone
    widget.get_by_role("button", name="Step").focus()
    visit.page.keyboard.press("Enter")
    assert len(hook(widget, "p.losses")) == 2
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.textContent") == "Run"
    visit.page.keyboard.press("Space")
    assert hook(widget, "p.running")
    visit.page.keyboard.press("Space")
    assert not hook(widget, "p.running")
    # a shape that cannot be built is refused, with the reason beside the field
    hidden = widget.get_by_label("Hidden units")
    hidden.fill("5-x")
    hidden.press("Enter")
    hidden.press("Tab")
    assert hidden.get_attribute("aria-invalid") == "true" and hook(widget, "p.sizes") == [2, 4, 1]
    hidden.fill("3-3")
    hidden.press("Tab")
    assert hidden.get_attribute("aria-invalid") == "false" and hook(widget, "p.sizes") == [2, 3, 3, 1]
    assert "25 parameters" in widget.inner_text()
    # the second data set trains too
    widget.get_by_label("Data set").select_option(label="two circles")
    assert hook(widget, "p.data.X.length") == 100 and hook(widget, "p.losses.length") == 1
    hook(widget, "p.step(arg)", 300)
    losses = hook(widget, "p.losses")
    assert losses[300] < losses[0] / 2
    assert_clean(visit)


@browser_test
def test_the_canvases_follow_the_light_dark_toggle(visit):
    widget = open_playground(visit, "weight-initialization.md")
    # zero init: every hidden unit's activation is 0, drawn in the background colour
    pixel = "el => [...el.querySelector('.nn-playground__unit').getContext('2d').getImageData(5, 5, 1, 1).data]"
    background = "() => getComputedStyle(document.body).backgroundColor"
    light = widget.evaluate(pixel)
    assert f"rgb({light[0]}, {light[1]}, {light[2]})" == visit.page.evaluate(background)
    visit.page.click("label.md-header__button[for='__palette_1']")
    visit.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = widget.evaluate(pixel)
    assert dark != light
    assert f"rgb({dark[0]}, {dark[1]}, {dark[2]})" == visit.page.evaluate(background)
    assert_clean(visit)


@browser_test
def test_instant_navigation_sets_the_playground_up_on_each_page(visit):
    visit.page.goto(f"{visit.base}/", wait_until="load")
    visit.page.wait_for_function("typeof document$ === 'object'")  # instant navigation is on
    assert visit.page.locator(".nn-playground").count() == 0
    visit.page.click("a[href$='gradient-descent/']")
    visit.page.wait_for_url("**/gradient-descent/")
    visit.page.wait_for_function("document.querySelector('.nn-playground')?.playground !== undefined")
    widget = visit.page.locator(".nn-playground")
    widget.get_by_role("button", name="Run").click()
    visit.page.click(".md-nav a[href$='xor-44/']")  # away while it runs
    visit.page.wait_for_url("**/xor-44/")
    visit.page.wait_for_function("document.querySelector('.nn-playground')?.playground?.sizes.length === 4")
    assert visit.page.locator(".nn-playground").count() == 1
    assert_clean(visit)


@browser_test
@pytest.mark.parametrize("scheme", SCHEMES)
def test_mid_training_screenshots_and_no_sideways_scroll(browser, server, scheme):  # noqa: F811
    """The xor-44 widget mid-training, loaded wide and then narrowed (the widget follows
    resizes, as tests/browser/test_pages.py relies on): no sideways scroll and the
    widget inside the window at either width, and a screenshot of it at each. Every
    page with a playground is checked the same way, without training, by test_pages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, scheme, "wide")
    try:
        widget = open_playground(visit, "xor-44.md")
        hook(widget, "p.step(arg)", 60)  # mid-training: the boundary is still forming
        for viewport in VIEWPORTS:  # wide first, as loaded
            if viewport != "wide":
                visit.page.set_viewport_size(VIEWPORTS[viewport])
                visit.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"xor-44.md: the page scrolls sideways by {overflow}px at {viewport}"
            assert widget.bounding_box()["width"] <= VIEWPORTS[viewport]["width"]
            # the whole widget, without the sticky header over it
            box = widget.evaluate("el => { const r = el.getBoundingClientRect();"
                                  " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }")
            visit.page.screenshot(path=str(SHOTS / f"playground-xor-44-{scheme}-{viewport}.png"),
                                  full_page=True, clip=box)
        assert_clean(visit)
    finally:
        visit.close()
