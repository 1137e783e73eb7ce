"""Build a Ledger from a ScoreCard: data cells with provenance, derived values with formulas."""
from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from .. import printing
from ..evaluation import Evaluation, Indicator
from ..quantities import Quantity, unit_compatible
from ..scoring import IndicatorScore, ScoreCard, ScoringRules, score, stated_completion_holds
from ..text import quoted
from ..vocabulary import LEVEL_MENTIONS
from .extract import extract_cached
from .ledger import (
    BUDGET_SUBJECT,
    EVALUATION_SUBJECT,
    TOTAL_SUBJECT,
    Ledger,
    LedgerEntry,
    Subject,
    money_entry_values,
    quantity_parts,
)


def build_ledger(card: ScoreCard, known_docnos: Iterable[str] | Callable[[str], bool] | None = None) -> Ledger:
    """The ledger of a score card: every data cell and derived value it may print."""
    ev = card.evaluation
    ledger = Ledger(year=ev.year, unit_name=ev.unit_name, known_docnos=known_docnos)
    prov = ev.sources
    if ev.year is not None:           # an unknown year (a review item) is no figure a text may print
        ledger.add(kind="year", value=float(ev.year), unit="年", printed=f"{ev.year}年", role="year",
                   subject=EVALUATION_SUBJECT, subject_kind="evaluation", label="评价年度", provenance=prov.get("year"))
    _add_texts(ledger, ev)
    for task in ev.tasks:
        ledger.add_subject(Subject(kind="task", name=task.name, aliases=_task_aliases(task.name)))
    for indicator, scored in zip(ev.indicators, card.indicators):
        ledger.add_subject(Subject(kind="indicator", name=indicator.name, task=indicator.task,
                                   target_text=indicator.target.text))
        _add_indicator(ledger, indicator, scored)
        task = ledger.subjects.get(("task", indicator.task or ""))
        if task is not None:
            task.members.add(indicator.name)
    _add_budget(ledger, card)
    _add_tasks(ledger, ev)
    _add_totals(ledger, card)
    _add_points_lost(ledger, card)
    _add_rules(ledger, card)
    _add_counts(ledger, card)
    return ledger


def evaluation_ledger(evaluation: Evaluation, rules: ScoringRules | None = None,
                      known_docnos: Iterable[str] | Callable[[str], bool] | None = None) -> Ledger:
    """The ledger of an evaluation scored by `rules` (default rules)."""
    return build_ledger(score(evaluation, rules), known_docnos)


