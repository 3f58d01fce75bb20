"""The backpropagation stepper: its maths against the page's NumPy backprop and torch,
and the widget in a real browser.

The maths (docs/assets/javascripts/stepper/graph.js) runs in Node on a fixture that
tests/browser/backprop_fixture.py writes with the page's `backprop` at test time; the
Node runner asserts every value and gradient within its tolerance. The widget runs in
headless Chromium on docs/backpropagation.md, driven through its buttons (by mouse and
by keyboard) and its fields; the numbers it shows are read back from the graph.
"""

import json
import math
from pathlib import Path

import pytest
import torch

from backprop_fixture import RANDOM_SETTINGS, fixture, load_backprop, nodes, page_params, write_fixture
from support import SHOTS, VIEWPORTS, Visit, node, number_word

TOL = 1e-12  # graph.js against NumPy and torch, all in float64 (backprop_stepper.mjs's TOL)
PAGE = "backpropagation"
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# --- The maths, in Node, against the page's NumPy code and torch ------------------------


def fixture_and_js(folder):
    path = folder / "fixture.json"
    write_fixture(path, load_backprop())
    out = node(Path(__file__).with_name("backprop_stepper.mjs"), path)
    return [json.loads(path.read_text(encoding="utf-8")), json.loads(out)]


@pytest.fixture(scope="module")
def js(tmp_path_factory, once):
    """(fixture, graph.js's results), computed once per run for every worker."""
    return tuple(once("backprop-stepper-js", lambda: fixture_and_js(tmp_path_factory.mktemp("stepper"))))


def flat(value):
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [v for key in value for v in flat(value[key])]
    return [v for item in value for v in flat(item)]


def test_js_equals_the_pages_numpy_backprop_node_by_node(js):
    fixture, out = js
    assert out["tolerance"] == TOL
    assert len(fixture["cases"]) == len(out["cases"]) == 1 + RANDOM_SETTINGS
    for theirs, mine in zip(fixture["cases"], out["cases"], strict=True):
        for part in ("values", "grads"):
            a, b = flat(mine[part]), flat({k: theirs[part][k] for k in mine[part]})
            assert len(a) == len(b) and max(abs(x - y) for x, y in zip(a, b)) <= TOL, part
    # the tolerance means something: the gradients are far larger than it
    assert min(max(abs(g) for g in flat(c["grads"]["W1"])) for c in fixture["cases"]) > 1e-4


def test_the_fixture_equals_torch_autograd_for_every_node(js):
    fixture, _ = js
    for case in fixture["cases"]:
        p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
             for k, v in case["params"].items()}
        z = p["W1"] @ p["x"] + p["b1"]
        a = torch.sigmoid(z)
        y_hat = p["W2"][0] @ a + p["b2"][0]
        L = torch.nn.functional.mse_loss(y_hat, p["y"])
        for t in (z, a, y_hat):
            t.retain_grad()
        L.backward()
        torch_values = {"z": z, "a": a, "y_hat": y_hat, "L": L}
        torch_grads = {"y_hat": y_hat.grad, "a": a.grad, "z": z.grad, "x": p["x"].grad,
                       **{k: p[k].grad for k in ("W1", "b1", "W2", "b2")}}
        for name, t in torch_values.items():
            assert max(abs(x - y) for x, y in zip(flat(t.tolist()), flat(case["values"][name]))) <= TOL
        for name, t in torch_grads.items():
            assert max(abs(x - y) for x, y in zip(flat(t.tolist()), flat(case["grads"][name]))) <= TOL, name


def test_the_steps_visit_every_node_once_each_way(js):
    _, out = js
    p = page_params()
    d, h = len(p["x"]), len(p["W1"])
    forward, backward = out["order"]["forward"], out["order"]["backward"]
    assert forward == [["z", j] for j in range(h)] + [["a", j] for j in range(h)] + [["y_hat", 0], ["L", 0]]
    # backward from the loss: each node after every node it feeds
    assert backward == [["L", 0], ["y_hat", 0]] + [["a", j] for j in range(h)] \
        + [["z", j] for j in range(h)] + [["x", r] for r in range(d)]


