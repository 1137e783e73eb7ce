"""The ledger's figures of the whole evaluation: totals, sums per level, counts, grades, rules.

- totals: the computed total and the points it is out of; the form's stated total (contradicted only
  by the form's own weights or its own scores, never by the product's default weights);
- sums per level (一级 and 二级): weights and computed scores, and the form's own stated scores
  (per level and in total) when every row of the level states one;
- counts, each with what it counts (`counted`: 指标, 任务, 资金用途, a level) and which of them
  (`predicate`: met, unmet, over, funded; None for all): `共设置绩效指标16项`, `其中15项达到`,
  `六项重点工作任务中有五项列明了资金`;
- grades: the computed one, the grade of the form's total, the form's stated grade;
- rules (kind `rule`): the thresholds scoring uses (`完成率超过130%`, `执行率低于90%`, `90分以上为优`).
"""
from __future__ import annotations

import re
from collections import Counter

from .. import printing
from ..scoring import IndicatorScore, ScoreCard, grade_for
from ..text import quoted
from .ledger import BUDGET_SUBJECT, EVALUATION_SUBJECT, TOTAL_SUBJECT, Ledger

GRADES = {"优": 4.0, "良": 3.0, "中": 2.0, "差": 1.0}
_PARENT = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
_CHILD = re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)")


def components(card: ScoreCard) -> dict[int, list[int]]:
    """Parent rows (`一、示范区建立`) and the component rows under them (`1、…`, `2、…`), by index; empty
    when the form has no such structure. A parent's figures are the sum of its components' (d01)."""
    out: dict[int, list[int]] = {}
    parent = None
    for k, s in enumerate(card.indicators):
        if _PARENT.match(s.name):
            parent = k
            out[k] = []
        elif parent is not None and _CHILD.match(s.name):
            out[parent].append(k)
        else:
            parent = None
    return {k: v for k, v in out.items() if v}


def top_level(card: ScoreCard) -> list[int]:
    """The rows that are not components of a parent row."""
    children = {c for kids in components(card).values() for c in kids}
    return [k for k in range(len(card.indicators)) if k not in children]


def add_totals(ledger: Ledger, card: ScoreCard) -> None:
    ev = card.evaluation
    glob = dict(subject=TOTAL_SUBJECT, subject_kind="evaluation")
    total = ledger.add(kind="derived", value=card.total, unit="分", decimals=printing.POINTS_DECIMALS,
                       printed=printing.points(card.total), role="total", label="自评得分（总分）",
                       formula="各指标得分之和" + (" + 预算执行率得分" if card.budget.score is not None else ""), **glob)
    added = budget_weight_added(card)
    ledger.add(kind="derived", value=card.total_points, unit="分", decimals=printing.POINTS_DECIMALS,
               printed=printing.points(card.total_points), role="total_points",
               label="指标分值合计" + ("（含评分规则加入的预算执行率分值）" if added else ""),
               formula="各指标分值之和" + (" + 预算执行率分值" if card.budget.weight else ""),
               needs="预算执行|执行率|总分" if added else None, **glob)
    rows = top_level(card)
    stated_scores = [ev.indicators[k].stated_score for k in rows]
    if ev.stated_total is not None:
        ledger.add(kind="cell", value=ev.stated_total, unit="分", decimals=2, printed=printing.points(ev.stated_total),
                   role="total", label="填报自评得分", stated=True, provenance=ev.sources.get("stated_total"),
                   disputed=stated_total_dispute(card), **glob)
        lost = card.total_points - ev.stated_total if abs(card.total_points - 100) < 1e-6 else 100 - ev.stated_total
        if lost > 0.005:
            ledger.add(kind="derived", value=lost, unit="分", decimals=2, printed=printing.points(lost),
                       role="deduction", label="填报自评得分扣分（100分 − 自评得分）", stated=True,
                       formula=f"100分 − {printing.points(ev.stated_total)}", **glob)
    scored = [k for k in rows if ev.indicators[k].stated_score is not None]
    if scored and len(scored) == len(rows):
        stated_sum = sum(stated_scores)
        ledger.add(kind="derived", value=stated_sum, unit="分", decimals=2, printed=printing.points(stated_sum),
                   role="total", label="填报得分合计", stated=True, formula="自评表各行填报得分之和", **glob)
    elif len(scored) >= 2:
        # a form whose score column is partly empty or cut off: the rows that carry a score
        n = len(scored)
        got = sum(ev.indicators[k].stated_score for k in scored)
        ledger.add(kind="derived", value=got, unit="分", decimals=2, printed=printing.points(got), role="total",
                   label=f"已填报得分的{n}项指标得分合计", stated=True, formula="填有得分的各行得分之和", **glob)
        _count(ledger, n, "填有得分的指标个数", EVALUATION_SUBJECT, "evaluation", "得分列不为空的行数", "指标", "scored")
        weights = [ev.indicators[k].weight for k in scored]
        if all(w is not None for w in weights):
            ledger.add(kind="derived", value=sum(weights), unit="分", decimals=2, printed=printing.points(sum(weights)),
                       role="total_points", label=f"已填报得分的{n}项指标分值合计", formula="填有得分的各行分值之和", **glob)
            if sum(weights) - got > 0.005:
                ledger.add(kind="derived", value=sum(weights) - got, unit="分", decimals=2,
                           printed=printing.points(sum(weights) - got), role="deduction", stated=True,
                           label=f"已填报得分的{n}项指标扣分合计", formula="分值合计 − 得分合计", **glob)
    weights = [ev.indicators[k].weight for k in rows]
    if weights and all(w is not None for w in weights) and scored and sum(weights) < 100 - 0.5:
        # a cut-off form: the rows not shown can at most score full, so its total is at most 100 minus the
        # points the shown rows lose (`总分最多94分`)
        lost = sum(max(0.0, ev.indicators[k].weight - ev.indicators[k].stated_score) for k in scored)
        if lost > 0.005:
            ledger.add(kind="derived", value=100 - lost, unit="分", decimals=2, printed=printing.points(100 - lost),
                       role="total", label="按所列各行扣分推算的总分上限", stated=True,
                       formula=f"100分 − 所列各行扣分之和{printing.points(lost)}", needs="最多|至多|最高|上限|不超过",
                       **glob)
    if weights and all(w is not None for w in weights):
        form_points = sum(weights)
        ledger.add(kind="cell", value=form_points, unit="分", decimals=2, printed=printing.points(form_points),
                   role="total_points", label="自评表所列指标分值合计", formula="自评表各行分值之和", **glob)
        if abs(form_points - 100) < 1e-6:
            _add_weight_shares(ledger, card, rows)
    _add_level_sums(ledger, card, total.id)