def _task_aliases(name: str) -> tuple[str, ...]:
    aliases = []
    for suffix in ("工作任务", "任务", "工作"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 4:
            aliases.append(name[: -len(suffix)])
    return tuple(aliases)


def _add_texts(ledger: Ledger, ev: Evaluation) -> None:
    p = ev.sources
    ledger.add_data_text(ev.unit_name, p.get("unit_name"), EVALUATION_SUBJECT, "evaluation", "单位名称")
    ledger.add_data_text(ev.project or "", p.get("project"), EVALUATION_SUBJECT, "evaluation", "项目名称")
    ledger.add_data_text(ev.functions, p.get("functions"), EVALUATION_SUBJECT, "evaluation", "部门职能")
    ledger.add_data_text(ev.overall_goal, p.get("overall_goal"), EVALUATION_SUBJECT, "evaluation", "总体绩效目标")
    for k, basis in enumerate(ev.policy_basis):
        ledger.add_data_text(basis, p.get(f"policy_basis.{k + 1}") or p.get("policy_basis"), EVALUATION_SUBJECT,
                             "evaluation", "政策依据")
    for task in ev.tasks:
        for field in ("name", "content", "goal"):
            ledger.add_data_text(getattr(task, field), task.sources.get(field), task.name, "task", f"任务{quoted(task.name)}")
    for indicator in ev.indicators:
        for field in ("name", "reason"):
            ledger.add_data_text(getattr(indicator, field) or "", indicator.sources.get(field), indicator.name,
                                 "indicator", f"指标{quoted(indicator.name)}")
        for quantity, field in ((indicator.target, "target"), (indicator.actual, "actual")):
            if quantity is not None and field not in _under_review(indicator):
                ledger.add_data_text(quantity.text, indicator.sources.get(field), indicator.name, "indicator",
                                     f"指标{quoted(indicator.name)}")
    for name in list(ev.budget.by_item) + list(ev.budget.by_source):
        ledger.add_data_text(name, ev.budget.sources.get(f"by_item.{name}"), name, "budget", "资金明细")


# The review item's column → the indicator field whose cell it holds.
REVIEW_FIELDS = {"年度指标值": "target", "实施周期指标值": "target", "实际完成值": "actual", "分值": "weight",
                 "得分": "stated_score", "完成率": "stated_completion"}


def _under_review(indicator: Indicator, scored: IndicatorScore | None = None) -> set[str]:
    """The fields whose cells await a person: no figure of theirs is a fact a text may state."""
    items = scored.needs_review if scored is not None else indicator.review
    held = {REVIEW_FIELDS[item.column] for item in items if item.column in REVIEW_FIELDS}
    if scored is not None and scored.pending:
        held |= {"stated_completion", "stated_score"}    # the form's claims about an outcome nobody can check yet
    return held


def _printed(quantity: Quantity, value: float) -> str:
    return printing.number(value, quantity.unit, quantity.magnitude, quantity.decimals)


def _add_indicator(ledger: Ledger, indicator: Indicator, s: IndicatorScore) -> None:
    name, src = indicator.name, indicator.sources
    common = dict(subject=name, subject_kind="indicator")
    short = quoted(name)
    held = _under_review(indicator, s)
    # numbers printed inside the indicator's own name (`本单位2023年接待…`)
    for mention in extract_cached(name):
        if mention.kind == "number" and mention.value is not None:
            ledger.add(kind="cell", value=mention.value, unit=mention.unit, decimals=mention.decimals,
                       magnitude=mention.magnitude, printed=mention.text.strip(), role="name",
                       label=f"{short}指标名称中的数字", provenance=src.get("name"), **common)
    target_ids: list[tuple[LedgerEntry, Quantity]] = []
    for value, part, which in ([] if "target" in held else quantity_parts(indicator.target)):
        printed = part.text if which == "part" else (_printed(part, value) if which == "high" else part.text)
        entry = ledger.add(kind="cell", value=value, unit=part.unit, decimals=part.decimals,
                           magnitude=part.magnitude, printed=printed, role="target",
                           label=f"{short}年度指标值" + ("（上限）" if which == "high" else ""),
                           provenance=src.get("target"), **common)
        target_ids.append((entry, part))
    actual = indicator.actual
    actual_entry = None
    if actual is not None and actual.is_numeric and actual.value is not None and "actual" not in held:
        actual_entry = ledger.add(kind="cell", value=actual.value, unit=actual.unit, decimals=actual.decimals,
                                  magnitude=actual.magnitude, printed=actual.printed(), role="actual",
                                  label=f"{short}实际完成值", provenance=src.get("actual"), **common)
    if s.weight is not None and "weight" not in held:
        ledger.add(kind="cell" if indicator.weight is not None else "derived", value=s.weight, unit="分",
                   decimals=2, printed=printing.points(s.weight), role="weight", label=f"{short}分值",
                   provenance=src.get("weight"),
                   formula=None if indicator.weight is not None else "按一级指标默认权重平均分配", **common)
    # the part of the target the completion was computed against
    used = None
    if actual is not None and actual.value is not None and s.completion is not None:
        compatible = [(e, p) for e, p in target_ids if p.value is not None and unit_compatible(p.unit, actual.unit)]
        if indicator.target.kind == "compound":
            # the part scoring used: its ratio is the completion
            used = next(((e, p) for e, p in compatible if p.value and abs(actual.value / p.value - s.completion) < 1e-9),
                        compatible[0] if compatible else None)
        elif indicator.target.kind == "number" and compatible:
            used = compatible[0]
    inputs = [e.id for e in (actual_entry, used[0] if used else None) if e is not None]
    completion_entry = None
    if s.completion is not None:
        completion_entry = ledger.add(kind="derived", value=s.completion, unit="%", printed=printing.percent(s.completion),
                                      role="completion", label=f"{short}完成率",
                                      formula=s.formula or s.basis or None, inputs=inputs, **common)
        if _rate_indicator(indicator) and abs(actual.value - s.completion) > 1e-12:
            ledger.add(kind="derived", value=actual.value, unit="%", printed=printing.percent(actual.value),
                       role="completion", label=f"{short}完成率（比率类指标按实际达到的比率计）",
                       formula=f"比率类指标：完成率即实际达到的{actual.printed()}", inputs=inputs, **common)
    if indicator.stated_completion is not None and indicator.stated_completion.value is not None \
            and "stated_completion" not in held:
        stated = indicator.stated_completion
        disputed = None
        if s.completion is not None and not stated_completion_holds(stated, s.completion, indicator.target,
                                                                    indicator.actual):
            disputed = f"按公式计算应为{printing.percent(s.completion, stated.decimals)}"
        ledger.add(kind="cell", value=stated.value, unit="%", decimals=stated.decimals, printed=stated.text,
                   role="completion", label=f"{short}填报完成率", stated=True, provenance=src.get("stated_completion"),
                   disputed=disputed, **common)
    if s.score is not None:
        ledger.add(kind="derived", value=s.score, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(s.score), role="score",
                   label=f"{short}得分", formula=_score_formula(s), inputs=[completion_entry.id] if completion_entry else [],
                   **common)
    if indicator.stated_score is not None and "stated_score" not in held:
        disputed = None
        if s.score is not None and abs(indicator.stated_score - s.score) > 0.01:
            disputed = f"按规则计算应为{s.score:.2f}分"
        ledger.add(kind="cell", value=indicator.stated_score, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(indicator.stated_score), role="score", label=f"{short}填报得分", stated=True,
                   provenance=src.get("stated_score") or src.get("score"), disputed=disputed, **common)
    if used and actual is not None and actual.value is not None:
        entry, part = used
        diff = actual.value - part.value
        unit_text = part.unit if part.unit != "%" else "个百分点"
        if abs(diff) > 1e-12:
            # named by the sign, as reports word it: 超出 when above the target (for a ceiling too), 差 when below
            role = "excess" if diff > 0 else "gap"
            magnitude = part.magnitude
            printed = printing.number(abs(diff), part.unit, magnitude, max(part.decimals, actual.decimals))
            if part.unit == "%":
                printed = f"{abs(diff) * 100:.{max(part.decimals, actual.decimals)}f}个百分点"
            ledger.add(kind="derived", value=abs(diff) * (100 if part.unit == "%" else 1),
                       unit="百分点" if part.unit == "%" else part.unit,
                       decimals=max(part.decimals, actual.decimals), magnitude=1.0 if part.unit == "%" else magnitude,
                       printed=printed, role=role,
                       label=f"{short}{'超出' if role == 'excess' else '差距'}（{unit_text}）",
                       formula=f"{actual.printed()} − {part.printed()}" if diff > 0 else f"{part.printed()} − {actual.printed()}",
                       inputs=inputs, **common)
            relative = abs(diff) / abs(part.value) if part.value else None
            if relative is not None:
                ledger.add(kind="derived", value=relative, unit="%", printed=printing.percent(relative),
                           role=f"{role}_relative", label=f"{short}{'超出' if role == 'excess' else '差距'}比例",
                           formula=f"|{actual.printed()} − {part.printed()}| ÷ {part.printed()} = {printing.percent(relative)}",
                           inputs=inputs, **common)


def _rate_indicator(indicator: Indicator) -> bool:
    """A rate indicator (满意度≥80%): reports print its achieved rate as the completion. Not for a
    ceiling (差错率≤5%): there the achieved rate is no completion."""
    actual = indicator.actual
    return indicator.target.unit == "%" and actual is not None and actual.unit == "%" and actual.value is not None \
        and indicator.target.direction != "negative"


def _score_formula(s: IndicatorScore) -> str:
    if s.met:
        return f"达到目标，得满分{printing.points(s.weight)}"
    if s.completion is not None and s.score is not None:
        return f"{s.weight:.2f} × {printing.percent(s.completion, 2)} = {s.score:.2f}分"
    return s.basis or ""


def _add_budget(ledger: Ledger, card: ScoreCard) -> None:
    ev, b = card.evaluation, card.evaluation.budget
    unit = b.money_unit
    glob = dict(subject=BUDGET_SUBJECT, subject_kind="budget")
    ids: dict[str, LedgerEntry] = {}
    for field, label in (("budgeted", "预算安排"), ("adjusted", "调整后预算"), ("spent", "实际支出")):
        amount = getattr(b, field)
        if amount is None:
            continue
        base, scale, printed = money_entry_values(amount, unit)
        ids[field] = ledger.add(kind="cell", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                                role={"budgeted": "budget", "adjusted": "budget", "spent": "spent"}[field],
                                label=label, provenance=b.sources.get(field) or ev.sources.get(field), **glob)
    base_field = "adjusted" if b.adjusted is not None else "budgeted"
    rate = card.budget.execution_rate
    if rate is not None and "spent" in ids and base_field in ids:
        spent_p, base_p = ids["spent"].printed, ids[base_field].printed
        rate_entry = ledger.add(kind="derived", value=rate, unit="%", decimals=printing.EXECUTION_DECIMALS, printed=printing.percent(rate, printing.EXECUTION_DECIMALS),
                                role="execution_rate", label="预算执行率",
                                formula=f"{spent_p} ÷ {base_p} = {printing.percent(rate, printing.EXECUTION_DECIMALS)}",
                                inputs=[ids["spent"].id, ids[base_field].id], **glob)
        ledger.add(kind="derived", value=1 - rate, unit="%", decimals=printing.EXECUTION_DECIMALS, printed=printing.percent(1 - rate, printing.EXECUTION_DECIMALS),
                   role="gap_relative", label="未执行比例", formula=f"1 − {printing.percent(rate, printing.EXECUTION_DECIMALS)}",
                   inputs=[rate_entry.id], **glob)
        balance = getattr(b, base_field) - b.spent
        base, scale, printed = money_entry_values(balance, unit)
        ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                   role="balance", label="预算结余（预算 − 实际支出）", formula=f"{base_p} − {spent_p} = {printed}",
                   inputs=[ids[base_field].id, ids["spent"].id], **glob)
        if card.budget.score is not None:
            ledger.add(kind="derived", value=card.budget.score, unit="分", decimals=printing.POINTS_DECIMALS,
                       printed=printing.points(card.budget.score), role="score", label="预算执行率得分",
                       formula=f"{card.budget.weight:g} × {printing.percent(min(1.0, rate), printing.EXECUTION_DECIMALS)} = {card.budget.score:.2f}分",
                       inputs=[rate_entry.id], **glob)
            ledger.add(kind="derived", value=card.budget.weight, unit="分", decimals=printing.POINTS_DECIMALS,
                       printed=printing.points(card.budget.weight), role="weight", label="预算执行率分值",
                       formula="评分规则设定", **glob)
    if b.adjusted is not None and b.budgeted is not None:
        base, scale, printed = money_entry_values(b.adjusted - b.budgeted, unit)
        ledger.add(kind="derived", value=abs(base), unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale,
                   printed=printing.money(abs(b.adjusted - b.budgeted), unit), role="adjustment", label="预算调整额",
                   formula=f"{ids['adjusted'].printed} − {ids['budgeted'].printed}",
                   inputs=[ids["adjusted"].id, ids["budgeted"].id], **glob)
    if ev.stated_execution_rate is not None and ev.stated_execution_rate.value is not None:
        stated = ev.stated_execution_rate
        disputed = None
        if rate is not None and printing.percent(rate, stated.decimals) != printing.percent(stated.value, stated.decimals):
            disputed = f"按实际支出÷预算计算应为{printing.percent(rate, max(2, stated.decimals))}"
        ledger.add(kind="cell", value=stated.value, unit="%", decimals=stated.decimals, printed=stated.text,
                   role="execution_rate", label="填报预算执行率", stated=True, provenance=ev.sources.get("stated_execution_rate"),
                   disputed=disputed, **glob)
    budget_base = getattr(b, base_field)
    for group, label in (("by_source", "资金来源"), ("by_item", "资金用途")):
        amounts: dict[str, float] = getattr(b, group)
        if not amounts:
            continue
        item_ids = []
        for name, amount in amounts.items():
            ledger.add_subject(Subject(kind="budget", name=name))
            base, scale, printed = money_entry_values(amount, unit)
            entry = ledger.add(kind="cell", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                               role="funds", subject=name, subject_kind="budget", label=f"{label}{quoted(name)}金额",
                               provenance=b.sources.get(f"{group}.{name}"))
            item_ids.append(entry.id)
            if budget_base:
                share = amount / budget_base
                ledger.add(kind="derived", value=share, unit="%", decimals=printing.SHARE_DECIMALS, printed=printing.percent(share, printing.SHARE_DECIMALS),
                           role="share", subject=name, subject_kind="budget", label=f"{quoted(name)}占预算比例",
                           formula=f"{printed} ÷ {ids[base_field].printed} = {printing.percent(share, printing.SHARE_DECIMALS)}",
                           inputs=[entry.id, ids[base_field].id])
        total = sum(amounts.values())
        base, scale, printed = money_entry_values(total, unit)
        ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                   role="total", label=f"{label}合计", formula=" + ".join(ledger.get(i).printed for i in item_ids),
                   inputs=item_ids, **glob)
        if budget_base and abs(total - budget_base) > 0.005:
            base, scale, printed = money_entry_values(abs(budget_base - total), unit)
            ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                       role="balance", label=f"预算与{label}合计之差", inputs=item_ids, **glob)


