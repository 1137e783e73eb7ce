"""The figure ledger: every figure the product may print, with where it came from.

`build_ledger(card)` (ledger_build.py, ledger_totals.py) records
- each data cell with its `Provenance`: targets (each part of a compound or range), actuals,
  weights, stated scores and completions, budget, adjusted budget, spending, the stated execution
  rate, total and grade, funds by source and by item, task funds, numbers printed inside indicator
  names; a bare cell also with the unit its name gives (units.py, `unitless` marks the bare twin);
- each derived value with its formula and input entry ids: completion rates (and, for a rate
  indicator, the achieved rate officers print), gaps and excesses (absolute, in 百分点 between rates,
  relative), multiples both ways, the ratio to a ceiling, scores and points lost, the execution rate,
  未执行比例 and its 百分点 to full execution, balances, shares of the budget, sums of weights and of
  computed and stated scores (per level, in total), counts (what and which: `counted`, `predicate`),
  mean completions, grades;
- the scoring rules' thresholds (kind `rule`), the evaluation year, years and document numbers
  written in the data (a document number's own year is not a year of the data).
`add_passages` adds the figures of retrieved passages (document, section, chunk id).

A stated cell that does not hold against its formula (the report's 2014 ÷ 1500 printed as 100%) is
kept with `disputed` set: it is evidence of the data, verifying only where a text says it is the form's.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Literal

from pydantic import BaseModel, Field

from .. import printing
from ..evaluation import Provenance
from ..quantities import MONEY_UNITS, Quantity, unit_compatible
from ..text import simplified
from .extract import Mention, extract_cached

EntryKind = Literal["cell", "derived", "rule", "passage", "year", "docno"]
SubjectKind = Literal["indicator", "task", "budget", "level", "project", "evaluation", "document"]

BUDGET_SUBJECT = "预算"
TOTAL_SUBJECT = "总分"
EVALUATION_SUBJECT = "评价"
# Units that must agree exactly: a percentage is not a count, 元 is not 分.
STRICT_UNITS = ("%", "元", "分", "年", "百分点", "倍")
# Measure words a count of indicators or tasks may be printed with.
COUNT_UNITS = ("", "个", "项", "条", "类", "种", "件")


class LedgerEntry(BaseModel):
    id: str
    kind: EntryKind
    value: float | None
    unit: str = ""
    decimals: int = 0
    magnitude: float = 1.0          # the printed scale: 1e4 for 万元
    printed: str
    role: str
    subject: str
    subject_kind: SubjectKind
    label: str
    formula: str | None = None
    inputs: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None
    source: dict | None = None
    disputed: str | None = None     # why a stated cell does not hold (then it verifies nothing …
    stated: bool = False            # … except after 填报/印作: a figure the form or report states)
    text: str | None = None         # docno entries: the document number; grades: the grade
    per: str | None = None          # a rate's base (`6.5次/10万公顷` → 10万公顷)
    needs: str | None = None        # a regex the figure's sentence must match for this entry to verify it
    unitless: bool = False          # a bare cell whose unit the name gives (a twin entry has it): bare figures only
    counted: str | None = None      # counts: what is counted (指标, 任务, 资金用途, a level name …) …
    predicate: str | None = None    # … and which of them (met, unmet, over, funded; None: all)

    @property
    def is_global(self) -> bool:
        """Belongs to the whole evaluation or the whole budget, not to a named indicator/task/item."""
        return self.subject_kind == "evaluation" or (self.subject_kind == "budget" and self.subject == BUDGET_SUBJECT)

    def where(self) -> str:
        """Where the value comes from, in Chinese."""
        if self.kind == "derived":
            return f"计算：{self.formula}" if self.formula else "计算值"
        if self.kind == "rule":
            return f"评分规则：{self.formula}" if self.formula else "评分规则"
        if self.kind == "passage" and self.source:
            title = self.source.get("title") or self.source.get("doc", "")
            section = self.source.get("section") or ""
            return f"《{title}》{section}".strip()
        if self.provenance is not None:
            return self.provenance.describe()
        return "数据"

    def describe(self) -> str:
        return f"{self.id} {self.label}：{self.printed}（{self.where()}）"


@dataclass
class Subject:
    """Something a sentence can be about: an indicator, a task, a budget item, a document."""
    kind: SubjectKind
    name: str
    aliases: tuple[str, ...] = ()
    task: str | None = None         # for an indicator: its key task
    target_text: str = ""
    actual_text: str = ""
    met: bool | None = None         # for an indicator: whether scoring found its target met
    citation: int | None = None     # for a document: its [n] in the order passages were added
    members: set[str] = field(default_factory=set)   # for a task: its indicators' names

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.name


def printed_number_matches(value: float, number: float, decimals: int, scale: float) -> bool:
    """Does `value` (base unit), printed at `scale` with `decimals`, read as `number`? Half-up."""
    scaled = value / scale
    half = 0.5 * 10 ** (-decimals)
    diff = abs(scaled - number)
    noise = 1e-9 * max(1.0, abs(number))
    if diff < half - noise:
        return True
    if diff > half + noise:
        return False
    # a tie at the rounding boundary: half-up, with binary noise removed (0.9966 / 0.01 = 99.66000000000001)
    return printing.half_up(scaled, decimals) == printing.half_up(number, decimals)


def money_entry_values(value_in_unit: float, money_unit: str) -> tuple[float, float, str]:
    """(value in 元, the printed scale, the printed form) of an amount given in the form's money unit."""
    scale = MONEY_UNITS[money_unit]
    return value_in_unit * scale, scale, printing.money(value_in_unit, money_unit)


