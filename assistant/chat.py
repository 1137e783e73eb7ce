"""The conversation engine behind the chat: one `ChatSession` per officer, no UI imports.

An officer's question is routed by intent (jieba tokens matched against keyword rules) to an
answer built from the data: which indicators were not met and why (with gaps and reasons), the
score and grade and how they were computed, one indicator's figures, the budget, the data's own
inconsistencies, policy and past-report questions (answered from `Index.search` with numbered
citations [1] to document and section), and "起草/重写 …部分" requests, which draft the section
(`drafting.draft_section`) into the chat and into the session's draft.

When a chat model is configured (`assistant.llm.chat_model()`), the model answers instead, using
the same answers as tools through langchain tool calling (score, underperformers, indicator,
retrieve, draft_section); a model without tool calling gets the routed tool's output as facts.

Whoever writes an answer, it reaches the officer only through `figures.check` against the
session's ledger (plus the passages retrieved for that answer): text streams out a line at a
time, each line checked and every unverified or misattributed figure replaced by `figures.mark`.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .drafting import printing
from .drafting.outline import SECTION_KEYS, outline, spec
from .errors import JixiaoError
from .model import Evaluation
from .quantities import UNITS, normalize
from .scoring import IndicatorScore, ScoreCard, ScoringRules, score

log = logging.getLogger(__name__)

# --- intents -------------------------------------------------------------------------------------

INTENTS = ("draft", "underperformers", "findings", "score", "budget", "indicator", "retrieve", "help")

# Each rule is a tuple of words that must all occur (as jieba tokens or as substrings of the
# question). The intent with the most matched rules wins; ties go to the earlier intent in INTENTS.
INTENT_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "draft": (("起草",), ("重写",), ("改写",), ("撰写",), ("草拟",), ("润色",), ("帮我写",), ("写一",),
              ("写个",), ("再写",), ("生成", "部分"), ("生成", "报告"), ("写", "部分"), ("写", "章节")),
    "underperformers": (("没有", "完成"), ("未完成",), ("没完成",), ("未达",), ("没达",), ("达不到",),
                        ("不达标",), ("未实现",), ("差距",), ("偏差",), ("落后",), ("欠缺",),
                        ("完成", "不好"), ("哪些", "没"), ("为什么", "没")),
    "findings": (("不一致",), ("核对",), ("数据", "问题"), ("错误",), ("矛盾",), ("异常",), ("核查",),
                 ("对不上",), ("填报", "有误")),
    "score": (("得分",), ("总分",), ("分数",), ("评分",), ("等级",), ("打分",), ("几分",), ("多少分",),
              ("怎么", "算"), ("如何", "计算"), ("计算", "方法"), ("自评", "结果")),
    "budget": (("预算",), ("执行率",), ("支出",), ("资金",), ("经费",), ("花了",)),
    "indicator": (("完成值",), ("目标值",), ("指标值",), ("实际", "完成"), ("完成率",), ("完成", "多少")),
    "retrieve": (("政策",), ("规定",), ("法规",), ("条例",), ("办法",), ("依据",), ("法律",), ("文件",),
                 ("往年",), ("以前",), ("过去",), ("历年",), ("案例",), ("范文",), ("参考",),
                 ("往期",), ("其他", "报告"), ("过往",), ("要求",), ("哪一条",), ("第几条",), ("法", "规定")),
    "help": (("你好",), ("帮助",), ("能做什么",), ("功能",), ("怎么用",), ("使用", "说明")),
}
# Words that name a report section, for "起草/重写 …部分" (longest first when matched).
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "problems": ("存在的主要问题", "存在的问题", "主要问题", "问题"),
    "measures": ("下一步改进措施", "改进措施", "改进建议", "整改措施", "措施", "建议", "下一步"),
    "conclusion": ("自评结论", "评价结论", "综合评价", "结论", "评价等级"),
    "background": ("部门基本情况", "基本情况", "项目概述", "评价项目概述", "概述", "背景", "概况"),
    "indicators": ("履职效能分析", "指标分析", "绩效指标分析", "履职效能", "指标情况", "绩效分析", "指标"),
}
WHOLE_REPORT_WORDS = ("全文", "整个报告", "完整报告", "整篇", "全部章节", "整份报告", "报告全文")
FOLLOW_UP_WORDS = ("为什么", "原因", "怎么回事", "为何")

_JIEBA_LOCK = threading.Lock()
_JIEBA_READY = False
DOMAIN_WORDS = ("预算执行率", "执行率", "存在的问题", "改进措施", "自评结论", "完成值", "目标值", "指标值",
                "完成率", "未完成", "没完成", "不达标", "绩效自评", "偏差原因", "得分", "总分", "评价等级",
                "基本情况", "履职效能", "满意度", "起草", "重写")


def tokens(text: str) -> list[str]:
    """jieba tokens of `text`, with the domain words kept whole."""
    global _JIEBA_READY
    import jieba

    with _JIEBA_LOCK:
        if not _JIEBA_READY:
            jieba.setLogLevel(logging.WARNING)
            for word in DOMAIN_WORDS:
                jieba.add_word(word, freq=20000)
            _JIEBA_READY = True
    return [t for t in jieba.lcut(text) if t.strip()]


@dataclass(frozen=True)
class Route:
    intent: str
    section: str | None = None          # draft: the section key
    whole_report: bool = False          # draft: every section
    indicator: int | None = None        # the indicator index the question names
    scores: dict[str, int] = field(default_factory=dict)


def _rule_hits(text: str, words: set[str], rules) -> int:
    return sum(1 for rule in rules if all(w in words or w in text for w in rule))


def section_of(text: str) -> str | None:
    """The report section a request names (`存在的问题` → problems), or None."""
    best, best_len = None, 0
    for key, phrases in SECTION_WORDS.items():
        for phrase in phrases:
            if phrase in text and len(phrase) > best_len:
                best, best_len = key, len(phrase)
    return best


def match_indicator(question: str, evaluation: Evaluation | None) -> int | None:
    """The indicator a question names: the most of its name's words (jieba tokens) in the question."""
    if evaluation is None or not evaluation.indicators:
        return None
    text = normalize(question)
    asked = {t for t in tokens(text) if len(t) >= 2}
    best, best_score = None, 0.0
    for k, indicator in enumerate(evaluation.indicators):
        name = normalize(indicator.name)
        if len(name) >= 4 and name in text:
            return k
        words = {t for t in tokens(name) if len(t) >= 2}
        if not words:
            continue
        common = asked & words
        weight = sum(len(w) for w in common)
        share = weight / sum(len(w) for w in words)
        score_ = len(common) + share
        if len(common) >= 2 and score_ > best_score:
            best, best_score = k, score_
    return best