def _add_tasks(ledger: Ledger, ev: Evaluation) -> None:
    unit = ev.budget.money_unit
    fund_ids = []
    for task in ev.tasks:
        if task.funds is None:
            continue
        base, scale, printed = money_entry_values(task.funds, unit)
        entry = ledger.add(kind="cell", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                           role="funds", subject=task.name, subject_kind="task", label=f"任务{quoted(task.name)}资金",
                           provenance=task.sources.get("funds"))
        fund_ids.append(entry.id)
    if len(fund_ids) > 1:
        total = sum(t.funds for t in ev.tasks if t.funds is not None)
        base, scale, printed = money_entry_values(total, unit)
        ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed, role="total",
                   subject=BUDGET_SUBJECT, subject_kind="budget", label="重点任务资金合计",
                   formula=" + ".join(ledger.get(i).printed for i in fund_ids), inputs=fund_ids)


def _add_totals(ledger: Ledger, card: ScoreCard) -> None:
    ev = card.evaluation
    glob = dict(subject=TOTAL_SUBJECT, subject_kind="evaluation")
    total = ledger.add(kind="derived", value=card.total, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(round(card.total, 2)),
                       role="total", label="自评得分（总分）", formula="各指标得分之和" + (
                           " + 预算执行率得分" if card.budget.score is not None else ""), **glob)
    ledger.add(kind="derived", value=card.total_points, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(card.total_points),
               role="total_points", label="指标分值合计", formula="各指标分值之和" + (
                   " + 预算执行率分值" if card.budget.weight else ""), **glob)
    if ev.stated_total is not None:
        stated_decimals = 2
        disputed = None
        # the tolerance scoring uses for its stated_total_mismatch finding (a total printed whole)
        if abs(ev.stated_total - card.total) > max(card.rules.score_tolerance, 0.5):
            disputed = f"按规则计算为{card.total:.2f}分"
        ledger.add(kind="cell", value=ev.stated_total, unit="分", decimals=stated_decimals,
                   printed=printing.points(ev.stated_total), role="total", label="填报自评得分", stated=True,
                   provenance=ev.sources.get("stated_total"), disputed=disputed, **glob)
    levels: dict[str, list[IndicatorScore]] = {}
    for s in card.indicators:
        levels.setdefault(s.level1, []).append(s)
    for level, scores in levels.items():
        weight = sum(s.weight for s in scores)
        got = sum(s.score or 0.0 for s in scores)
        ledger.add(kind="derived", value=weight, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(weight), role="weight",
                   subject=level, subject_kind="evaluation", label=f"{level}分值合计", formula="该级指标分值之和")
        ledger.add(kind="derived", value=got, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(round(got, 2)), role="score",
                   subject=level, subject_kind="evaluation", label=f"{level}得分合计", formula="该级指标得分之和",
                   inputs=[total.id])