@dataclass
class _Bucket:
    values: list[float] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)


@dataclass
class _Printed:
    """Entries by the number they print in their own scale (`2122.43` for 2122.43万元), sorted, and by
    their printed text: for figures printed without a unit."""
    numbers: list[float] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)
    texts: dict[str, list[LedgerEntry]] = field(default_factory=dict)

    def between(self, low: float, high: float) -> list[LedgerEntry]:
        i = bisect.bisect_left(self.numbers, low)
        j = bisect.bisect_right(self.numbers, high)
        return self.entries[i:j]


class Ledger:
    def __init__(self, year: int | None = None, unit_name: str = "",
                 known_docnos: Iterable[str] | Callable[[str], bool] | None = None):
        self.year = year
        self.unit_name = unit_name
        self.entries: list[LedgerEntry] = []
        self._by_id: dict[str, LedgerEntry] = {}
        self.subjects: dict[tuple[str, str], Subject] = {}
        self.data_years: set[int] = set()
        self.data_docnos: dict[str, LedgerEntry] = {}
        self.data_text = ""                       # compact text of the data's text fields
        self.passages: list = []
        self.passage_text: dict[str, str] = {}   # doc → compact text of its added passages
        self.known_docnos = known_docnos
        self._buckets: dict[str, _Bucket] | None = None
        self._printed: _Printed | None = None
        self._subject_table = None       # subjects.py's name table, rebuilt when subjects change

    # --- building ---------------------------------------------------------------------------------

    def add(self, **fields) -> LedgerEntry:
        if fields.get("unit") == "分" and fields.get("printed"):
            # points print without trailing zeros (`97分`, `6.25分`): the printed form sets the precision
            number = re.search(r"\d+(?:\.(\d+))?", fields["printed"])
            fields["decimals"] = len(number.group(1) or "") if number else fields.get("decimals", 0)
        entry = LedgerEntry(id=f"F{len(self.entries) + 1}", **fields)
        self.entries.append(entry)
        self._by_id[entry.id] = entry
        self._buckets = None
        self._printed = None
        return entry

    def add_subject(self, subject: Subject) -> None:
        self.subjects.setdefault(subject.key, subject)
        self._subject_table = None

    def get(self, entry_id: str) -> LedgerEntry:
        return self._by_id[entry_id]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def add_data_text(self, text: str, provenance: Provenance | None, subject: str, subject_kind: SubjectKind,
                      label: str) -> None:
        """A text field of the data: its years and document numbers become known; its text is searchable."""
        if not text:
            return
        self.data_text += "\n" + re.sub(r"\s+", "", text)
        for mention in extract_cached(text):
            if mention.kind in ("year", "date") and mention.year:
                self.data_years.add(mention.year)
            if mention.kind == "docno" and mention.docno not in self.data_docnos:
                self.data_docnos[mention.docno] = self.add(
                    kind="docno", value=float(mention.serial or 0), printed=mention.docno, role="docno",
                    subject=subject, subject_kind=subject_kind, label=f"{label}所载文号", provenance=provenance,
                    text=mention.docno)
                # the year inside a document number (〔2022〕) dates that document, not the data

    def add_passages(self, passages: Iterable) -> None:
        """Figures of retrieved passages. A passage is cited by its title, its document name, or `[n]`
        (n = its 1-based position over all passages added to this ledger)."""
        for passage in passages:
            self.passages.append(passage)
            number = len(self.passages)
            doc = getattr(passage, "doc", "") or ""
            title = getattr(passage, "title", "") or doc
            aliases = {a for a in (title, doc, _doc_stem(doc), _doc_stem(title)) if a and len(a) >= 2}
            subject = self.subjects.get(("document", doc))
            if subject is None:
                self.add_subject(Subject(kind="document", name=doc, aliases=tuple(sorted(aliases, key=len, reverse=True)),
                                         citation=number))
            source = {"doc": doc, "title": title, "section": getattr(passage, "section", ""),
                      "chunk_id": getattr(passage, "chunk_id", ""), "n": number}
            text = getattr(passage, "text", "") or ""
            self.passage_text[doc] = self.passage_text.get(doc, "") + "\n" + re.sub(r"\s+", "", text)
            for mention in extract_cached(text):
                if mention.kind == "docno":
                    self.add(kind="docno", value=float(mention.serial or 0), printed=mention.docno, role="docno",
                             subject=doc, subject_kind="document", label=f"《{title}》所载文号", source=source,
                             text=mention.docno)
                elif mention.kind in ("year", "date") and mention.year:
                    self.add(kind="year", value=float(mention.year), unit="年", printed=f"{mention.year}年",
                             role="year", subject=doc, subject_kind="document", label=f"《{title}》所载年份",
                             source=source)
                elif mention.kind == "number" and mention.value is not None:
                    self.add(kind="passage", value=mention.value, unit=mention.unit, decimals=mention.decimals,
                             magnitude=mention.magnitude, printed=mention.text.strip(), role="passage",
                             subject=doc, subject_kind="document", label=f"《{title}》中的数字", source=source)

    # --- reading ----------------------------------------------------------------------------------

    def facts_block(self, subjects: list[str] | None = None) -> str:
        """Chinese lines `[F12] 标签：值（来源）` for a prompt; only these figures may be written."""
        wanted = set(subjects) if subjects else None
        lines = []
        for entry in self.entries:
            if entry.kind == "docno" or entry.disputed:
                continue
            if entry.role == "name" or entry.unitless:
                continue          # a bare cell's twin with the unit its name gives is listed instead
            if wanted is not None and entry.subject not in wanted and not entry.is_global:
                continue
            lines.append(f"[{entry.id}] {entry.label}：{entry.printed}（{entry.where()}）")
        return "\n".join(lines)

    def _index(self) -> dict[str, _Bucket]:
        if self._buckets is None:
            buckets: dict[str, _Bucket] = defaultdict(_Bucket)
            for entry in sorted((e for e in self.entries if e.value is not None and e.kind not in ("docno", "year")
                                 and e.role != "grade"), key=lambda e: e.value):
                bucket = buckets[_unit_class(entry.unit)]
                bucket.values.append(entry.value)
                bucket.entries.append(entry)
            self._buckets = dict(buckets)
        return self._buckets

    def _printed_index(self) -> _Printed:
        if self._printed is None:
            index = _Printed()
            pairs = []
            for bucket_name, bucket in self._index().items():
                if bucket_name == "%":
                    continue
                pairs += [(e.value / e.magnitude, e) for e in bucket.entries]
            pairs.sort(key=lambda pair: pair[0])
            index.numbers = [n for n, _ in pairs]
            index.entries = [e for _, e in pairs]
            for entry in self.entries:
                if entry.value is not None and entry.kind not in ("docno", "year"):
                    index.texts.setdefault(re.sub(r"\s+", "", entry.printed), []).append(entry)
            self._printed = index
        return self._printed

    def candidates(self, mention: Mention) -> list[LedgerEntry]:
        """Entries whose value reads as the mention at its printed precision, with a compatible unit."""
        if mention.value is None or mention.number is None:
            return []
        if mention.unit == "" and mention.magnitude == 1.0:
            return self._bare_candidates(mention)
        half = 0.5 * 10 ** (-mention.decimals) * mention.scale
        low, high = mention.value - half * 1.0001, mention.value + half * 1.0001
        found = []
        for cls in _classes_for(mention.unit, mention.magnitude):
            bucket = self._index().get(cls)
            if not bucket:
                continue
            i = bisect.bisect_left(bucket.values, low)
            while i < len(bucket.values) and bucket.values[i] <= high:
                entry = bucket.entries[i]
                if unit_ok(mention, entry) and printed_number_matches(
                        entry.value, mention.number, mention.decimals, mention.scale) \
                        and _precise_enough(entry, mention.decimals, mention.scale, mention.number) \
                        and _same_base(mention, entry):
                    found.append(entry)
                i += 1
        return found

    def approximate(self, mention: Mention) -> list[LedgerEntry]:
        """Entries a hedged figure (`约85.8%`, `近400人次`, `11万余人次`, `超过99%`) stands for: the value
        rounds to the printed number at its precision (a whole number's trailing zeros widen it:
        `近400` is read to the hundred) and lies on the hedge's side (近/不足 at or below, 余/超/逾 above)."""
        if mention.value is None or mention.number is None:
            return []
        step = 10 ** (-mention.decimals) if mention.decimals else _whole_step(mention.number)
        low, high = mention.number - step / 2, mention.number + step / 2
        hedge = mention.hedge or ""
        if hedge in BELOW_HEDGES or mention.comparator in ("<", "<="):
            low, high = mention.number - step, mention.number
        elif hedge in ABOVE_HEDGES or mention.comparator in (">", ">="):
            low, high = mention.number, mention.number + step
        low, high = low - 1e-9, high + 1e-9
        if mention.unit == "" and mention.magnitude == 1.0:
            return self._printed_index().between(low, high)
        found = []
        for cls in _classes_for(mention.unit, mention.magnitude):
            bucket = self._index().get(cls)
            if not bucket:
                continue
            i = bisect.bisect_left(bucket.values, low * mention.scale)
            while i < len(bucket.values) and bucket.values[i] <= high * mention.scale:
                if unit_ok(mention, bucket.entries[i]):
                    found.append(bucket.entries[i])
                i += 1
        return found

    def _bare_candidates(self, mention: Mention) -> list[LedgerEntry]:
        """A number printed without unit: compared in each entry's own printed scale (never with %),
        or an entry printed exactly so (a form's rate cell `0`)."""
        index = self._printed_index()
        found = list(index.texts.get(re.sub(r"\s+", "", mention.text), []))
        seen = {e.id for e in found}
        half = 0.5 * 10 ** (-mention.decimals) * 1.0001
        for entry in index.between(mention.number - half, mention.number + half):
            if entry.id not in seen and printed_number_matches(entry.value, mention.number, mention.decimals,
                                                             entry.magnitude) \
                    and _precise_enough(entry, mention.decimals, entry.magnitude, mention.number):
                found.append(entry)
        if mention.number == 0:
            # zero is zero in every unit: a rate cell `0` (read as 0% against a rate target) prints as `0`
            found += [e for e in self.entries if e.unit == "%" and e.value == 0 and e.id not in seen
                      and e.kind in ("cell", "derived")]
        return found

    def near_misses(self, mention: Mention) -> list[LedgerEntry]:
        """Entries printing the same digits with another unit or magnitude (`2122.43元` for 2122.43万元)."""
        if mention.number is None:
            return []
        found = []
        for bucket in self._index().values():
            for entry in bucket.entries:
                if entry.kind == "rule" or not _confusable(mention.unit, entry.unit):
                    continue
                scale = 0.01 if entry.unit == "%" else entry.magnitude
                if printed_number_matches(entry.value, mention.number, mention.decimals, scale):
                    found.append(entry)
        return found

    def years(self, cited_docs: set[str] = frozenset()) -> dict[int, str]:
        """Years a text may print, each with why: the evaluation year, data years, cited sources' years."""
        allowed: dict[int, str] = {}
        for entry in self.entries:
            if entry.kind == "year" and (entry.subject_kind != "document" or entry.subject in cited_docs):
                allowed.setdefault(int(entry.value), f"{entry.id} {entry.label}（{entry.where()}）")
        if self.year is not None:
            allowed.setdefault(self.year, "评价年度")
        for year in self.data_years:
            allowed.setdefault(year, "数据中载有该年份")
        return allowed

    def docno_entry(self, docno: str, org: str | None = None) -> LedgerEntry | str | None:
        """The entry for a document number, or "corpus" when only a known-document source has it (the
        indexed corpus, or the national documents of `data/policy_documents.txt`)."""
        for entry in self.entries:
            if entry.kind == "docno" and _same_docno(entry.text or "", docno):
                return entry
        if any(_same_docno(k, docno) for k in policy_documents()):
            return "corpus"
        known = self.known_docnos
        if callable(known):
            if known(docno):
                return "corpus"
        elif known:
            if any(_same_docno(k, docno) for k in known):
                return "corpus"
        return None


