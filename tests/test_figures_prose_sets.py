"""The prose sets, scored by their own run.py: texts written the way capable models and officers write.

The dev set (../shared/prose, the two examples) must pass whole: every clean text clean, every
corruption caught at the corrupted figure. The realdata set (eval/figures/prose) is held to what the
loaders and scorer allow: cases over data the loaders refuse are not measured; d32__2 counts the
indicators met by a ceiling the scorer before issue 10 reads as an equality; with issue 10's review
items, rows of d28 and d29 whose cells await an officer are held out of the ledger, so the clean
texts that state those rows' scores (d28__2, d28__3, d29__3) are flagged by design.
"""
from __future__ import annotations

import pytest

from eval.figures.prose_sets import HELDOUT_SET, OWN_SET, SHARED_SET, default_sets, run_set

DEPENDS_ON_SCORING = {"texts/d32__2.md", "texts/d28__2.md", "texts/d28__3.md", "texts/d29__3.md"}


@pytest.mark.skipif(not (SHARED_SET / "cases.yaml").is_file(), reason="../shared/prose is not here")
def test_the_dev_prose_set_passes_whole():
    result = run_set(SHARED_SET)
    assert result.summary() == "prose dev: clean ok 6/6, caught 54/54, right figure 54/54", result.summary()
    assert result.passed


def test_the_realdata_prose_set_meets_its_goals_where_this_branch_can_measure_it():
    result = run_set(OWN_SET)
    measured = [r for r in result.results if "error" not in r]
    alarms = [(r["text"], fa["figure"]) for r in measured if r["kind"] == "clean" for fa in r["false_alarms"]]
    assert all(text in DEPENDS_ON_SCORING for text, _ in alarms), alarms
    missed = [r["text"] for r in measured if r["kind"] != "clean" and not r["right"]]
    assert missed in ([], ["texts/d32__2__count_sum.md"]), missed
    refused = {r["data"] for r in result.errors}
    assert refused <= {"data/d13.yaml", "data/d19.yaml", "data/d29.yaml"}, refused


# what the held-out set still finds after the fixes it led to (see its README):
# a held cell quoted out of order; a
# score bound to the wrong indicator and a year-end (2021年末) that a data date allows
HELDOUT_ALARMS = {"texts/d16__1.md"}
HELDOUT_MISSES = {"texts/d02__2__wrong_pair.md", "texts/d18__3__year.md"}


def test_the_heldout_prose_set_is_reported_and_does_not_regress():
    assert HELDOUT_SET in default_sets()
    result = run_set(HELDOUT_SET)
    assert not result.gated and not result.errors
    alarms = {r["text"] for r in result.clean if r["false_alarms"]}
    assert alarms <= HELDOUT_ALARMS, alarms
    missed = {r["text"] for r in result.corrupted if not r["right"]}
    assert missed <= HELDOUT_MISSES, missed