def _add_points_lost(ledger: Ledger, card: ScoreCard) -> None:
    """Points lost (分值 − 得分): per indicator short of full marks, on budget execution, in total."""
    ids = []
    for s in card.indicators:
        if s.score is not None and s.weight - s.score > 0.005:
            lost = s.weight - s.score
            ids.append(ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                                  printed=printing.points(round(lost, 2)), role="lost", subject=s.name,
                                  subject_kind="indicator", label=f"{quoted(s.name)}扣分",
                                  formula=f"分值{printing.points(s.weight)} − 得分{printing.points(s.score)}").id)
    b = card.budget
    if b.score is not None and b.weight and b.weight - b.score > 0.005:
        lost = b.weight - b.score
        ids.append(ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                              printed=printing.points(round(lost, 2)), role="lost", subject=BUDGET_SUBJECT,
                              subject_kind="budget", label="预算执行率扣分",
                              formula=f"分值{printing.points(b.weight)} − 得分{printing.points(b.score)}").id)
    lost = card.total_points - card.total
    if lost > 0.005:
        ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(round(lost, 2)), role="lost", subject=TOTAL_SUBJECT,
                   subject_kind="evaluation", label="合计扣分",
                   formula=f"分值合计{printing.points(card.total_points)} − 总分{printing.points(card.total)}", inputs=ids)


