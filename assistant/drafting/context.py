"""What every writer drafts from: the evaluation, its score card, the figure ledger, the index,
and the citations collected so far (numbered once per draft, shared by its sections)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..evaluation import Evaluation
from ..figures import Ledger, build_ledger
from ..retrieval import Index, Passage
from ..scoring import ScoreCard, ScoringRules, score

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")


@dataclass
class DraftContext:
    evaluation: Evaluation
    card: ScoreCard
    ledger: Ledger
    index: Index | None = None           # None: no retrieval, no citations
    citations: list[dict] = field(default_factory=list)
    _cited: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)            # e.g. retrieval failed: drafted without citations
    _searched: dict[tuple, list[Passage]] = field(default_factory=dict)   # (query, kind, k) → passages, once per draft

    @classmethod
    def build(cls, evaluation: Evaluation, *, index: Index | None = None, rules: ScoringRules | None = None,
              ledger: Ledger | None = None) -> DraftContext:
        card = score(evaluation, rules)
        return cls(evaluation=evaluation, card=card, ledger=ledger if ledger is not None else build_ledger(card), index=index)

    @property
    def report_type(self) -> str:
        return self.evaluation.report_type

    # --- retrieval ----------------------------------------------------------------------------

    def search(self, query: str, kind: str, k: int = 5, require: tuple[str, ...] = ()) -> list[Passage]:
        """Passages of `kind` for `query`; with `require`, only those whose text holds one of the words."""
        if self.index is None:
            return []
        key = (query, kind, k)
        if key not in self._searched:
            try:
                self._searched[key] = self.index.search(query, k=k, kind=kind)
            except Exception as error:   # a broken index must not stop a draft: it drafts without citations
                self._searched[key] = []
                self.warnings.append(f"检索失败（{type(error).__name__}: {error}），相关内容未引用来源")
        passages = self._searched[key]
        if require:
            passages = [p for p in passages if any(word in p.text for word in require)]
        return passages

    def cite(self, passage: Passage, quote: str) -> int:
        """Number a passage (first use gives it the next number) and put its figures in the ledger."""
        key = passage.chunk_id
        if key in self._cited:
            return self._cited[key]
        self.ledger.add_passages([passage])
        n = len(self.citations) + 1
        self._cited[key] = n
        self.citations.append({"n": n, "doc": passage.doc, "title": passage.title, "section": passage.section,
                               "chunk_id": passage.chunk_id, "quote": quote, "kind": passage.kind})
        return n


def sentence_hits(sentence: str, words: tuple[str, ...]) -> float:
    """How well a sentence states what `words` describe; a normative sentence (应当…) ranks higher."""
    hits = sum(1 for word in words if word in sentence)
    return hits + (0.5 if hits and "应当" in sentence else 0.0)


def best_sentence(text: str, words: tuple[str, ...], max_chars: int = 90) -> str | None:
    """The passage sentence holding most of `words` (at least two, or one when only one is given).

    Enumeration fragments (`（二）…；`) are skipped: a quote must read as a sentence."""
    best, best_score = None, 0.0
    for match in _SENTENCE.finditer(text):
        raw = match.group(0).strip()
        sentence = re.sub(r"^第[一二三四五六七八九十百零〇]+条\s*", "", raw)
        if re.match(r"^[（(][一二三四五六七八九十\d]+[)）]", sentence):
            continue
        if not sentence or len(sentence) > max_chars or len(sentence) < 8:
            continue
        score = sentence_hits(sentence, words)
        if score > best_score:
            best, best_score = sentence, score
    if best is None or int(best_score) < min(2, len(words)):
        return None
    return best.rstrip("。；;，,")


def article_of(passage, quote: str = "") -> str:
    """The article (`第十八条`) a quoted sentence sits in: the last one before it in the passage
    text, else the last one in the section path, else ''."""
    text = passage.text or ""
    position = text.find(quote) if quote else -1
    if position >= 0:
        found = _ARTICLE.findall(text[:position])
        if found:
            return found[-1]
    found = _ARTICLE.findall(passage.section or "")
    return found[-1] if found else ""


def document_title(passage) -> str:
    """A document's name as 公文 cites it: `《预算法实施条例》` (no date suffix)."""
    title = (passage.title or passage.doc or "").strip()
    title = re.sub(r"\.(md|txt|docx|pdf|xlsx)$", "", title)
    title = re.sub(r"[（(]\d{4}-\d{2}-\d{2}[)）]$", "", title).strip()
    return title if title.startswith("《") else f"《{title}》"
