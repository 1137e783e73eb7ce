"""Answers computed over the indicator table: rankings by completion, points lost, per-level
summaries, targets set too low, and why an indicator stands where it does.

Every figure is printed through `assistant.printing` the way the ledger records it, each line
naming its indicator first, so the checker ties every figure to its subject.
"""
from __future__ import annotations

from .. import printing
from ..evaluation import Evaluation
from ..scoring import IndicatorScore, ScoreCard
from ..text import quoted
from ..vocabulary import level1_rank
from .answers import gap_text, indicator_text, shortfall_word
from .context import Reply, Subject


def _subject(s: IndicatorScore) -> Subject:
    return Subject("indicator", s.index, s.name)


def _figures(evaluation: Evaluation, s: IndicatorScore) -> str:
    """`完成率150%（实际完成9次，年度指标值≥6次）`."""
    indicator = evaluation.indicators[s.index]
    actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else "未填写"
    return f"完成率{printing.rate(s.completion)}（实际完成{actual}，年度指标值{indicator.target.text.strip()}）"


def rankable(evaluation: Evaluation, card: ScoreCard) -> list[IndicatorScore]:
    """Indicators a completion rate ranks: numeric, not ceilings (lower is better there), with a completion."""
    return [s for s in card.indicators if s.completion is not None and s.direction not in ("negative", "qualitative")
            and evaluation.indicators[s.index].target.is_numeric]


def ranking_text(evaluation: Evaluation, card: ScoreCard, count: int | None = None, low: bool = False,
                 above_target: bool = False) -> Reply:
    """By completion: the best (or worst) one, the top N, or all in order; `above_target`: only those over 100%."""
    ranked = sorted(rankable(evaluation, card), key=lambda s: (s.completion if low else -s.completion, s.index))
    if above_target:
        ranked = [s for s in ranked if s.completion > 1.0 + 1e-9]
        if not ranked:
            return Reply("没有完成率超过100%的指标。")
    if not ranked:
        return Reply("本数据没有可按完成率排序的定量指标。")
    whole = count is None and len(ranked) > 1
    if count is None:
        count = len(ranked) if whole else 1
    if not whole and count == 1:
        edge = ranked[0].completion
        shown = [s for s in ranked if abs(s.completion - edge) < 1e-9]
    else:
        shown = ranked[:max(1, count)]
        if len(shown) < len(ranked) and abs(ranked[len(shown)].completion - shown[-1].completion) < 1e-9:
            edge = shown[-1].completion
            shown += [s for s in ranked[len(shown):] if abs(s.completion - edge) < 1e-9]
    order = "从低到高" if low else "从高到低"
    if whole and above_target:
        head = f"超额完成（实际完成值超过年度指标值）的指标，按完成率{order}："
    elif whole:
        head = f"各项指标按完成率{order}排列："
    elif len(shown) == 1:
        head = f"完成率{'最低' if low else '最高'}的指标是{quoted(shown[0].name)}："
    elif count == 1:
        head = f"完成率{'最低' if low else '最高'}的指标（并列）："
    else:
        head = f"完成率{'最低' if low else '最高'}的指标（{order}）："
    lines = [head]
    for k, s in enumerate(shown, 1):
        lines.append(f"{k}. {quoted(s.name)}：{_figures(evaluation, s)}" + ("，未完成年度指标值。" if s.met is False else "。"))
    ceilings = [s for s in card.indicators if s.direction == "negative" and s.score is not None
                and (whole or (low and s.met is False))]
    if ceilings:
        lines.append("以下为上限类指标（数值越低越好），不按完成率排名：")
        for s in ceilings:
            indicator = evaluation.indicators[s.index]
            state = "控制在年度指标值以内" if s.met else "超出年度指标值"
            lines.append(f"- {quoted(s.name)}：实际为{printing.quantity(indicator.actual, indicator.target.unit)}，"
                         f"年度指标值{indicator.target.text.strip()}，{state}。")
    subject = _subject(shown[0]) if len(shown) == 1 else None
    return Reply("\n".join(lines), subject=subject, listed=[_subject(s) for s in shown])


def points_lost_text(evaluation: Evaluation, card: ScoreCard, only: list[int] | None = None) -> Reply:
    """Points lost (分值 − 得分) per indicator, on budget execution, and in total."""
    short = [s for s in card.indicators if s.score is not None and s.weight - s.score > 0.005
             and (only is None or s.index in only)]
    lines = []
    if only is not None:
        for k in only:
            s = card.indicators[k]
            if s.score is None:
                lines.append(f"{quoted(s.name)}无法计分（{s.basis or '实际完成值无法判断'}），请补充。")
            elif s.weight - s.score <= 0.005:
                lines.append(f"{quoted(s.name)}得满分{printing.points(s.weight)}，没有扣分。")
            else:
                lines.append(f"{quoted(s.name)}分值{printing.points(s.weight)}，"
                             f"{printing.indicator_score(s.score, s.stated_score)}，"
                             f"扣{printing.points(round(s.weight - s.score, 2))}"
                             + (f"（{_shortfall(evaluation, s)}）。" if _shortfall(evaluation, s) else "。"))
        return Reply("\n".join(lines), subject=_subject(card.indicators[only[0]]) if len(only) == 1 else None,
                     listed=[_subject(card.indicators[k]) for k in only])
    if short:
        lines.append("以下指标未得满分：")
        for k, s in enumerate(short, 1):
            why = _shortfall(evaluation, s)
            lines.append(f"{k}. {quoted(s.name)}：分值{printing.points(s.weight)}，"
                         f"{printing.indicator_score(s.score, s.stated_score)}，"
                         f"扣{printing.points(round(s.weight - s.score, 2))}" + (f"（{why}）。" if why else "。"))
    else:
        lines.append("各项绩效指标均得满分，没有扣分。")
    b = card.budget
    if b.score is not None and b.weight and b.weight - b.score > 0.005:
        lines.append(f"预算执行率为{printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}，"
                     f"得分{printing.points(b.score)}，扣{printing.points(round(b.weight - b.score, 2))}。")
    lost = card.total_points - card.total
    if lost > 0.005:
        lines.append(f"合计扣{printing.points(round(lost, 2))}。")
        lines.append(f"自评总分{printing.points(card.total)}。")
    unscored = [s for s in card.indicators if s.score is None]
    if unscored:
        lines.append("无法计分的指标：" + "、".join(quoted(s.name) for s in unscored) + "。")
    return Reply("\n".join(lines), subject=_subject(short[0]) if len(short) == 1 else None,
                 listed=[_subject(s) for s in short])