# Words that compare a figure with a rule's threshold (`低于90%`, `不等于100分`, `超过130%`).
THRESHOLD_WORDS = "低于|高于|不足|未达|不等于|等于|超过|超出|以上|以下"


def _add_rules(ledger: Ledger, card: ScoreCard) -> None:
    """The scoring rules' thresholds a finding prints: the execution rate expected, the 100-point form,
    the completion above which a target looks too low. They verify only next to a comparing word."""
    rules = card.rules
    common = dict(kind="derived", subject=EVALUATION_SUBJECT, subject_kind="evaluation", role="rule",
                  formula="评分规则设定", cue=THRESHOLD_WORDS)
    ledger.add(value=rules.low_execution_threshold, unit="%", printed=printing.percent(rules.low_execution_threshold),
               label="预算执行率的要求（评分规则）", **common)
    ledger.add(value=rules.overachievement_threshold, unit="%", printed=printing.percent(rules.overachievement_threshold),
               label="完成率明显超出目标的界限（评分规则）", **common)
    ledger.add(value=100.0, unit="分", decimals=printing.POINTS_DECIMALS, printed="100分", label="百分制满分（评分规则）",
               **common)


LEVEL_WORDS = "|".join(LEVEL_MENTIONS)
MET_WORDS = "达到|达成|完成|达标|实现"
UNMET_WORDS = "未达到|未达成|未完成|未达标|未实现|没有达到"


