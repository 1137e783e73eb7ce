"""The data's answers by intent: a registry from intent to the function that computes its `Reply`.

Each handler takes the workspace's evaluation and score card and the question's `Reading`; the
session streams the reply through the checker. A new data answer is one function and one entry.
"""
from __future__ import annotations

import re
from typing import Callable

from ..evaluation import Evaluation
from ..scoring import ScoreCard
from . import answers, funds, rankings
from .context import Reply, Subject
from .understanding import Reading

Handler = Callable[[Evaluation, ScoreCard, Reading], Reply]


def _indicators(reading: Reading) -> list[int]:
    return [int(s.key) for s in reading.subjects if s.kind == "indicator"]


def _underperformers(ev: Evaluation, card: ScoreCard, reading: Reading) -> Reply:
    not_met = answers.unmet(card)
    listed = [Subject("indicator", s.index, s.name) for s in not_met]
    return Reply(answers.underperformers_text(ev, card), subject=listed[0] if listed else None, listed=listed)


def _indicator(ev: Evaluation, card: ScoreCard, reading: Reading) -> Reply:
    ks = _indicators(reading)
    if not ks:
        return Reply(answers.indicator_list_text(ev))
    text = "\n".join(answers.indicator_text(ev, card, k) for k in ks)
    subjects = [Subject("indicator", k, ev.indicators[k].name) for k in ks]
    return Reply(text, subject=subjects[0] if len(subjects) == 1 else None, listed=subjects if len(subjects) > 1 else [])


def _reasons(ev: Evaluation, card: ScoreCard, reading: Reading) -> Reply:
    ks = _indicators(reading)
    if ks:
        replies = [rankings.reasons_text(ev, card, k) for k in ks[:4]]
        return Reply("\n".join(r.text for r in replies), subject=replies[0].subject if len(replies) == 1 else None,
                     listed=[r.subject for r in replies] if len(replies) > 1 else [])
    kinds = {s.kind for s in reading.subjects}
    if kinds & {"budget"}:
        return Reply(answers.budget_text(ev, card), subject=Subject("budget", "预算"))
    if kinds & {"item", "source", "task"}:
        return funds.spending_text(ev, card, reading.text, reading.subjects[0])
    if kinds & {"level"}:
        return rankings.level_summary_text(ev, card, str(reading.subjects[0].key))
    if kinds & {"score"}:
        return Reply(answers.score_text(ev, card), subject=Subject("score", "总分"))
    return _underperformers(ev, card, reading)


def _points_lost(ev: Evaluation, card: ScoreCard, reading: Reading) -> Reply:
    ks = _indicators(reading)
    return rankings.points_lost_text(ev, card, only=ks or None)


HANDLERS: dict[str, Handler] = {
    "underperformers": _underperformers,
    "score": lambda ev, card, r: Reply(answers.score_text(ev, card), subject=Subject("score", "总分")),
    "budget": lambda ev, card, r: Reply(answers.budget_text(ev, card), subject=Subject("budget", "预算")),
    "findings": lambda ev, card, r: Reply(answers.findings_text(card)),
    "indicator": _indicator,
    "reasons": _reasons,
    "ranking": lambda ev, card, r: rankings.ranking_text(ev, card, r.count, r.low,
                                                         above_target=bool(re.search("超额完成|超过目标|超出目标", r.text))
                                                         and "最" not in r.text),
    "points_lost": _points_lost,
    "level_summary": lambda ev, card, r: rankings.level_summary_text(ev, card, r.level),
    "targets_too_low": lambda ev, card, r: rankings.targets_too_low_text(ev, card),
    "balance": lambda ev, card, r: funds.balance_text(ev, card),
    "spending": lambda ev, card, r: funds.spending_text(
        ev, card, r.text, r.subjects[0] if r.subjects else None, r.count, r.low),
}
