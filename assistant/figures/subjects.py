"""What a sentence is about: the indicators, tasks, budget items and documents it names.

A subject is named by
- a quotation (“…”) whose words are an indicator's name (the quote may add the target: seed 000
  quotes “亚洲青年领袖设置各类会议场次，包括开幕大会、平行论坛、双边会谈场次≥12场”), a task name or
  a budget item name;
- the exact name, unquoted (whitespace and line breaks ignored), or a task name without its
  trailing 任务/工作任务;
- a document: its title in 《…》 or bare, or a citation marker `[n]` for the n-th added passage.
Scope words (预算, 执行率, 自评得分 …) are not subjects; they let a figure of the whole budget or
evaluation stand in a sentence that also names a subject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .ledger import Ledger, Subject
from .text import TextView, compact

SCOPE_WORDS = ("预算", "支出", "执行率", "结余", "总分", "自评得分", "综合得分", "得分合计", "分值共计", "分值合计",
               "共设置", "全部指标", "各项指标", "所有指标", "整体", "总体")
_SCOPE = re.compile("|".join(sorted(SCOPE_WORDS, key=len, reverse=True)))
_CITATION = re.compile(r"\[\s*(\d{1,3})\s*\]")
_TARGET_TAIL = re.compile(r"[≥≤><=≧≦═]|不低于|不少于|不高于|不超过|大于|小于|高于|低于|[\d.,%]")
FUZZY_THRESHOLD = 0.6


@dataclass(frozen=True)
class SubjectRef:
    start: int
    end: int
    subject: Subject
    quoted: bool = False     # the figures inside a quoted indicator are its target (or name)
    exact: bool = False      # the span is exactly the subject's name: figures inside belong to the name


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _quote_words(quote: str) -> str:
    """The quote without its numbers and comparators: what is left to compare with a name."""
    return _TARGET_TAIL.sub("", compact(quote)).replace("■", "").replace("【】", "")


@dataclass(frozen=True)
class _Name:
    subject: Subject
    compact: str            # the name without whitespace
    words: frozenset[str]   # bigrams of the name without numbers and comparators


def _table(ledger: Ledger) -> list[_Name]:
    """Every name and alias of the ledger's subjects, longest first (cached on the ledger)."""
    if ledger._subject_table is None:
        names = [_Name(s, compact(n), _bigrams(_quote_words(n)))
                 for s in ledger.subjects.values() for n in (s.name, *s.aliases) if compact(n)]
        ledger._subject_table = sorted(names, key=lambda n: len(n.compact), reverse=True)
    return ledger._subject_table


def match_quote(quote: str, ledger: Ledger) -> Subject | None:
    """The indicator, task or budget item a quotation names, if any."""
    text = compact(quote)
    if len(text) < 2:
        return None
    best, best_score = None, 0.0
    words = _bigrams(_quote_words(quote))
    for name in _table(ledger):
        if name.subject.kind == "document":
            continue
        if name.compact == text or (len(name.compact) >= 4 and name.compact in text):
            score = 2.0 + len(name.compact) / 1000
        else:
            if not name.words or not words:
                continue
            score = 2 * len(name.words & words) / (len(name.words) + len(words))
        if score > best_score:
            best, best_score = name.subject, score
    return best if best_score >= FUZZY_THRESHOLD else None


def find_subjects(view: TextView, ledger: Ledger) -> list[SubjectRef]:
    refs: list[SubjectRef] = []
    for quote in view.quotes:
        opener = view.plain[quote.start - 1] if quote.start else ""
        if opener == "《":
            subject = _match_document(quote.text, ledger)
            if subject is not None:
                refs.append(SubjectRef(quote.start - 1, quote.end + 1, subject, exact=True))
            continue
        subject = match_quote(quote.text, ledger)
        if subject is not None:
            refs.append(SubjectRef(quote.start - 1, quote.end + 1, subject, quoted=True,
                                   exact=compact(quote.text) == compact(subject.name)))
    taken = [(r.start, r.end) for r in refs]
    text = view.compact
    for entry in _table(ledger):
        name, subject = entry.compact, entry.subject
        if len(name) < 2:
            continue
        begin = 0
        while True:
            k = text.find(name, begin)
            if k < 0:
                break
            begin = k + 1
            start, end = view.original_span(k, k + len(name))
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            refs.append(SubjectRef(start, end, subject, exact=True))
    for match in _CITATION.finditer(view.plain):
        n = int(match.group(1))
        if 1 <= n <= len(ledger.passages):
            doc = getattr(ledger.passages[n - 1], "doc", "")
            subject = ledger.subjects.get(("document", doc))
            if subject is not None:
                refs.append(SubjectRef(match.start(), match.end(), subject))
    return sorted(refs, key=lambda r: (r.start, r.end))


def _match_document(title: str, ledger: Ledger) -> Subject | None:
    text = compact(title)
    for subject in ledger.subjects.values():
        if subject.kind != "document":
            continue
        for alias in (subject.name, *subject.aliases):
            calias = compact(alias)
            if calias and (calias == text or (len(calias) >= 3 and (calias in text or text in calias))):
                return subject
    return None


def scope_words_between(view: TextView, start: int, end: int) -> list[str]:
    return _SCOPE.findall(re.sub(r"\s+", "", view.plain[start:end]))