def _add_weight_shares(ledger: Ledger, card: ScoreCard, rows: list[int]) -> None:
    """On a form whose weights make 100, a weight is also its share of the whole (`权重20%`), per row and
    per level; these verify only where the words say 权重/分值/占."""
    ev = card.evaluation
    needs = "权重|分值|比重|占"
    for k in rows:
        indicator = ev.indicators[k]
        share = indicator.weight / 100
        ledger.add(kind="derived", value=share, unit="%", printed=printing.percent(share), role="weight",
                   subject=indicator.name, subject_kind="indicator", label=f"{quoted(indicator.name)}权重（占总分比例）",
                   formula=f"{printing.points(indicator.weight)} ÷ 100分", needs=needs)
    levels: dict[str, float] = {}
    for k in rows:
        s = card.indicators[k]
        for level in {s.level1, s.level2} - {""}:
            levels[level] = levels.get(level, 0.0) + ev.indicators[k].weight
    for level, weight in levels.items():
        ledger.add(kind="derived", value=weight / 100, unit="%", printed=printing.percent(weight / 100), role="weight",
                   subject=level, subject_kind="level", label=f"{level}权重合计（占总分比例）",
                   formula=f"{printing.points(weight)} ÷ 100分", needs=needs)


def budget_weight_added(card: ScoreCard) -> bool:
    """Did scoring add the budget execution weight to a form that weights every indicator itself?
    Then the points total is not the form's: a text printing it must say it includes 预算执行率."""
    ev = card.evaluation
    return bool(card.budget.weight) and bool(ev.indicators) and all(i.weight is not None for i in ev.indicators)


def stated_total_dispute(card: ScoreCard) -> str | None:
    """Why the form's total does not hold, or None: its own scores add up to another total, or its
    own weights (every row weighted) give another total."""
    ev = card.evaluation
    scores = [i.stated_score for i in ev.indicators]
    if scores and all(v is not None for v in scores) and card.budget.score is None \
            and abs(sum(scores) - ev.stated_total) > card.rules.score_tolerance:
        return f"各项填报得分之和为{printing.points(sum(scores))}"
    weighted = ev.indicators and all(i.weight is not None for i in ev.indicators)
    # rows that do not make up the whole 100 points (an excerpt, a cut-off table) cannot refute the total
    whole = abs(card.total_points - 100) <= 0.5
    if weighted and whole and abs(ev.stated_total - card.total) > max(card.rules.score_tolerance, 0.5):
        return f"按规则计算为{card.total:.2f}分"
    return None


