"""The claims of 'A network by hand', checked against autograd, one SGD step and the course sheet.

The course spreadsheet's cells, formulas and cached numbers come from its reference
file, read from disk: if that file is missing, every test here fails (it is the only
source for the sheet's numbers, so nothing would be proven without it).
"""

import csv
import functools
import io
import json
import math
import random
import re
from pathlib import Path

import pytest
import torch

from support import DOCS, SNIPPETS, load_snippet, number_word
from docs_build import outputs

# The course spreadsheet as data (its cells, formulas and cached numbers), kept in the
# repository so the tests run anywhere; published with the site for readers.
SHEET_JSON = Path(__file__).resolve().parents[1] / "data" / "course-spreadsheet.json"
TOPIC = SNIPPETS / "network_by_hand"
PAGE = DOCS / "network-by-hand.md"

NAMES = ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
SHEET_NAMES = ["N_1_1_1", "N_1_2_1", "N_1_B", "N_2_1_2", "N_2_2_2", "N_2_B", "N_3_1_3", "N_3_2_3", "N_3_B"]
# The sheet's neuron blocks: column K (neurons 1, 2) and S (neuron 3) hold the current
# weights, L and T the new ones; M7 = K7*G7+K8*G13+K9*1 fixes the order within a block.
WEIGHT_CELLS = ["K7", "K8", "K9", "K12", "K13", "K14", "S9", "S10", "S11"]
NEW_CELLS = ["L7", "L8", "L9", "L12", "L13", "L14", "T9", "T10", "T11"]
FORWARD_CELLS = {"z1": "M7", "h1": "N7", "z2": "M12", "h2": "N12", "z3": "U9", "y_hat": "V9", "e": "W9"}
DELTA_CELLS = {"z3": "X9", "z1": "O7", "z2": "O12"}  # the sheet's "Gradient" cells
EVALUATION_ORDER = ["M7", "N7", "M12", "N12", "U9", "V9", "W9", "X9", "O7", "O12", *NEW_CELLS]
START_KEY = 'initial_params_used_by_iteration1 (row 20 "Forward", constants H20:P20)'
NEW_KEY = "new_params_sheet_cached (row 21 New_Values)"
EFFECTIVE_KEY = "effective_per_param_gradient_sheet (=(old-new)/lr)"
MISTAKES = {1, 2, 3}  # the page's numbering: no error term, tanh twice, activation for input
TOLERANCE = 1e-9  # the page states it: the tables print 10 significant digits
ORDINALS = ["first", "second", "third", "fourth"]


def agree(a, b):
    """Equal to TOLERANCE, absolutely and relative to b."""
    return abs(a - b) <= TOLERANCE * min(1.0, abs(b)) + 1e-15


def disagree(a, b):
    """Different far beyond rounding: by more than a millionth."""
    return not math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