def test_the_page_states_the_stepper_network_and_its_checks(js, claim):
    _, out = js
    p = page_params()
    claim(PAGE, "stepper-inputs", number_word(len(p["x"])))
    claim(PAGE, "stepper-hidden", number_word(len(p["W1"])))
    assert len(p["W2"]) == 1 and len(p["b2"]) == 1  # one output
    # graph.js's dL/dy_hat is 2 (y_hat - y) / N: the N it divides by
    v, g = out["cases"][0]["values"], out["cases"][0]["grads"]
    N = 2 * (v["y_hat"] - p["y"]) / g["y_hat"]
    claim(PAGE, "stepper-rows", {1: "a single sample"}[round(N)])
    claim(PAGE, "stepper-settings", RANDOM_SETTINGS)
    claim(PAGE, "stepper-agree", rf"\(10^{{{round(math.log10(TOL))}}}\)")


# --- The widget, in headless Chromium ---------------------------------------------------


def fmt(v):
    """As widget.js's fmt: 4 decimals and a true minus sign."""
    return ("\u2212" if math.copysign(1, v) < 0 else "") + f"{abs(v):.4f}"


def expected_texts(case):
    """slot -> the number each slot of the graph shows once both passes are done."""
    p, v, g = case["params"], case["values"], case["grads"]
    texts = {"L:value": v["L"], "L:grad": 1.0, "y_hat:value": v["y_hat"], "y_hat:grad": g["y_hat"],
             "y_hat:bias-grad": g["b2"][0], "y_hat:bias": p["b2"][0], "dL:0": g["y_hat"], "y:value": p["y"]}
    for r, x in enumerate(p["x"], 1):
        texts[f"x{r}:value"], texts[f"x{r}:grad"] = x, g["x"][r - 1]
    for j in range(1, len(p["W1"]) + 1):
        texts.update({f"z{j}:value": v["z"][j - 1], f"z{j}:grad": g["z"][j - 1], f"z{j}:bias": p["b1"][j - 1],
                      f"z{j}:bias-grad": g["b1"][j - 1], f"a{j}:value": v["a"][j - 1],
                      f"a{j}:grad": g["a"][j - 1], f"sigma{j}:0": g["sigma"][j - 1],
                      f"W2[1,{j}]:0": p["W2"][0][j - 1], f"W2[1,{j}]:1": g["W2"][0][j - 1]})
        for r in range(1, len(p["x"]) + 1):
            texts[f"W1[{j},{r}]:0"] = p["W1"][j - 1][r - 1]
            texts[f"W1[{j},{r}]:1"] = g["W1"][j - 1][r - 1]
    return {slot: fmt(value) for slot, value in texts.items()} | {"y:grad": ""}  # the target: a constant


def table_texts(case):
    """cell -> the table's text once both passes are done."""
    p, v, g = case["params"], case["values"], case["grads"]
    rows = {"y_hat": (v["y_hat"], g["y_hat"]), "L": (v["L"], 1.0), "b2": (p["b2"][0], g["b2"][0])}
    for r, x in enumerate(p["x"], 1):
        rows[f"x{r}"] = (x, g["x"][r - 1])
    for j in range(1, len(p["W1"]) + 1):
        rows.update({f"z{j}": (v["z"][j - 1], g["z"][j - 1]), f"a{j}": (v["a"][j - 1], g["a"][j - 1]),
                     f"b1[{j}]": (p["b1"][j - 1], g["b1"][j - 1]), f"W2[1,{j}]": (p["W2"][0][j - 1], g["W2"][0][j - 1])})
        for r in range(1, len(p["x"]) + 1):
            rows[f"W1[{j},{r}]"] = (p["W1"][j - 1][r - 1], g["W1"][j - 1][r - 1])
    return {f"{key}:{part}": fmt(value) for key, pair in rows.items() for part, value in zip(("value", "grad"), pair)}