def _add_level_sums(ledger: Ledger, card: ScoreCard, total_id: str) -> None:
    ev = card.evaluation
    groups: dict[str, list[tuple[IndicatorScore, float | None]]] = {}
    rows = set(top_level(card))
    for k, (s, indicator) in enumerate(zip(card.indicators, ev.indicators)):
        if k not in rows:
            continue
        groups.setdefault(s.level1, []).append((s, indicator.stated_score))
        if s.level2:
            groups.setdefault(s.level2, []).append((s, indicator.stated_score))
    for level, rows in groups.items():
        common = dict(subject=level, subject_kind="level")
        _add_level_actual_sum(ledger, ev, [s.index for s, _ in rows], level)
        weight = sum(s.weight for s, _ in rows)
        got = sum(s.score or 0.0 for s, _ in rows)
        ledger.add(kind="derived", value=weight, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(weight), role="weight", label=f"{level}分值合计",
                   formula="该级指标分值之和", **common)
        ledger.add(kind="derived", value=got, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(got), role="score", label=f"{level}得分合计",
                   formula="该级指标得分之和", inputs=[total_id], **common)
        stated = [v for _, v in rows]
        if all(v is not None for v in stated):
            ledger.add(kind="derived", value=sum(stated), unit="分", decimals=printing.POINTS_DECIMALS,
                       printed=printing.points(sum(stated)), role="score", label=f"{level}填报得分合计",
                       stated=True, formula="该级指标填报得分之和", **common)
            if weight - sum(stated) > 0.005 and all(ev.indicators[s.index].weight is not None for s, _ in rows):
                lost = weight - sum(stated)
                ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                           printed=printing.points(lost), role="deduction", label=f"{level}填报扣分合计",
                           stated=True, formula="该级分值合计 − 填报得分合计", **common)


def _add_level_actual_sum(ledger: Ledger, ev, indexes: list[int], level: str) -> None:
    """The actuals of a level added up where they are amounts of one unit (`三项成本实际合计64.8万元`)."""
    actuals = [ev.indicators[k].actual for k in indexes]
    if len(actuals) < 2 or any(a is None or a.value is None or not a.is_numeric for a in actuals):
        return
    units = {(a.unit, a.per) for a in actuals}
    if len(units) != 1 or not actuals[0].unit or actuals[0].unit == "%":
        return
    total = sum(a.value for a in actuals)
    first = actuals[0]
    decimals = max(a.decimals for a in actuals)
    printed = printing.number(total, first.unit, first.magnitude, decimals)
    ledger.add(kind="derived", value=total, unit=first.unit, decimals=decimals, magnitude=first.magnitude,
               printed=printed, role="actual", per=first.per, label=f"{level}实际完成值合计",
               formula=" + ".join(a.printed() for a in actuals), subject=level, subject_kind="level")


def _count(ledger: Ledger, n: int, label: str, subject: str, subject_kind: str, formula: str, counted: str,
           predicate: str | None = None) -> None:
    ledger.add(kind="derived", value=float(n), unit="", printed=f"{n}项", role="count", subject=subject,
               subject_kind=subject_kind, label=label, formula=formula, counted=counted, predicate=predicate)


