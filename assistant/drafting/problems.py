"""The problems a report must state, derived from the score card only (never invented), each with
the improvement measure it calls for and the words that find supporting text in the index.

Kinds, in the order a report states them: unmet indicators (with gaps and reasons), low budget
execution, missing deviation reasons, inconsistencies the scoring found in the form's own
figures, qualitative indicators with no measurable evidence, indicators with no actual, and
targets set far below what was achieved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import printing
from ..figures import budget_weight_added
from ..scoring import IndicatorScore, ScoreCard
from ..text import quoted

INCONSISTENCY_KINDS = ("stated_completion_mismatch", "stated_score_mismatch", "stated_execution_rate_mismatch",
                       "stated_total_mismatch", "stated_total_sum_mismatch", "stated_grade_mismatch",
                       "weights_sum", "missing_weights")


@dataclass
class Problem:
    kind: str
    title: str                      # a short 公文 phrase: 部分绩效指标未完成年度目标
    text: str                       # the facts behind it, every figure from the ledger
    measure_title: str
    measure_text: str
    subjects: list[str] = field(default_factory=list)
    report_query: str = ""          # how past reports phrase this problem
    report_words: tuple[str, ...] = ()
    policy_query: str = ""          # the policy text a measure rests on
    policy_words: tuple[str, ...] = ()


def unmet_line(s: IndicatorScore, card: ScoreCard) -> str:
    indicator = card.evaluation.indicators[s.index]
    target, actual = indicator.target, indicator.actual
    head = f"{quoted(s.name)}年度指标值为“{target.text.strip()}”"
    if actual is None:
        return head + "，未填报实际完成值"
    if not target.is_numeric or not actual.is_numeric:
        body = f"，实际完成情况为“{actual.text.strip()}”，未完全达成年度指标"
    elif s.direction == "negative":
        body = f"，实际为{printing.quantity(actual, target.unit)}，超出年度指标值{printing.gap(s.gap, target, actual)}"
    else:
        body = f"，实际完成{printing.quantity(actual, target.unit)}，完成率{printing.rate(s.completion)}"
        if s.gap:
            part = next((p for p in (target.alternatives or (target,)) if p.unit == s.unit), target)
            body += f"，差距{printing.gap(s.gap, part, actual)}"
    reason = (s.reason or "").strip().rstrip("。；;")
    tail = f"，偏差原因为{reason}" if reason else "，未说明偏差原因"
    return head + body + tail


def derive_problems(card: ScoreCard) -> list[Problem]:
    evaluation = card.evaluation
    problems: list[Problem] = []
    findings_by_kind: dict[str, list] = {}
    for finding in card.findings:
        findings_by_kind.setdefault(finding.kind, []).append(finding)

    unmet = [s for s in card.indicators if s.met is False]
    if unmet:
        lines = [unmet_line(s, card) for s in unmet]
        problems.append(Problem(
            kind="unmet", title="部分绩效指标未完成年度目标",
            text="；".join(lines) + "。",
            measure_title="加强绩效运行监控，及时纠正执行偏差",
            measure_text="对未完成年度指标值的事项逐项分析原因，明确责任科室和完成时限，在年中绩效运行监控中"
                         "重点跟踪其执行进度，发现偏离绩效目标的及时采取措施予以纠正，确保年度绩效目标如期实现。",
            subjects=[s.name for s in unmet],
            report_query="绩效指标未完成 偏差原因 存在的问题", report_words=("未完成", "未达到", "偏差", "差距"),
            policy_query="预算执行绩效与绩效目标发生偏离时，预算部门应当及时采取措施予以纠正",
            policy_words=("偏离", "纠正", "监控", "跟踪"),
        ))

    budget = card.budget
    if "low_execution" in findings_by_kind and budget.execution_rate is not None:
        unit = budget.unit
        problems.append(Problem(
            kind="low_execution", title="预算执行进度偏慢",
            text=f"全年预算{printing.money(evaluation.budget.effective_budget, unit)}，实际支出"
                 f"{printing.money(budget.spent, unit)}，预算执行率为{printing.rate(budget.execution_rate, 2)}，"
                 f"部分资金未能按计划支出，资金使用效益未能充分发挥。",
            measure_title="加快预算执行进度，提高资金使用效益",
            measure_text="严格执行预算，按照项目实施计划合理安排支出进度，定期通报预算执行情况，对执行缓慢的"
                         "项目及时分析原因、督促整改；对确实无法支出的资金按规定及时调整或交回。",
            subjects=["预算"],
            report_query="预算执行率偏低 资金支出进度慢", report_words=("执行率", "支出进度", "执行进度"),
            policy_query="严格执行预算，合理安排支出进度", policy_words=("支出进度", "执行预算", "执行进度"),
        ))

    missing_reason = findings_by_kind.get("missing_reason", [])
    if missing_reason:
        problems.append(_about(
            [f.subject for f in missing_reason],
            kind="missing_reason", title="偏差原因分析不够充分",
            text="{names}未完成年度指标值，但自评材料未填写偏差原因，难以判断未完成的原因及其影响。",
            measure_title="完善偏差原因分析",
            measure_text="对未完成或明显超额完成的指标，逐项说明偏差原因，区分客观因素和主观因素，"
                         "并提出相应改进措施，作为下一年度绩效目标设置的参考。",
            report_query="偏差原因 分析 自评", report_words=("偏差", "原因"),
            policy_query="绩效自评 偏差原因 分析 绩效报告", policy_words=("自评", "绩效报告", "偏差"),
        ))

    inconsistent = [f for kind in INCONSISTENCY_KINDS for f in findings_by_kind.get(kind, [])]
    if inconsistent:
        problems.append(Problem(
            kind="inconsistency", title="自评数据存在计算差错",
            text="经复核，" + "；".join(inconsistency_line(f, card) for f in inconsistent) + "。",
            measure_title="严格复核自评数据",
            measure_text="建立自评数据复核机制，由经办科室填报、综合科复核，逐项核对实际完成值、完成率、"
                         "得分及合计数，确保自评报告数据真实、准确、完整。",
            subjects=[f.subject for f in inconsistent],
            report_query="自评数据 计算错误 复核", report_words=("复核", "准确", "数据"),
            policy_query="绩效评价结果 真实 准确 完整", policy_words=("真实", "准确", "完整"),
        ))

    qualitative = [s for s in card.indicators if s.direction == "qualitative" and s.actual is not None
                   and not _has_number(s.actual)]
    unclear = [f for f in findings_by_kind.get("no_evidence", []) if f.subject not in {s.name for s in qualitative}]
    if qualitative or unclear:
        problems.append(_about(
            [s.name for s in qualitative] + [f.subject for f in unclear],
            kind="no_evidence", title="部分绩效指标量化程度不高",
            text="{names}为定性指标，实际完成情况仅以文字表述，缺少可衡量的数据和佐证材料，"
                 "难以客观反映绩效目标的实现程度。",
            measure_title="细化量化绩效指标",
            measure_text="对能够量化的指标尽量以数量、比率、时限等形式设置指标值；确需定性表述的，明确评价标准，"
                         "同步收集佐证材料，提高绩效指标的可衡量性。",
            report_query="绩效指标 量化 定性 佐证材料", report_words=("量化", "定性", "佐证"),
            policy_query="绩效目标应当指向明确、具体、可行", policy_words=("明确", "具体", "可行", "量化"),
        ))

    no_actual = findings_by_kind.get("no_actual", [])
    if no_actual:
        problems.append(_about(
            [f.subject for f in no_actual],
            kind="no_actual", title="部分绩效指标缺少实际完成数据",
            text="{names}未填写实际完成值，无法评价其完成情况。",
            measure_title="完善绩效数据采集",
            measure_text="建立绩效指标完成数据台账，在年中监控和年末自评时按指标逐项采集实际完成值及佐证材料。",
            report_query="实际完成值 数据 采集", report_words=("数据", "台账"),
            policy_query="统计预算执行中有关绩效数据", policy_words=("绩效数据", "统计"),
        ))

    if card.overachieving:
        parts = "、".join(f"{quoted(s.name)}完成率{printing.rate(s.completion)}" for s in card.overachieving)
        problems.append(Problem(
            kind="target_too_low", title="部分绩效目标设置偏低",
            text=f"{parts}，实际完成值远超年度指标值，反映出绩效目标设置偏保守，"
                 f"未能充分发挥绩效目标对预算编制和执行的引导约束作用。",
            measure_title="科学合理设置绩效目标",
            measure_text="编报下一年度预算时，结合以前年度实际完成情况和当年工作计划合理测算指标值，"
                         "避免出现实际完成值与年度指标值差异过大的情况；对已不适用的指标及时替换更新。",
            subjects=[s.name for s in card.overachieving],
            report_query="实现值与预期值差异过大 合理设置绩效指标",
            report_words=("差异过大", "实现值", "预期值", "合理设置"),
            policy_query="绩效目标应当指向明确、具体、可行，有确定的实现期限", policy_words=("绩效目标", "明确", "可行"),
        ))
    return problems


def _about(names: list[str], *, text: str, **problem) -> Problem:
    """A problem stated of the indicators it names: `text` holds `{names}`, the names quoted."""
    return Problem(text=text.format(names="、".join(quoted(name) for name in names)), subjects=names, **problem)


def inconsistency_line(finding, card: ScoreCard) -> str:
    """A scoring finding in report language: the form's stated figure beside the recomputed one.

    The stated figure is printed after the word 填报, which is how the checker accepts a stated
    cell its own formula contradicts (anywhere else such a cell verifies nothing)."""
    kind, name, ev = finding.kind, finding.subject, card.evaluation
    s = next((x for x in card.indicators if x.name == name), None)
    indicator = ev.indicators[s.index] if s is not None else None
    if kind == "stated_completion_mismatch" and indicator is not None and indicator.actual is not None \
            and indicator.stated_completion is not None:
        actual = printing.quantity(indicator.actual, indicator.target.unit)
        return (f"{quoted(name)}自评表填报完成率为{indicator.stated_completion.text.strip()}，按实际完成值{actual}、"
                f"年度指标值“{indicator.target.text.strip()}”计算，完成率应为{finding.computed}")
    if kind == "stated_score_mismatch" and indicator is not None and s.score is not None \
            and indicator.stated_score is not None:
        return (f"{quoted(name)}自评表填报得分为{printing.points(indicator.stated_score)}，按评分规则计算应得"
                f"{printing.points(s.score)}")
    if kind == "stated_execution_rate_mismatch" and card.budget.execution_rate is not None \
            and ev.stated_execution_rate is not None:
        unit = card.budget.unit
        return (f"自评表填报预算执行率为{ev.stated_execution_rate.text.strip()}，按实际支出"
                f"{printing.money(card.budget.spent, unit)}、预算{printing.money(ev.budget.effective_budget, unit)}"
                f"计算，预算执行率应为{printing.rate(card.budget.execution_rate, printing.EXECUTION_DECIMALS)}")
    if kind == "stated_total_mismatch" and ev.stated_total is not None:
        return (f"自评表填报自评得分为{printing.points(ev.stated_total)}，按评分规则复核应为"
                f"{printing.points(card.total)}")
    if kind == "stated_total_sum_mismatch":
        return "自评表填报的自评得分与各项指标填报得分之和不一致"
    if kind == "stated_grade_mismatch":
        return (f"按复核得分{printing.points(card.total)}应评定为“{finding.computed}”，"
                f"与自评表填报的评价等级“{finding.stated}”不一致")
    if kind == "weights_sum":
        including = f"（含预算执行率分值{printing.points(card.budget.weight)}）" if budget_weight_added(card) else ""
        return f"各项指标分值合计{printing.points(card.total_points)}{including}，与百分制满分不一致"
    if kind == "missing_weights":
        return "部分指标未填写分值，已按剩余分值平均分配"
    return finding.message.rstrip("。")


def _has_number(text: str | None) -> bool:
    return any(ch.isdigit() for ch in text or "")


NO_PROBLEM_TEXT = ("经对照年度绩效目标逐项梳理，各项绩效指标均已完成年度指标值，预算执行情况良好，"
                   "未发现财政资金支出绩效全过程管理方面的突出问题。")
