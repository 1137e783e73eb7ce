"""The mutation harness runs and meets its goals on a small sample."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from eval.figures.harness import GOAL_RECALL, format_table, run
from eval.figures.mutate import KINDS


def test_harness_sample_meets_the_goals():
    result = run(sample=6, seeds=(0,), include_drafting=False)
    table = format_table(result)
    assert result.clean_texts >= 4 and result.clean_figures > 200
    assert result.false_alarms == [], table
    for kind in KINDS:
        tally = result.kinds[kind]
        assert tally.counted > 0, (kind, table)
        assert tally.recall >= GOAL_RECALL, (kind, table)
    assert result.marked_ok == result.marked_total, table
    assert "召回率" in table


def test_true_statements_are_excluded_and_counted():
    from assistant.figures import check
    from eval.figures.mutate import mutations
    from eval.figures.texts import clean_texts

    seed000 = next(t for t in clean_texts(include_drafting=False) if t.name == "seed000")
    swaps = mutations(seed000.text, check(seed000.text, seed000.ledger), seed000.ledger, kinds=("swap",))["swap"]
    true = [m for m in swaps if m.true_statement]
    assert true and all("100% ⇄ 100%" in m.note or "（同一指标）" in m.note for m in true)
    assert len(true) < len(swaps)


@pytest.mark.slow
def test_full_harness_one_seed_meets_the_goals():
    result = run(seeds=(0,))
    assert result.meets_goal, format_table(result)
