"""`Workspace`: one officer's data, its score card and ledger, the conversation's context and the draft.

Everything a conversation works on, and everything the model's tools call: the evaluation and its
score, the figure ledger (plus the passages of one answer), the conversation's context, the draft
made in chat or on the draft tab, retrieval as numbered citations, drafting a section into the draft
and rewriting one as a variant. `ChatSession` (session.py) adds the asking. Nothing here is shared between officers
except the read-only index the provider returns.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..drafting import Draft, DraftSection, draft_report, draft_section, report_title
from ..drafting.citations import renumber
from ..drafting.outline import SECTION_KEYS, outline, spec
from ..drafting.variants import Variant, rewrite_section, variant_of
from ..errors import JixiaoError
from ..evaluation import Evaluation
from ..figures import Ledger, build_ledger
from ..retrieval import Index, Passage
from ..scoring import ScoreCard, ScoringRules, score
from ..text import quoted
from .citations import retrieved_text
from .context import Context, Option, Subject
from .routing import Route
from .stream import Answer, CheckedStream
from .understanding import Reading, title_topics, understand

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
        self.variants: dict[str, Variant] = {}         # the template variant each section was last written as
        self.report_type: str | None = None
        self.context = Context()                # what follow-ups resolve against
        self._topics: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())   # corpus titles → topics
        self.evaluation: Evaluation | None = None
        self.card: ScoreCard | None = None
        self._ledger: Ledger | None = None
        if evaluation is not None:
            self.load(evaluation)

    # data

    def load(self, evaluation: Evaluation) -> ScoreCard:
        """Use this evaluation from now on: score it, start a new ledger and an empty draft. All or
        nothing: an evaluation that does not score (or whose figures cannot be listed) raises before
        anything changes, so answers never mix one file's figures with another's."""
        card = score(evaluation, self.rules)
        ledger = build_ledger(card)
        self.evaluation, self.card, self._ledger = evaluation, card, ledger
        self.sections = {}
        self.variants = {}
        self.report_type = evaluation.report_type
        self.context = Context()
        return self.card

    def snapshot(self) -> tuple:
        """What `load` replaces, to put back with `restore` (when saving the new data fails)."""
        return (self.evaluation, self.card, self._ledger, self.sections, self.variants, self.report_type, self.context)

    def restore(self, snapshot: tuple) -> None:
        (self.evaluation, self.card, self._ledger, self.sections, self.variants, self.report_type,
         self.context) = snapshot

    @property
    def focus(self) -> int | None:
        """The indicator last talked about (the context's subject, when it is an indicator)."""
        subject = self.context.subject
        return int(subject.key) if subject is not None and subject.kind == "indicator" else None

    @focus.setter
    def focus(self, index: int | None) -> None:
        if index is None:
            self.context = Context()
        elif self.evaluation is not None:
            self.context.subject = Subject("indicator", index, self.evaluation.indicators[index].name)

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

    def retrieve_text(self, query: str, answer: Answer, k: int = 4) -> tuple[str, list[Passage]]:
        return retrieved_text(self.index, query, answer, k)

    # drafting

    def draft_answer(self, question: str, r: Route, answer: Answer) -> Iterator[str]:
        """Draft the section(s) a request names into the chat and the session's draft."""
        stream = CheckedStream(self.ledger)
        keys = list(SECTION_KEYS) if r.whole_report else [r.section] if r.section else []
        if not keys:
            names = [spec(self.report_type or '部门整体', key).name for key in SECTION_KEYS]
            answer.options = [Option(f"起草{quoted(name)}", f"起草{name}部分") for name in names] + \
                [Option("起草报告全文", "起草报告全文")]
            yield stream.add_trusted(f"请说明要起草哪个部分：{'、'.join(quoted(n) for n in names)}，或“起草报告全文”。")
            answer.segments = stream.segments
            return
        for key in keys:
            section = self.draft_section(key, instruction=question)
            yield from _show_section(stream, answer, section, f"已起草{quoted(section.title)}，并放入报告草稿")
        answer.segments = stream.segments

    def rewrite_answer(self, question: str, key: str | None, focus: list[int], answer: Answer) -> Iterator[str]:
        """Rewrite a section (the one named, else the one last drafted) as the request asks, checked."""
        stream = CheckedStream(self.ledger)
        if key is None:
            names = "、".join(quoted(spec(self.report_type or '部门整体', k).name) for k in SECTION_KEYS)
            yield stream.add_trusted(f"请先起草要改写的部分，或说明要改写哪个部分：{names}。")
            answer.segments = stream.segments
            return
        previous = self.sections.get(key)
        if self.llm is not None or self.writer != "template":
            section = self.draft_section(key, instruction=question)
            how = "按您的要求重写"
        else:
            variant = variant_of(question, self.variants.get(key), tuple(focus))
            section = self._variant(key, variant)
            for _ in range(3):      # a rewrite must differ from what the officer already has
                if previous is None or section.text != previous.text:
                    break
                variant = variant_of("换个说法", variant)
                section = self._variant(key, variant)
            how = f"已改写（{variant.describe()}）"
        yield from _show_section(stream, answer, section, f"{how}{quoted(section.title)}，并替换报告草稿中的该部分")
        answer.segments = stream.segments

    def _variant(self, key: str, variant: Variant) -> DraftSection:
        section = rewrite_section(self.evaluation, key, variant, index=self._index_or_none(),
                                  report_type=self.report_type, rules=self.rules)
        self.sections[key], self.variants[key] = section, variant
        return section

    def draft_section(self, key: str, instruction: str = "") -> DraftSection:
        """Draft one section (template or the session's model) and keep it in the session's draft."""
        index = self._index_or_none()
        section = draft_section(self.evaluation, key, writer=self.writer, index=index, llm=self.llm,
                                instruction=instruction, report_type=self.report_type, rules=self.rules)
        self.sections[key] = section
        self.variants.pop(key, None)
        return section

    def draft_report(self, report_type: str | None = None, sections: Iterable[str] | None = None) -> Draft:
        draft = draft_report(self.evaluation, report_type=report_type or self.report_type, sections=sections,
                             writer=self.writer, index=self._index_or_none(), llm=self.llm, rules=self.rules)
        self.set_draft(draft)
        return draft

    def read(self, question: str) -> Reading:
        """How the session reads `question` now (its data, its conversation so far, what the corpus covers)."""
        return understand(question, self.evaluation, self.context, drafted=bool(self.sections),
                          corpus_topics=self.corpus_topics())

    def corpus_topics(self) -> frozenset[str]:
        """The subjects of the indexed documents (from their titles), read once per set of documents."""
        index = self._index_or_none()
        if index is None:
            return frozenset()
        titles = tuple(d["title"] for d in index.documents())
        if self._topics[0] != titles:
            self._topics = (titles, title_topics(titles))
        return self._topics[1]

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


def _show_section(stream: CheckedStream, answer: Answer, section: DraftSection, lead: str) -> Iterator[str]:
    """A drafted section into the answer: what was done, the checked text, its citations."""
    answer.section = section
    answer.citations += [c for c in section.citations if c not in answer.citations]
    status = "每个数字均已核实" if section.status == "verified" else "无法核实的数字已标为【待核实】，请补充或修改"
    yield stream.add_trusted(f"{lead}（{status}）：\n\n")
    yield stream.add_trusted(section.text, section.check if section.status == "verified" else None)
    yield stream.add_trusted("\n\n")