def _shortfall(evaluation: Evaluation, s: IndicatorScore) -> str:
    indicator = evaluation.indicators[s.index]
    if indicator.actual is None:
        return "未填写实际完成值"
    if s.direction == "negative":
        return f"实际为{printing.quantity(indicator.actual, indicator.target.unit)}，超出年度指标值"
    if s.completion is not None and indicator.target.is_numeric:
        return f"完成率{printing.rate(s.completion)}"
    return s.basis


def level_summary_text(evaluation: Evaluation, card: ScoreCard, level: str | None = None) -> Reply:
    """Indicators per level: how many, which are not met, their points; or one level in detail."""
    total, met = len(card.indicators), sum(1 for s in card.indicators if s.met)
    unmet = [s for s in card.indicators if s.met is False]
    lines = [f"共{total}项绩效指标，其中{met}项达到年度指标值"
             + (f"，{len(unmet)}项未达到年度指标值。" if unmet else "。")]
    groups: dict[str, list[IndicatorScore]] = {}
    for s in card.indicators:
        key = s.level2 if level and level == s.level2 else s.level1
        groups.setdefault(key or "其他指标", []).append(s)
    if level:
        scores = groups.get(level, [])
        if not scores:
            return Reply(lines[0] + f"\n本数据没有{level}。", subject=Subject("level", level, level))
        lines = [f"{level}共{len(scores)}项："]
        for k, s in enumerate(scores, 1):
            lines.append(f"{k}. {quoted(s.name)}：{_state(evaluation, s)}")
        if level in {s.level1 for s in card.indicators}:
            weight = sum(s.weight for s in scores)
            got = sum(s.score or 0.0 for s in scores)
            lines.append(f"{level}得分合计{printing.points(round(got, 2))}，分值合计{printing.points(weight)}。")
        return Reply("\n".join(lines), subject=Subject("level", level, level), listed=[_subject(s) for s in scores])
    for name in sorted(groups, key=level1_rank):
        scores = groups[name]
        missed = [s for s in scores if s.met is False]
        state = "，其中" + "、".join(quoted(s.name) for s in missed) + "未达到年度指标值" if missed else "，均达到年度指标值"
        if any(s.met is None for s in scores) and not missed:
            state = "，其中有指标无法判断是否完成"
        lines.append(f"{name}共{len(scores)}项{state}。")
    if unmet:
        lines.append("未达到年度指标值的指标：" + "、".join(quoted(s.name) for s in unmet) + "。")
    return Reply("\n".join(lines), listed=[_subject(s) for s in unmet])


def _state(evaluation: Evaluation, s: IndicatorScore) -> str:
    indicator = evaluation.indicators[s.index]
    actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else "未填写"
    parts = [f"年度指标值{indicator.target.text.strip()}", f"实际完成{actual}"]
    if s.completion is not None and indicator.target.is_numeric and s.direction != "negative":
        parts.append(f"完成率{printing.rate(s.completion)}")
    status = {True: "已完成", False: "未完成", None: "无法判断是否完成"}[s.met]
    gap = gap_text(evaluation, s)
    if s.met is False and gap:
        status += f"，{shortfall_word(s)}{gap}"
    return "，".join(parts) + f"，{status}。"


def targets_too_low_text(evaluation: Evaluation, card: ScoreCard) -> Reply:
    high = sorted(card.overachieving, key=lambda s: -(s.completion or 0))
    if not high:
        return Reply("没有完成率远超年度指标值的指标，各项目标值设置未见明显偏低。")
    lines = [f"共有{len(high)}项指标完成率远超年度指标值，目标值可能设置偏低（按完成率从高到低）："]
    for k, s in enumerate(high, 1):
        lines.append(f"{k}. {quoted(s.name)}：{_figures(evaluation, s)}。")
    lines.append("建议编制下一年度绩效目标时，结合以前年度实际完成情况合理测算指标值。")
    return Reply("\n".join(lines), subject=_subject(high[0]) if len(high) == 1 else None,
                 listed=[_subject(s) for s in high])


def reasons_text(evaluation: Evaluation, card: ScoreCard, k: int) -> Reply:
    """Why an indicator is where it is: its deviation reason when missed, else how it was judged."""
    s = card.indicators[k]
    indicator = evaluation.indicators[k]
    name = quoted(indicator.name)
    figures = [line for line in indicator_text(evaluation, card, k).splitlines() if "偏差原因" not in line]
    if s.met is False:
        reason = (indicator.reason or "").strip().rstrip("。")
        head = f"{name}未完成年度指标值，偏差原因：{reason}。" if reason else \
            f"{name}未完成年度指标值，但数据未填写偏差原因，请补充。"
    elif s.met:
        head = f"{name}判定为已完成，因为实际完成值达到了年度指标值："
    else:
        head = f"{name}无法判断是否完成：{s.basis or '实际完成值无法与年度指标值比较'}。"
    return Reply("\n".join([head, *figures]), subject=_subject(s))