BELOW_HEDGES = ("近", "将近", "接近", "不足", "不到")
ABOVE_HEDGES = ("余", "多", "超", "逾")
CONVERSION_DIGITS = 3        # a value converted to another magnitude keeps at least this many digits


def reads_as(value: float, m: Mention) -> bool:
    """Does `value` (base unit) read as the figure at the precision it is printed at?"""
    scale = m.scale if (m.unit or m.magnitude != 1.0) else 1.0
    return abs(value / scale - m.number) <= 0.5 * 10 ** (-m.decimals) + 1e-9


def same_kind(m: Mention, entry) -> bool:
    """Are a figure and an entry (or another figure) the same kind of quantity: %, 百分点, 倍, 元, 分, or a count?"""
    if m.unit in ("%", "百分点", "倍", "元", "分"):
        return entry.unit == m.unit
    return entry.unit not in ("%", "百分点", "倍", "元", "分")


def _same_base(mention: Mention, entry: LedgerEntry) -> bool:
    """A rate per population (`0.2次/10万公顷`) is only the same rate per the same base."""
    if not mention.per or not entry.per:
        return True
    same = lambda per: re.sub(r"[·×]", "*", re.sub(r"\s+", "", per))   # noqa: E731 (元/人·月 = 元/人*月)
    return same(mention.per) == same(entry.per)


