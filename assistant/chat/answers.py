"""The data's answers: plain text built from an evaluation and its score card, every figure printed
the way the ledger holds it (`assistant.printing`), so the checker verifies each one.

These are the template writer's answers and the model's tools alike.
"""
from __future__ import annotations

from .. import printing
from ..drafting.problems import inconsistency_line
from ..evaluation import Evaluation
from ..scoring import IndicatorScore, ScoreCard
from ..text import quoted

MISMATCH_KINDS = ("stated_completion_mismatch", "stated_score_mismatch", "stated_execution_rate_mismatch",
                  "stated_total_mismatch", "stated_grade_mismatch", "stated_total_sum_mismatch")


def gap_text(evaluation: Evaluation, s: IndicatorScore) -> str:
    """The shortfall (or a ceiling's overshoot) at the precision of the target and the actual, as the ledger has it."""
    if s.gap is None:
        return ""
    indicator = evaluation.indicators[s.index]
    target, actual = indicator.target, indicator.actual
    part = next((p for p in target.alternatives if p.unit == s.unit), target.alternatives[0]) \
        if target.kind == "compound" else target
    return printing.gap(s.gap, part, actual)      # a rate's gap in percentage points, as the ledger has it


def shortfall_word(s: IndicatorScore) -> str:
    """`差` below a target, `超出` above a ceiling."""
    return "超出" if s.direction == "negative" else "差"


def finding_line(finding, card: ScoreCard) -> str:
    """A scoring finding in words the checker reads: stated figures after 填报, recomputed ones after 应为."""
    return inconsistency_line(finding, card)


def indicator_line(evaluation: Evaluation, s: IndicatorScore) -> str:
    indicator = evaluation.indicators[s.index]
    actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else "未填写"
    parts = [f"年度指标值{indicator.target.text.strip()}", f"实际完成{actual}"]
    if s.completion is not None and indicator.target.is_numeric:
        parts.append(f"完成率{printing.rate(s.completion)}")
    gap = gap_text(evaluation, s)
    if gap and s.met is False:
        parts.append(f"{shortfall_word(s)}{gap}")
    elif s.met is False and s.basis:
        parts.append(s.basis)
    return "，".join(parts)


def unmet(card: ScoreCard) -> list[IndicatorScore]:
    """The indicators not met, largest gap first (the score card's underperformer order)."""
    order = {u.name: k for k, u in enumerate(card.underperforming)}
    return sorted((s for s in card.indicators if s.met is False), key=lambda s: order.get(s.name, len(order)))


def targets_only_text(evaluation: Evaluation) -> str:
    return (f"数据是目标申报表：{len(evaluation.indicators)}项指标只有年度指标值，尚未填报实际完成值，"
            "还不能判断各项指标是否完成，也不能计算自评得分和评价等级。请在年度终了后填报实际完成值。")


def underperformers_text(evaluation: Evaluation, card: ScoreCard) -> str:
    if evaluation.targets_only:
        return targets_only_text(evaluation)
    not_met = unmet(card)
    unknown = [s for s in card.indicators if s.met is None]
    lines: list[str] = []
    if not_met:
        lines.append(f"按数据计算，有{len(not_met)}项指标未完成年度指标值（按差距从大到小）：")
        for k, s in enumerate(not_met, 1):
            reason = (s.reason or "").strip().rstrip("。；;")
            why = f"偏差原因：{reason}" if reason else "数据未填写偏差原因，请补充"
            lines.append(f"{k}. {quoted(s.name)}：{indicator_line(evaluation, s)}。{why}。")
    else:
        lines.append("按数据计算，所有指标均已完成年度指标值，没有未完成的指标。")
    if unknown:
        lines.append("以下指标无法判断是否完成：")
        for s in unknown:
            lines.append(f"- {quoted(s.name)}：{s.basis or '实际完成值无法判断'}。")
    mismatches = [f for f in card.findings if f.kind in MISMATCH_KINDS]
    if mismatches:
        lines.append("但数据本身有不一致之处，请核对：")
        for f in mismatches:
            lines.append(f"- {finding_line(f, card)}。")
    missing = [f for f in card.findings if f.kind == "missing_reason"]
    if missing and not_met:
        lines.append("未填写偏差原因的指标：" + "、".join(quoted(f.subject) for f in missing) + "。")
    high = [s for s in card.overachieving]
    if high:
        lines.append("另有指标完成率远超年度指标值，目标值可能设置偏低："
                     + "；".join(f"{quoted(s.name)}完成率{printing.rate(s.completion)}" for s in high) + "。")
    return "\n".join(lines)


