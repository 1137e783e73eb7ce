"""The mutation harness runs and meets its goals on a small sample."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.figures.harness import GOAL_RECALL, format_table, run  # noqa: E402
from eval.figures.mutate import KINDS  # noqa: E402


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
    result = run(sample=None, seeds=(0,), include_drafting=False)
    swap = result.kinds["swap"]
    assert swap.excluded > 0                     # e.g. two lines that both print 100%
    assert swap.detected == swap.counted
