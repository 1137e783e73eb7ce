"""Build a Ledger from a ScoreCard: data cells with provenance, derived values with formulas."""
from __future__ import annotations

from typing import Callable, Iterable

from .. import printing
from ..evaluation import Evaluation, Indicator
from ..quantities import Quantity, unit_compatible
from ..scoring import IndicatorScore, ScoreCard, ScoringRules, score, stated_completion_holds
from ..text import quoted
from .extract import extract_cached
from .names import clean_name, without_numbering
from .units import with_name_unit
from .ledger import (
    BUDGET_SUBJECT,
    EVALUATION_SUBJECT,
    Ledger,
    LedgerEntry,
    Subject,
    money_entry_values,
    quantity_parts,
)
from .ledger_totals import add_averages, add_counts, add_deductions, add_grades, add_rules, add_totals
from .subjects import level_subjects


def build_ledger(card: ScoreCard, known_docnos: Iterable[str] | Callable[[str], bool] | None = None) -> Ledger:
    """The ledger of a score card: every data cell and derived value it may print."""
    ev = card.evaluation
    ledger = Ledger(year=ev.year, unit_name=ev.unit_name, known_docnos=known_docnos)
    prov = ev.sources
    if ev.year is not None:           # an unknown year (a review item) is no figure a text may print
        ledger.add(kind="year", value=float(ev.year), unit="年", printed=f"{ev.year}年", role="year",
                   subject=EVALUATION_SUBJECT, subject_kind="evaluation", label="评价年度", provenance=prov.get("year"))
    _add_texts(ledger, ev)
    if ev.project:
        # the project itself: a mention of it is about the whole budget and evaluation
        plain = clean_name(ev.project)      # as a writer prints it: simplified, without pinyin
        ledger.add_subject(Subject(kind="project", name=ev.project,
                                   aliases=(plain,) if plain and plain != ev.project else ()))
    for task in ev.tasks:
        ledger.add_subject(Subject(kind="task", name=task.name, aliases=_task_aliases(task.name)))
    for indicator, scored in zip(ev.indicators, card.indicators):
        ledger.add_subject(Subject(kind="indicator", name=indicator.name, task=indicator.task,
                                   target_text=indicator.target.text,
                                   actual_text=indicator.actual.text if indicator.actual is not None else "",
                                   met=scored.met))
        _add_indicator(ledger, indicator, scored, ev.budget.money_unit)
        task = ledger.subjects.get(("task", indicator.task or ""))
        if task is not None:
            task.members.add(indicator.name)
    for level in level_subjects(dict.fromkeys([s.level1 for s in card.indicators] +
                                              [s.level2 for s in card.indicators if s.level2])):
        level.members.update(s.name for s in card.indicators if level.name in (s.level1, s.level2))
        ledger.add_subject(level)
    _add_budget(ledger, card)
    _add_tasks(ledger, ev)
    add_totals(ledger, card)
    add_counts(ledger, card)
    add_averages(ledger, card)
    add_grades(ledger, card)
    add_rules(ledger, card)
    add_deductions(ledger, card)
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


# Review items whose cells were read as printed: only the judgement awaits a person (a sentence target
# against a number), so the cells stay data a text may cite; every other kind holds its cell back.
CELLS_READ = frozenset({"undecidable"})


def _under_review(indicator: Indicator, scored: IndicatorScore | None = None) -> set[str]:
    """The fields whose cells await a person (could not be read as printed, or contradict themselves): no
    figure of theirs is a fact a text may state. The form's own score and completion cells stay: they are
    `stated`, verifying only where a sentence says they are the form's."""
    items = scored.needs_review if scored is not None else indicator.review
    return {REVIEW_FIELDS[item.column] for item in items if item.column in REVIEW_FIELDS and item.kind not in CELLS_READ}


def _printed(quantity: Quantity, value: float) -> str:
    return printing.number(value, quantity.unit, quantity.magnitude, quantity.decimals)


