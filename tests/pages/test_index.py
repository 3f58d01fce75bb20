"""The home page's claims: the counts it gives for the pages it lists."""

import re

from support import SNIPPETS, load_snippet, number_word


def test_the_exercise_network_has_exactly_44_parameters(claim):
    build_mlp = load_snippet("xor_44/train_44.py", run_main=False)["build_mlp"]
    run = (SNIPPETS / "xor_44" / "train_44.py").read_text(encoding="utf-8")
    (sizes,) = re.findall(r"model = build_mlp\(\[([\d, ]+)\]\)", run)  # the 44-parameter page's network
    model = build_mlp([int(n) for n in sizes.split(",")])
    claim("index", "xor-44-parameters", sum(p.numel() for p in model.parameters() if p.requires_grad))


def test_the_network_by_hand_page_corrects_three_mistakes(claim):
    # its table's "mistakes" column, which tests/pages/test_network_by_hand.py checks by computation
    rows = load_snippet("network_by_hand/table_sheet_vs_correct.py")["rows"]
    mistakes = {m for _, _, listed, _, _ in rows for m in listed.split()}
    claim("index", "sheet-mistakes", number_word(len(mistakes)))