def route(question: str, evaluation: Evaluation | None = None) -> Route:
    """Which answer a question asks for."""
    text = normalize(question)
    words = set(tokens(text))
    scores = {intent: _rule_hits(text, words, rules) for intent, rules in INTENT_RULES.items()}
    indicator = match_indicator(text, evaluation)
    if scores["draft"]:
        whole = any(w in text for w in WHOLE_REPORT_WORDS)
        return Route("draft", section=section_of(text), whole_report=whole, indicator=indicator, scores=scores)
    if indicator is not None and not scores["underperformers"]:
        return Route("indicator", indicator=indicator, scores=scores)
    best = max(INTENTS, key=lambda name: (scores.get(name, 0), -INTENTS.index(name)))
    if scores.get(best, 0) == 0:
        best = "unknown"
    return Route(best, indicator=indicator, scores=scores)


# --- answers -------------------------------------------------------------------------------------

@dataclass
class Segment:
    """One checked unit of an answer: the text as written, its check, and what is shown."""
    raw: str
    shown: str
    check: Any = None                   # figures.CheckResult, or None for text with no figures to check
    trusted: bool = False               # a drafted section: checked by drafting, `check` is of its raw text


@dataclass
class Answer:
    question: str
    intent: str
    segments: list[Segment] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    section: Any = None                 # drafting.DraftSection when the answer drafted one
    tools: list[str] = field(default_factory=list)
    passages: list = field(default_factory=list)   # retrieved for this answer (their figures verify)
    writer: str = "template"

    @property
    def text(self) -> str:
        """What the officer sees: every unverified figure marked."""
        return "".join(s.shown for s in self.segments)

    @property
    def raw(self) -> str:
        return "".join(s.raw for s in self.segments)

    @property
    def figures(self) -> list:
        """Checked figures, offsets into `text` where a segment was shown as written."""
        out, offset = [], 0
        for segment in self.segments:
            if segment.check is not None:
                for figure in segment.check.figures:
                    out.append(figure.model_copy(update={"start": figure.start + offset, "end": figure.end + offset}))
            offset += len(segment.raw)
        return out

    @property
    def problems(self) -> list:
        return [f for f in self.figures if f.status in ("unverified", "misattributed")]

    @property
    def ok(self) -> bool:
        return not self.problems and (self.section is None or self.section.status == "verified")

    def to_json(self) -> dict:
        return {"question": self.question, "intent": self.intent, "text": self.text, "ok": self.ok,
                "citations": self.citations, "tools": self.tools, "writer": self.writer,
                "figures": [{"text": f.text, "start": f.start, "end": f.end, "value": f.value, "unit": f.unit,
                             "status": f.status, "source": f.source, "reason": f.reason} for f in self.figures]}