def shown(widget):
    """slot -> the number the graph shows in it ('' where it shows none)."""
    slots = widget.locator("[data-slot]").evaluate_all(
        "els => Object.fromEntries(els.map(e => [e.dataset.slot, e.textContent]))")
    return {slot: text.rsplit("= ", 1)[1] if "= " in text else "" for slot, text in slots.items()}


def open_stepper(visit):
    visit.page.goto(visit.url(f"{PAGE}.md"), wait_until="load")
    visit.page.wait_for_function("document.querySelector('.bp-stepper')?.stepper !== undefined")
    return visit.page.locator(".bp-stepper")


def state(widget):
    return widget.evaluate("el => el.stepper.state()")


def assert_clean(visit):
    assert not visit.errors, visit.errors
    assert not visit.foreign, f"requests to other hosts: {visit.foreign}"


@pytest.fixture(scope="module")
def cases():
    return fixture()["cases"]


@pytest.fixture
def visit(browser, server):  # noqa: F811
    visit = Visit(browser, server, "light", "wide")
    yield visit
    visit.close()


@pytest.mark.browser
def test_forward_then_backward_show_the_pages_numbers_node_by_node(visit, cases):
    widget = open_stepper(visit)
    page_case = cases[0]
    expected = expected_texts(page_case)
    assert state(widget)["params"] == page_case["params"]  # the widget starts from the page's values
    before = shown(widget)
    assert before["z1:value"] == "" and before["x1:value"] == expected["x1:value"]
    status = widget.get_by_role("status")
    forward = widget.get_by_role("button", name="Forward")
    backward = widget.get_by_role("button", name="Backward")
    # Backward before the forward pass is refused, with the reason (aria-disabled, still focusable)
    assert backward.get_attribute("aria-disabled") == "true"
    backward.focus()
    visit.page.keyboard.press("Enter")
    assert "forward pass first" in status.inner_text() and state(widget)["backwardDone"] == 0
    order = [("z1", "value"), ("z2", "value"), ("a1", "value"), ("a2", "value"), ("y_hat", "value"),
             ("L", "value")]
    for k, (node, part) in enumerate(order):
        if k == 0:  # the first press with the keyboard
            forward.focus()
            visit.page.keyboard.press("Enter")
        else:
            forward.click()
        now = shown(widget)
        assert now[f"{node}:{part}"] == expected[f"{node}:{part}"], node
        later = [f"{n}:{p}" for n, p in order[k + 1:]]
        assert all(now[slot] == "" for slot in later)  # one node per press
        assert expected[f"{node}:{part}"] in status.inner_text()
    assert "Forward pass done" in status.inner_text()
    assert widget.locator(".bp-stepper__progress").inner_text() == "Forward 6 of 6 · backward 0 of 8"
    assert forward.get_attribute("aria-disabled") == "true"
    forward.focus()
    visit.page.keyboard.press("Enter")
    assert state(widget)["forwardDone"] == len(order) and "press Backward" in status.inner_text()
    grads = ["L", "y_hat", "a1", "a2", "z1", "z2", "x1", "x2"]
    for k, node in enumerate(grads):
        if k == 0:  # Tab from Forward reaches Backward; Space presses it
            forward.focus()
            visit.page.keyboard.press("Tab")
            assert visit.page.evaluate("document.activeElement.textContent") == "Backward"
            visit.page.keyboard.press("Space")
        else:
            backward.click()
        now = shown(widget)
        assert now[f"{node}:grad"] == expected[f"{node}:grad"], node
        assert all(now[f"{n}:grad"] == "" for n in grads[k + 1:])
        if node != "L":
            assert expected[f"{node}:grad"] in status.inner_text()
    assert "Backward pass done" in status.inner_text()
    assert shown(widget) == expected  # every number on the graph, to the digits shown
    # ...and in the table under it
    widget.get_by_text("Every number as a table").click()
    cells = widget.locator("[data-cell]").evaluate_all(
        "els => Object.fromEntries(els.map(e => [e.dataset.cell, e.textContent]))")
    assert cells == table_texts(page_case)
    assert widget.locator("table th[scope=row]").first.is_visible()
    assert_clean(visit)