def _add_indicator(ledger: Ledger, indicator: Indicator, s: IndicatorScore, money_unit: str = "万元") -> None:
    name, src = indicator.name, indicator.sources
    common = dict(subject=name, subject_kind="indicator")
    short = quoted(name)
    held = _under_review(indicator, s)
    # numbers printed inside the indicator's own name (`本单位2023年接待…`)
    numbering = len(name) - len(without_numbering(name))
    for mention in extract_cached(name):
        if mention.kind == "number" and mention.value is not None:
            # the `1` of `指标1:` is a bare number of the name only, never a count or amount (`租车1次`)
            ledger.add(kind="cell", value=mention.value, unit=mention.unit, decimals=mention.decimals,
                       magnitude=mention.magnitude, printed=mention.text.strip(), role="name",
                       label=f"{short}指标名称中的数字", provenance=src.get("name"),
                       unitless=mention.start < numbering, **common)
    # a bare cell whose unit is in the name (`(万美元)`, `(≥**平方米)`, a money or rate name): also with it
    target_q = with_name_unit(indicator.target, name, money_unit)
    actual_q = with_name_unit(indicator.actual, name, money_unit) if indicator.actual is not None else None
    target_ids: list[tuple[LedgerEntry, Quantity]] = []
    for quantity, note in ((indicator.target, ""), (target_q, "（单位取自指标名称）")):
        if quantity is None or "target" in held:
            continue
        for value, part, which in quantity_parts(quantity):
            printed = part.text if which == "part" else (_printed(part, value) if which == "high" or note else part.text)
            if note and which == "value":
                printed = (part.text[:len(part.text) - len(part.text.lstrip("≥≤><=≧≦﹦═ "))] if part.comparator else "") \
                    + _printed(part, value)
            entry = ledger.add(kind="cell", value=value, unit=part.unit, decimals=part.decimals,
                               magnitude=part.magnitude, printed=printed, role="target", per=part.per,
                               label=f"{short}年度指标值" + ("（上限）" if which == "high" else "") + note,
                               provenance=src.get("target"), unitless=not note and target_q is not None, **common)
            if not note or target_q is not None:
                target_ids.append((entry, part))
    actual = indicator.actual
    actual_entry = None
    for quantity, note in ((actual, ""), (actual_q, "（单位取自指标名称）")):
        if quantity is not None and quantity.is_numeric and quantity.value is not None and "actual" not in held:
            entry = ledger.add(kind="cell", value=quantity.value, unit=quantity.unit, decimals=quantity.decimals,
                               magnitude=quantity.magnitude, printed=quantity.printed(), role="actual",
                               per=quantity.per, label=f"{short}实际完成值{note}", provenance=src.get("actual"),
                               unitless=not note and actual_q is not None, **common)
            actual_entry = actual_entry or entry
    for field, quantity in (("target", indicator.target), ("actual", indicator.actual)):
        # a held cell is still what the form prints: a sentence that says so (`年度指标值填为290%`) may cite it
        if field in held and quantity is not None and quantity.value is not None:
            why = next((item.reason for item in s.needs_review if REVIEW_FIELDS.get(item.column) == field), "待确认")
            ledger.add(kind="cell", value=quantity.value, unit=quantity.unit, decimals=quantity.decimals,
                       magnitude=quantity.magnitude, printed=quantity.text, role=field, per=quantity.per,
                       label=f"{short}{'年度指标值' if field == 'target' else '实际完成值'}（自评表所填）", stated=True,
                       disputed=why, provenance=src.get(field), **common)
    if s.weight is not None and "weight" not in held:
        ledger.add(kind="cell" if indicator.weight is not None else "derived", value=s.weight, unit="分",
                   decimals=2, printed=printing.points(s.weight), role="weight", label=f"{short}分值",
                   provenance=src.get("weight"),
                   formula=None if indicator.weight is not None else "按一级指标默认权重平均分配", **common)
    if target_q is not None or actual_q is not None:
        # differences in the unit the name gives (`多3333.56万美元`)
        target_ids = [(e, p) for e, p in target_ids if p.unit] or target_ids
        actual = actual_q or actual
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
        elif indicator.target.kind == "range" and len(compatible) == 2 and s.met is False:
            # outside a range: the distance to the end it missed (below the low end, above the high one)
            (low_entry, part), (high_entry, _) = compatible
            if actual.value < part.value:
                used = (low_entry, part.model_copy(update={"kind": "number"}))
            elif part.high is not None and actual.value > part.high:
                used = (high_entry, part.model_copy(update={"kind": "number", "value": part.high}))
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
    score_entry = None
    if s.score is not None:
        score_entry = ledger.add(kind="derived", value=s.score, unit="分", decimals=printing.POINTS_DECIMALS,
                                 printed=printing.points(s.score), role="score", label=f"{short}得分",
                                 formula=_score_formula(s), inputs=[completion_entry.id] if completion_entry else [],
                                 **common)
        _add_deduction(ledger, s.weight, s.score, short, [score_entry.id], common, stated=False)
    if indicator.stated_score is not None and "stated_score" not in held:
        disputed = None
        # a score the form states is contradicted only by the form's own weight: without one the
        # product's default weights are no evidence against it
        if s.score is not None and indicator.weight is not None and abs(indicator.stated_score - s.score) > 0.01:
            disputed = f"按规则计算应为{s.score:.2f}分"
        stated_entry = ledger.add(kind="cell", value=indicator.stated_score, unit="分", decimals=printing.POINTS_DECIMALS,
                                  printed=printing.points(indicator.stated_score), role="score", label=f"{short}填报得分",
                                  stated=True, provenance=src.get("stated_score") or src.get("score"), disputed=disputed,
                                  **common)
        if indicator.weight is not None:
            _add_deduction(ledger, indicator.weight, indicator.stated_score, short, [stated_entry.id], common,
                           stated=True)
        if disputed and score_entry is not None:
            # how far the form's score is from the rule's (`自评得分偏低1.44分`)
            diff = indicator.stated_score - s.score
            ledger.add(kind="derived", value=abs(diff), unit="分", decimals=printing.POINTS_DECIMALS,
                       printed=printing.points(abs(diff)), role="excess" if diff > 0 else "gap",
                       label=f"{short}填报得分与按规则计算得分之差",
                       formula=f"{printing.points(indicator.stated_score)} − {printing.points(s.score)}",
                       inputs=[stated_entry.id, score_entry.id], **common)
    if used and actual is not None and actual.value is not None:
        entry, part = used
        _add_differences(ledger, name, actual, part, inputs, short, common, s.completion)