def _whole_step(number: float) -> float:
    """The precision a whole number is printed at: 400 → 100, 140 → 10, 386 → 1."""
    n = int(round(abs(number)))
    step = 1
    while n and n % 10 == 0:
        n //= 10
        step *= 10
    return float(step)


def _precise_enough(entry: LedgerEntry, decimals: int, scale: float, number: float) -> bool:
    """A figure printed coarser than the entry's own precision verifies only an exact value:
    `100%` does not stand for an execution rate of 99.66%, nor `2122万元` for 2122.43万元. A value
    converted to another magnitude (387664.62元 as `38.77万元`, 10441万元 as `1.04亿元`) may round, at
    `CONVERSION_DIGITS` significant digits or more."""
    entry_scale = 0.01 if entry.unit == "%" else entry.magnitude
    if 10 ** (-decimals) * scale <= 10 ** (-entry.decimals) * entry_scale * (1 + 1e-9):
        return True
    if entry.unit != "%" and abs(scale - entry_scale) > 1e-9 * entry_scale and _significant(number, decimals) >= CONVERSION_DIGITS:
        return True
    return abs(entry.value / scale - number) <= 1e-9 * max(1.0, abs(number))


def _significant(number: float, decimals: int) -> int:
    digits = f"{abs(number):.{decimals}f}".replace(".", "").lstrip("0")
    return len(digits)