# ---------------------------------------------------------------------------
# The sheet, and the reference computation in torch
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sheet():
    assert SHEET_JSON.is_file(), (
        f"{SHEET_JSON} is missing: the course spreadsheet's cells, formulas and cached "
        "numbers are what this page's tests compare against"
    )
    return json.loads(SHEET_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def start(sheet):
    """The sheet's starting weights (its row 20), by the page's names."""
    return {name: sheet[START_KEY][key] for name, key in zip(NAMES, SHEET_NAMES)}


@pytest.fixture(scope="module")
def sample(sheet):
    s = sheet["selected_sample"]
    return s["x1"], s["x2"], s["y"]


def graph(params, x1, x2, y):
    """The 2-2-1 tanh network and L = (y_hat - y)^2 / 2 in float64 torch, every node by name."""
    n = {k: torch.tensor(float(params[k]), dtype=torch.float64, requires_grad=True) for k in NAMES}
    x1, x2, y = (torch.tensor(float(v), dtype=torch.float64) for v in (x1, x2, y))
    n.update(x1=x1, x2=x2, y=y)
    n["z1"] = n["w1"] * x1 + n["w2"] * x2 + n["b1"]
    n["h1"] = torch.tanh(n["z1"])
    n["z2"] = n["w3"] * x1 + n["w4"] * x2 + n["b2"]
    n["h2"] = torch.tanh(n["z2"])
    n["z3"] = n["w5"] * n["h1"] + n["w6"] * n["h2"] + n["b3"]
    n["y_hat"] = torch.tanh(n["z3"])
    n["e"] = n["y_hat"] - y
    n["L"] = 0.5 * n["e"] ** 2
    return n


def autograd(n, of, wrt):
    """d(of)/d(wrt) by torch.autograd."""
    if of == wrt:
        return 1.0
    return torch.autograd.grad(n[of], n[wrt], retain_graph=True)[0].item()


def sgd_step(params, x1, x2, y, lr):
    """The parameters after one torch.optim.SGD step on L."""
    n = graph(params, x1, x2, y)
    optimizer = torch.optim.SGD([n[k] for k in NAMES], lr=lr)
    optimizer.zero_grad()
    n["L"].backward()
    optimizer.step()
    return {k: n[k].item() for k in NAMES}


def y_hat_of(params, x1, x2, y):
    with torch.no_grad():
        return graph(params, x1, x2, y)["y_hat"].item()


@pytest.fixture(scope="module")
def net(start, sample):
    return graph(start, *sample)


@pytest.fixture(scope="module")
def stepped(sheet, start, sample):
    return sgd_step(start, *sample, lr=sheet["lr"])


def flawed_gradients(p, x1, x2, y, fixed=frozenset()):
    """The sheet's backward pass with the page's mistakes 1-3; the ones in `fixed` corrected."""
    tanh = math.tanh
    h1 = tanh(p["w1"] * x1 + p["w2"] * x2 + p["b1"])
    h2 = tanh(p["w3"] * x1 + p["w4"] * x2 + p["b2"])
    y_hat = tanh(p["w5"] * h1 + p["w6"] * h2 + p["b3"])
    d3 = (1 - y_hat**2) * ((y_hat - y) if 1 in fixed else 1.0)  # X9
    d1 = ((1 - h1**2) if 2 in fixed else (1 - tanh(h1) ** 2)) * d3 * p["w5"]  # O7
    d2 = ((1 - h2**2) if 2 in fixed else (1 - tanh(h2) ** 2)) * p["w6"] * d3  # O12
    in1, in2 = (x1, x2) if 3 in fixed else (h1, h1)  # what L7, L8 multiply by
    in3, in4 = (x1, x2) if 3 in fixed else (h2, h2)  # what L12, L13 multiply by
    return {"z3": d3, "z1": d1, "z2": d2, "w1": d1 * in1, "w2": d1 * in2, "b1": d1,
            "w3": d2 * in3, "w4": d2 * in4, "b2": d2, "w5": d3 * h1, "w6": d3 * h2, "b3": d3}


@pytest.fixture(scope="module")
def generic_point():
    """Weights and a sample with nothing zero or special, to see which mistake touches what."""
    rng = random.Random(0)
    return {k: rng.uniform(-1.5, 1.5) for k in NAMES}, (0.3, -0.7, 0.5)


def param_row(sheet, label):
    """The sheet row whose parameter cells H:P its layout labels `label` ("Forward", ...)."""
    (row,) = [int(m[1]) for key, text in sheet["cell_layout"].items()
              if (m := re.fullmatch(r"H(\d+):P\1", key)) and text.startswith(label)]
    return row


def significant_digits(number):
    """How many significant digits a printed number shows: '-0.0006277968936' shows 10."""
    mantissa = re.split(r"[eE]", number.lstrip("+-"))[0]
    return len(mantissa.replace(".", "").lstrip("0")) or 1


@functools.cache
def table(name):
    """Run a table snippet in a fresh interpreter and parse what it printed as CSV."""
    printed = "".join(text for _, text in outputs.run(TOPIC / f"{name}.py"))
    header, *rows = list(csv.reader(io.StringIO(printed)))
    assert rows and all(len(row) == len(header) for row in rows), f"{name}: ragged CSV"
    return header, rows


# ---------------------------------------------------------------------------
# The reference file and the data the snippets carry
# ---------------------------------------------------------------------------
def test_the_course_spreadsheet_reference_is_there():
    assert SHEET_JSON.is_file(), f"{SHEET_JSON} is missing"


def test_the_reference_file_is_consistent(sheet, sample):
    assert sheet["lr"] == sheet["formulas"]["C4"] == 2
    chosen = sheet["data"][sheet["selected_sample"]["index_B25"] - 1]  # RANDBETWEEN is 1-based
    assert (chosen["x1"], chosen["x2"], chosen["y"]) == sample == (1, 0, 1)
    assert [SHEET_NAMES.index(k) for k in sheet[START_KEY]] == list(range(9))


@pytest.mark.parametrize("path", sorted(TOPIC.glob("[!_]*.py")), ids=lambda p: p.name)
def test_snippets_carry_the_sheets_weights_sample_and_learning_rate(path, sheet, start, sample):
    ns = load_snippet(f"network_by_hand/{path.name}")
    for name in NAMES:
        assert ns[name] == start[name], name
    assert (ns["x1"], ns["x2"], ns["y"]) == sample
    if "lr" in ns:
        assert ns["lr"] == sheet["lr"]
    if "X" in ns:  # the four XOR rows, in the sheet's order (rows 20-23)
        assert ns["X"].tolist() == [[r["x1"], r["x2"]] for r in sheet["data"]]


def test_there_are_the_four_tables_and_the_page_places_them():
    page = PAGE.read_text(encoding="utf-8")
    for name in ("forward", "backward", "sheet_vs_correct", "update"):
        assert (TOPIC / f"table_{name}.py").is_file()
        assert f"\n<!-- table: network_by_hand/table_{name} -->\n" in page


# ---------------------------------------------------------------------------
# The tables: every number equals autograd, one SGD step, or the sheet's cache
# ---------------------------------------------------------------------------
def test_the_page_lists_exactly_the_forward_cells_the_table_reads(sheet):
    """The page names the sheet's forward cells one by one: exactly the table's computed cells."""
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    listed = re.search(r"each of its forward cells, (.*?), holds the number in this table", text).group(1)
    listed = re.findall(r"[A-Z]+\d+", listed)
    _, rows = table("table_forward")
    computed = [cell for quantity, cell, _ in rows if quantity in FORWARD_CELLS]
    assert listed == computed == list(FORWARD_CELLS.values())
    assert all(cell in sheet["iteration1"]["cells"] for cell in listed)


def test_the_drawn_sample_is_the_second_xor_row_on_sheet_row_21(sheet, claim):
    """The page: B25 drew 2, the second XOR row (sheet row 21), x = (1, 0), y = 1."""
    drawn = sheet["selected_sample"]["index_B25"]
    row = sheet["data"][drawn - 1]
    assert (row["x1"], row["x2"], row["y"]) == (1, 0, 1)
    claim("network-by-hand", "drawn", drawn)
    for claim_id in ("drawn-row", "drawn-row-pitfall"):
        claim("network-by-hand", claim_id, f"{ORDINALS[drawn - 1]} XOR row (sheet row {row['row']})")


def test_the_step_reads_row_20_ignores_row_22_and_writes_row_21(sheet, claim):
    """The page: the weights come from row 20, "Forward"; no formula reads row 22,
    "Starting"; the new values land in row 21 (its exercise 4)."""
    forward, starting, new = (param_row(sheet, label) for label in ("Forward", "Starting", "New_Values"))
    assert sheet["formulas"]["K7"] == f"=H{forward}"  # w1, the first weight, reads that row
    for claim_id in ("forward-row", "forward-row-again", "exercise-start-row"):
        claim("network-by-hand", claim_id, forward)
    claim("network-by-hand", "starting-row", starting)
    formulas = [f for f in sheet["formulas"].values() if isinstance(f, str)]
    assert not any(re.search(rf"\b[H-P]{starting}\b", f) for f in formulas)
    claim("network-by-hand", "starting-unread", "no formula reads it")
    assert sheet["formulas"]["H21"] == "=L7" and new == 21  # H21 holds L7, the new w1
    claim("network-by-hand", "new-values-row", new)


def test_forward_table_equals_torch_and_the_sheets_cached_cells(sheet, net):
    header, rows = table("table_forward")
    assert header == ["quantity", "sheet cell", "value"]
    assert [r[0] for r in rows] == ["x1", "x2", "y", *FORWARD_CELLS, "L"]
    cached = sheet["iteration1"]["cells"]
    for quantity, cell, value in rows:
        assert agree(float(value), net[quantity].item()), quantity
        if quantity in FORWARD_CELLS:  # the sheet's forward pass is right
            assert cell == FORWARD_CELLS[quantity]
            assert agree(float(value), cached[cell]["sheet_cached"]), cell
    assert [r[1] for r in rows[:3]] == ["G7", "G13", "D24"]


def test_backward_table_is_autograd_row_by_row(net):
    header, rows = table("table_backward")
    assert header == ["gradient", "upstream", "local derivative", "local value", "gradient value"]
    done = {"dL/dL": 1.0}  # each upstream gradient is an earlier row's value
    for gradient, upstream, _local, local_value, value in rows:
        wrt, node = gradient.removeprefix("dL/d"), upstream.removeprefix("dL/d")
        assert agree(float(value), autograd(net, "L", wrt)), gradient
        assert agree(float(local_value), autograd(net, node, wrt)), gradient
        # two rounded factors: allow their two roundings
        assert math.isclose(done[upstream] * float(local_value), float(value), rel_tol=2e-9), gradient
        done[gradient] = float(value)
    assert set(done) == {f"dL/d{k}" for k in ["L", *NAMES, "y_hat", "z3", "h1", "h2", "z1", "z2"]}


def test_sheet_vs_correct_table(sheet, net, generic_point, claim):
    header, rows = table("table_sheet_vs_correct")
    assert header == ["quantity", "sheet cell: formula", "mistakes", "sheet value", "chain rule"]
    cells = sheet["iteration1"]["cells"]
    effective = sheet["iteration1"][EFFECTIVE_KEY]
    params, point = generic_point
    correct_there = flawed_gradients(params, *point, fixed=MISTAKES)
    needed, reached_by_1 = set(), 0
    for quantity, quoted, mistakes, sheet_value, value in rows:
        wrt = quantity.removeprefix("dL/d")
        cell, formula = quoted.split(": ", 1)
        assert formula == sheet["formulas"][cell]  # quoted exactly
        if wrt in DELTA_CELLS:
            cached = cells[cell]["sheet_cached"]
        else:
            cached = effective[SHEET_NAMES[NAMES.index(wrt)]]
        assert agree(float(sheet_value), cached), cell  # the sheet's rules give the sheet's numbers
        assert agree(float(value), autograd(net, "L", wrt)), quantity  # the chain rule is autograd's
        assert disagree(float(sheet_value), autograd(net, "L", wrt)), quantity  # and the sheet is not
        # "mistakes" lists exactly the mistakes that change this row: leave one in, fix the others
        changes = {
            m for m in MISTAKES
            if disagree(flawed_gradients(params, *point, fixed=MISTAKES - {m})[wrt], correct_there[wrt])
        }
        assert {int(m) for m in mistakes.split()} == changes, quantity
        needed |= changes
        reached_by_1 += wrt in NAMES and 1 in changes
    # each mistake changes some number, and fixing all of them gives autograd (below)
    assert needed == MISTAKES
    claim("network-by-hand", "mistakes", number_word(len(needed)))
    claim("network-by-hand", "three-mistakes", number_word(len(needed)))
    claim("network-by-hand", "other-mistakes", number_word(len(needed) - 1))
    claim("network-by-hand", "sheet-values", number_word(len(rows)))  # every one of them disagrees
    assert reached_by_1 == len(NAMES)
    claim("network-by-hand", "mistake1-reaches", number_word(reached_by_1))


def test_update_table_is_one_sgd_step_beside_the_sheets_row_21(sheet, start, sample, stepped, claim):
    header, rows = table("table_update")
    assert header == ["quantity", "sheet name", "before", "after (sheet's rules)", "after (chain rule)"]
    assert [r[0] for r in rows] == NAMES + ["y_hat", "L"]
    claim("network-by-hand", "update-parameters", number_word(sum(1 for r in rows if r[1])))
    claim("network-by-hand", "update-extra-rows", number_word(sum(1 for r in rows if not r[1])))
    new_cached = sheet["iteration1"][NEW_KEY]
    for name, sheet_name, before, after_sheet, after in rows[:9]:
        assert sheet_name == SHEET_NAMES[NAMES.index(name)]
        assert agree(float(before), start[name])
        assert agree(float(after_sheet), new_cached[sheet_name]), name
        assert agree(float(after), stepped[name]), name
        assert disagree(float(after_sheet), stepped[name]), name
    sheet_after = {name: new_cached[key] for name, key in zip(NAMES, SHEET_NAMES)}
    y_hats = [y_hat_of(p, *sample) for p in (start, sheet_after, stepped)]
    losses = [0.5 * (v - sample[2]) ** 2 for v in y_hats]
    for printed, expected in ((rows[9][2:], y_hats), (rows[10][2:], losses)):
        assert all(agree(float(a), b) for a, b in zip(printed, expected, strict=True))
    # the page: the chain rule's step lowers the loss, the sheet's step raises it
    assert y_hats[0] < y_hats[2] <= sample[2] and losses[2] < losses[0]
    claim("network-by-hand", "chain-rule-step", r"raises \(\hat y\) toward the target and lowers the loss")
    assert y_hats[1] < y_hats[0] and losses[1] > losses[0]  # the sheet moves y_hat away from y = 1
    claim("network-by-hand", "sheet-step", r"lowers \(\hat y\) and raises the loss")


def test_the_tables_show_10_significant_digits(claim):
    """The page: every number is compared "to the 10 significant digits the tables show"."""
    shown = [significant_digits(cell) for name in ("forward", "backward", "sheet_vs_correct", "update")
             for row in table(f"table_{name}")[1] for cell in row if re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?", cell)]
    digits = max(shown)
    assert 0.5 * 10.0 ** (1 - digits) <= TOLERANCE  # the tests' tolerance is no finer than the tables
    claim("network-by-hand", "table-digits", digits)


# ---------------------------------------------------------------------------
# The sheet's own formulas, evaluated as a spreadsheet would, and the page's fixes
# ---------------------------------------------------------------------------
FORMULA = re.compile(r"=[A-Z0-9.+\-*/^() ]+")


def evaluate(formula, cells):
    """One spreadsheet formula of the kind the sheet uses (cells, numbers, + - * / ^, TANH)."""
    assert FORMULA.fullmatch(formula), formula
    return eval(formula[1:].replace("^", "**"), {"__builtins__": {}, "TANH": math.tanh}, dict(cells))


def sheet_cells(sheet, start, sample, fixes=None):
    """Every cell of the sheet's one iteration, from its formulas (or a fix in their place)."""
    fixes = fixes or {}
    cells = dict(zip(["G7", "G13", "D24"], sample), C4=sheet["formulas"]["C4"])
    cells.update(zip(WEIGHT_CELLS, (start[n] for n in NAMES)))
    for cell in EVALUATION_ORDER:
        cells[cell] = evaluate(fixes.get(cell, sheet["formulas"][cell]), cells)
    return cells


def page_fixes():
    """The page's fix tables: | `cell` | `the sheet's formula` | `the fix` |."""
    row = re.compile(r"^\| `([A-Z]+\d+)` \| `(=[^`]+)` \| `(=[^`]+)` \|$", re.M)
    return row.findall(PAGE.read_text(encoding="utf-8"))


def test_the_sheets_formulas_reproduce_its_cached_numbers(sheet, start, sample):
    cells = sheet_cells(sheet, start, sample)
    for cell, entry in sheet["iteration1"]["cells"].items():
        assert agree(cells[cell], entry["sheet_cached"]), cell
    for cell, key in zip(NEW_CELLS, SHEET_NAMES):
        assert agree(cells[cell], sheet["iteration1"][NEW_KEY][key]), cell


def test_the_pages_fixes_turn_the_sheet_into_autograd_and_sgd(sheet, start, sample, net, stepped, claim):
    rows = page_fixes()
    assert {cell for cell, _, _ in rows} == {"X9", "O7", "O12", "L7", "L8", "L12", "L13"}
    for cell, formula, _fix in rows:
        assert formula == sheet["formulas"][cell], cell
    fixed = sheet_cells(sheet, start, sample, fixes={cell: fix for cell, _, fix in rows})
    for wrt, cell in DELTA_CELLS.items():
        assert agree(fixed[cell], autograd(net, "L", wrt)), cell
    for cell, name in zip(NEW_CELLS, NAMES):
        assert agree(fixed[cell], stepped[name]), cell
    claim("network-by-hand", "fixes", number_word(len(rows)).capitalize())
    claim("network-by-hand", "fixes-exercise", number_word(len(rows)))


def test_every_formula_quoted_on_the_page_is_the_sheets_or_a_fix(sheet):
    quoted = set(re.findall(r"`(=[^`]+)`", PAGE.read_text(encoding="utf-8")))
    known = {f for f in sheet["formulas"].values() if isinstance(f, str)}
    known |= {fix for _, _, fix in page_fixes()}
    assert quoted and quoted <= known, quoted - known


# ---------------------------------------------------------------------------
# The snippets shown on the page, and the claims the prose makes
# ---------------------------------------------------------------------------
def test_flawed_rules_reproduce_the_sheet_and_disagree_with_autograd(sheet, start, sample, net, claim):
    flawed = flawed_gradients(start, *sample)
    ns = load_snippet("network_by_hand/sheet_rules.py")
    effective = sheet["iteration1"][EFFECTIVE_KEY]
    for name, key in zip(NAMES, SHEET_NAMES):
        assert agree(flawed[name], effective[key]) and agree(ns["sheet_grads"][name], effective[key])
        assert agree(ns["sheet_new"][name], sheet["iteration1"][NEW_KEY][key]), name
        assert disagree(ns["sheet_grads"][name], autograd(net, "L", name)), name
    for wrt, cell in DELTA_CELLS.items():
        assert agree(ns[cell], sheet["iteration1"]["cells"][cell]["sheet_cached"]), cell
    claim("network-by-hand", "sheet-tolerance", TOLERANCE)


def test_fixing_all_three_mistakes_gives_autograd(start, sample, net, generic_point):
    fixed = flawed_gradients(start, *sample, fixed=MISTAKES)
    for wrt, value in fixed.items():
        assert agree(value, autograd(net, "L", wrt)), wrt
    params, point = generic_point
    there = graph(params, *point)
    for wrt, value in flawed_gradients(params, *point, fixed=MISTAKES).items():
        assert agree(value, autograd(there, "L", wrt)), wrt


def test_by_hand_snippet_is_autograd_and_one_sgd_step(net, stepped):
    ns = load_snippet("network_by_hand/by_hand.py")
    for name in NAMES:
        assert agree(ns["grads"][name], autograd(net, "L", name)), name
        assert agree(ns["new_params"][name], stepped[name]), name
    for node in ("z1", "h1", "z2", "h2", "z3", "y_hat", "e", "L"):
        assert agree(ns[node], net[node].item()), node


def test_with_autograd_snippet_agrees_with_the_hand_computation(claim):
    hand = load_snippet("network_by_hand/by_hand.py")
    ns = load_snippet("network_by_hand/with_autograd.py")
    count = sum(p.numel() for p in ns["model"].parameters())
    assert count == len(NAMES) == len(ns["grads"])
    claim("network-by-hand", "parameters", number_word(count))
    for name in NAMES:
        assert agree(ns["grads"][name], hand["grads"][name]), name
        assert agree(ns["new_params"][name], hand["new_params"][name]), name


def test_the_sheets_starting_weights_predict_about_minus_one_everywhere(start):
    """The page: at row 20's weights all four predictions are below -0.99."""
    ns = load_snippet("network_by_hand/with_autograd.py")
    for (x1, x2), printed in zip(ns["X"].tolist(), ns["y_hat_rows"].tolist(), strict=True):
        assert agree(printed, y_hat_of(start, x1, x2, 0.0))
        assert printed < -0.99


def test_the_sheets_output_rule_is_the_gradient_of_its_error_cell(net, sheet, claim):
    """Mistake 1: X9 and T9-T11 are exactly d(y_hat - y)/d(weight), the error itself minimized."""
    effective = sheet["iteration1"][EFFECTIVE_KEY]
    for name in ("w5", "w6", "b3"):
        assert agree(effective[SHEET_NAMES[NAMES.index(name)]], autograd(net, "e", name)), name
    # and here its sign is the opposite of the correct one: it pushes y_hat down, away from y
    x9 = sheet["iteration1"]["cells"]["X9"]["sheet_cached"]
    assert x9 > 0 > autograd(net, "L", "z3")
    claim("network-by-hand", "sheet-sign", "the wrong sign")


def test_tanh_twice_makes_neuron_1s_slope_about_eight_times_too_large(net, sheet, claim):
    h1 = net["h1"].item()
    ns = load_snippet("network_by_hand/sheet_rules.py")
    ratio = (1 - math.tanh(h1) ** 2) / autograd(net, "h1", "z1")
    assert abs(ratio - round(ratio)) < 0.1  # "about": within a tenth
    claim("network-by-hand", "slope-ratio", number_word(round(ratio)))
    assert agree(ns["O7"] / (ns["X9"] * ns["w5"]), 1 - math.tanh(h1) ** 2)
    # O7 takes TANH of N7, and N7 is itself TANH(M7): tanh applied twice
    formulas = sheet["formulas"]
    applied = formulas["O7"].count("TANH(N7)") + formulas["N7"].startswith("=TANH(M7)")
    assert applied == formulas["O12"].count("TANH(N12)") + formulas["N12"].startswith("=TANH(M12)")
    claim("network-by-hand", "tanh-twice", {1: "once", 2: "twice"}[applied])


def test_with_x2_zero_w2_and_w4_should_not_move_but_the_sheet_moves_them(net, sheet, claim):
    zero = [name for name in NAMES if autograd(net, "L", name) == 0.0]
    assert zero == ["w2", "w4"]
    claim("network-by-hand", "zero-gradients", number_word(len(zero)).capitalize())
    new = sheet["iteration1"][NEW_KEY]
    start = sheet[START_KEY]
    assert agree(new["N_1_2_1"] - start["N_1_2_1"], new["N_1_1_1"] - start["N_1_1_1"])
    assert agree(new["N_2_2_2"] - start["N_2_2_2"], new["N_2_1_2"] - start["N_2_1_2"])
    assert new["N_1_2_1"] != start["N_1_2_1"] and new["N_2_2_2"] != start["N_2_2_2"]


def test_float32_copies_lose_digits_a_1e9_check_would_catch(start, sample, net, claim):
    """The page's float64 pitfall: float32 keeps about seven significant digits, and float32
    weights move the gradients in about the 7th digit."""
    assert torch.tensor(start["w1"]).dtype == torch.float32
    claim("network-by-hand", "float32-digits", number_word(round(-math.log10(torch.finfo(torch.float32).eps))))
    rounded = {k: torch.tensor(v).item() for k, v in start.items()}  # through float32 and back
    assert all(abs(rounded[k] - v) <= 1e-7 * abs(v) for k, v in start.items())
    off = graph(rounded, *sample)
    errors = [abs(autograd(off, "L", k) / autograd(net, "L", k) - 1) for k in ("w1", "w3", "w5")]
    assert 1e-9 < max(errors) < 1e-5


def test_other_losses_change_only_the_first_factor(start, sample, net):
    """The page: with L = e^2 every gradient doubles; with |e| the first factor is sign(e)."""
    n = graph(start, *sample)
    params = [n[k] for k in NAMES]
    squared = torch.autograd.grad(n["e"] ** 2, params, retain_graph=True)
    l1 = torch.autograd.grad(n["e"].abs(), params)
    e = net["e"].item()
    for k, g2, g1 in zip(NAMES, squared, l1):
        assert agree(g2.item(), 2 * autograd(net, "L", k)), k
        assert agree(g1.item(), math.copysign(1, e) / e * autograd(net, "L", k)), k


def test_the_repository_copy_of_the_spreadsheet_is_the_course_reference():
    """The copy under docs/assets/data must stay byte-identical to the shared reference."""
    reference = Path(__file__).resolve().parents[3] / "shared" / "reference" / "course-spreadsheet.json"
    if not reference.exists():
        pytest.skip("no shared/ folder beside this checkout (as on GitHub): nothing to compare")
    assert SHEET_JSON.read_bytes() == reference.read_bytes()


# ---------------------------------------------------------------------------
# The exercises' solutions
# ---------------------------------------------------------------------------
def test_solution_1_the_l1_loss_changes_only_the_first_factor(start, sample, net, claim):
    ns = load_snippet("network_by_hand/solution_1.py")
    e = net["e"].item()
    assert ns["dL_dy_hat"] == math.copysign(1.0, e) == -1.0
    claim("network-by-hand", "sol1-sign", ns["dL_dy_hat"])
    # every gradient is the half-squared loss's divided by |e|, and autograd's for |e|
    n = graph(start, *sample)
    l1 = torch.autograd.grad(n["e"].abs(), [n[k] for k in NAMES])
    for k, g in zip(NAMES, l1):
        assert agree(ns["grads"][k], g.item()), k
        assert agree(ns["grads"][k], autograd(net, "L", k) / abs(e)), k
    assert abs(1 / abs(e) - 0.5) < 0.01
    claim("network-by-hand", "sol1-half", "half")
    assert ns["largest"] < 1e-15
    claim("network-by-hand", "sol1-agree", r"\(10^{-15}\)")


def test_solution_2_the_signs_agree_only_above_the_target(net, claim):
    ns = load_snippet("network_by_hand/solution_2.py")
    same_sign = ns["same_sign"]
    grid = [k / 200 for k in range(-199, 200)]
    for target in (0.0, 1.0):
        for v in grid:  # the snippet's rule against the two gradients by autograd
            z3 = torch.tensor(math.atanh(v), dtype=torch.float64, requires_grad=True)
            y_hat = torch.tanh(z3)
            (correct,) = torch.autograd.grad(0.5 * (y_hat - target) ** 2, z3, retain_graph=True)
            (sheet,) = torch.autograd.grad(y_hat, z3)  # X9 = 1 - y_hat^2 = d y_hat / d z3
            assert same_sign(v, target) == (sheet.item() * correct.item() > 0) == (v > target)
    assert not any(same_sign(v, 1.0) for v in grid)
    claim("network-by-hand", "sol2-never", "never")
    assert not same_sign(net["y_hat"].item(), 1.0) and ns["y"] == 1.0


def test_solution_3_the_sheet_learns_minus_one_the_chain_rule_or(start, claim):
    ns = load_snippet("network_by_hand/solution_3.py")
    rows = ns["rows"]
    assert [r[2] for r in rows] == [float(int(a) ^ int(b)) for a, b, _ in rows]  # XOR
    sheet, chain = ns["predictions"][True], ns["predictions"][False]
    before = [y_hat_of(start, x1, x2, 0.0) for x1, x2, _ in rows]
    assert all(-1 < s < b for s, b in zip(sheet, before))  # every one closer to -1
    claim("network-by-hand", "sol3-sheet", "closer to −1")
    rounded = [int(v > 0.5) for v in chain]
    right = sum(r == int(t) for r, (_, _, t) in zip(rounded, rows))
    claim("network-by-hand", "sol3-right", number_word(right))
    assert rounded == [int(a) | int(b) for a, b, _ in rows]
    claim("network-by-hand", "sol3-or", "OR")
    # the chain-rule branch is autograd + SGD: one of its steps equals torch's
    g = ns["gradients"](dict(start), 1.0, 0.0, 1.0, False)
    stepped = sgd_step(start, 1.0, 0.0, 1.0, lr=ns["lr"])
    for k in NAMES:
        assert agree(start[k] - ns["lr"] * g[k], stepped[k]), k
    # and the sheet branch reproduces the sheet's own cached row 21 from row 20
    gs = ns["gradients"](dict(start), 1.0, 0.0, 1.0, True)
    assert all(not disagree(start[k] - ns["lr"] * gs[k], sgd_sheet) for k, sgd_sheet in
               zip(NAMES, [load_snippet("network_by_hand/sheet_rules.py")["sheet_new"][k] for k in NAMES]))


def test_solution_4_the_fixed_sheet_is_one_sgd_step_and_the_last_table(sheet, stepped, claim):
    ns = load_snippet("network_by_hand/solution_4.py")
    # the seven fixed cells are the page's fixes; the others are the sheet's formulas
    assert ns["largest"] < 1e-15
    claim("network-by-hand", "sol4-agree", r"\(10^{-15}\)")
    order = ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    for name, value in zip(order, ns["row_21"]):
        assert agree(value, stepped[name]), name
    header, rows = table("table_update")
    column = header.index("after (chain rule)")
    shown = {row[0]: float(row[column]) for row in rows}
    for name, value in zip(order, ns["row_21"]):
        assert float(f"{value:.10g}") == shown[name], name
    source = (TOPIC / "solution_4.py").read_text(encoding="utf-8")
    fixes = re.findall(r"# fix \d: (=\S+)", source)
    page = PAGE.read_text(encoding="utf-8")
    assert len(fixes) == 7 and all(f"`{fix}`" in page for fix in fixes)
