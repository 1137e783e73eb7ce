"""`Workspace`: one officer's data, its score card and ledger, the draft, and the data's answers.

Everything a conversation works on, and everything the model's tools call: the evaluation and its
score, the figure ledger (plus the passages of one answer), the draft made in chat or on the draft
tab, the data's answer for an intent, retrieval as numbered citations, and drafting a section into
the draft. `ChatSession` (session.py) adds the asking. Nothing here is shared between officers
except the read-only index the provider returns.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..drafting import Draft, DraftSection, draft_report, draft_section, report_title
from ..drafting.citations import renumber
from ..drafting.outline import SECTION_KEYS, outline, spec
from ..errors import JixiaoError
from ..evaluation import Evaluation
from ..figures import Ledger, build_ledger
from ..retrieval import Index, Passage
from ..scoring import ScoreCard, ScoringRules, score
from ..text import quoted
from . import answers
from .citations import retrieved_text
from .routing import Route
from .stream import Answer, CheckedStream

if TYPE_CHECKING:       # annotations only: langchain loads with the provider that needs it
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

IndexProvider = Callable[[], Index]


class Workspace:
    """One officer's data, its score card and ledger, history and draft.

    Nothing here is shared between sessions except the read-only index the provider returns.
    """

    def __init__(self, evaluation: Evaluation | None = None, *, index_provider: IndexProvider | None = None,
                 llm: BaseChatModel | None = None, writer: str = "template", rules: ScoringRules | None = None, history_turns: int = 6):
        self.index_provider = index_provider
        self.llm = llm
        self.writer = writer
        self.rules = rules
        self.history_turns = history_turns
        self.history: list[dict] = []           # {"role": "user"|"assistant", "content": shown text}
        self.answers: list[Answer] = []
        self.sections: dict[str, DraftSection] = {}   # the session's draft, by section key
        self.report_type: str | None = None
        self.focus: int | None = None           # the indicator last talked about
        self.evaluation: Evaluation | None = None
        self.card: ScoreCard | None = None
        self._ledger: Ledger | None = None
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
    def ledger(self) -> Ledger:
        if self.card is None:
            raise JixiaoError("尚未载入数据：请先在“数据”页上传指标数据或选择示例")
        if self._ledger is None:
            self._ledger = build_ledger(self.card)
        return self._ledger

    def answer_ledger(self, passages: Iterable[Passage]) -> Ledger:
        """The session's ledger plus this answer's retrieved passages (a fresh copy per answer)."""
        passages = list(passages)
        ledger = build_ledger(self.card) if self.card is not None else Ledger()
        if passages:
            ledger.add_passages(passages)
        return ledger

    def index(self) -> Index:
        index = self.index_provider() if self.index_provider is not None else None
        if index is None:
            raise JixiaoError("未配置资料库（索引）")
        return index

    # the draft

    def draft(self) -> Draft | None:
        """The session's draft (sections drafted in chat or on the draft tab), in outline order, its
        citations numbered once across the sections (each was drafted numbering from [1])."""
        if self.evaluation is None:
            return None
        report_type = self.report_type or self.evaluation.report_type
        ordered = [self.sections[item.key] for item in outline(report_type) if item.key in self.sections]
        ordered, citations = renumber(ordered)
        evaluation = self.evaluation.model_copy(update={"report_type": report_type})
        return Draft(report_type=report_type, title=report_title(evaluation), sections=ordered,
                     ok=all(s.status == "verified" for s in ordered), citations=citations)

    def set_draft(self, draft: Draft) -> None:
        self.report_type = draft.report_type
        self.sections = {s.key: s for s in draft.sections}

    def tool_text(self, intent: str, indicator: int | None = None) -> str:
        """The data's answer for an intent (also the tools' output for a model); follows the focus."""
        ev, card = self.evaluation, self.card
        if intent == "underperformers":
            not_met = answers.unmet(card)
            if not_met:
                self.focus = not_met[0].index
            return answers.underperformers_text(ev, card)
        if intent == "score":
            return answers.score_text(ev, card)
        if intent == "budget":
            return answers.budget_text(ev, card)
        if intent == "findings":
            return answers.findings_text(card)
        if intent in ("indicator", "reasons"):
            if indicator is None:
                indicator = self.focus
            if indicator is None:
                return self.tool_text("underperformers") if intent == "reasons" else answers.indicator_list_text(ev)
            self.focus = indicator
            return answers.indicator_text(ev, card, indicator)
        return answers.help_text()

    def retrieve_text(self, query: str, answer: Answer, k: int = 4) -> tuple[str, list[Passage]]:
        return retrieved_text(self.index, query, answer, k)

    # drafting

    def draft_answer(self, question: str, r: Route, answer: Answer) -> Iterator[str]:
        """Draft the section(s) a request names into the chat and the session's draft."""
        stream = CheckedStream(self.ledger)
        keys = list(SECTION_KEYS) if r.whole_report else [r.section] if r.section else []
        if not keys:
            names = "、".join(quoted(spec(self.report_type or '部门整体', key).name) for key in SECTION_KEYS)
            yield stream.add_trusted(f"请说明要起草哪个部分：{names}，或“起草报告全文”。")
            answer.segments = stream.segments
            return
        for key in keys:
            section = self.draft_section(key, instruction=question)
            answer.section = section
            answer.citations += [c for c in section.citations if c not in answer.citations]
            status = "每个数字均已核实" if section.status == "verified" else "无法核实的数字已标为【待核实】，请补充或修改"
            yield stream.add_trusted(f"已起草{quoted(section.title)}，并放入报告草稿（{status}）：\n\n")
            yield stream.add_trusted(section.text, section.check if section.status == "verified" else None)
            yield stream.add_trusted("\n\n")
        answer.segments = stream.segments

    def draft_section(self, key: str, instruction: str = "") -> DraftSection:
        """Draft one section (template or the session's model) and keep it in the session's draft."""
        index = self._index_or_none()
        section = draft_section(self.evaluation, key, writer=self.writer, index=index, llm=self.llm,
                                instruction=instruction, report_type=self.report_type, rules=self.rules)
        self.sections[key] = section
        return section

    def draft_report(self, report_type: str | None = None, sections: Iterable[str] | None = None) -> Draft:
        draft = draft_report(self.evaluation, report_type=report_type or self.report_type, sections=sections,
                             writer=self.writer, index=self._index_or_none(), llm=self.llm, rules=self.rules)
        self.set_draft(draft)
        return draft

    def _index_or_none(self) -> Index | None:
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
