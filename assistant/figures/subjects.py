"""What a sentence is about: the indicators, tasks, budget items, levels and documents it names.

A subject is named by
- its exact name, quoted or not (whitespace and line breaks ignored; a name printed with its own
  inner quotes matches either way), or a quotation that holds the name and its target (seed 000
  quotes “亚洲青年领袖设置各类会议场次，包括开幕大会、平行论坛、双边会谈场次≥12场”);
- a paraphrase: each piece of a clause between figures (split at 、 和 及 与 as well) is compared
  with every name by content (`names.NameIndex`): `港澳商协会之家常驻机构达到18家` names
  `港澳商协会之家常驻机构数量`; adjacent pieces that name the same subject are one mention, and a
  piece equally good for several subjects names them all (the figure's value then says which);
  a piece with content that no name explains (`全年另行组织专题培训`) is an `unknown` mention:
  positive evidence that the figure is about something the data does not hold;
- a level (`产出指标`, `数量指标`, `满意度`) by its name;
- a document: its title in 《…》 or bare, or a citation marker `[n]` for the n-th added passage.
Scope words (预算, 执行率, 自评得分 …) are not subjects; they let a figure of the whole budget or
evaluation stand in a sentence that also names a subject.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..vocabulary import LEVEL_MENTIONS
from .ledger import Ledger, LedgerEntry, Subject
from .names import FILLER_WORDS, NameIndex, clean_name, name_bigrams
from .text import TextView, compact

SCOPE_WORDS = ("预算", "支出", "执行率", "结余", "资金", "总分", "自评得分", "综合得分", "得分合计", "分值合计",
               "分值共计", "共设置", "全部指标", "各项指标", "所有指标", "整体", "总体", "评价等级", "自评等级")
_SCOPE = re.compile("|".join(sorted(SCOPE_WORDS, key=len, reverse=True)))
_CITATION = re.compile(r"\[\s*(\d{1,3})\s*\]")
_TARGET_TAIL = re.compile(r"[≥≤><=≧≦═]|不低于|不少于|不高于|不超过|大于|小于|高于|低于|[\d.,%]")
# Where a clause is cut into pieces that may each name a subject.
_PIECE_END = "，,。；;：:！？!?\n|、"
_LINKS = re.compile(r"以及|和|及|与|、")
FUZZY_THRESHOLD = 0.6
_BEFORE_FIGURE = re.compile(r"\s*(?:为|是|达|达到|了|约|仅)?\s*[\d≥≤<>＞＜]")


@dataclass(frozen=True)
class SubjectRef:
    start: int
    end: int
    subjects: tuple[Subject, ...]
    quoted: bool = False     # the figures inside a quoted indicator are its target (or name)
    exact: bool = False      # the span is exactly the subject's name: figures inside belong to the name
    unknown: str = ""        # content words that name no subject of the data (then `subjects` is empty)
    known: bool = field(init=False)      # it names subjects of the data

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", bool(self.subjects))

    @property
    def subject(self) -> Subject | None:
        return self.subjects[0] if self.subjects else None


class Refs(list):
    """The mentions of a text in order of their start, with range lookups."""

    def __init__(self, refs):
        super().__init__(sorted(refs, key=lambda r: (r.start, r.end)))
        self._starts = [r.start for r in self]

    def within(self, start: int, end: int) -> list[SubjectRef]:
        """The mentions that lie wholly inside [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return [r for r in self[i:j] if r.end <= end]


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _quote_words(quote: str) -> str:
    """The quote without its numbers and comparators: what is left to compare with a name."""
    return _TARGET_TAIL.sub("", clean_name(quote)).replace("■", "").replace("【】", "")


@dataclass(frozen=True)
class _Name:
    subject: Subject
    compact: str            # the name without whitespace
    words: frozenset[str]   # bigrams of the name without numbers and comparators


def _tables(ledger: Ledger) -> tuple[list[_Name], NameIndex, dict]:
    """Every name and alias of the ledger's subjects, longest first, and the content index (cached)."""
    if ledger._subject_table is None:
        names = [_Name(s, compact(n), _bigrams(_quote_words(n)))
                 for s in ledger.subjects.values() for n in (s.name, *s.aliases) if compact(n)]
        names.sort(key=lambda n: (-len(n.compact), n.subject.kind == "project"))
        ledger._subject_table = (names, NameIndex(ledger.subjects.values()), {})
    return ledger._subject_table


def match_quote(quote: str, ledger: Ledger) -> tuple[Subject | None, bool]:
    """The indicator, task or budget item a quotation names, and whether it names it exactly."""
    cache = _tables(ledger)[2]
    if quote not in cache:
        cache[quote] = _match_quote(quote, ledger)
    return cache[quote]


def _match_quote(quote: str, ledger: Ledger) -> tuple[Subject | None, bool]:
    text = compact(quote)
    if len(text) < 2:
        return None, False
    best, best_score = None, 0.0
    words = _bigrams(_quote_words(quote))
    for name in _tables(ledger)[0]:
        if name.subject.kind in ("document", "level", "project"):
            continue
        if name.compact == text or (len(name.compact) >= 4 and name.compact in text) \
                or text.startswith(name.compact) and _TARGET_TAIL.match(text[len(name.compact):]):
            score = 2.0 + len(name.compact) / 1000       # the name, or the name and its target (“成本10万元”)
        else:
            if not name.words or not words:
                continue
            score = 2 * len(name.words & words) / (len(name.words) + len(words))
        if score > best_score:
            best, best_score = name.subject, score
    if best_score < FUZZY_THRESHOLD:
        return None, False
    return best, best_score >= 2.0


def find_subjects(view: TextView, ledger: Ledger, figures: list[tuple[int, int]] = ()) -> list[SubjectRef]:
    """Every subject mention of the text, in order. `figures` are the figure spans (they cut pieces)."""
    names, index, _ = _tables(ledger)
    refs: list[SubjectRef] = []
    for quote in view.quotes:
        opener = view.plain[quote.start - 1] if quote.start else ""
        if opener == "《":
            subject = _match_document(quote.text, ledger)
            if subject is not None:
                refs.append(SubjectRef(quote.start - 1, quote.end + 1, (subject,), exact=True))
            continue
        has_figure = any(quote.start <= s and e <= quote.end for s, e in figures)
        subject, exact = match_quote(quote.text, ledger)
        if subject is None or not (exact or has_figure):
            continue          # a loose quotation is read with its clause as a paraphrase
        refs.append(SubjectRef(quote.start - 1, quote.end + 1, (subject,), quoted=True,
                               exact=compact(quote.text) == compact(subject.name)))
    taken = [(r.start, r.end) for r in refs]
    claimed = bytearray(len(view.plain) + 1)
    for s, e in taken:
        claimed[s:e] = b"\x01" * (e - s)
    text = view.compact
    for entry in names:
        name, subject = entry.compact, entry.subject
        if len(name) < 2 or subject.kind == "document" and len(name) < 3 or name not in text:
            continue
        role_word = subject.kind == "indicator" and clean_name(name) in FILLER_WORDS
        begin = 0
        while True:
            k = text.find(name, begin)
            if k < 0:
                break
            begin = k + 1
            start, end = view.original_span(k, k + len(name))
            if claimed.find(1, start, end) != -1:
                continue
            if role_word and _BEFORE_FIGURE.match(view.plain, end):
                continue          # `完成率101%`: the role word, not the indicator named 完成率
            if subject.kind == "indicator" and len(clean_name(name)) <= 2 and any(
                    r.exact and r.subject.kind == "indicator" and view.clause_start(r.start) == view.clause_start(start)
                    for r in refs):
                continue          # `宣传次数目标为全年至少…`: a two-character name (全年) after another indicator is a word
            if subject.kind not in ("level", "project"):
                claimed[start:end] = b"\x01" * (end - start)
            if subject.kind in ("level", "project"):   # a level or the project does not hide a paraphrase
                if not any(r.start < end and start < r.end for r in refs if r.subject.kind == subject.kind):
                    refs.append(SubjectRef(start, end, (subject,), exact=subject.kind == "project"))
                continue
            taken.append((start, end))
            refs.append(SubjectRef(start, end, (subject,), exact=True))
    refs += _paraphrases(view, index, figures, taken)
    for match in _CITATION.finditer(view.plain):
        n = int(match.group(1))
        if 1 <= n <= len(ledger.passages):
            doc = getattr(ledger.passages[n - 1], "doc", "")
            subject = ledger.subjects.get(("document", doc))
            if subject is not None:
                refs.append(SubjectRef(match.start(), match.end(), (subject,)))
    return Refs(refs)


def _chunks(plain: str, figures: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Stretches of text between figures and clause marks, each cut into pieces at 、 和 及 与."""
    cuts = sorted(set([0, len(plain)] + [k for k, ch in enumerate(plain) if ch in _PIECE_END]
                      + [k + 1 for k, ch in enumerate(plain) if ch in _PIECE_END]
                      + [s for s, _ in figures] + [e for _, e in figures]))
    inside = bytearray(len(plain) + 1)
    for s, e in figures:
        inside[s:e] = b"\x01" * (e - s)
    chunks = []
    for a, b in zip(cuts, cuts[1:]):
        if b - a < 2 or inside.find(0, a, b) == -1:     # wholly a figure
            continue
        pieces, last = [], a
        for link in _LINKS.finditer(plain, a, b):
            pieces.append((last, link.start()))
            last = link.end()
        pieces.append((last, b))
        chunks.append([(x, y) for x, y in pieces if y - x >= 2] or [(a, b)])
    return chunks


def _paraphrases(view: TextView, index: NameIndex, figures, taken) -> list[SubjectRef]:
    """One mention per run of pieces that name the same subject(s); unknown content as its own."""
    out: list[SubjectRef] = []
    run: SubjectRef | None = None
    previous_end = -1
    claimed = bytearray(len(view.plain) + 1)
    for s, e in taken:
        claimed[s:e] = b"\x01" * (e - s)
    figure_starts = sorted(s for s, _ in figures)
    for chunk in _chunks(view.plain, list(figures)):
        whole = _shared_head(view, index, chunk)
        for start, end in ([(chunk[0][0], chunk[-1][1])] if whole is not None else chunk):
            if claimed.find(1, start, end) != -1:
                run, previous_end = None, end
                continue
            found = whole or index.match(view.plain[start:end])
            if not found.subjects and not found.unknown:
                continue
            contiguous = run is not None and not _gap_has_break(view.plain, previous_end, start, figure_starts)
            if found.subjects and run is not None and run.known and contiguous:
                common = tuple(s for s in run.subjects if s in found.subjects)
                if common:
                    run = SubjectRef(run.start, end, common)
                    out[-1] = run
                    previous_end = end
                    continue
            run = SubjectRef(start, end, found.subjects, unknown="" if found.subjects else found.content)
            out.append(run)
            previous_end = end
    return out


def _shared_head(view: TextView, index: NameIndex, chunk: list[tuple[int, int]]):
    """`水稻和玉米其他试验`: pieces that share a head word name several subjects together; the whole
    chunk is one mention of all of them when a piece alone names nothing."""
    if len(chunk) < 2:
        return None
    pieces = [index.match(view.plain[a:b]) for a, b in chunk]
    if all(p.subjects for p in pieces):
        return None
    whole = index.match(view.plain[chunk[0][0]:chunk[-1][1]])
    keys = {s.key for s in whole.subjects}
    if len(whole.subjects) < 2 or any(not {s.key for s in p.subjects} & keys for p in pieces if p.subjects):
        return None
    return whole


def _gap_has_break(plain: str, a: int, b: int, figure_starts: list[int]) -> bool:
    """Is there a figure or a clause mark between two pieces (then they are two mentions)?"""
    if a < 0:
        return True
    k = bisect.bisect_left(figure_starts, a)
    if k < len(figure_starts) and figure_starts[k] < b:
        return True
    return any(ch in "，,。；;：:！？!?\n|" for ch in plain[a:b])


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


def owns(subject: Subject, entry: LedgerEntry) -> bool:
    """Does the subject own the entry (its own figures; a task or level also those of its indicators;
    the project those of the whole budget and evaluation)?"""
    if subject.kind == "indicator":
        if entry.subject_kind == "task" and subject.task and entry.subject == subject.task:
            return True      # the indicator's own task (its funds, its indicator counts)
        return entry.subject_kind == "indicator" and entry.subject == subject.name
    if subject.kind in ("task", "level"):
        if entry.subject_kind == subject.kind and entry.subject == subject.name:
            return True
        return entry.subject_kind == "indicator" and entry.subject in subject.members
    if subject.kind == "budget":
        return entry.subject_kind == "budget" and entry.subject == subject.name
    if subject.kind == "project":
        return entry.is_global
    if subject.kind == "document":
        return entry.kind == "passage" and entry.subject == subject.name
    return False


def scope_words_between(view: TextView, start: int, end: int) -> list[str]:
    return _SCOPE.findall(re.sub(r"\s+", "", view.plain[start:end]))


def level_subjects(levels) -> list[Subject]:
    """The level subjects of a ledger: each 一级/二级 label present, and the names prose uses for it
    (`产出`, `产出目标`, `社会效益`, `满意度`)."""
    out = []
    for level in levels:
        short = level[:-2] if level.endswith("指标") else ""
        aliases = tuple(a for a in {short, short + "目标" if short else "",
                                    *(m for m in LEVEL_MENTIONS if m != level and level.startswith(m))}
                        if len(a) >= 2)
        out.append(Subject(kind="level", name=level, aliases=aliases))
    return out


__all__ = ["SubjectRef", "find_subjects", "owns", "Refs", "match_quote", "scope_words_between", "level_subjects", "name_bigrams"]