def _count(ledger: Ledger, n: int, label: str, subject: str, subject_kind: str, formula: str,
           cue: str | None = None, cue_not: str | None = None) -> None:
    ledger.add(kind="derived", value=float(n), unit="", printed=f"{n}项", role="count", subject=subject,
               subject_kind=subject_kind, label=label, formula=formula, cue=cue, cue_not=cue_not)


def _add_counts(ledger: Ledger, card: ScoreCard) -> None:
    ev = card.evaluation
    n = len(card.indicators)
    met = sum(1 for s in card.indicators if s.met)
    plain = f"{MET_WORDS}|未|{LEVEL_WORDS}|超"
    _count(ledger, n, "绩效指标个数", EVALUATION_SUBJECT, "evaluation", "指标表行数", cue="指标", cue_not=plain)
    _count(ledger, met, "达到年度指标值的指标个数", EVALUATION_SUBJECT, "evaluation", f"{n}项指标中达标者",
           cue=MET_WORDS, cue_not=f"未|{LEVEL_WORDS}")
    unmet = sum(1 for s in card.indicators if s.met is False)
    # an indicator awaiting confirmation is neither met nor unmet: it is counted apart
    _count(ledger, unmet, "未达到年度指标值的指标个数", EVALUATION_SUBJECT, "evaluation",
           f"{n} − {met}" if unmet == n - met else f"{n}项指标中未达标者",
           cue=UNMET_WORDS, cue_not=LEVEL_WORDS)
    if card.review_count:
        pending = [s for s in card.indicators if s.counted and s.pending]
        _count(ledger, card.review_count, "待确认的指标个数", EVALUATION_SUBJECT, "evaluation",
               "有单元格待经办人确认、暂未评分的指标数", cue="待确认")
        ledger.add(kind="derived", value=card.review_points, unit="分", decimals=printing.POINTS_DECIMALS,
                   printed=printing.points(card.review_points), role="weight", subject=TOTAL_SUBJECT,
                   subject_kind="evaluation", label="待确认指标的分值合计", cue="待确认",
                   formula=" + ".join(printing.points(s.weight) for s in pending))
    if card.overachieving:
        _count(ledger, len(card.overachieving), "完成率明显超出目标的指标个数", EVALUATION_SUBJECT, "evaluation",
               f"完成率高于{printing.percent(card.rules.overachievement_threshold)}", cue="超")
    if ev.tasks:
        _count(ledger, len(ev.tasks), "重点工作任务个数", EVALUATION_SUBJECT, "evaluation", "任务表行数",
               cue="任务", cue_not=f"指标|{MET_WORDS}")
    for level, k in Counter(s.level1 for s in card.indicators).items():
        _count(ledger, k, f"{level}个数", EVALUATION_SUBJECT, "evaluation", f"一级指标为{level}的指标数",
               cue=level, cue_not=f"{MET_WORDS}|未")
    for level, k in Counter(s.level2 for s in card.indicators if s.level2).items():
        _count(ledger, k, f"{level}个数", EVALUATION_SUBJECT, "evaluation", f"二级指标为{level}的指标数",
               cue=level, cue_not=f"{MET_WORDS}|未")
    by_task: dict[str, list[IndicatorScore]] = {}
    for s in card.indicators:
        if s.task:
            by_task.setdefault(s.task, []).append(s)
    for task, scores in by_task.items():
        _count(ledger, len(scores), f"任务{quoted(task)}对应指标个数", task, "task", "关联该任务的指标数",
               cue="指标", cue_not=plain)
        for level, k in Counter(s.level1 for s in scores).items():
            _count(ledger, k, f"任务{quoted(task)}对应{level}个数", task, "task", f"关联该任务的{level}数",
                   cue=level, cue_not=f"{MET_WORDS}|未")
        task_met = sum(1 for s in scores if s.met)
        _count(ledger, task_met, f"任务{quoted(task)}达标指标个数", task, "task", "关联该任务且达标的指标数",
               cue=MET_WORDS, cue_not="未")