def score_text(evaluation: Evaluation, card: ScoreCard) -> str:
    ev = evaluation
    if ev.targets_only:
        return targets_only_text(ev)
    pending = (f"另有{card.review_count}项指标待确认（共{printing.points(card.review_points)}）暂未计入，"
               if card.review_count else "")
    grade = f"“{card.grade}”" + ("（暂定）" if card.grade_provisional else "")
    lines = [f"自评总分{printing.points(card.total)}，{pending}评价等级为{grade}。"]
    same_total = ev.stated_total is None or abs(ev.stated_total - card.total) < 0.005
    same_grade = not ev.stated_grade or ev.stated_grade == card.grade
    if ev.stated_total is not None or ev.stated_grade:
        if same_total and same_grade:
            lines.append("与数据填报的自评得分和等级一致。")
        else:
            stated = []
            if not same_total:
                stated.append(f"自评得分为{printing.points(ev.stated_total)}")
            if not same_grade:
                stated.append(f"评价等级为“{ev.stated_grade}”")
            lines.append("数据填报的" + "、".join(stated) + "，与按规则计算的结果不同，请核对。")
    lines.append("计算方法：总分 = 预算执行率得分 + 各项指标得分之和。")
    b = card.budget
    if b.execution_rate is not None and b.score is not None and b.weight:
        base = ev.budget.effective_budget
        lines.append(f"- 预算执行率 = 实际支出{printing.money(b.spent, b.unit)} ÷ 预算{printing.money(base, b.unit)}"
                     f" = {printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}，"
                     f"得分{printing.points(b.score)}（分值{printing.points(b.weight)}，执行率乘以分值，超出预算不加分）。")
    lines.append("- 定量指标：实际完成值达到年度指标值得满分，未达到按“实际完成值 ÷ 年度指标值 × 分值”计分；"
                 "定性指标按达成、部分达成、未达成三档计分。")
    lines.append("各项指标得分：")
    for k, s in enumerate(card.indicators, 1):
        numeric = ev.indicators[s.index].target.is_numeric
        how = (s.formula if numeric else s.basis) or s.basis or ""
        how = f"（{how}）" if how else ""
        if s.pending:
            lines.append(f"{k}. {quoted(s.name)}：数据待确认，暂不计分，分值{printing.points(s.weight)}。")
            continue
        lines.append(f"{k}. {quoted(s.name)}{how}：{printing.indicator_score(s.score, s.stated_score)}，"
                     f"分值{printing.points(s.weight)}。")
    lines.append(f"评价等级按总分划定：优、良、中、差四档，本次总分{printing.points(card.total)}，等级为“{card.grade}”。")
    return "\n".join(lines)


def budget_text(evaluation: Evaluation, card: ScoreCard) -> str:
    budget, b = evaluation.budget, card.budget
    unit = budget.money_unit
    lines = []
    if budget.budgeted is None and budget.adjusted is None:
        return "数据中没有预算安排的金额，无法计算预算执行率。"
    if budget.budgeted is not None:
        lines.append(f"预算安排{printing.money(budget.budgeted, unit)}。")
    if budget.adjusted is not None:
        lines.append(f"调整后预算{printing.money(budget.adjusted, unit)}。")
    if budget.spent is not None:
        lines.append(f"实际支出{printing.money(budget.spent, unit)}。")
    if b.execution_rate is not None:
        lines.append(f"预算执行率 = 实际支出{printing.money(b.spent, unit)} ÷ 预算{printing.money(budget.effective_budget, unit)}"
                     f" = {printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}"
                     + (f"，得分{printing.points(b.score)}。" if b.score is not None and b.weight else "。"))
    for name, amount in budget.by_source.items():
        lines.append(f"- 资金来源{quoted(name)}：{printing.money(amount, unit)}。")
    for name, amount in budget.by_item.items():
        lines.append(f"- 支出项目{quoted(name)}：{printing.money(amount, unit)}。")
    for f in card.findings:
        if f.kind == "stated_execution_rate_mismatch":
            lines.append(f"注意：{finding_line(f, card)}。")
        elif f.kind == "low_execution":
            lines.append(f"注意：按评分规则，低于{printing.percent(card.rules.low_execution_threshold)}的"
                         f"预算执行率即属执行进度偏慢。")
    return "\n".join(lines)


def findings_text(card: ScoreCard) -> str:
    if not card.findings:
        return "核对完毕：数据填报的完成率、得分和等级与计算结果一致，未发现问题。"
    lines = ["核对数据发现以下问题："]
    for k, f in enumerate(card.findings, 1):
        lines.append(f"{k}. {finding_line(f, card)}。")
    return "\n".join(lines)