def add_counts(ledger: Ledger, card: ScoreCard) -> None:
    ev = card.evaluation
    rows = [card.indicators[k] for k in top_level(card)]
    n = len(rows)
    met = sum(1 for s in rows if s.met)
    unmet = sum(1 for s in rows if s.met is False)
    for parent, kids in components(card).items():
        name = card.indicators[parent].name
        _count(ledger, len(kids), f"{quoted(name)}的分项个数", name, "indicator", "该行下的分项行数", "分项")
    if len(rows) < len(card.indicators):
        # a form with component rows: its rows may be counted with or without them
        every = card.indicators
        _count(ledger, len(every), "绩效指标个数（含分项）", EVALUATION_SUBJECT, "evaluation", "指标表行数", "指标")
        _count(ledger, sum(1 for s in every if s.met), "达到年度指标值的指标个数（含分项）", EVALUATION_SUBJECT,
               "evaluation", "指标表中达标的行数", "指标", "met")
        _count(ledger, sum(1 for s in every if s.met is False), "未达到年度指标值的指标个数（含分项）",
               EVALUATION_SUBJECT, "evaluation", "指标表中未达标的行数", "指标", "unmet")
        _count(ledger, len(every), "指标表行数（含分项）", EVALUATION_SUBJECT, "evaluation", "指标表行数", "行")
    texts = Counter(t for i in ev.indicators for t in {re.sub(r"\s+", "", i.target.text),
                                                         re.sub(r"\s+", "", i.actual.text) if i.actual else ""} if t)
    for text, k in texts.items():
        if k >= 2:
            _count(ledger, k, f"年度指标值或实际完成值为“{text}”的指标个数", EVALUATION_SUBJECT, "evaluation",
                   f"该列填写“{text}”的行数", f"cell:{text}")
    glob = (EVALUATION_SUBJECT, "evaluation")
    _count(ledger, n, "绩效指标个数", *glob, "指标表行数", "指标")
    _count(ledger, met, "达到年度指标值的指标个数", *glob, f"{n}项指标中达标者", "指标", "met")
    _count(ledger, unmet, "未达到年度指标值的指标个数", *glob, f"{n}项指标中未达标者", "指标", "unmet")
    if card.review_count:
        # an indicator awaiting confirmation is neither met nor unmet: it is counted apart, with its points
        pending = [s for s in card.indicators if s.counted and s.pending]
        _count(ledger, card.review_count, "待确认的指标个数", *glob, "有单元格待经办人确认、暂未评分的指标数", "指标",
               "review")
        ledger.add(kind="derived", value=card.review_points, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(card.review_points), role="weight", subject=TOTAL_SUBJECT,
                   subject_kind="evaluation", label="待确认指标的分值合计", needs="待确认",
                   formula=" + ".join(printing.points(s.weight) for s in pending))
    if card.overachieving:
        _count(ledger, len(card.overachieving), "完成率明显超出目标的指标个数", *glob,
               f"完成率高于{printing.percent(card.rules.overachievement_threshold)}", "指标", "over")
    if ev.tasks:
        _count(ledger, len(ev.tasks), "重点工作任务个数", *glob, "任务表行数", "任务")
        funded = sum(1 for t in ev.tasks if t.funds is not None)
        _count(ledger, funded, "列明资金的重点工作任务个数", *glob, "任务表中填有资金的行数", "任务", "funded")
    for group, label in ((ev.budget.by_item, "资金用途"), (ev.budget.by_source, "资金来源")):
        if group:
            _count(ledger, len(group), f"{label}项数", BUDGET_SUBJECT, "budget", f"{label}明细行数", label)
    for key in ("level1", "level2"):
        for level, k in Counter(getattr(s, key) for s in rows if getattr(s, key)).items():
            members = [s for s in rows if getattr(s, key) == level]
            _count(ledger, k, f"{level}个数", level, "level", f"{'一' if key == 'level1' else '二'}级指标为{level}的指标数",
                   level)
            _count(ledger, sum(1 for s in members if s.met), f"{level}中达标的个数", level, "level",
                   f"{level}中达标者", level, "met")
            _count(ledger, sum(1 for s in members if s.met is False), f"{level}中未达标的个数", level, "level",
                   f"{level}中未达标者", level, "unmet")
    by_task: dict[str, list[IndicatorScore]] = {}
    for s in card.indicators:
        if s.task:
            by_task.setdefault(s.task, []).append(s)
    for task, scores in by_task.items():
        _count(ledger, len(scores), f"任务{quoted(task)}对应指标个数", task, "task", "关联该任务的指标数", "指标")
        _count(ledger, sum(1 for s in scores if s.met), f"任务{quoted(task)}达标指标个数", task, "task",
               "关联该任务且达标的指标数", "指标", "met")
        for key in ("level1", "level2"):
            for level, k in Counter(getattr(s, key) for s in scores if getattr(s, key)).items():
                _count(ledger, k, f"任务{quoted(task)}对应{level}个数", task, "task", f"关联该任务的{level}数", level)