def _confusable(printed_unit: str, entry_unit: str) -> bool:
    """Could a writer have meant the entry when printing this unit (same unit, another magnitude;
    a rate printed without %)? Never a percentage for an amount of money."""
    if printed_unit == entry_unit:
        return True
    if {printed_unit, entry_unit} <= {"%", "", "百分点"}:
        return True
    if "%" in (printed_unit, entry_unit) or "元" in (printed_unit, entry_unit) and "" not in (printed_unit, entry_unit):
        return False
    return unit_compatible(printed_unit, entry_unit) or "" in (printed_unit, entry_unit)


POLICY_DOCUMENTS = Path(__file__).resolve().parents[1] / "data" / "policy_documents.txt"


@lru_cache(maxsize=1)
def policy_documents() -> dict[str, str]:
    """Document number → title of the national documents reports cite (`财预〔2020〕10号`)."""
    out = {}
    for line in POLICY_DOCUMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, _, title = line.partition("\t")
            out[number.strip()] = title.strip()
    return out


def _same_docno(a: str, b: str) -> bool:
    """Same year and serial, and one issuer code ends the other (`关于财预〔2020〕10号` ~ `财预〔2020〕10号`)."""
    pa, pb = _split_docno(a), _split_docno(b)
    if pa is None or pb is None:
        return False
    (oa, ya, na), (ob, yb, nb) = pa, pb
    if (ya, na) != (yb, nb):
        return False
    shorter, longer = sorted((oa, ob), key=len)
    return len(shorter) >= 1 and longer.endswith(shorter)