@pytest.mark.browser
def test_editing_a_weight_recomputes_and_reset_brings_the_page_back(visit, cases):
    widget = open_stepper(visit)
    for _ in range(6):
        widget.get_by_role("button", name="Forward").click()
    for _ in range(8):
        widget.get_by_role("button", name="Backward").click()
    field = widget.get_by_label("W1[1,2]", exact=True)
    field.fill("0.7")
    changed = page_params()
    changed["W1"][0][1] = 0.7
    case = {"params": changed, **nodes(load_backprop(), changed)}
    assert state(widget)["params"] == changed
    assert shown(widget) == expected_texts(case)
    assert shown(widget) != expected_texts(cases[0])
    assert "recomputed" in widget.get_by_role("status").inner_text()
    # a field that holds no number is marked and changes nothing
    field.fill("")
    assert field.get_attribute("aria-invalid") == "true" and state(widget)["params"] == changed
    widget.get_by_role("button", name="Reset").click()
    assert state(widget)["params"] == cases[0]["params"]
    assert field.input_value() == "-0.3" and field.get_attribute("aria-invalid") == "false"
    now = shown(widget)
    assert state(widget)["forwardDone"] == state(widget)["backwardDone"] == 0
    assert now["z1:value"] == now["L:value"] == now["x1:grad"] == now["W1[1,1]:1"] == ""
    # every field and button is labelled
    unlabelled = widget.locator("input").evaluate_all(
        "els => els.filter(e => !e.labels.length || !e.labels[0].textContent.trim()).map(e => e.id)")
    assert unlabelled == [] and widget.locator("input").count() == 12
    assert_clean(visit)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_readable_in_light_and_dark_wide_and_narrow(browser, server, cases, scheme, viewport):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server, scheme, viewport)
    try:
        widget = open_stepper(visit)
        for _ in range(6):
            widget.get_by_role("button", name="Forward").click()
        for _ in range(5):
            widget.get_by_role("button", name="Backward").click()
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        box = widget.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
        graph = widget.locator("svg").bounding_box()
        assert graph["x"] >= box["x"] and graph["x"] + graph["width"] <= box["x"] + box["width"]
        # text and node fill follow the palette: the text stands out from its node
        colors = widget.evaluate("""el => {
            const text = getComputedStyle(el.querySelector('[data-slot="z1:value"]')).fill;
            const node = getComputedStyle(el.querySelector('[data-node="z1"] rect')).fill;
            return [text, node, getComputedStyle(document.body).backgroundColor]; }""")
        assert colors[0] != colors[1]
        dark = scheme == "dark"
        background = [int(c) for c in colors[2][colors[2].index("(") + 1:-1].split(",")[:3]]
        assert (sum(background) < 3 * 128) == dark
        # a focused button shows an outline
        widget.get_by_role("button", name="Reset").focus()
        visit.page.keyboard.press("Shift+Tab")
        visit.page.keyboard.press("Tab")
        outline = visit.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
        visit.page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays off the widget
        box = widget.evaluate("el => { const r = el.getBoundingClientRect();"
                              " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }")
        visit.page.screenshot(path=str(SHOTS / f"backprop-stepper-{scheme}-{viewport}.png"), full_page=True, clip=box)
        assert_clean(visit)
    finally:
        visit.close()


@pytest.mark.browser
def test_pages_without_the_stepper_load_it_quietly(visit):
    for source in ("index.md", "xor-44.md"):
        visit.page.goto(visit.url(source), wait_until="load")
        visit.page.wait_for_function("typeof document$ === 'object'")
        assert visit.page.locator(".bp-stepper").count() == 0
    # instant navigation to the stepper's page sets it up
    visit.page.click(f".md-nav a[href$='{PAGE}/']")
    visit.page.wait_for_url(f"**/{PAGE}/")
    visit.page.wait_for_function("document.querySelector('.bp-stepper')?.stepper !== undefined")
    assert_clean(visit)