def add_averages(ledger: Ledger, card: ScoreCard) -> None:
    """The mean completion of all quantified indicators and of those far above target (`平均完成率`)."""
    groups = (("指标平均完成率", [s for s in card.indicators if s.completion is not None and s.formula]),
              ("完成率明显超出目标的指标平均完成率", card.overachieving))
    for label, scores in groups:
        if len(scores) < 2:
            continue
        mean = sum(s.completion for s in scores) / len(scores)
        ledger.add(kind="derived", value=mean, unit="%", printed=printing.percent(mean), role="average",
                   subject=EVALUATION_SUBJECT, subject_kind="evaluation", label=label,
                   formula=f"{len(scores)}项指标完成率的平均值 = {printing.percent(mean)}")


def add_grades(ledger: Ledger, card: ScoreCard) -> None:
    ev = card.evaluation
    glob = dict(subject=TOTAL_SUBJECT, subject_kind="evaluation", unit="级")
    ledger.add(kind="derived", value=GRADES[card.grade], printed=card.grade, text=card.grade, role="grade",
               label="评价等级", formula=f"总分{printing.points(card.total)}，{_bands(card)}", **glob)
    if ev.stated_total is not None:
        grade = grade_for(ev.stated_total, card.rules)
        ledger.add(kind="derived", value=GRADES[grade], printed=grade, text=grade, role="grade",
                   label="按填报自评得分评定的等级", stated=True, disputed=stated_total_dispute(card),
                   formula=f"填报自评得分{printing.points(ev.stated_total)}，{_bands(card)}", **glob)
    if ev.stated_grade and ev.stated_grade[:1] in GRADES:
        stated = ev.stated_grade[:1]
        reference = grade_for(ev.stated_total, card.rules) if ev.stated_total is not None and \
            stated_total_dispute(card) is None else card.grade
        disputed = None if stated == reference else f"按得分应为“{reference}”"
        ledger.add(kind="cell", value=GRADES[stated], printed=stated, text=stated, role="grade", label="填报评价等级",
                   stated=True, disputed=disputed, provenance=ev.sources.get("stated_grade"), **glob)


def _bands(card: ScoreCard) -> str:
    bands = card.rules.grade_bands
    return f"优≥{bands['优']:g}分、良≥{bands['良']:g}分、中≥{bands['中']:g}分"


def add_deductions(ledger: Ledger, card: ScoreCard) -> None:
    """Points lost (分值 − 得分) beyond each indicator's own: on budget execution, and in total."""
    b = card.budget
    if b.score is not None and b.weight and b.weight - b.score > 0.005:
        lost = b.weight - b.score
        ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(round(lost, 2)), role="deduction", subject=BUDGET_SUBJECT,
                   subject_kind="budget", label="预算执行率扣分",
                   formula=f"分值{printing.points(b.weight)} − 得分{printing.points(b.score)}")
    lost = card.total_points - card.total
    if lost > 0.005:
        ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(round(lost, 2)), role="deduction", subject=TOTAL_SUBJECT,
                   subject_kind="evaluation", label="合计扣分",
                   formula=f"分值合计{printing.points(card.total_points)} − 总分{printing.points(card.total)}")


EXECUTION_WORDS = "执行|支出|支付|花完|结余|预算"     # a sentence about spending the budget


def add_rules(ledger: Ledger, card: ScoreCard) -> None:
    """The scoring thresholds a text may cite (`完成率超过130%`, `低于90%`, `90分以上`)."""
    rules = card.rules
    glob = dict(subject=EVALUATION_SUBJECT, subject_kind="evaluation", role="threshold", kind="rule")
    ledger.add(value=rules.overachievement_threshold, unit="%", printed=printing.percent(rules.overachievement_threshold),
               label="完成率明显超出目标的标准", formula="完成率高于此值视为目标设置偏低", **glob)
    ledger.add(value=rules.low_execution_threshold, unit="%", printed=printing.percent(rules.low_execution_threshold),
               label="预算执行率偏低的标准", formula="预算执行率低于此值视为执行偏低",
               needs=EXECUTION_WORDS, **glob)       # not an indicator's `不低于90%的目标`
    ledger.add(value=1.0, unit="%", printed="100%", label="预算全额执行", formula="实际支出等于预算",
               needs=EXECUTION_WORDS, **glob)
    ledger.add(value=100.0, unit="分", decimals=2, printed="100分", label="百分制满分", formula="评分规则设定", **glob)
    for grade, floor in rules.grade_bands.items():
        ledger.add(value=floor, unit="分", decimals=2, printed=printing.points(floor), label=f"评为“{grade}”的最低得分",
                   formula="评价等级划分", **glob)