def indicator_text(evaluation: Evaluation, card: ScoreCard, k: int) -> str:
    """One indicator's figures. Every sentence names the indicator: the checker attributes by sentence."""
    indicator, s = evaluation.indicators[k], card.indicators[k]
    name = quoted(indicator.name)
    level = "·".join(x for x in (indicator.level1, indicator.level2) if x)
    if s.pending:           # its cells await the officer: no figure of it is stated as a fact
        columns = "、".join(dict.fromkeys(item.column for item in s.needs_review)) or "数据"
        return (f"{name}（{level}）的{columns}待经办人确认，暂不评价、不计得分。"
                f"请在数据中更正该单元格（或用更正文件）后重新载入。")
    parts = [f"年度指标值{indicator.target.text.strip()}"]
    actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else None
    parts.append(f"实际完成{actual}" if actual else "未填写实际完成值")
    if s.completion is not None and indicator.target.is_numeric:
        formula = f"（{s.formula}）" if s.formula else ""
        parts.append(f"完成率{printing.rate(s.completion)}{formula}")
    if s.score is not None:
        parts.append(f"{printing.indicator_score(s.score, s.stated_score)}（分值{printing.points(s.weight)}）")
    status = {True: "已完成年度指标值", False: "未完成年度指标值", None: "无法判断是否完成"}[s.met]
    gap = gap_text(evaluation, s)
    if s.met is False and gap:
        status += f"，{shortfall_word(s)}{gap}"
    if s.basis and s.met is not False:
        status += f"（{s.basis}）"
    parts.append(status)
    lines = [f"{name}（{level}）：" + "，".join(parts) + "。"]
    if indicator.reason:
        lines.append(f"{name}的偏差原因：{indicator.reason.strip().rstrip('。')}。")
    elif s.met is False:
        lines.append(f"{name}未填写偏差原因，请补充。")
    if indicator.task:
        lines.append(f"{name}对应的重点任务：{indicator.task}。")
    for f in card.findings:
        if f.subject == indicator.name and f.kind not in ("target_too_low", "missing_reason"):
            lines.append(f"核对：{finding_line(f, card)}。")
    return "\n".join(lines)


def indicator_list_text(evaluation: Evaluation) -> str:
    names = "；".join(quoted(i.name) for i in evaluation.indicators)
    return f"请说明要查询哪一项指标。本数据的指标有：{names}。"


def help_text() -> str:
    return ("我可以根据您载入的数据回答：\n"
            "- 哪些指标没有完成、为什么（差距和偏差原因）；\n"
            "- 自评得分和等级，以及是怎么算出来的；\n"
            "- 某个指标的目标值、实际完成值和完成率（请说出指标名称）；\n"
            "- 预算安排、实际支出和预算执行率；数据中填报有误的地方；\n"
            "- 政策规定和往年报告中的相关内容（附编号引用）；\n"
            "- 起草或重写报告的某个部分，例如“起草存在的问题部分”“重写改进措施”。\n"
            "回答中的每个数字都已与数据核对：核对通过的数字可悬停查看来源，无法核实的标为【待核实】。")


def small_talk_text(question: str) -> str:
    """A short, friendly answer to small talk: no retrieval, no figures."""
    if any(w in question for w in ("谢", "辛苦", "帮大忙", "麻烦", "劳驾", "打扰")):
        return "不客气。还有需要核对的数据或要起草的部分，随时告诉我。"
    if any(w in question for w in ("再见", "拜拜", "晚安")):
        return "好的，再见。草稿和对话会保留到您关闭页面为止。"
    if any(w in question for w in ("你是谁", "名字", "叫什么", "介绍", "机器人", "开发")):
        return ("我是绩效报告助手，帮助财务人员根据指标数据计算得分、回答数据问题、查阅政策和往年报告，"
                "并起草绩效评价报告，每个数字都与数据核对。")
    if any(w in question for w in ("好", "在", "哈喽", "嗨")) and not any(w in question for w in ("好的", "好滴", "好哒", "好嘞", "好吧", "很好", "不错")):
        return "您好，我是绩效报告助手。可以问我指标完成情况、得分、预算执行，或让我起草报告的某个部分。"
    return "好的。还有什么需要，请随时告诉我。"


def off_topic_text() -> str:
    return ("我无法回答与预算绩效评价无关的问题，我可以帮您：查询指标完成情况和偏差原因、计算得分和等级、"
            "查看预算执行和资金明细、检索政策规定和往年报告、起草或改写报告的各个部分。")


def clarify_text(options) -> str:
    lines = ["您是想："]
    lines += [f"{k}. {option.label}" for k, option in enumerate(options, 1)]
    lines.append("请点选您要问的，或换个说法再问。")
    return "\n".join(lines)
