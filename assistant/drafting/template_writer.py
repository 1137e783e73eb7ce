"""The template writer: deterministic 公文 Chinese for every section, from the data alone.

Every figure it prints comes from the evaluation or its score card through `printing`, in the
form the ledger records it, so its drafts pass the figure checker as written. Facts it does not
have (management practice, evaluation process) are left as visible `（待补充：…）` prompts for
the officer instead of being invented. Retrieved passages (past reports for phrasing problems,
policies for measures) are quoted with numbered citations when an index is given.
"""
from __future__ import annotations

import re
from typing import Callable

from .. import printing
from ..figures import budget_weight_added
from ..quantities import Quantity
from ..scoring import IndicatorScore
from ..text import quoted
from ..vocabulary import level1_rank, level2_rank
from .context import DraftContext, article_of, best_sentence, document_title, sentence_hits
from .problems import NO_PROBLEM_TEXT, Problem, derive_problems

CN_ORDINALS = "一二三四五六七八九十"
GRADE_SUMMARY = {
    "优": "总体完成了年度绩效目标，绩效目标实现程度较高",
    "良": "基本完成了年度绩效目标，部分指标仍有提升空间",
    "中": "部分完成了年度绩效目标，绩效管理水平有待提高",
    "差": "年度绩效目标完成情况较差，需重点整改",
}