def _split_docno(docno: str) -> tuple[str, int, int] | None:
    match = re.search(r"([\u4e00-\u9fff]+)\s?[〔\[(（【]\s?(\d{4})\s?[〕\])）】]\s?第?(\d+)\s?号", docno)
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))


def _doc_stem(name: str) -> str:
    stem = Path(name).stem if name else ""
    return re.sub(r"[（(]\d{4}-\d{2}-\d{2}[)）]$", "", stem)


def _unit_class(unit: str) -> str:
    return unit if unit in STRICT_UNITS else "other"


def _classes_for(unit: str, magnitude: float) -> tuple[str, ...]:
    if unit in STRICT_UNITS:
        return (unit,)
    if unit == "" and magnitude != 1.0:
        return ("元", "other")            # `44.47万` may be money printed without 元
    return ("other",)


def unit_ok(mention: Mention, entry: LedgerEntry) -> bool:
    """May this mention's unit stand for the entry's unit?"""
    m_unit, e_unit = mention.unit, entry.unit
    if entry.unitless and (m_unit or mention.magnitude != 1.0):
        return False
    if m_unit in STRICT_UNITS or e_unit in STRICT_UNITS:
        if m_unit == e_unit:
            return True
        return e_unit == "元" and m_unit == "" and mention.magnitude != 1.0
    if entry.role == "count":
        return m_unit in COUNT_UNITS
    return unit_compatible(m_unit, e_unit) or unit_compatible(m_unit, _simplified_unit(e_unit))


@lru_cache(maxsize=256)
def _simplified_unit(unit: str) -> str:
    """A unit the form prints in traditional characters (`畝`) as a writer prints it (`亩`)."""
    return simplified(unit)


def quantity_parts(quantity: Quantity) -> list[tuple[float, Quantity, str]]:
    """(value, part, which) for each number a target prints: compound parts, range ends."""
    if quantity.kind == "compound":
        return [(p.value, p, "part") for p in quantity.alternatives if p.value is not None]
    if quantity.kind == "range" and quantity.value is not None and quantity.high is not None:
        return [(quantity.value, quantity, "low"), (quantity.high, quantity, "high")]
    if quantity.kind == "number" and quantity.value is not None:
        return [(quantity.value, quantity, "value")]
    return []


__all__ = ["Ledger", "LedgerEntry", "Subject", "printed_number_matches", "unit_ok", "quantity_parts", "reads_as", "same_kind",
           "money_entry_values", "BUDGET_SUBJECT", "TOTAL_SUBJECT", "EVALUATION_SUBJECT"]