class CheckedStream:
    """Checks text as it arrives, a line (or a long sentence run) at a time, and gives it back marked."""

    MAX_PENDING = 160

    def __init__(self, ledger):
        self.ledger = ledger
        self.segments: list[Segment] = []
        self._pending = ""

    def feed(self, delta: str) -> str:
        self._pending += delta
        out = []
        while True:
            cut = self._cut(self._pending)
            if cut is None:
                break
            unit, self._pending = self._pending[:cut], self._pending[cut:]
            out.append(self._check(unit))
        return "".join(out)

    def flush(self) -> str:
        unit, self._pending = self._pending, ""
        return self._check(unit) if unit else ""

    def add_trusted(self, text: str, check=None) -> str:
        """Text already checked elsewhere (a drafted section: verified or carrying its 【待核实】 marks)."""
        shown = self.flush()
        self.segments.append(Segment(raw=text, shown=text, check=check, trusted=True))
        return shown + text

    def _cut(self, text: str) -> int | None:
        newline = text.rfind("\n")
        if newline >= 0:
            return newline + 1
        if len(text) > self.MAX_PENDING:
            ends = [text.rfind(mark) for mark in "。！？；"]
            end = max(ends)
            if end >= 0:
                return end + 1
        return None

    def _check(self, unit: str) -> str:
        from .figures import check, mark

        try:
            result = check(unit, self.ledger)
        except Exception:       # a checker failure must not let figures through: mark every number
            log.exception("figure check failed on %r", unit)
            shown = mark_all_numbers(unit)
            self.segments.append(Segment(raw=shown, shown=shown, check=None))
            return shown
        shown = unit if not result.problems() else mark(unit, result)
        self.segments.append(Segment(raw=unit, shown=shown, check=result))
        return shown


# --- the session ---------------------------------------------------------------------------------

IndexProvider = Callable[[], Any]