def cn_ordinal(k: int) -> str:
    """1 → 一, 11 → 十一 (headings and 一是/二是 enumerations)."""
    if k <= 10:
        return CN_ORDINALS[k - 1]
    return ("" if k < 20 else CN_ORDINALS[k // 10 - 1]) + "十" + (CN_ORDINALS[k % 10 - 1] if k % 10 else "")


class TemplateWriter:
    """Writes one section at a time; `used` collects the citation numbers the section relies on."""

    def __init__(self, ctx: DraftContext):
        self.ctx = ctx
        self.ev = ctx.evaluation
        self.card = ctx.card
        self.used: list[int] = []

    def write(self, key: str) -> str:
        self.used = []
        outline = "项目" if self.ev.report_type == "项目" else "部门整体"
        return _tidy(SECTIONS[outline][key](self))

    # --- shared sentences -----------------------------------------------------------------------

    @property
    def money_unit(self) -> str:
        return self.ev.budget.money_unit or "万元"

    def budget_sentence(self, subject: str) -> str:
        budget, card = self.ev.budget, self.card.budget
        if budget.budgeted is None and budget.adjusted is None:
            return "（待补充：预算安排及实际支出情况。）"
        unit = self.money_unit
        parts = [f"{self.ev.year_label('年')}{subject}预算安排资金{printing.money(budget.budgeted, unit)}"
                 if budget.budgeted is not None else f"{self.ev.year_label('年')}{subject}预算资金"]
        if budget.adjusted is not None and budget.adjusted != budget.budgeted:
            parts[0] = parts[0] if budget.budgeted is not None else f"{self.ev.year_label('年')}{subject}"
            parts.append(f"调整后预算{printing.money(budget.adjusted, unit)}")
        if budget.spent is not None:
            parts.append(f"全年实际支出{printing.money(budget.spent, unit)}")
        if card.execution_rate is not None:
            parts.append(f"预算执行率为{printing.rate(card.execution_rate, printing.EXECUTION_DECIMALS)}")
        return "，".join(parts) + "。"

    def funds_lines(self) -> list[str]:
        unit = self.money_unit
        lines = []
        if self.ev.budget.by_source:
            shown = "，".join(f"{name}{printing.money(amount, unit)}" for name, amount in self.ev.budget.by_source.items())
            lines.append(f"按资金来源划分：{shown}。")
        if self.ev.budget.by_item:
            items = list(self.ev.budget.by_item.items())
            shown = "；".join(f"（{k}）{name}{printing.money(amount, unit)}" for k, (name, amount) in enumerate(items, 1))
            lines.append(f"按支出内容划分：{shown}。")
        return lines

    def label(self, index: int) -> str:
        """The indicator as officers quote it: name and target, `“…≥12场”` (the name alone while the target
        awaits confirmation: an unreadable target is no fact to print)."""
        indicator = self.ev.indicators[index]
        name, target = indicator.name.strip(), indicator.target.text.strip()
        if any(item.column in ("年度指标值", "实施周期指标值") for item in indicator.review):
            return quoted(name)
        if indicator.target.unit == "%" and "%" not in target and indicator.target.is_numeric:
            target += "%"           # `=100` under a 单位 column of `%` is quoted as `=100%`
        compact = re.sub(r"\s+", "", name)
        if re.sub(r"\s+", "", target) in compact:
            return quoted(name)
        return quoted(f"{name}{target}")

    def outcome(self, s: IndicatorScore) -> str:
        """`实际完成16场，完成率133%` and its variants by direction and kind."""
        indicator = self.ev.indicators[s.index]
        target, actual = indicator.target, indicator.actual
        if s.pending:
            columns = "、".join(dict.fromkeys(item.column for item in s.needs_review if item.blocks_scoring)) or "数据"
            return f"其{columns}待经办人确认，暂不评价（待补充：核实并更正后重新评分）"
        if actual is None:
            return "暂未填报实际完成值"
        if not target.is_numeric or not actual.is_numeric:
            shown = f"实际完成情况为“{actual.text.strip()}”"
            if s.met:
                return shown + "，达成年度指标"
            if s.score is None:
                return shown + "，无法判断是否达成年度指标"
            if "部分" in s.basis:
                return shown + "，部分达成年度指标"
            return shown + "，未达成年度指标"
        printed = printing.quantity(actual, target.unit)
        verb = "实际完成值为" if actual.unit == "%" else "实际完成"
        part = self._part(target, s)
        if s.direction == "negative":
            if s.met:
                return f"实际为{printed}，控制在年度指标值以内"
            return f"实际为{printed}，超出年度指标值{printing.gap(s.gap, part, actual)}"
        if target.kind == "range":
            return f"实际为{printed}，" + ("处于年度指标值区间内" if s.met else "未处于年度指标值区间内")
        text = f"{verb}{printed}"
        if s.completion is not None:
            text += f"，完成率{printing.rate(s.completion)}"
        if s.met is False and s.gap:
            text += f"，未完成年度指标值，差距{printing.gap(s.gap, part, actual)}"
        return text

    @staticmethod
    def _part(target: Quantity, s: IndicatorScore) -> Quantity:
        if target.kind != "compound":
            return target
        return next((p for p in target.alternatives if p.unit == s.unit), target.alternatives[0])

    def indicator_clause(self, s: IndicatorScore) -> str:
        return f"{self.label(s.index)}，{self.outcome(s)}"

    def grouped_clauses(self, scores: list[IndicatorScore]) -> str:
        """`对应产出指标为“…”，实际完成…；对应效益指标包括：一是“…”，…；二是…` for one task."""
        by_level: dict[str, list[IndicatorScore]] = {}
        for s in scores:
            by_level.setdefault(s.level1 or "绩效指标", []).append(s)
        parts = []
        for level in sorted(by_level, key=level1_rank):
            items = by_level[level]
            name = level if level.endswith("指标") else f"{level}指标"
            if len(items) == 1:
                parts.append(f"对应{name}为{self.indicator_clause(items[0])}")
            else:
                listed = "；".join(f"{cn_ordinal(k)}是{self.indicator_clause(s)}" for k, s in enumerate(items, 1))
                parts.append(f"对应{name}包括：{listed}")
        return "；".join(parts) + "。"

    def best_quote(self, query: str, kind: str, words: tuple[str, ...]):
        """(passage, sentence) with the best-matching sentence over the retrieved passages, or None."""
        best, best_score = None, 0.0
        for rank, passage in enumerate(self.ctx.search(query, kind=kind, k=6, require=words)):
            quote = best_sentence(passage.text, words)
            if quote:
                score = sentence_hits(quote, words) - rank * 0.01
                if score > best_score:
                    best, best_score = (passage, quote), score
        return best

    def cite_policy(self, query: str, words: tuple[str, ...]) -> tuple[str, str] | None:
        """(lead-in, tail) citing the best policy sentence for `query`, or None."""
        found = self.best_quote(query, "policy", words)
        if found is None:
            return None
        passage, quote = found
        n = self.ctx.cite(passage, quote)
        self._use(n)
        source = f"{document_title(passage)}{article_of(passage, quote)}"
        if _is_local(document_title(passage)):
            return "", f"（可参照{source}“{quote}”的做法[{n}]）"
        return f"按照{source}“{quote}”的规定[{n}]，", ""

    def cite_report(self, query: str, words: tuple[str, ...]) -> str:
        found = self.best_quote(query, "report", words)
        if found is None:
            return ""
        passage, quote = found
        n = self.ctx.cite(passage, quote)
        self._use(n)
        return f"同类评价报告对此亦有“{quote}”的表述[{n}]。"

    def _use(self, n: int) -> None:
        if n not in self.used:
            self.used.append(n)

    def problem_paragraphs(self, problems: list[Problem], numbered: str) -> list[str]:
        lines = []
        for k, problem in enumerate(problems, 1):
            heading = f"（{cn_ordinal(k)}）{problem.title}" if numbered == "cn" else f"{k}.{problem.title}。"
            phrasing = self.cite_report(problem.report_query, problem.report_words)
            if numbered == "cn":
                lines += [heading, problem.text + phrasing]
            else:
                lines.append(heading + problem.text + phrasing)
        return lines

    def measure_paragraphs(self, problems: list[Problem], numbered: str) -> list[str]:
        lines = []
        for k, problem in enumerate(problems, 1):
            cited = self.cite_policy(problem.policy_query, problem.policy_words)
            lead, tail = cited or ("", "")
            body = lead + problem.measure_text
            if tail:
                body = body.rstrip("。") + tail + "。"
            if numbered == "cn":
                lines += [f"（{cn_ordinal(k)}）{problem.measure_title}", body]
            else:
                lines.append(f"{k}.{problem.measure_title}。{body}")
        return lines

    def general_measure(self) -> str:
        words = ("绩效评价结果", "改进管理", "依据")
        cited = self.cite_policy("绩效评价结果应当按照规定作为改进管理和编制以后年度预算的依据", words)
        lead, tail = cited or ("", "")
        body = (lead + "持续加强预算绩效管理，根据财政部门发布的绩效管理制度和规范性文件要求及时完善内部管理制度，"
                "将绩效评价结果作为改进管理和编制以后年度预算、设置绩效目标的重要依据")
        return body + tail + "。"

    def management_lines(self) -> list[str]:
        rate = self.card.budget.execution_rate
        if rate is None:
            return ["（待补充：预算执行、预决算信息公开、政府采购、资产管理、运行成本控制等方面的管理情况。）"]
        return [f"全年预算执行率为{printing.rate(rate, printing.EXECUTION_DECIMALS)}，"
                + ("资金支出进度与年度工作计划基本匹配。" if (self.card.budget.execution_rate or 0) >= 0.9
                   else "资金支出进度滞后于年度工作计划。"),
                "（待补充：预决算信息公开、政府采购、资产管理、运行成本控制等方面的管理情况。）"]

    def tasks_lines(self) -> list[str]:
        """`1.任务名称（拟投入资金163.00万元）：主要内容；预期目标：…。` (funds beside the task's name)."""
        lines = []
        unit = self.money_unit
        for k, task in enumerate(self.ev.tasks, 1):
            text = f"{k}.{task.name}"
            if task.funds is not None:
                text += f"（拟投入资金{printing.money(task.funds, unit)}）"
            details = []
            if task.content.strip():
                details.append(task.content.strip().rstrip("。"))
            if task.goal.strip():
                details.append(f"预期目标：{task.goal.strip().rstrip('。')}")
            lines.append(text + ("：" + "；".join(details) if details else "") + "。")
        return lines

    def met_summary(self) -> str:
        """`全部16项绩效指标均达到年度指标值` / `16项绩效指标中15项达到年度指标值，“…”未达到`."""
        scored = [s for s in self.card.indicators if s.met is not None]
        if not scored:
            return ""
        total, met = len(self.card.indicators), sum(1 for s in self.card.indicators if s.met)
        unmet = [s for s in scored if s.met is False]
        if not unmet and len(scored) == total:
            return f"全部{total}项绩效指标均达到年度指标值"
        names = "、".join(quoted(s.name) for s in unmet[:5]) + ("等" if len(unmet) > 5 else "")
        text = f"{total}项绩效指标中{met}项达到年度指标值"
        pending = [s for s in self.card.indicators if s.pending]
        if pending:
            text += "，" + "、".join(quoted(s.name) for s in pending[:5]) + ("等" if len(pending) > 5 else "") \
                + "的数据待确认"
        return text + (f"，{names}未达到年度指标值" if unmet else "")

    # --- department -----------------------------------------------------------------------------

    def _background_department(self) -> str:
        ev = self.ev
        lines = ["（一）部门职能。", ev.functions.strip() or "（待补充：部门主要职能。）",
                 "（二）年度总体工作和重点工作任务。"]
        tasks = self.tasks_lines()
        lines += ([f"围绕部门职能和年度工作部署，{ev.year_label()}部门重点工作任务如下："] + tasks) if tasks \
            else ["（待补充：年度总体工作和重点工作任务。）"]
        lines += ["（三）部门整体支出绩效目标。",
                  ev.overall_goal.strip() or "（待补充：部门整体支出绩效目标。）",
                  "（四）部门整体收支情况。", self.budget_sentence("部门")]
        lines += self.funds_lines()
        if ev.policy_basis:
            lines.append("主要政策依据：" + "；".join(_book(p) for p in ev.policy_basis) + "。")
        lines += ["（五）部门整体绩效管理情况。",
                  "（待补充：事前绩效评估、绩效目标管理、绩效运行监控、绩效评价和结果运用等方面的做法。）"]
        return "\n".join(lines)

    def _conclusion_department(self) -> str:
        return "\n".join(self.conclusion_lines("财政资金整体支出绩效自评方案"))

    def conclusion_lines(self, what: str) -> list[str]:
        card, ev = self.card, self.ev
        if not ev.indicators:              # budget figures only: no total and no grade to state
            rate = card.budget.execution_rate
            budget = (f"预算执行率为{printing.rate(rate, printing.EXECUTION_DECIMALS)}。" if rate is not None else "")
            return [f"数据中未找到绩效指标，暂只能评价预算执行情况：{budget}".rstrip("：") + ("" if budget else "。"),
                    "（待补充：各项绩效指标及其实际完成值，再形成自评得分和评价等级。）"]
        if ev.targets_only:   # a target declaration (申报表)
            return [f"{ev.year_label()}各项绩效指标尚未填报实际完成值，暂不能计算自评得分和评价等级。",
                    "（待补充：年度终了后填报各项指标实际完成值，再形成自评结论。）"]
        pending = (f"，另有{card.review_count}项指标待确认（共{printing.points(card.review_points)}）暂未计入"
                   if card.review_count else "")
        grade = f"“{card.grade}”" + ("（暂定）" if card.grade_provisional else "")
        including = f"（含预算执行率分值{printing.points(card.budget.weight)}）" if budget_weight_added(card) else ""
        first = (f"{ev.year_label()}{what}设置指标分值共计{printing.points(card.total_points)}{including}，"
                 f"自评得分{printing.points(card.total)}{pending}，自评结果为{grade}。")
        if card.budget.score is not None and card.budget.weight:
            first += (f"其中，预算执行率为{printing.rate(card.budget.execution_rate, printing.EXECUTION_DECIMALS)}，"
                      f"得分{printing.points(card.budget.score)}。")
        summary = self.met_summary()
        rate = card.budget.execution_rate
        budget_words = "" if rate is None else (
            "，预算执行情况良好" if rate >= card.rules.low_execution_threshold else "，但预算执行进度有待加快")
        second = (summary + "，" if summary else "") + GRADE_SUMMARY[card.grade] + budget_words + "。"
        lines = [first, second]
        stated = []
        if ev.stated_total is not None and any(f.kind == "stated_total_mismatch" for f in card.findings):
            stated.append(f"填报自评得分{printing.points(ev.stated_total)}")
        if ev.stated_grade and any(f.kind == "stated_grade_mismatch" for f in card.findings):
            stated.append(f"填报评价等级“{ev.stated_grade}”")
        if stated:
            lines.append("自评表" + "、".join(stated) + "，与按评分规则复核的结果不一致，已在存在的问题中说明，请核实。")
        return lines

    def _indicators_department(self) -> str:
        lines = []
        for k, (task, scores) in enumerate(self.by_task(), 1):
            lines.append(f"{k}.{task}：{self.grouped_clauses(scores)}")
        if not lines:
            lines.append("（待补充：各项重点工作任务对应的绩效指标完成情况。）")
        lines += ["（三）管理效率分析。"] + self.management_lines()
        return "\n".join(lines)

    def by_task(self) -> list[tuple[str, list[IndicatorScore]]]:
        """Indicators grouped by key task, in the order of the tasks; untasked ones last (or by level)."""
        scores = self.card.indicators
        if not any(s.task for s in scores):
            groups: dict[str, list] = {}
            for s in scores:
                groups.setdefault(s.level1 or "绩效指标", []).append(s)
            return [(f"{level}完成情况", groups[level]) for level in sorted(groups, key=level1_rank)]
        order = [t.name for t in self.ev.tasks]
        groups = {}
        for s in scores:
            groups.setdefault(s.task or "", []).append(s)
        names = [n for n in order if n in groups] + [n for n in groups if n and n not in order]
        result = [(name, groups[name]) for name in names]
        if "" in groups:
            result.append(("其他绩效指标", groups[""]))
        return result

    def _problems_department(self) -> str:
        problems = derive_problems(self.card)
        if not problems:
            return NO_PROBLEM_TEXT
        return "\n".join(self.problem_paragraphs(problems, "cn"))

    def _measures_department(self) -> str:
        problems = derive_problems(self.card)
        if not problems:
            return self.general_measure()
        return "\n".join(self.measure_paragraphs(problems, "cn"))

    # --- project --------------------------------------------------------------------------------

    def _background_project(self) -> str:
        ev = self.ev
        lines = ["（一）项目背景资料", ev.functions.strip() or "（待补充：项目立项背景、实施内容。）"]
        lines += self.tasks_lines()
        lines += ["（二）项目资金分配情况", self.budget_sentence("本项目")]
        lines += self.funds_lines()
        lines += ["（三）项目政策依据"]
        if ev.policy_basis:
            lines += [f"（{k}）{_book(p)}；" for k, p in enumerate(ev.policy_basis, 1)]
            lines[-1] = lines[-1].rstrip("；") + "。"
        else:
            lines.append("（待补充：项目立项和资金安排的政策依据。）")
        levels = []
        for level in sorted({s.level1 for s in self.card.indicators if s.level1}, key=level1_rank):
            level2 = sorted(dict.fromkeys(s.level2 for s in self.card.indicators if s.level1 == level and s.level2),
                            key=level2_rank)
            levels.append(level + (f"（{'、'.join(level2)}）" if level2 else ""))
        lines += ["二、项目绩效目标和绩效指标设定情况",
                  ev.overall_goal.strip() or "（待补充：项目总体绩效目标。）"]
        if levels:
            lines.append(f"本项目共设置绩效指标{len(self.card.indicators)}个，包括{'、'.join(levels)}，"
                         f"各项指标均设置了年度指标值。")
        lines += ["三、绩效评价组织情况", "（一）绩效评价目的",
                  "对项目决策、过程管理、项目产出及项目效益做出客观公正的评价，发现项目存在的问题，分析问题根源，"
                  "总结项目经验，提出改进建议，提升预算绩效管理水平。",
                  "（二）绩效评价标准和评价方法",
                  "对定量指标按实际完成值与年度指标值的比值计算完成率并计分；对定性指标按达成年度指标、部分达成并具有"
                  "一定效果、未达成且效果较差分档计分；预算执行率按实际支出与预算安排的比值计分。",
                  "（三）绩效评价实施过程",
                  "（待补充：前期准备、组织实施、分析评价等工作过程。）"]
        return "\n".join(lines)

    def _indicators_project(self) -> str:
        lines = ["（一）项目资金执行情况", self.budget_sentence("本项目")]
        groups: dict[str, list[IndicatorScore]] = {}
        for s in self.card.indicators:
            groups.setdefault(s.level1 or "绩效指标", []).append(s)
        for k, level in enumerate(sorted(groups, key=level1_rank), 2):
            lines.append(f"（{cn_ordinal(k)}）{level}完成情况")
            by_level2: dict[str, list[IndicatorScore]] = {}
            for s in groups[level]:
                by_level2.setdefault(s.level2 or level, []).append(s)
            ordered = sorted(by_level2.items(), key=lambda item: level2_rank(item[0]))
            for j, (level2, items) in enumerate(ordered, 1):
                clauses = "；".join(self.indicator_clause(s) for s in items)
                lines.append(f"{j}.{level2}：{clauses}。")
        return "\n".join(lines)

    def _conclusion_project(self) -> str:
        lines = ["（一）项目综合评价得分及评价等级"] + self.conclusion_lines("项目支出绩效自评方案")[:1]
        lines += ["（二）项目综合评价结论"] + self.conclusion_lines("项目支出绩效自评方案")[1:]
        return "\n".join(lines)

    def _problems_project(self) -> str:
        problems = derive_problems(self.card)
        met = [s for s in self.card.indicators if s.met]
        experience = ("项目按照年度工作计划推进实施，"
                      + (f"{'、'.join(self.label(s.index) for s in met[:3])}等指标按期完成，" if met else "")
                      + "资金使用与项目实施内容相匹配。（待补充：项目实施中的主要经验做法。）")
        lines = ["（一）主要经验做法", experience, "（二）存在的问题"]
        lines += self.problem_paragraphs(problems, "arabic") if problems else [NO_PROBLEM_TEXT]
        return "\n".join(lines)

    def _measures_project(self) -> str:
        problems = derive_problems(self.card)
        lines = self.measure_paragraphs(problems, "arabic") if problems else [self.general_measure()]
        lines += ["七、绩效评价结果应用",
                  "评价结果将在单位内部进行通报，作为下一年度预算安排、绩效目标设置和项目管理改进的重要参考；"
                  "对评价发现的问题，明确责任科室和整改时限，跟踪整改落实情况。"]
        return "\n".join(lines)


def _book(title: str) -> str:
    title = title.strip().rstrip("；;。")
    return title if title.startswith("《") or "《" in title else f"《{title}》"


def _is_local(title: str) -> bool:
    return bool(re.match(r"^《?[^《》]{2,6}?(省|市|自治区|特别行政区)", title))


def _tidy(text: str) -> str:
    text = re.sub(r"。。+", "。", text)
    text = re.sub(r"[；，]。", "。", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# Each outline's sections, by key: the method that writes it.
SECTIONS: dict[str, dict[str, Callable[[TemplateWriter], str]]] = {
    "部门整体": {"background": TemplateWriter._background_department,
                "conclusion": TemplateWriter._conclusion_department,
                "indicators": TemplateWriter._indicators_department,
                "problems": TemplateWriter._problems_department,
                "measures": TemplateWriter._measures_department},
    "项目": {"background": TemplateWriter._background_project,
            "indicators": TemplateWriter._indicators_project,
            "conclusion": TemplateWriter._conclusion_project,
            "problems": TemplateWriter._problems_project,
            "measures": TemplateWriter._measures_project},
}


def write_section(ctx: DraftContext, key: str) -> tuple[str, list[int]]:
    """(text, citation numbers used) for one section."""
    writer = TemplateWriter(ctx)
    text = writer.write(key)
    return text, list(writer.used)
