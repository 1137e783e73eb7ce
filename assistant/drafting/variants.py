"""Rewrites in template mode: variants of a section the officer asks for in plain words.

`variant_of(request, previous)` reads what a rewrite request wants — 简要 or 详细, focused on
named indicators, with or without policy citations, another phrasing — on top of the variant the
section was last written in; `draft_variant(ctx, key, variant)` writes the section that way from
the template writer's own pieces. Every variant leaves through `sections.verified_section`, so
each one is checked like any other section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import printing
from ..text import quoted
from .context import DraftContext
from .problems import NO_PROBLEM_TEXT, Problem, derive_problems, unmet_line
from .sections import DraftSection, verified_section
from .template_writer import TemplateWriter, cn_ordinal, write_section

LENGTHS = ("brief", "normal", "detailed")
PHRASINGS = 3
# Other sentence frames for the writer's connectives, one list per phrasing (1, 2): words only,
# never a figure, so every rephrased section is checked exactly as the original was.
REPHRASE: dict[int, tuple[tuple[str, str], ...]] = {
    1: ((r"对应(\S{2,8}?指标)为", r"\1方面，"), (r"对应(\S{2,8}?指标)包括：", r"\1方面："),
        (r"按支出内容划分：", "资金主要用于："), (r"按资金来源划分：", "资金来源包括："),
        (r"预算安排资金", "安排预算资金"), (r"全年实际支出", "当年实际支出"), (r"围绕部门职能和年度工作部署，", "按照年度工作安排，"),
        (r"主要政策依据：", "政策依据为："), (r"自评结果为", "评价等级为"), (r"设置指标分值共计", "指标分值合计")),
    2: ((r"对应(\S{2,8}?指标)为", r"\1：",), (r"对应(\S{2,8}?指标)包括：", r"\1包括："),
        (r"按支出内容划分：", "支出构成："), (r"按资金来源划分：", "资金构成："),
        (r"预算安排资金", "预算资金"), (r"全年实际支出", "实际支出"), (r"围绕部门职能和年度工作部署，", "结合部门职能，"),
        (r"主要政策依据：", "相关政策依据："), (r"设置指标分值共计", "指标总分值为")),
}


@dataclass(frozen=True)
class Variant:
    length: str = "normal"              # brief | normal | detailed
    focus: tuple[int, ...] = ()         # indicator indices the section concentrates on
    citations: bool | None = None       # None: as the writer does; False: none; True: policy citations added
    phrasing: int = 0                   # 0 = the writer's own; 1.. = other sentence frames

    def describe(self) -> str:
        parts = {"brief": ["简要版"], "detailed": ["详细版"], "normal": []}[self.length]
        if self.focus:
            parts.append("突出指定指标")
        if self.citations is False:
            parts.append("不引用政策")
        elif self.citations:
            parts.append("附政策依据")
        if self.phrasing:
            parts.append("换一种表述")
        return "、".join(parts) or "重写"


def variant_of(request: str, previous: Variant | None = None, focus: tuple[int, ...] = ()) -> Variant:
    """The variant a rewrite request asks for, starting from the one the section was written in."""
    v = previous or Variant()
    text = request
    if re.search(r"短|简要|简洁|精简|压缩|简单|概括", text):
        v = replace(v, length="brief")
    elif re.search(r"详细|具体|展开|充实|长一|丰富|多写", text):
        v = replace(v, length="detailed")
    if focus:
        v = replace(v, focus=tuple(focus))
    if re.search(r"不要引用|不引用|去掉引用|别引用|删掉引用|不要.{0,4}(政策|依据|法规)", text):
        v = replace(v, citations=False)
    elif re.search(r"加上|补充|引用|附上|增加", text) and re.search(r"政策|依据|法规|规定|条例|引用", text):
        v = replace(v, citations=True)
    if re.search(r"换|另一种|重写|重新|改写|再写|改一改|改改|正式|润色", text) or v == (previous or Variant()):
        v = replace(v, phrasing=(v.phrasing % PHRASINGS) + 1)
    return v


class VariantWriter(TemplateWriter):
    """The template writer's pieces, assembled as a variant asks."""

    def __init__(self, ctx: DraftContext, variant: Variant):
        super().__init__(ctx)
        self.variant = variant

    # --- problems and measures ------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        return derive_problems(self.card)

    def focus_scores(self):
        return [self.card.indicators[k] for k in self.variant.focus if 0 <= k < len(self.card.indicators)]

    def focused_problem_lines(self) -> list[str]:
        lines = []
        for k, s in enumerate(self.focus_scores(), 1):
            head = f"{k}." if len(self.variant.focus) > 1 else ""
            if s.met is False:
                lines.append(f"{head}{unmet_line(s, self.card)}。")
            elif s in self.card.overachieving:
                lines.append(f"{head}{self.label(s.index)}，{self.outcome(s)}，实际完成值远超年度指标值，"
                             f"反映出该项绩效目标设置偏保守。")
            else:
                lines.append(f"{head}{self.label(s.index)}，{self.outcome(s)}，已完成年度指标值。")
        return lines

    def focused_measure_lines(self) -> list[str]:
        lines = []
        for k, s in enumerate(self.focus_scores(), 1):
            head = f"{k}." if len(self.variant.focus) > 1 else ""
            name = quoted(s.name)
            if s.met is False:
                reason = (s.reason or "").strip().rstrip("。；;")
                cause = f"针对偏差原因（{reason}）" if reason else "在补充说明偏差原因的基础上"
                lines.append(f"{head}针对{name}未完成年度指标值的问题（{self.outcome(s)}），{cause}，"
                             f"制定专项改进计划，明确责任科室和完成时限，按月跟踪{name}的完成进度，"
                             f"发现偏离年度目标的及时采取措施予以纠正。")
            elif s in self.card.overachieving:
                lines.append(f"{head}针对{name}完成率{printing.rate(s.completion)}、远超年度指标值的情况，"
                             f"编制下一年度绩效目标时结合实际完成情况合理调高{name}的指标值。")
            else:
                lines.append(f"{head}{name}已完成年度指标值（{self.outcome(s)}），下一步继续巩固，"
                             f"保持{name}的工作成效。")
        return lines

    def policy_tail(self, problem: Problem) -> str:
        cited = self.cite_policy(problem.policy_query, problem.policy_words)
        if cited is None:
            return ""
        lead, tail = cited
        return (f"{lead.rstrip('，')}，应当予以改进。" if lead else tail.strip("（）") + "。")

    def problem_lines(self) -> list[str]:
        v = self.variant
        problems = self.problems()
        focused = self.focused_problem_lines() if v.focus else []
        if v.focus and v.length != "detailed":
            return focused or [NO_PROBLEM_TEXT]
        lines = []
        for k, problem in enumerate(problems, 1):
            body = problem.text
            if v.length == "brief":
                body = re.split(r"[；。]", body)[0] + "。"
            elif v.citations is not False:
                body += self.cite_report(problem.report_query, problem.report_words)
            if v.citations:
                body += self.policy_tail(problem)
            lines.append(self.enumerate(k, problem.title, body))
        if v.length == "detailed":
            lines += focused or self.unmet_details()
        lines = lines or [NO_PROBLEM_TEXT]
        if self.ev.report_type == "项目" and v.length != "brief":      # the project outline's 六、(一)(二)
            experience = self.plain("problems").split("（二）存在的问题")[0].splitlines()
            lines = experience + ["（二）存在的问题"] + lines
        return lines

    def unmet_details(self) -> list[str]:
        """Per unmet indicator: its figures, reason, task and the points it lost."""
        details = []
        for s in self.card.indicators:
            if s.met is not False:
                continue
            line = f"其中，{unmet_line(s, self.card)}"
            if s.task:
                line += f"，所属重点任务为“{s.task}”"
            if s.score is not None and s.weight - s.score > 0.005:
                line += f"，该项{printing.indicator_score(s.score, s.stated_score)}（分值{printing.points(s.weight)}）"
            details.append(line + "。")
        return details

    def measure_lines(self) -> list[str]:
        v = self.variant
        problems = self.problems()
        focused = self.focused_measure_lines() if v.focus else []
        if v.focus and v.length != "detailed":
            return focused
        lines = []
        if not problems:
            lines.append(self.general_measure() if v.citations is not False else
                         "持续加强预算绩效管理，将绩效评价结果作为改进管理和编制以后年度预算的重要依据。")
        for k, problem in enumerate(problems, 1):
            body = problem.measure_text
            if v.length == "brief":
                body = re.split(r"[，；。]", body)[0] + "。"
            if v.citations is not False:
                cited = self.cite_policy(problem.policy_query, problem.policy_words)
                if cited:
                    lead, tail = cited
                    body = lead + body if lead else body.rstrip("。") + tail + "。"
            lines.append(self.enumerate(k, problem.measure_title, body))
        if v.length == "detailed":
            lines += focused or [f"针对{quoted(s.name)}，{self.outcome(s)}，应逐项分析原因并明确整改时限。"
                                 for s in self.card.indicators if s.met is False]
        if self.ev.report_type == "项目" and v.length != "brief":      # followed by 七、绩效评价结果应用
            tail = self.plain("measures").split("七、绩效评价结果应用")
            if len(tail) > 1:
                lines += ["七、绩效评价结果应用", *tail[-1].strip().splitlines()]
        return lines

    def plain(self, key: str) -> str:
        """The section as the template writer writes it, keeping the citations used so far."""
        used = list(self.used)
        text = self.write(key)
        self.used = used + [n for n in self.used if n not in used]
        return text

    def enumerate(self, k: int, title: str, body: str) -> str:
        """One numbered point in the variant's phrasing."""
        frame = self.variant.phrasing % PHRASINGS
        if frame == 1:
            return f"{cn_ordinal(k)}是{title}。{body}"
        if frame == 2:
            return f"（{cn_ordinal(k)}）{title}：{body}"
        return f"{k}.{title}。{body}"

    # --- the other sections ---------------------------------------------------------------------

    def conclusion_lines_variant(self) -> list[str]:
        what = "项目支出绩效自评方案" if self.ev.report_type == "项目" else "财政资金整体支出绩效自评方案"
        lines = self.conclusion_lines(what)
        if self.variant.length == "brief":
            lines = lines[:1]
        if self.variant.length == "detailed":
            lines += self.level_lines()
        if self.variant.phrasing % PHRASINGS == 1 and len(lines) > 1:
            lines = [lines[1], lines[0], *lines[2:]]
        elif self.variant.phrasing % PHRASINGS == 2:
            lines = ["经综合评价：" + lines[0], *lines[1:]]
        return lines

    def level_lines(self) -> list[str]:
        lines = []
        groups: dict[str, list] = {}
        for s in self.card.indicators:
            groups.setdefault(s.level1 or "绩效指标", []).append(s)
        for level, scores in groups.items():
            got = sum(s.score or 0.0 for s in scores)
            weight = sum(s.weight for s in scores)
            missed = [s for s in scores if s.met is False]
            state = ("，其中" + "、".join(quoted(s.name) for s in missed) + "未达到年度指标值") if missed else "，均达到年度指标值"
            lines.append(f"{level}得分合计{printing.points(round(got, 2))}，分值合计{printing.points(weight)}{state}。")
        return lines

    def indicator_lines_variant(self) -> list[str]:
        v = self.variant
        if v.focus:
            return [f"{self.indicator_clause(s)}。" for s in self.focus_scores()]
        if v.length == "brief":
            lines = []
            for k, (group, scores) in enumerate(self.by_task(), 1):
                clauses = "；".join(f"{self.label(s.index)}完成率{printing.rate(s.completion)}"
                                   if s.completion is not None and self.ev.indicators[s.index].target.is_numeric
                                   and s.direction != "negative" else self.indicator_clause(s) for s in scores)
                lines.append(f"{k}.{group}：{clauses}。")
            return lines
        return self.plain(self.key).splitlines() + (self.level_lines() if v.length == "detailed" else [])

    def background_lines_variant(self) -> list[str]:
        if self.variant.length == "brief":
            lines = [self.budget_sentence("本项目" if self.ev.report_type == "项目" else "部门")]
            if self.ev.tasks:
                lines.append("重点工作任务：" + "；".join(
                    t.name + (f"（拟投入资金{printing.money(t.funds, self.money_unit)}）" if t.funds is not None else "")
                    for t in self.ev.tasks) + "。")
            lines += self.funds_lines()
            return lines
        lines = self.plain(self.key).splitlines()
        if self.variant.length == "detailed":
            lines += self.level_lines()
        return lines

    def write_variant(self, key: str) -> str:
        self.key = key
        if key in ("problems", "measures"):
            body = self.problem_lines() if key == "problems" else self.measure_lines()
        elif key == "conclusion":
            body = self.conclusion_lines_variant()
        elif key == "indicators":
            body = self.indicator_lines_variant()
        else:
            body = self.background_lines_variant()
        self.used = sorted(set(self.used))
        text = "\n".join(line for line in body if line.strip())
        for pattern, replacement in REPHRASE.get(self.variant.phrasing % PHRASINGS, ()):
            text = re.sub(pattern, replacement, text)
        return text


def draft_variant(ctx: DraftContext, key: str, variant: Variant) -> DraftSection:
    """Section `key` written as `variant`, checked (`verified_section`)."""
    if variant.citations is False:
        ctx.index = None
    if variant == Variant():
        text, used = write_section(ctx, key)
        return verified_section(ctx, key, text, used)
    writer = VariantWriter(ctx, variant)
    text = writer.write_variant(key)
    return verified_section(ctx, key, text, list(writer.used))


def rewrite_section(evaluation, key: str, variant: Variant, *, index=None, report_type: str | None = None,
                    rules=None) -> DraftSection:
    """Section `key` of `evaluation` as `variant` (its citations numbered from 1)."""
    if report_type and report_type != evaluation.report_type:
        evaluation = evaluation.model_copy(update={"report_type": report_type})
    return draft_variant(DraftContext.build(evaluation, index=index, rules=rules), key, variant)