class ChatSession:
    """One officer's conversation: their data, its score card and ledger, history and draft.

    Nothing here is shared between sessions except the read-only index the provider returns.
    """

    def __init__(self, evaluation: Evaluation | None = None, *, index_provider: IndexProvider | None = None,
                 llm=None, writer: str = "template", rules: ScoringRules | None = None, history_turns: int = 6):
        self.index_provider = index_provider
        self.llm = llm
        self.writer = writer
        self.rules = rules
        self.history_turns = history_turns
        self.history: list[dict] = []           # {"role": "user"|"assistant", "content": shown text}
        self.answers: list[Answer] = []
        self.sections: dict[str, Any] = {}      # key → drafting.DraftSection (the session's draft)
        self.report_type: str | None = None
        self.focus: int | None = None           # the indicator last talked about
        self.evaluation: Evaluation | None = None
        self.card: ScoreCard | None = None
        self._ledger = None
        if evaluation is not None:
            self.load(evaluation)

    # data

    def load(self, evaluation: Evaluation) -> ScoreCard:
        """Use this evaluation from now on: score it, start a new ledger and an empty draft."""
        self.evaluation = evaluation
        self.card = score(evaluation, self.rules)
        self._ledger = None
        self.sections = {}
        self.report_type = evaluation.report_type
        self.focus = None
        return self.card

    @property
    def ledger(self):
        if self.card is None:
            raise JixiaoError("尚未载入数据：请先在“数据”页上传指标数据或选择示例")
        if self._ledger is None:
            from .figures import Ledger
            self._ledger = Ledger.from_scorecard(self.card)
        return self._ledger

    def answer_ledger(self, passages: list) -> Any:
        """The session's ledger plus this answer's retrieved passages (a fresh copy per answer)."""
        from .figures import Ledger
        ledger = Ledger.from_scorecard(self.card) if self.card is not None else Ledger()
        if passages:
            ledger.add_passages(passages)
        return ledger

    def index(self):
        index = self.index_provider() if self.index_provider is not None else None
        if index is None:
            raise JixiaoError("未配置资料库（索引）")
        return index

    # the draft

    def draft(self):
        """The session's draft (sections drafted in chat or on the draft tab), in outline order."""
        from .drafting import Draft, report_title

        if self.evaluation is None:
            return None
        report_type = self.report_type or self.evaluation.report_type
        ordered = [self.sections[item.key] for item in outline(report_type) if item.key in self.sections]
        citations: list[dict] = []
        for section in ordered:
            citations += [c for c in section.citations if c not in citations]
        evaluation = self.evaluation.model_copy(update={"report_type": report_type})
        return Draft(report_type=report_type, title=report_title(evaluation), sections=ordered,
                     ok=all(s.status == "verified" for s in ordered), citations=citations)

    def set_draft(self, draft) -> None:
        self.report_type = draft.report_type
        self.sections = {s.key: s for s in draft.sections}

    # asking

    def ask(self, question: str) -> Iterator[str]:
        """Stream the answer to `question`: chunks of checked text, marked where unverified.

        When the generator is exhausted, `self.answers[-1]` is the whole `Answer`.
        """
        question = (question or "").strip()
        answer = Answer(question=question, intent="empty")
        self.answers.append(answer)
        if not question:
            return
        self.history.append({"role": "user", "content": question})
        try:
            if self.evaluation is None:
                answer.intent = "no_data"
                stream = CheckedStream(None)
                yield stream.add_trusted("尚未载入数据。请先在“数据”页上传指标数据（xlsx、csv、yaml、json 或申报表），"
                                         "或选择一个示例，然后再提问。")
                answer.segments = stream.segments
            elif self.llm is not None:
                yield from self._model_answer(question, answer)
            else:
                yield from self._template_answer(question, answer)
        finally:
            self.history.append({"role": "assistant", "content": answer.text})

    def answer(self, question: str) -> Answer:
        """Ask and wait for the whole answer."""
        for _ in self.ask(question):
            pass
        return self.answers[-1]

    # --- the template writer ---------------------------------------------------------------------

    def _template_answer(self, question: str, answer: Answer) -> Iterator[str]:
        r = route(question, self.evaluation)
        if r.intent in ("unknown", "help") and any(w in question for w in FOLLOW_UP_WORDS):
            r = Route("reasons", indicator=self.focus)
        searched_instead = False
        if r.intent == "unknown" and self.index_provider is not None:
            r, searched_instead = Route("retrieve"), True   # not about the data: look in the corpus
        answer.intent = r.intent
        passages: list = []
        if r.intent == "draft":
            yield from self._draft_answer(question, r, answer)
            return
        if r.intent == "retrieve":
            text, passages = self._retrieve_text(question, answer)
            if searched_instead and not passages:
                answer.intent, text = "help", self.help_text()
        else:
            text = self.tool_text(r.intent, r.indicator)
        stream = CheckedStream(self.answer_ledger(passages))
        for line in text.splitlines(keepends=True):
            chunk = stream.feed(line)
            if chunk:
                yield chunk
        tail = stream.flush()
        if tail:
            yield tail
        answer.segments = stream.segments

    def tool_text(self, intent: str, indicator: int | None = None) -> str:
        """The data's answer for an intent (also the tools' output for a model)."""
        if intent == "underperformers":
            return self.underperformers_text()
        if intent == "score":
            return self.score_text()
        if intent == "budget":
            return self.budget_text()
        if intent == "findings":
            return self.findings_text()
        if intent in ("indicator", "reasons"):
            if indicator is None:
                indicator = self.focus
            if indicator is None:
                return self.underperformers_text() if intent == "reasons" else self.indicator_list_text()
            self.focus = indicator
            return self.indicator_text(indicator)
        return self.help_text()

    # the data's answers

    def _fmt_gap(self, s: IndicatorScore) -> str:
        if s.gap is None:
            return ""
        target = self.evaluation.indicators[s.index].target
        part = target.alternatives[0] if target.kind == "compound" else target
        return printing.gap(s.gap, part)

    def _indicator_line(self, s: IndicatorScore) -> str:
        ev = self.evaluation
        indicator = ev.indicators[s.index]
        actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else "未填写"
        parts = [f"年度指标值{indicator.target.text.strip()}", f"实际完成{actual}"]
        if s.completion is not None and indicator.target.is_numeric:
            parts.append(f"完成率{printing.rate(s.completion)}")
        gap = self._fmt_gap(s)
        if gap and s.met is False:
            parts.append(f"差{gap}")
        elif s.met is False and s.basis:
            parts.append(s.basis)
        return "，".join(parts)

    def underperformers_text(self) -> str:
        card, ev = self.card, self.evaluation
        unmet = [s for s in card.indicators if s.met is False]
        unknown = [s for s in card.indicators if s.met is None]
        order = {u.name: k for k, u in enumerate(card.underperforming)}
        unmet.sort(key=lambda s: order.get(s.name, len(order)))
        lines: list[str] = []
        if unmet:
            lines.append("按数据计算，以下指标未完成年度指标值（按差距从大到小）：")
            for k, s in enumerate(unmet, 1):
                reason = (s.reason or "").strip().rstrip("。；;")
                why = f"偏差原因：{reason}" if reason else "数据未填写偏差原因，请补充"
                lines.append(f"{k}. “{s.name}”：{self._indicator_line(s)}。{why}。")
            self.focus = unmet[0].index
        else:
            lines.append("按数据计算，所有指标均已完成年度指标值，没有未完成的指标。")
        if unknown:
            lines.append("以下指标无法判断是否完成：")
            for s in unknown:
                lines.append(f"- “{s.name}”：{s.basis or '实际完成值无法判断'}。")
        mismatches = [f for f in card.findings if f.kind in ("stated_completion_mismatch", "stated_score_mismatch",
                                                             "stated_execution_rate_mismatch", "stated_total_mismatch",
                                                             "stated_grade_mismatch", "stated_total_sum_mismatch")]
        if mismatches:
            lines.append("但数据本身有不一致之处，请核对：")
            for f in mismatches:
                lines.append(f"- {f.message}。")
        missing = [f for f in card.findings if f.kind == "missing_reason"]
        if missing and unmet:
            lines.append("未填写偏差原因的指标：" + "、".join(f"“{f.subject}”" for f in missing) + "。")
        high = [s for s in card.overachieving]
        if high:
            lines.append("另有指标完成率远超年度指标值，目标值可能设置偏低："
                         + "；".join(f"“{s.name}”完成率{printing.rate(s.completion)}" for s in high) + "。")
        return "\n".join(lines)

    def score_text(self) -> str:
        card, ev = self.card, self.evaluation
        lines = [f"自评总分{printing.points(card.total)}，评价等级为“{card.grade}”。"]
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
            numeric = self.evaluation.indicators[s.index].target.is_numeric
            how = (s.formula if numeric else s.basis) or s.basis or ""
            how = f"（{how}）" if how else ""
            got = printing.points(s.score) if s.score is not None else "无法计分"
            lines.append(f"{k}. “{s.name}”{how}：得分{got}，分值{printing.points(s.weight)}。")
        lines.append(f"评价等级按总分划定：优、良、中、差四档，本次总分{printing.points(card.total)}，等级为“{card.grade}”。")
        return "\n".join(lines)

    def budget_text(self) -> str:
        card, ev = self.card, self.evaluation
        budget, b = ev.budget, card.budget
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
            lines.append(f"- 资金来源“{name}”：{printing.money(amount, unit)}。")
        for name, amount in budget.by_item.items():
            lines.append(f"- 支出项目“{name}”：{printing.money(amount, unit)}。")
        for f in card.findings:
            if f.subject == "预算执行率":
                lines.append(f"注意：{f.message}。")
        return "\n".join(lines)

    def findings_text(self) -> str:
        card = self.card
        if not card.findings:
            return "核对完毕：数据填报的完成率、得分和等级与计算结果一致，未发现问题。"
        lines = ["核对数据发现以下问题："]
        for k, f in enumerate(card.findings, 1):
            lines.append(f"{k}. {f.message}。")
        return "\n".join(lines)

    def indicator_text(self, k: int) -> str:
        """One indicator's figures. Every sentence names the indicator: the checker attributes by sentence."""
        ev, card = self.evaluation, self.card
        indicator, s = ev.indicators[k], card.indicators[k]
        name = f"“{indicator.name}”"
        level = "·".join(x for x in (indicator.level1, indicator.level2) if x)
        parts = [f"年度指标值{indicator.target.text.strip()}"]
        actual = printing.quantity(indicator.actual, indicator.target.unit) if indicator.actual else None
        parts.append(f"实际完成{actual}" if actual else "未填写实际完成值")
        if s.completion is not None and indicator.target.is_numeric:
            formula = f"（{s.formula}）" if s.formula else ""
            parts.append(f"完成率{printing.rate(s.completion)}{formula}")
        if s.score is not None:
            parts.append(f"得分{printing.points(s.score)}（分值{printing.points(s.weight)}）")
        status = {True: "已完成年度指标值", False: "未完成年度指标值", None: "无法判断是否完成"}[s.met]
        gap = self._fmt_gap(s)
        if s.met is False and gap:
            status += f"，差{gap}"
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
            if f.subject == indicator.name and f.kind != "target_too_low":
                lines.append(f"核对：{f.message}。")
        return "\n".join(lines)

    def indicator_list_text(self) -> str:
        names = "；".join(f"“{i.name}”" for i in self.evaluation.indicators)
        return f"请说明要查询哪一项指标。本数据的指标有：{names}。"

    def help_text(self) -> str:
        return ("我可以根据您载入的数据回答：\n"
                "- 哪些指标没有完成、为什么（差距和偏差原因）；\n"
                "- 自评得分和等级，以及是怎么算出来的；\n"
                "- 某个指标的目标值、实际完成值和完成率（请说出指标名称）；\n"
                "- 预算安排、实际支出和预算执行率；数据中填报有误的地方；\n"
                "- 政策规定和往年报告中的相关内容（附编号引用）；\n"
                "- 起草或重写报告的某个部分，例如“起草存在的问题部分”“重写改进措施”。\n"
                "回答中的每个数字都已与数据核对：核对通过的数字可悬停查看来源，无法核实的标为【待核实】。")

    # retrieval

    def _retrieve_text(self, question: str, answer: Answer, k: int = 4) -> tuple[str, list]:
        try:
            index = self.index()
            passages = index.search(question, k=k)
        except JixiaoError as error:
            return f"资料库暂不可用：{error}", []
        except Exception as error:  # an index that cannot be opened must not end the conversation
            log.exception("retrieval failed")
            return f"资料库暂不可用（{type(error).__name__}），请稍后再试或在“资料库”页重建索引。", []
        if not passages:
            return "资料库中没有找到相关内容。可在“资料库”页添加政策文件或往年报告。", []
        answer.passages += passages
        lines = ["资料库中与问题最相关的内容如下（原文摘录，请以原文为准）："]
        for n, passage in enumerate(passages, len(answer.citations) + 1):
            answer.citations.append(citation(n, passage))
            section = f"“{passage.section}”" if passage.section else ""
            lines.append(f"[{n}] 《{passage.title}》{section}：{excerpt(passage.text)}")
        return "\n".join(lines), passages

    def retrieve_text(self, query: str, answer: Answer) -> tuple[str, list]:
        return self._retrieve_text(query, answer)

    # drafting

    def _draft_answer(self, question: str, r: Route, answer: Answer) -> Iterator[str]:
        stream = CheckedStream(self.ledger)
        keys = list(SECTION_KEYS) if r.whole_report else [r.section] if r.section else []
        if not keys:
            names = "、".join(f"“{spec(self.report_type or '部门整体', key).name}”" for key in SECTION_KEYS)
            yield stream.add_trusted(f"请说明要起草哪个部分：{names}，或“起草报告全文”。")
            answer.segments = stream.segments
            return
        for key in keys:
            section = self.draft_section(key, instruction=question)
            answer.section = section
            answer.citations += [c for c in section.citations if c not in answer.citations]
            status = "每个数字均已核实" if section.status == "verified" else "无法核实的数字已标为【待核实】，请补充或修改"
            yield stream.add_trusted(f"已起草“{section.title}”，并放入报告草稿（{status}）：\n\n")
            yield stream.add_trusted(section.text, section.check if section.status == "verified" else None)
            yield stream.add_trusted("\n\n")
        answer.segments = stream.segments

    def draft_section(self, key: str, instruction: str = ""):
        """Draft one section (template or the session's model) and keep it in the session's draft."""
        from .drafting import draft_section

        index = self._index_or_none()
        section = draft_section(self.evaluation, key, writer=self.writer, index=index, llm=self.llm,
                                instruction=instruction, report_type=self.report_type, rules=self.rules)
        self.sections[key] = section
        return section

    def draft_report(self, report_type: str | None = None, sections=None):
        from .drafting import draft_report

        draft = draft_report(self.evaluation, report_type=report_type or self.report_type, sections=sections,
                             writer=self.writer, index=self._index_or_none(), llm=self.llm, rules=self.rules)
        self.set_draft(draft)
        return draft

    def _index_or_none(self):
        if self.index_provider is None:
            return None
        try:
            return self.index_provider()
        except JixiaoError as error:    # not configured, or still being built: draft without citations
            log.info("drafting without the index: %s", error)
            return None
        except Exception:       # drafting works without an index: no citations
            log.warning("index unavailable for drafting", exc_info=True)
            return None

    # --- the model writer ------------------------------------------------------------------------

    def _model_answer(self, question: str, answer: Answer) -> Iterator[str]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

        answer.writer = getattr(self.llm, "_llm_type", type(self.llm).__name__)
        passages: list = []
        r = route(question, self.evaluation)
        answer.intent = f"model:{r.intent}"
        tools = self._tools(answer, passages)
        try:
            runnable = self.llm.bind_tools(list(tools.values()))
            tool_calling = True
        except (NotImplementedError, AttributeError):
            runnable, tool_calling = self.llm, False

        facts = self.ledger.facts_block()
        system = SYSTEM_PROMPT.format(unit=self.evaluation.unit_name, year=self.evaluation.year, facts=facts)
        if not tool_calling:
            # No tool calling: do what the router says, and give the model the result as material.
            if r.intent == "draft":
                yield from self._draft_answer(question, r, answer)
                return
            if r.intent == "retrieve":
                material, found = self._retrieve_text(question, answer)
                passages += found
            else:
                material = self.tool_text(r.intent if r.intent != "unknown" else "help", r.indicator)
            system += "\n\n与问题相关的材料（只能使用其中的数字）：\n" + material
        messages: list = [SystemMessage(system)]
        for turn in self.history[:-1][-2 * self.history_turns:]:
            messages.append(HumanMessage(turn["content"]) if turn["role"] == "user" else AIMessage(turn["content"]))
        messages.append(HumanMessage(question))

        stream: CheckedStream | None = None
        try:
            for _round in range(MAX_TOOL_ROUNDS):
                stream = CheckedStream(self.answer_ledger(passages))
                gathered = None
                text_seen = False
                for chunk in runnable.stream(messages):
                    gathered = chunk if gathered is None else gathered + chunk
                    delta = _chunk_text(chunk)
                    if delta and not getattr(gathered, "tool_call_chunks", None):
                        text_seen = True
                        shown = stream.feed(delta)
                        if shown:
                            yield shown
                calls = list(getattr(gathered, "tool_calls", None) or [])
                if not calls:
                    tail = stream.flush()
                    if tail:
                        yield tail
                    break
                if text_seen:           # text before a tool call: keep what was shown
                    yield stream.flush()
                    answer.segments += stream.segments
                stream = None
                messages.append(AIMessage(content=_chunk_text(gathered), tool_calls=calls))
                for call in calls:
                    answer.tools.append(call["name"])
                    result = self._run_tool(tools, call)
                    messages.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
            else:
                stream = CheckedStream(self.ledger)
                yield stream.feed("（模型多次调用工具仍未给出答复，以下为根据数据直接生成的回答）\n")
                for line in self.tool_text(r.intent if r.intent != "unknown" else "help", r.indicator).splitlines(True):
                    yield stream.feed(line)
                yield stream.flush()
        except Exception as error:   # a model that fails must not end the conversation
            log.warning("chat model failed", exc_info=True)
            if stream is not None:
                yield stream.flush()
                answer.segments += stream.segments
            stream = CheckedStream(self.answer_ledger(passages))
            yield stream.feed(f"模型调用失败（{type(error).__name__}），以下为根据数据直接生成的回答：\n")
            if r.intent == "retrieve":
                material, found = self._retrieve_text(question, answer)
                stream = CheckedStream(self.answer_ledger(passages + found))
            elif r.intent == "draft":
                answer.segments += stream.segments
                drafted = Answer(question=question, intent="draft")
                yield from self._draft_answer(question, r, drafted)
                answer.segments += drafted.segments
                answer.section, answer.citations = drafted.section, answer.citations + drafted.citations
                return
            else:
                material = self.tool_text(r.intent if r.intent != "unknown" else "help", r.indicator)
            for line in material.splitlines(True):
                yield stream.feed(line)
            yield stream.flush()
        answer.segments += stream.segments if stream else []
        if answer.citations:
            ref = CheckedStream(self.answer_ledger(passages))
            listing = "\n\n参考资料：\n" + "\n".join(
                f"[{c['n']}] 《{c['title']}》{c.get('section') or ''}" for c in answer.citations)
            yield ref.add_trusted(listing)
            answer.segments += ref.segments

    def _tools(self, answer: Answer, passages: list) -> dict:
        from langchain_core.tools import StructuredTool

        session = self

        def score_summary() -> str:
            """自评总分、评价等级、预算执行率和各项指标得分，以及计算方法。"""
            return session.score_text()

        def underperformers() -> str:
            """未完成年度指标值的指标，含目标值、实际完成值、完成率、差距和偏差原因；以及数据中的不一致。"""
            return session.underperformers_text()

        def indicator_figures(name: str) -> str:
            """某一项指标的目标值、实际完成值、完成率、得分和偏差原因。name：指标名称或其中的关键词。"""
            k = match_indicator(name, session.evaluation)
            return session.indicator_text(k) if k is not None else session.indicator_list_text()

        def retrieve(query: str) -> str:
            """在政策法规和往年报告资料库中检索，返回带编号[n]的原文摘录。query：检索词。"""
            text, found = session._retrieve_text(query, answer)   # numbered after earlier citations
            passages.extend(found)
            return text

        def draft_section(section: str, instruction: str = "") -> str:
            """起草或重写报告的某一部分并放入草稿。section：background/indicators/conclusion/problems/measures
            或中文名称（如“存在的问题”）；instruction：修改要求。"""
            key = section if section in SECTION_KEYS else section_of(section) or "problems"
            drafted = session.draft_section(key, instruction=instruction)
            answer.section = drafted
            answer.citations += [c for c in drafted.citations if c not in answer.citations]
            return f"{drafted.title}\n{drafted.text}"

        funcs = [score_summary, underperformers, indicator_figures, retrieve, draft_section]
        return {f.__name__: StructuredTool.from_function(f) for f in funcs}

    @staticmethod
    def _run_tool(tools: dict, call: dict) -> str:
        tool = tools.get(call["name"])
        if tool is None:
            return f"没有名为“{call['name']}”的工具。"
        try:
            return str(tool.invoke(call.get("args") or {}))
        except JixiaoError as error:
            return f"工具出错：{error}"
        except Exception as error:
            log.warning("tool %s failed", call["name"], exc_info=True)
            return f"工具出错：{type(error).__name__}"