def _add_differences(ledger: Ledger, name: str, actual: Quantity, part: Quantity, inputs: list[str], short: str,
                     common: dict, completion: float | None) -> None:
    """Gap or excess (absolute, printed as `printing.gap` prints it, and relative), the multiple (both
    ways: `是目标的1.34倍`, `上限是实际值的32.5倍`) and the ratio actual ÷ target where it is not the
    completion (a ceiling: `仅为上限的65.60%`)."""
    diff = actual.value - part.value
    if abs(diff) > 1e-12:
        # named by the sign, as reports word it: 超出 when above the target (for a ceiling too), 差 when below
        role = "excess" if diff > 0 else "gap"
        word = "超出" if role == "excess" else "差距"
        decimals = max(part.decimals, actual.decimals)
        printed = printing.gap(diff, part, actual)
        percent = part.unit == "%"
        ledger.add(kind="derived", value=abs(diff) * (100 if percent else 1), unit="百分点" if percent else part.unit,
                   decimals=decimals, magnitude=1.0 if percent else part.magnitude, printed=printed, role=role,
                   per=part.per, label=f"{short}{word}（{'个百分点' if percent else part.unit or '数值'}）",
                   formula=f"{actual.printed()} − {part.printed()}" if diff > 0 else f"{part.printed()} − {actual.printed()}",
                   inputs=inputs, **common)
        if part.value:
            relative = abs(diff) / abs(part.value)
            ledger.add(kind="derived", value=relative, unit="%", printed=printing.percent(relative),
                       role=f"{role}_relative", label=f"{short}{word}比例",
                       formula=f"|{actual.printed()} − {part.printed()}| ÷ {part.printed()} = {printing.percent(relative)}",
                       inputs=inputs, **common)
    if not (part.value and actual.value):
        return
    ratio = actual.value / part.value
    ledger.add(kind="derived", value=ratio, unit="倍", decimals=printing.MULTIPLE_DECIMALS,
               printed=printing.multiple(ratio), role="multiple", label=f"{short}实际完成值是年度指标值的倍数",
               formula=f"{actual.printed()} ÷ {part.printed()} = {printing.multiple(ratio)}", inputs=inputs, **common)
    if ratio < 1:
        inverse = 1 / ratio
        ledger.add(kind="derived", value=inverse, unit="倍", decimals=printing.MULTIPLE_DECIMALS,
                   printed=printing.multiple(inverse), role="multiple", label=f"{short}年度指标值是实际完成值的倍数",
                   formula=f"{part.printed()} ÷ {actual.printed()} = {printing.multiple(inverse)}", inputs=inputs,
                   **common)
    if completion is None or abs(completion - ratio) > 1e-9:
        shown = printing.percent(ratio, printing.SHARE_DECIMALS)
        ledger.add(kind="derived", value=ratio, unit="%", decimals=printing.SHARE_DECIMALS, printed=shown,
                   role="ratio", label=f"{short}实际完成值占年度指标值的比例",
                   formula=f"{actual.printed()} ÷ {part.printed()} = {shown}", inputs=inputs, **common)


