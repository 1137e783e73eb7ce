"""Audit a published report: recompute what it states and list every statement that does not hold.

The report's own text is read (page numbers `— 2 —` dropped, lines joined, stray spaces removed) and
these statements are recomputed:
- indicator lines in seed 000's pattern: 指标为“…≥12场”，实际完成16场，完成率133%; also
  实际完成指标值为2014人次, compound targets (≥60批次或200人次, the part whose unit the actual uses),
  a unit printed before the comparator (…人次≥1500), 超额完成/超出…% against actual ÷ target − 1.
  A completion holds when it equals actual ÷ target at its printed precision or, for a rate
  indicator, the achieved rate (`scoring.stated_completion_holds`, the same rule as scoring);
- the budget line: 预算…万元, 实际支出…万元, 执行率…% (spent ÷ budget at the printed precision);
- a budget followed by its breakdown list ((1) 场地租赁费 54.50; …): the items must add up;
- 自评得分 and its grade (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差); component scores or weights listed per
  first-level indicator against the stated total or 分值共计.
With the data (`evaluation`), stated targets, actuals, budget, spending and total are also compared
with the data, and the stated total with the total computed by the scoring rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from .. import printing
from ..evaluation import Evaluation, Indicator
from ..quantities import PREFIX_COMPARATORS, UNITS, Quantity, QuantityError, parse_quantity, unit_compatible
from ..scoring import ScoringRules, grade_for, score, score_indicator, stated_completion_holds
from ..text import PAGE_NUMBER, PAGE_OF
from .extract import Mention, extract
from .ledger import Ledger
from .ledger_build import evaluation_ledger
from .subjects import match_quote

_PAGE_LINE = re.compile(rf"^\s*(?:{PAGE_NUMBER}|{PAGE_OF})\s*$")
_CMP = "|".join(re.escape(w) for w in sorted(PREFIX_COMPARATORS, key=len, reverse=True))
_TARGET_START = re.compile(rf"(?:{_CMP})\s*\d")
_UNIT_BEFORE = re.compile(
    r"(?:[(（](?P<paren>[^()（）]{1,4})[)）]|(?P<unit>" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
    + r"))$")
_GRADE = re.compile(r"(?:自评结果|评价结果|评价等级|等级|结果)(?:为|是|：|:)?[“\"]?(?P<grade>优秀|优|良好|良|中等|中|合格|差|不合格)")
_TOTAL = re.compile(r"(?:自评得分|综合得分|总得分|评价得分|总分)(?:为|是|：|:)?(?P<num>\d+(?:\.\d+)?)分")
_TOTAL_POINTS = re.compile(r"分值(?:共计|合计|总计|为)(?P<num>\d+(?:\.\d+)?)分")
_LEVELS = "产出|效益|满意度|成本|预算执行|过程|决策|管理|项目决策|项目过程|项目产出|项目效益"
_LEVEL_SCORE = re.compile(rf"(?P<level>{_LEVELS})(?:指标|率)?(?:得分|得)(?:为|：|:)?(?P<num>\d+(?:\.\d+)?)分")
_LEVEL_WEIGHT = re.compile(rf"(?P<level>{_LEVELS})(?:指标|率)?(?:分值|权重|满分)(?:为|：|:)?(?P<num>\d+(?:\.\d+)?)分")
_ITEM = re.compile(r"(?:[-•·*]\s*)?(?:[(（]\d{1,2}[)）]|\d{1,2}[.、])(?P<name>[\u4e00-\u9fff]{2,20}?)[：:为]?"
                   r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<unit>万元|亿元|万|元)?[；;。，,]?")
GRADE_WORDS = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中",
               "差": "差", "不合格": "差"}


class AuditFinding(BaseModel):
    text: str            # the statement as the report prints it (flattened)
    stated: str
    computed: str
    kind: str            # completion_rate, excess_rate, execution_rate, breakdown_sum, grade, total_sum, …
    message: str = ""


class AuditResult(BaseModel):
    findings: list[AuditFinding] = Field(default_factory=list)
    checked: int = 0
    statements: list[dict] = Field(default_factory=list)   # every statement recomputed, holding or not

    def to_json(self) -> dict:
        return {"findings": [f.model_dump(include={"text", "stated", "computed", "kind", "message"})
                             for f in self.findings], "checked": self.checked}


def flatten_report(text: str) -> str:
    """Page-number lines dropped, wrapped lines joined, spaces next to Chinese removed."""
    lines = [line.strip() for line in text.splitlines() if not _PAGE_LINE.match(line)]
    joined = "".join(lines)
    joined = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", joined)
    return re.sub(r"(?<=\d)\s+(?=[%万亿元])", "", joined)


@dataclass
class _Statement:
    start: int
    end: int
    target: Quantity
    actual: Quantity | None
    stated_completion: Quantity | None
    excess: Quantity | None
    quote: str


def audit(text: str, evaluation: Evaluation | None = None, rules: ScoringRules | None = None) -> AuditResult:
    rules = rules or ScoringRules()
    flat = flatten_report(text)
    result = AuditResult()
    ledger = None
    if evaluation is not None:
        ledger = evaluation_ledger(evaluation, rules)
    for statement in _indicator_statements(flat):
        _audit_indicator(flat, statement, result, rules, evaluation, ledger)
    _audit_budget(flat, result, evaluation)
    _audit_breakdown(flat, result, evaluation)
    _audit_scores(flat, result, evaluation, rules)
    return result


# --- indicator lines ------------------------------------------------------------------------------

def _quotes(flat: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for k, ch in enumerate(flat):
        if ch == "“":
            start = k
        elif ch == "”" and start is not None:
            spans.append((start, k + 1))
            start = None
    return spans


def parse_target(quote: str) -> Quantity | None:
    """The target a quoted indicator ends with: `…≥12场`, `…人次≥1500`, `…≥60批次或200人次`."""
    match = _TARGET_START.search(quote)
    if not match:
        tail = re.search(r"(\d+(?:\.\d+)?%)$", quote)
        if not tail:
            return None
        return parse_quantity(tail.group(1))
    head, tail = quote[:match.start()], quote[match.start():]
    default_unit = ""
    unit = _UNIT_BEFORE.search(head)
    if unit:
        default_unit = unit.group("unit") or (unit.group("paren") if unit.group("paren") in UNITS else "")
    try:
        target = parse_quantity(tail, default_unit)
    except QuantityError:
        return None
    return target if target.is_numeric else None


def _after(mentions: list[Mention], flat: str, cue: str, start: int, end: int) -> Mention | None:
    k = flat.find(cue, start, end)
    if k < 0:
        return None
    return next((m for m in mentions if m.kind == "number" and m.start >= k + len(cue) and m.end <= end), None)


def _indicator_statements(flat: str) -> list[_Statement]:
    quotes = _quotes(flat)
    statements = []
    for k, (q_start, q_end) in enumerate(quotes):
        quote = flat[q_start + 1:q_end - 1]
        target = parse_target(quote)
        if target is None:
            continue
        limit = min(quotes[k + 1][0] if k + 1 < len(quotes) else len(flat), q_end + 200)
        window_mentions = [Mention(**{**m.__dict__, "start": m.start + q_end, "end": m.end + q_end})
                           for m in extract(flat[q_end:limit])]
        actual_m = _after(window_mentions, flat, "实际", q_end, limit)
        if actual_m is None:
            continue
        try:
            actual = parse_quantity(actual_m.text, target.unit if not actual_m.unit else "")
        except QuantityError:
            continue
        completion_m = _after(window_mentions, flat, "完成率", actual_m.end, limit)
        excess_m = None
        for cue in ("超额完成", "超出目标", "超出", "超额"):
            excess_m = _after(window_mentions, flat, cue, actual_m.end, limit)
            if excess_m is not None and excess_m.unit == "%":
                break
            excess_m = None
        stated = parse_quantity(completion_m.text) if completion_m is not None and completion_m.unit == "%" else None
        excess = parse_quantity(excess_m.text) if excess_m is not None else None
        end = max(m.end for m in (actual_m, completion_m, excess_m) if m is not None)
        statements.append(_Statement(q_start, end, target, actual, stated, excess, quote))
    return statements


def _audit_indicator(flat: str, st: _Statement, result: AuditResult, rules: ScoringRules,
                     evaluation: Evaluation | None, ledger) -> None:
    text = flat[st.start:st.end]
    indicator = Indicator(level1="产出指标", name=st.quote, target=st.target, actual=st.actual)
    scored = score_indicator(0, indicator, 1.0, rules)
    record = {"kind": "indicator", "text": text, "target": st.target.text, "actual": st.actual.text,
              "completion": scored.completion}
    result.statements.append(record)
    if st.stated_completion is not None and scored.completion is not None:
        result.checked += 1
        holds = stated_completion_holds(st.stated_completion, scored.completion, st.target, st.actual)
        record["holds"] = holds
        if not holds:
            computed = printing.percent(scored.completion, st.stated_completion.decimals)
            result.findings.append(AuditFinding(
                text=text, stated=st.stated_completion.text, computed=computed, kind="completion_rate",
                message=f"完成率印作{st.stated_completion.text}，按实际{st.actual.text}÷目标{_used_part(st)}计算应为{computed}"))
    if st.excess is not None and scored.completion is not None:
        result.checked += 1
        computed_excess = scored.completion - 1
        if printing.percent(computed_excess, st.excess.decimals) != printing.percent(st.excess.value, st.excess.decimals):
            computed = printing.percent(computed_excess, max(1, st.excess.decimals))
            result.findings.append(AuditFinding(
                text=text, stated=st.excess.text, computed=computed, kind="excess_rate",
                message=f"超出比例印作{st.excess.text}，按（实际÷目标−1）计算应为{computed}"))
    if ledger is not None and evaluation is not None:
        _compare_with_data(text, st, result, ledger, evaluation)


def _used_part(st: _Statement) -> str:
    if st.target.kind != "compound" or st.actual is None:
        return st.target.text
    part = next((p for p in st.target.alternatives if unit_compatible(p.unit, st.actual.unit)), st.target.alternatives[0])
    return part.text


def _compare_with_data(text: str, st: _Statement, result: AuditResult, ledger: Ledger,
                       evaluation: Evaluation) -> None:
    subject, _ = match_quote(st.quote, ledger)
    if subject is None or subject.kind != "indicator":
        return
    try:
        indicator = evaluation.indicator(subject.name)
    except KeyError:
        return
    result.checked += 1
    if indicator.target.value is not None and st.target.value is not None \
            and abs(indicator.target.value - st.target.value) > 1e-9 * max(1.0, abs(st.target.value)):
        result.findings.append(AuditFinding(text=text, stated=st.target.text, computed=indicator.target.text,
                                            kind="target_mismatch",
                                            message=f"报告所列目标值{st.target.text}与数据中的{indicator.target.text}不符"))
    if indicator.actual is not None and indicator.actual.value is not None and st.actual is not None \
            and st.actual.value is not None \
            and abs(indicator.actual.value - st.actual.value) > 1e-9 * max(1.0, abs(st.actual.value)):
        result.findings.append(AuditFinding(text=text, stated=st.actual.text, computed=indicator.actual.text,
                                            kind="actual_mismatch",
                                            message=f"报告所列实际完成值{st.actual.text}与数据中的{indicator.actual.text}不符"))


# --- budget ---------------------------------------------------------------------------------------

def _sentences(flat: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for k, ch in enumerate(flat):
        if ch == "。":
            spans.append((start, k + 1))
            start = k + 1
    if start < len(flat):
        spans.append((start, len(flat)))
    return spans


def _money_after(flat: str, mentions: list[Mention], cues: tuple[str, ...], start: int, end: int) -> Mention | None:
    best = None
    for cue in cues:
        k = flat.find(cue, start, end)
        while k >= 0:
            found = next((m for m in mentions if m.start >= k + len(cue) and m.unit == "元"), None)
            if found is not None and (best is None or found.start < best.start):
                best = found
            k = flat.find(cue, k + 1, end)
    return best


def _audit_budget(flat: str, result: AuditResult, evaluation: Evaluation | None) -> None:
    for start, end in _sentences(flat):
        sentence = flat[start:end]
        if "执行率" not in sentence:
            continue
        mentions = [Mention(**{**m.__dict__, "start": m.start + start, "end": m.end + start})
                    for m in extract(sentence) if m.kind == "number"]
        rate_m = _after(mentions, flat, "执行率", start, end)
        budget_m = _money_after(flat, mentions, ("预算安排资金", "预算安排", "预算", "安排资金"), start, end)
        spent_m = _money_after(flat, mentions, ("实际支出", "支出", "决算"), start, end)
        if rate_m is None or rate_m.unit != "%" or budget_m is None or spent_m is None or not budget_m.value:
            continue
        rate = spent_m.value / budget_m.value
        stated = parse_quantity(rate_m.text)
        result.checked += 1
        holds = printing.percent(rate, stated.decimals) == printing.percent(stated.value, stated.decimals)
        result.statements.append({"kind": "execution_rate", "text": sentence, "computed": rate, "holds": holds})
        if not holds:
            computed = printing.percent(rate, max(2, stated.decimals))
            result.findings.append(AuditFinding(
                text=sentence, stated=stated.text, computed=computed, kind="execution_rate",
                message=f"预算执行率印作{stated.text}，按实际支出÷预算计算应为{computed}"))
        if evaluation is not None:
            _compare_money(sentence, budget_m, evaluation, "budget", result)
            _compare_money(sentence, spent_m, evaluation, "spent", result)


def _compare_money(sentence: str, mention: Mention, evaluation: Evaluation, field: str, result: AuditResult) -> None:
    budget = evaluation.budget
    amount = budget.effective_budget if field == "budget" else budget.spent
    if amount is None:
        return
    data_value = budget.to_yuan(amount)
    result.checked += 1
    if abs(data_value - mention.value) > 0.5 * 10 ** (-mention.decimals) * mention.magnitude:
        label = "预算" if field == "budget" else "实际支出"
        data_text = f"{amount:.2f}{budget.money_unit}"
        result.findings.append(AuditFinding(text=sentence, stated=mention.text.strip(), computed=data_text,
                                            kind=f"{field}_mismatch",
                                            message=f"报告所列{label}{mention.text.strip()}与数据中的{data_text}不符"))


def _audit_breakdown(flat: str, result: AuditResult, evaluation: Evaluation | None) -> None:
    """A budget amount followed by a numbered list of amounts: the list must add up to it."""
    for match in re.finditer(r"预算(?:资金)?(?:为|：|:)?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<unit>万元|亿元|元)", flat):
        position = match.end()
        items = []
        while True:
            head = re.match(r"[。；;，,]?", flat[position:])
            item = _ITEM.match(flat, position + (head.end() if head else 0))
            if not item:
                break
            items.append(item)
            position = item.end()
        if len(items) < 2:
            continue
        scale = {"万元": 1e4, "亿元": 1e8, "元": 1.0}
        total = float(match.group("num").replace(",", "")) * scale[match.group("unit")]
        default = scale[match.group("unit")]
        parts = [float(i.group("num").replace(",", "")) * (scale.get(i.group("unit") or "", None)
                                                             or (1e4 if i.group("unit") == "万" else default))
                 for i in items]
        result.checked += 1
        text = flat[match.start():position]
        holds = abs(sum(parts) - total) <= 0.005 * default + 1e-6
        result.statements.append({"kind": "breakdown_sum", "text": text, "holds": holds})
        if not holds:
            unit = match.group("unit")
            computed = f"{sum(parts) / default:.2f}{unit}"
            result.findings.append(AuditFinding(
                text=text, stated=f"{match.group('num')}{unit}", computed=computed, kind="breakdown_sum",
                message=f"各项资金合计{computed}，与所列预算{match.group('num')}{unit}不符"))


# --- scores ---------------------------------------------------------------------------------------

def _audit_scores(flat: str, result: AuditResult, evaluation: Evaluation | None, rules: ScoringRules) -> None:
    for start, end in _sentences(flat):
        sentence = flat[start:end]
        total = _TOTAL.search(sentence)
        grade = _GRADE.search(sentence)
        if total and grade:
            stated_total = float(total.group("num"))
            stated_grade = GRADE_WORDS[grade.group("grade")]
            computed = grade_for(stated_total, rules)
            result.checked += 1
            result.statements.append({"kind": "grade", "text": sentence, "holds": computed == stated_grade})
            if computed != stated_grade:
                result.findings.append(AuditFinding(
                    text=sentence, stated=grade.group("grade"), computed=computed, kind="grade",
                    message=f"得分{total.group('num')}分应为“{computed}”，报告印作“{grade.group('grade')}”"))
        if total:
            scores = _LEVEL_SCORE.findall(flat)
            if len(scores) >= 2:
                parts = sum(float(n) for _, n in scores)
                stated_total = float(total.group("num"))
                result.checked += 1
                if abs(parts - stated_total) > 0.005:
                    result.findings.append(AuditFinding(
                        text=sentence, stated=f"{total.group('num')}分", computed=f"{parts:g}分", kind="total_sum",
                        message=f"各部分得分合计{parts:g}分，报告总分印作{total.group('num')}分"))
            if evaluation is not None:
                computed_total = score(evaluation, rules).total
                result.checked += 1
                if abs(computed_total - float(total.group("num"))) > 0.005 + 10 ** -(len(total.group("num").partition(".")[2])) / 2:
                    result.findings.append(AuditFinding(
                        text=sentence, stated=f"{total.group('num')}分", computed=f"{computed_total:.2f}分",
                        kind="total_mismatch",
                        message=f"报告自评得分{total.group('num')}分，按数据和评分规则计算为{computed_total:.2f}分"))
        points = _TOTAL_POINTS.search(sentence)
        if points:
            weights = _LEVEL_WEIGHT.findall(flat)
            if len(weights) >= 2:
                parts = sum(float(n) for _, n in weights)
                result.checked += 1
                if abs(parts - float(points.group("num"))) > 0.005:
                    result.findings.append(AuditFinding(
                        text=sentence, stated=f"{points.group('num')}分", computed=f"{parts:g}分", kind="weights_sum",
                        message=f"各部分分值合计{parts:g}分，报告印作{points.group('num')}分"))