MAX_TOOL_ROUNDS = 4

SYSTEM_PROMPT = """你是“绩效报告助手”，协助财政和部门工作人员撰写{unit}{year}年度预算绩效评价报告、回答有关问题。
要求：
1. 只使用下列事实、工具返回结果和检索到的资料中的数字，不得编造、估算或改写任何数字；数据中没有的，直接说明“数据中没有”。
2. 引用资料库内容时，在句末标注编号，如[1]。
3. 用简体中文回答，语气平实、简洁，符合公文表述习惯。
4. 你的回答会经过数字核对，无法核实的数字将被标为【待核实】。

数据中的事实：
{facts}"""


_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER_RUN = re.compile(
    r"\d+(?:[.,]\d+)*%?"                                            # 16, 2122.43, 99.66%
    rf"|[百千]分之[{_CN_DIGITS}]+"                                     # 百分之五, 百分之百
    rf"|[{_CN_DIGITS}]*[十百千万亿][{_CN_DIGITS}]*"                      # 二十, 一百二十
    rf"|[{_CN_DIGITS}]+(?=(?:{'|'.join(sorted(set(UNITS), key=len, reverse=True))}))")   # 三项, 两次


def mark_all_numbers(text: str) -> str:
    """Every digit run marked 【待核实】: what is shown when the checker itself fails."""
    return _NUMBER_RUN.sub(lambda m: f"【待核实：原文“{m.group(0)}”，数字核对出错，未能核实】", text)


def _chunk_text(chunk) -> str:
    from .llm import message_text
    return message_text(chunk)


def citation(n: int, passage) -> dict:
    return {"n": n, "doc": passage.doc, "title": passage.title, "section": passage.section,
            "chunk_id": passage.chunk_id, "kind": passage.kind, "year": passage.year,
            "quote": excerpt(passage.text)}


def excerpt(text: str, limit: int = 160) -> str:
    """The passage's opening, cut near `limit` at a sentence end, else a clause end; never inside a figure."""
    text = re.sub(r"(^|\s)#{1,6}\s+", r"\1", text)          # Markdown heading marks of the source
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    for marks in ("。；！？", "，、："):
        cut = max(text.rfind(mark, 0, limit) for mark in marks)
        if cut >= limit // 3:
            return text[:cut + 1] + ("" if marks == "。；！？" else "……")
    cut = limit
    while cut < len(text) and re.match(r"[\d.,%％万亿元]", text[cut]):
        cut += 1
    return text[:cut].rstrip() + "……"