def _add_deduction(ledger: Ledger, weight: float | None, got: float, short: str, inputs: list[str], common: dict,
                   stated: bool) -> None:
    """Points lost: 分值 − 得分 (`扣2分`), of the computed score or of the form's own."""
    if weight is None or weight - got <= 0.005:
        return
    lost = weight - got
    ledger.add(kind="derived", value=lost, unit="分", decimals=printing.POINTS_DECIMALS, printed=printing.points(lost),
               role="deduction", label=f"{short}{'填报' if stated else ''}扣分",
               formula=f"{printing.points(weight)} − {printing.points(got)}", inputs=inputs, stated=stated, **common)


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
        if rate < 1:
            points = printing.points_gap(1 - rate, printing.EXECUTION_DECIMALS)
            ledger.add(kind="derived", value=(1 - rate) * 100, unit="百分点", decimals=printing.EXECUTION_DECIMALS,
                       printed=points, role="gap", label="预算执行率距全额执行之差",
                       formula=f"100% − {printing.percent(rate, printing.EXECUTION_DECIMALS)} = {points}",
                       inputs=[rate_entry.id], **glob)
        balance = getattr(b, base_field) - b.spent
        base, scale, printed = money_entry_values(balance, unit)
        ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                   role="balance", label="预算结余（预算 − 实际支出）", formula=f"{base_p} − {spent_p} = {printed}",
                   inputs=[ids[base_field].id, ids["spent"].id], **glob)
        if balance < 0:
            # spending above the budget (`超出年初预算96.17万元`, `超支比例8.20%`)
            base, scale, printed = money_entry_values(-balance, unit)
            over = ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale,
                              printed=printed, role="excess", label="超预算支出（实际支出 − 预算）",
                              formula=f"{spent_p} − {base_p} = {printed}",
                              inputs=[ids["spent"].id, ids[base_field].id], **glob)
            ledger.add(kind="derived", value=rate - 1, unit="%", decimals=printing.EXECUTION_DECIMALS,
                       printed=printing.percent(rate - 1, printing.EXECUTION_DECIMALS), role="excess_relative",
                       label="超预算支出比例", formula=f"{printing.percent(rate, printing.EXECUTION_DECIMALS)} − 100%",
                       inputs=[over.id, rate_entry.id], **glob)
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
    budget = ev.budget.effective_budget
    fund_ids = []
    for task in ev.tasks:
        if task.funds is None:
            continue
        base, scale, printed = money_entry_values(task.funds, unit)
        entry = ledger.add(kind="cell", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale, printed=printed,
                           role="funds", subject=task.name, subject_kind="task", label=f"任务{quoted(task.name)}资金",
                           provenance=task.sources.get("funds"))
        fund_ids.append(entry.id)
        if budget:
            _share(ledger, task.funds / budget, entry, task.name, "task", f"任务{quoted(task.name)}资金占预算比例")
    if len(fund_ids) > 1:
        total = sum(t.funds for t in ev.tasks if t.funds is not None)
        base, scale, printed = money_entry_values(total, unit)
        entry = ledger.add(kind="derived", value=base, unit="元", decimals=printing.MONEY_DECIMALS, magnitude=scale,
                           printed=printed, role="total", subject=BUDGET_SUBJECT, subject_kind="budget",
                           label="重点任务资金合计", formula=" + ".join(ledger.get(i).printed for i in fund_ids),
                           inputs=fund_ids)
        if budget:
            _share(ledger, total / budget, entry, BUDGET_SUBJECT, "budget", "重点任务资金合计占预算比例")


def _share(ledger: Ledger, share: float, part: LedgerEntry, subject: str, subject_kind: str, label: str) -> None:
    # the budget execution is measured against: the adjusted budget when given (added last)
    budget = [e for e in ledger.entries if e.role == "budget" and e.subject == BUDGET_SUBJECT][-1]
    printed = printing.percent(share, printing.SHARE_DECIMALS)
    ledger.add(kind="derived", value=share, unit="%", decimals=printing.SHARE_DECIMALS, printed=printed, role="share",
               subject=subject, subject_kind=subject_kind, label=label,
               formula=f"{part.printed} ÷ {budget.printed} = {printed}", inputs=[part.id, budget.id])


