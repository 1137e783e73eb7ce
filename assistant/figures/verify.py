"""Match every figure mention of a text to the ledger: `check(text, ledger)`, `mark(text, result)`.

A number is verified when a ledger entry
1. reads as the number at the precision it is printed at (half-up: `133%` ← 1.3333, `99.66%` ←
   0.99664, `2122.43万元` ← 21,224,300 元; a value converted to another magnitude at three significant
   digits or more: `38.77万元` ← 387,664.62 元), with a compatible unit (`%`, 元, 分, 倍 and 百分点
   exactly; 场/场次/次 one family; a count is 个/项/条…); a hedged figure (约, 近, 余, 超过, 左右, 将近)
   verifies, labelled `approximate`, when the entry rounds to it at its printed precision;
2. belongs to what the sentence is about (`binding.bind`: the indicator, task, budget item or level
   named before it, quoted, exact or paraphrased; `分别`, `均`; a sentence that starts with a role word
   continues the previous one). Nothing named: the value itself says what it is about when it
   belongs to one subject only in the role the words give. Figures of the whole budget or evaluation
   need no subject;
3. has the role the words give it (`roles.read`: 实际完成 → actual, 完成率 → completion, 超出目标 →
   excess, `的目标` after it → target, no role word → the plain actual, never a target …).
A figure is `misattributed` only on positive evidence: the sentence names another subject, or another
role, whose value differs. A cell the form states that its formula contradicts verifies only where
the sentence says it is the form's (自评表, 填报, 表中, 原表, 印作, 自评得分 …). A passage's figure
verifies only text that cites the passage. Counts must count what their words say (指标, 任务, a
level; 达到, 未达到, 超过). Grades (`评价等级为“优”`) are checked against the computed grade and the
form's. Years must be the evaluation year, a year of the data's dates or text, the next year in an
improvement measure, or a cited source's; a year that opens a sentence or reads `…年度` is the
evaluation year. Document numbers must appear in the data, an added passage or the known set.
`out-of-scope` is defined in exclusions.py.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Literal

from pydantic import BaseModel

from ..text import quoted
from .arithmetic import own_arithmetic
from .binding import Binding, bind
from .counts import CountReading, over_by_rate, read_count
from .extract import Mention, extract_cached
from .grades import check_grade
from .ledger import COUNT_UNITS, Ledger, LedgerEntry, same_kind, unit_ok
from .names import clean_name, name_bigrams
from .units import name_unit
from .roles import ACTUAL, ROUNDING_WORDS, Reading, read
from .subjects import SubjectRef, find_subjects, owns, scope_words_between
from .text import CLAUSE_END, HEADING_LINE, TextView, compact
from .words import Words
from .years import check_date, check_docno, check_year

Status = Literal["verified", "unverified", "misattributed", "out-of-scope"]

ROLE_NAMES = {"actual": "实际完成值", "completion": "完成率", "execution_rate": "预算执行率", "budget": "预算",
              "spent": "实际支出", "target": "年度指标值", "weight": "分值", "score": "得分", "gap": "差距",
              "excess": "超出值", "funds": "资金", "gap_relative": "差距比例", "excess_relative": "超出比例",
              "balance": "结余", "share": "占比", "multiple": "倍数", "deduction": "扣分", "total": "合计",
              "count": "个数", "total_points": "分值合计", "threshold": "标准", "grade": "评价等级"}
# roles only the whole budget or evaluation has: their words name it even after a subject (`“会议场次”…，
# 预算执行率99.66%`); a score after an indicator is the indicator's, unless the words say total (总分)
WHOLE_ONLY_ROLES = frozenset({"budget", "spent", "execution_rate", "balance", "threshold", "total_points", "average"})
TOTAL_WORDS = ("自评得分", "总分", "总得分", "综合得分", "合计", "共计", "总计")
_LIST_LINK = re.compile(r"^(?:和|及|、|以及|或|-|~|～|至|到|—|－)+$")
_RANGE_LINK = re.compile(r"^(?:-|~|～|至|到|—|－)$")     # `2-4万元`: both ends are the target
_OUTLINE_START = re.compile(r"^\s*(?:\d{1,2}[.、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])")


class CheckedFigure(BaseModel):
    text: str
    start: int
    end: int
    value: float | None
    unit: str
    status: Status
    source: str | None = None
    reason: str | None = None
    entry_id: str | None = None
    approximate: bool = False        # a hedged figure (约, 近 …) verified as a rounding of the entry


class CheckResult(BaseModel):
    ok: bool
    figures: list[CheckedFigure]

    def to_json(self) -> dict:
        return {"ok": self.ok, "figures": [
            {k: getattr(f, k) for k in ("text", "start", "end", "value", "unit", "status", "source", "reason",
                                        "approximate")}
            for f in self.figures]}

    def problems(self) -> list[CheckedFigure]:
        return [f for f in self.figures if f.status in ("unverified", "misattributed")]


def check(text: str, ledger: Ledger) -> CheckResult:
    """Every figure of `text` against the ledger. `ok` when none is unverified or misattributed."""
    return _Checker(text, ledger).run()


def mark(text: str, result: CheckResult) -> str:
    """`text` with every unverified or misattributed figure replaced by 【待核实：原文“…”，原因】."""
    out = text
    for figure in sorted(result.problems(), key=lambda f: f.start, reverse=True):
        original = text[figure.start:figure.end]
        out = out[:figure.start] + f"【待核实：原文“{original}”，{figure.reason or '未能核实'}】" + out[figure.end:]
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Checker:
    def __init__(self, text: str, ledger: Ledger):
        self.text, self.ledger = text, ledger
        self.view = TextView(text)
        self.words = Words(self.view.plain)
        self.mentions = list(extract_cached(text))
        spans = [(m.start, m.end) for m in self.mentions if m.kind != "out-of-scope"]
        self.refs = find_subjects(self.view, ledger, spans)
        self.cited = {r.subject.name for r in self.refs if r.known and r.subject.kind == "document"}
        self._headings = list(HEADING_LINE.finditer(self.view.plain))
        self._heading_starts = [h.end() for h in self._headings]
        self.readings: dict[int, Reading] = {}
        self.multiplicity: dict[int, int] = {}
        self._groups: dict[int, list] = {}       # a sentence's counts point back to these listed indicators      # a figure stated for each of several subjects (各得19分)
        self.results: list[CheckedFigure] = []
        self.counted: dict[int, str] = {}
        # (subject, role) → whether the form's own stated figure for it is contradicted (disputed)
        self._stated_pairs: dict[tuple[str, str], bool] = {}
        # the form's own score sums per level
        self._stated_level_scores: dict[str, float] = {}
        for entry in ledger.entries:
            if entry.stated and entry.kind == "cell":
                key = (entry.subject, entry.role)
                self._stated_pairs[key] = self._stated_pairs.get(key, False) or bool(entry.disputed)
            if entry.stated and entry.role == "score" and entry.subject_kind == "level" and entry.value is not None:
                self._stated_level_scores[entry.subject] = entry.value

    def run(self) -> CheckResult:
        figures: list[CheckedFigure] = []
        self.results = figures
        for k, m in enumerate(self.mentions):
            figure = self._one(k, m)
            if figure.status in ("unverified", "misattributed") and m.kind == "number":
                figure = own_arithmetic(self, k, m) or figure
            figures.append(figure)
        ok = not any(f.status in ("unverified", "misattributed") for f in figures)
        return CheckResult(ok=ok, figures=figures)

    # --- helpers ---------------------------------------------------------------------------------

    def _figure(self, m: Mention, status: Status, *, entry: LedgerEntry | None = None, source: str | None = None,
                reason: str | None = None, approximate: bool = False) -> CheckedFigure:
        return CheckedFigure(text=m.text, start=m.start, end=m.end, value=m.value, unit=m.unit, status=status,
                             source=source if source is not None else (entry.describe() if entry else None),
                             reason=reason, entry_id=entry.id if entry else None, approximate=approximate)

    def _ref_containing(self, m: Mention) -> SubjectRef | None:
        seg_start, seg_end = self.view.segment_of(m.start)
        for ref in self.refs.within(seg_start, seg_end):
            if ref.known and ref.start <= m.start and m.end <= ref.end and (ref.exact or ref.quoted):
                return ref
        return None

    def _neighbours(self, k: int, m: Mention) -> tuple[Mention | None, Mention | None]:
        """The figures just before and after this one in its sentence."""
        seg_start, seg_end = self.view.segment_of(m.start)
        previous = next((x for x in reversed(self.mentions[:k]) if x.kind != "out-of-scope" and x.end <= m.start
                         and x.start >= seg_start), None)
        following = next((x for x in self.mentions[k + 1:] if x.kind != "out-of-scope" and x.start >= m.end
                          and x.start < seg_end), None)
        return previous, following

    def _clause(self, m: Mention) -> tuple[int, int]:
        seg_start, seg_end = self.view.segment_of(m.start)
        start = self.view.clause_start(m.start, seg_start)
        end = m.end
        while end < seg_end and self.view.plain[end] not in CLAUSE_END:
            end += 1
        return start, end

    def _table_header_cell(self, m: Mention) -> str | None:
        """In a Markdown table row, the header of the figure's column (`实际完成值`, `完成率`)."""
        plain = self.view.plain
        line_start = plain.rfind("\n", 0, m.start) + 1
        if not plain[line_start:m.start].lstrip().startswith("|"):
            return None
        column = plain.count("|", line_start, m.start)
        header_start = line_start
        while header_start > 0:
            previous = plain.rfind("\n", 0, header_start - 1) + 1
            if not plain[previous:header_start].lstrip().startswith("|"):
                break
            header_start = previous
        end = plain.find("\n", header_start)
        header = plain[header_start:end if end >= 0 else len(plain)]
        cells = header.split("|")
        return cells[column] if column < len(cells) else None

    def _reading(self, k: int, m: Mention) -> Reading:
        previous, following = self._neighbours(k, m)
        clause_start, clause_end = self._clause(m)
        region_start = max(clause_start, previous.end if previous is not None else 0)
        region = _squeeze(self.view.plain[region_start:m.start])
        if previous is not None and self.view.plain.find("\n", previous.end, m.start) < 0 \
                and _LIST_LINK.match(region or "") and self.readings.get(self.mentions.index(previous)) \
                and (same_kind(previous, m) or _RANGE_LINK.match(region)):
            reading = self.readings[self.mentions.index(previous)]     # 分别超出目标2次和43条
        else:
            after_end = min(following.start if following is not None else clause_end, clause_end)
            reading = read(self.words, self.view.plain, m.start, m.end, clause_start=clause_start,
                           previous_figure_start=previous.start if previous is not None and previous.start >= clause_start else None,
                           previous_figure_end=previous.end if previous is not None and previous.start >= clause_start else None,
                           region_start=region_start, after_end=after_end, comparator=m.comparator,
                           header=self._table_header_cell(m), names=self._name_spans(m),
                           segment_start=self.view.segment_of(m.start)[0], unit=m.unit)
        if m.unit == "倍":
            # a multiple; an indicator measured in 倍 (`放大倍数≥2倍`) also has its own target and actual in it
            roles = (reading.roles if reading.roles is not None else frozenset({"actual", "name"})) | {"multiple"}
            reading = dataclasses.replace(reading, roles=roles)
        self.readings[k] = reading
        return reading

    def _name_spans(self, m: Mention) -> tuple[tuple[int, int], ...]:
        """Spans of the sentence's name mentions: their words (目标, 完成率) are not role words."""
        seg_start, _ = self.view.segment_of(m.start)
        # a level written `成本目标` before its figure leaves 目标 a role word (`成本目标10万元`)
        return tuple((r.start, r.end, "".join(clean_name(s.name) for s in r.subjects)
                      + (compact(self.view.plain[r.start:r.end]) if r.exact or r.subject.kind == "level"
                         and not (compact(self.view.plain[r.start:r.end]).endswith("目标")
                                  and m.unit not in COUNT_UNITS) else ""))
                     for r in self.refs.within(seg_start, m.start)
                     if r.known and r.subject.kind in ("indicator", "task", "budget", "level"))

    def _form_has_its_own(self, entry: LedgerEntry, reading: Reading) -> bool:
        """Where the form states its own figure for this subject and role, the words decide which one a
        figure is: the sentence says it is the form's (自评表…) → only the form's; a score with no
        recomputation words (`得9分`) → the form's (its 得分 column); a recomputation → the product's."""
        if entry.stated or entry.kind != "derived":
            return False
        if entry.role == "score" and not reading.computed:
            # `社会效益指标得13分`: the form's own sum of the level, not the rule's
            form_sum = self._stated_level_scores.get(entry.subject) if entry.subject_kind == "level" else None
            if form_sum is not None and entry.value is not None and abs(form_sum - entry.value) > 0.005:
                return True
        stated = self._stated_pairs.get((entry.subject, entry.role))
        if stated is None:
            return False
        if reading.form and not reading.computed:
            return True
        return entry.role == "score" and entry.subject_kind == "indicator" and stated and not reading.computed

    def _segment_subjects(self, m: Mention) -> tuple:
        """Every subject named before the figure in its sentence (a count's task may be named first:
        `2.港澳与外事交流合作工作任务：对应产出指标共两项`)."""
        seg_start, _ = self.view.segment_of(m.start)
        start = seg_start
        # back to the numbered item the sentence belongs to (`4.…任务：…；对应效益指标共两项`)
        for _ in range(3):
            if _OUTLINE_START.match(self.view.plain[start:start + 8]):
                break
            previous = self.view.previous_segment(start)
            if previous is None or m.start - previous[0] > 400:
                break
            start = previous[0]
        if not _OUTLINE_START.match(self.view.plain[start:start + 8]):
            start = seg_start
        return tuple(s for r in self.refs.within(start, m.start) if r.known for s in r.subjects)

    def _cited_in_segment(self, m: Mention) -> set[str]:
        seg_start, seg_end = self.view.segment_of(m.start)
        return {r.subject.name for r in self.refs.within(seg_start, seg_end) if r.known and r.subject.kind == "document"}

    # --- one mention -----------------------------------------------------------------------------

    def _one(self, k: int, m: Mention) -> CheckedFigure:
        if m.kind == "out-of-scope":
            return self._figure(m, "out-of-scope", reason=m.reason)
        container = self._ref_containing(m)
        if container is not None and container.exact:
            return self._figure(m, "verified", source=f"{_kind_name(container.subject.kind)}{quoted(container.subject.name)}名称的一部分")
        if m.kind == "year":
            return check_year(self, m)
        if m.kind == "date":
            return check_date(self, m)
        if m.kind == "docno":
            return check_docno(self, m)
        if m.kind == "grade":
            return check_grade(self, k, m)
        if self._inside_known_title(m):
            return self._figure(m, "verified", source="所引文件标题的一部分（见于数据或引用来源）")
        verbatim = self._verbatim_clause(m)
        if verbatim is not None:
            return self._figure(m, "verified", source=f"数据原文：“{verbatim}”")
        cell = self._quoted_cell(m)
        if cell is not None:
            return self._figure(m, "verified", source=cell)
        phrase = self._verbatim_phrase(m)
        if phrase is not None:
            return self._figure(m, "verified", source=f"数据原文：“{phrase}”")
        return self._number(k, m)

    def _verbatim_phrase(self, m: Mention) -> str | None:
        """A figure with its unit and the three words after it as the data writes them (`19名百岁老人`
        of the project name 19名百岁老人高龄津贴)."""
        if not m.unit or m.kind != "number":
            return None
        after = re.match(r"[\u4e00-\u9fff]*", self.view.plain[m.end:m.end + 12]).group()
        before = re.search(r"[\u4e00-\u9fff]*$", self.view.plain[max(0, m.start - 12):m.start]).group()
        figure = compact(self.view.plain[m.start:m.end])
        for lead, tail in ((0, 3), (2, 2), (4, 2)):     # `19名百岁`, `至少完成2次宣传`
            if len(before) < lead or len(after) < tail:
                continue
            phrase = before[len(before) - lead:] + figure + after[:tail]
            if phrase in self.ledger.data_text:
                return phrase
        return None

    def _quoted_cell(self, m: Mention) -> str | None:
        """A figure inside a quotation of a whole target or actual cell (`均为“已完成100%”`): the form's words."""
        quote = self.view.quote_containing(m.start, m.end)
        if quote is None:
            return None
        said = compact(quote.text)
        for subject in self.ledger.subjects.values():
            if subject.kind != "indicator":
                continue
            for cell, label in ((subject.target_text, "年度指标值"), (subject.actual_text, "实际完成值")):
                if cell and compact(cell) == said:
                    return f"数据原文：{quoted(subject.name)}的{label}“{cell}”"
        return None

    def _verbatim_clause(self, m: Mention) -> str | None:
        """The clause around the figure, when the data's own text fields contain it word for word."""
        start, end = self._clause(m)
        clause = _squeeze(self.view.plain[start:end]).strip("“”\"")
        words = re.sub(r"[\d.,%]", "", clause)
        if len(clause) < 8 or len(re.findall(r"[\u4e00-\u9fff]", words)) < 4:
            return None
        return clause if clause in self.ledger.data_text else None

    def _inside_known_title(self, m: Mention) -> bool:
        quote = self.view.quote_containing(m.start, m.end, openers="《")
        if quote is None:
            return False
        title = compact(quote.text)
        if len(title) < 4:
            return False
        if title in self.ledger.data_text:
            return True
        return any(title in t for d, t in self.ledger.passage_text.items())

    # --- counts -----------------------------------------------------------------------------------

    def _count_reading(self, k: int, m: Mention) -> CountReading:
        previous, following = self._neighbours(k, m)
        seg_start, seg_end = self.view.segment_of(m.start)
        clause_start, clause_end = self._clause(m)
        after = _squeeze(self.view.plain[m.end:following.start if following is not None else seg_end])
        before_start = max(clause_start, previous.end if previous is not None else 0)
        before = _squeeze(self.view.plain[before_start:m.start])
        if clause_start == before_start and not re.search(r"[\u4e00-\u9fff]{2}", before):
            # `指标数量：共9项`: the clause before the colon says what is counted
            label_start = self.view.clause_start(max(seg_start, clause_start - 1), seg_start)
            before = _squeeze(self.view.plain[label_start:m.start])
        inherited = None
        if m.unit:                     # a bare number inherits nothing
            # not past a colon: `4项指标均已完成：租车1次、宣传美工制作1个` lists the items, it counts nothing
            inherited = next((self.counted[j] for j in range(k - 1, -1, -1)
                              if j in self.counted and self.mentions[j].start >= seg_start
                              and not re.search(r"[:：]", self.view.plain[self.mentions[j].end:m.start])), None)
        tail = _squeeze(self.view.plain[m.end:min(clause_end, following.start if following is not None else seg_end)])
        quotes = [q.text for q in self.view.quotes if clause_start <= q.start < clause_end and q.start > m.end]
        levels = {s.name: (s.name, *s.aliases) for s in self.ledger.subjects.values() if s.kind == "level"}
        reading = read_count(before, after, tail, levels, inherited, quotes)
        if reading.predicate is None and following is not None and over_by_rate(tail, following.text, following.unit):
            reading = CountReading(reading.counted, "over", reading.reference, reading.cell)
        if reading.counted is not None:
            self.counted[k] = reading.counted
        return reading

    def _counts_by_its_words(self, k: int, m: Mention) -> bool:
        """Do the words make the figure a count of indicators or tasks (`共设置绩效指标16场`, `16项指标中
        有16场达到`), whatever unit it prints?"""
        clause_start, _ = self._clause(m)
        previous, _ = self._neighbours(k, m)
        before = _squeeze(self.view.plain[max(clause_start, previous.end if previous else 0):m.start])
        if re.search(r"(?:设置|共有|共计|共)(?:绩效|部门整体|重点工作)?(?:指标|任务)$", before):
            return True
        _, following = self._neighbours(k, m)
        after = _squeeze(self.view.plain[m.end:following.start if following else m.end + 12])
        if re.match(r"(?:绩效|部门整体|重点工作)?(?:指标|任务)(?:中|均|全部|都|共|已)", after):
            return True           # `全部16场绩效指标均达到`, `6场绩效指标中5项达到`
        reading = self.readings.get(k)
        if reading is not None and reading.roles is not None and not reading.roles & {"count"}:
            return False
        words = self._count_reading(k, m)
        return bool(words.counted in ("指标", "任务") and words.predicate in ("met", "unmet")
                    and re.search(r"(?:其中|中有|有)$", before))

    def _count_candidates(self, k: int, m: Mention, candidates: list[LedgerEntry]
                          ) -> tuple[list[LedgerEntry], str | None, bool]:
        """Keep the counts that count what the words say (and say whether the words said it); the
        reason names the right count when none is left."""
        counts = [c for c in candidates if c.role == "count"]
        others = [c for c in candidates if c.role != "count"]
        if m.unit not in COUNT_UNITS:
            if m.unit not in ("%", "百分点", "倍", "元", "分", "年") and self._counts_by_its_words(k, m):
                # `共设置绩效指标16场`: the words make it a count, the unit does not fit one
                wanted = next((e for e in self.ledger.entries if e.role == "count" and e.counted == "指标"
                               and e.predicate is None and e.is_global), None)
                return [], (f"{wanted.label}应为{wanted.printed}" if wanted else None), True
            return others, None, False
        reading = self.readings.get(k)
        noun_follows = bool(re.match(r"\s*(?:绩效)?(?:指标|任务)", self.view.plain[m.end:m.end + 6]))
        if m.comparator in ("<=", ">=") or self.view.quote_containing(m.start, m.end) is not None \
                or reading is not None and reading.roles is not None and "count" not in reading.roles \
                and reading.roles & {"actual", "target", "gap", "excess", "balance", "funds"} and not noun_follows:
            return others, None, False     # a target, an actual …
        header = self._table_header_cell(m)
        if header is not None and not re.search(r"个数|项数|数量|指标数", header):
            return others, None, False     # a table cell is what its column says
        words = self._count_reading(k, m)
        if words.reference == "anaphora":
            if words.predicate is not None:     # `仅此2项未完成`: those of them the words say
                return [c for c in counts if c.predicate == words.predicate] + others, None, False
            return candidates, None, False
        if words.reference == "complement":
            return [c for c in counts if c.predicate is not None and (words.counted is None or c.counted in
                                                                     (words.counted, "指标"))
                    and (words.predicate is None or c.predicate == words.predicate)] + others, None, False
        if words.cell is not None:
            kept = [c for c in counts if c.counted == f"cell:{_squeeze(words.cell)}"]
            if kept:
                return kept, None, True
        if not words.counted and not words.predicate:
            # a count that does not say what it counts is no count (全年服务企业3项), except the items of
            # a list just given, summed after it (四项合计152.5万元)
            if re.match(r"\s*(?:合计|共计|总计|共)", self.view.plain[m.end:m.end + 4]):
                return [c for c in candidates if c.role != "count" or c.counted in ("资金用途", "资金来源", "任务", "指标")
                        and c.predicate is None], None, False
            return others, None, False
        levels = {s.name for s in self._segment_subjects(m) if s.kind == "level"}
        nouns = {words.counted} | (levels if words.counted == "指标" else set())
        kept = [c for c in counts if (words.counted is None or c.counted in nouns) and c.predicate == words.predicate]
        if words.counted is None:
            kept += others
        if kept:
            return kept, None, any(c.role == "count" for c in kept)
        wanted = next((e for e in self.ledger.entries if e.role == "count" and e.predicate == words.predicate
                       and (words.counted is None or e.counted == words.counted) and (e.is_global or e.subject_kind == "level")),
                      None)
        return [], (f"{wanted.label}应为{wanted.printed}" if wanted else None), True

    # --- numbers ------------------------------------------------------------------------------------

    def _row_by_cells(self, m: Mention) -> Binding | None:
        """A table row whose name cell names nothing the data holds is about the indicator whose target
        and actual are the row's own cells (`| 设备质量 | 合格 | 合格 |`), when only one has them."""
        line_start = self.view.plain.rfind("\n", 0, m.start) + 1
        line_end = self.view.plain.find("\n", m.start)
        row = self.view.plain[line_start:line_end if line_end >= 0 else len(self.view.plain)]
        cells = {compact(c) for c in row.split("|") if compact(c)}
        found = [s for s in self.ledger.subjects.values() if s.kind == "indicator"
                 and compact(s.target_text) in cells and (not s.actual_text or compact(s.actual_text) in cells)]
        if len(found) != 1:
            return None
        return Binding(refs=[SubjectRef(line_start, m.start, (found[0],))])

    def _rate_as_fraction(self, m: Mention, seg_start: int) -> Mention | None:
        """A rate the form prints as a fraction (`执行率填为0.958`, `应填0.959`): read as a percentage."""
        if m.unit or m.magnitude != 1.0 or m.number is None or m.decimals < 2 or not 0 < m.number <= 1.5:
            return None
        if "率" not in self.view.plain[seg_start:m.start]:
            return None
        return dataclasses.replace(m, unit="%", value=m.number, number=m.number * 100, decimals=m.decimals - 2)

    def _row_unit(self, m: Mention, reading: Reading) -> Mention:
        """A bare number in a table row whose name cell gives the unit (`| 项目验收合格率（%） | ﹦100 | 100 |`):
        the target and actual columns are in that unit."""
        if m.unit or m.magnitude != 1.0 or m.number is None or reading.roles is None \
                or not reading.roles & {"target", "actual"}:
            return m
        line_start = self.view.plain.rfind("\n", 0, m.start) + 1
        cells = [c.strip() for c in self.view.plain[line_start:m.start].split("|")[1:-1]]
        for cell in cells:
            found = name_unit(cell, brackets_only=True)
            if found is None:
                continue
            unit, magnitude = found
            value = m.number / 100 if unit == "%" else m.number * magnitude
            return dataclasses.replace(m, unit=unit, magnitude=1.0 if unit == "%" else magnitude, value=value)
        return m

    def _number(self, k: int, m: Mention) -> CheckedFigure:
        ledger = self.ledger
        reading = self._reading(k, m)
        m = self._row_unit(m, reading)
        binding = bind(self.view, self.refs, self.mentions, m, self.words)
        if not binding.refs and self._table_header_cell(m) is not None:
            binding = self._row_by_cells(m) or binding
        seg_start, _ = self.view.segment_of(m.start)
        m = self._rate_as_fraction(m, seg_start) or m
        exact = ledger.candidates(m)
        clause_start, _ = self._clause(m)
        rounded = bool(ROUNDING_WORDS.search(self.view.plain[clause_start:m.start]))
        exact_ids = {c.id for c in exact}
        # hedges and prose comparisons (超过, 低于) are bounds an entry may satisfy; a formal comparator
        # (≥, 不少于) prints a target, which must be exact
        approx = [c for c in ledger.approximate(m) if c.id not in exact_ids] \
            if (m.hedge or m.comparator in (">", "<") or rounded) else []
        cited_here = self._cited_in_segment(m)
        all_candidates = exact + approx
        uncited = [c for c in all_candidates if c.kind == "passage" and c.subject not in self.cited]
        disputed = [c for c in all_candidates if c.disputed and not reading.stated and not _form_score(c, reading)]
        left_out = {c.id for c in uncited} | {c.id for c in disputed}
        rules_ok = bool(m.comparator or m.hedge) or bool(re.search(r"标准|以上|以下|阈值", self.view.plain[m.end:m.end + 4])) \
            or reading.roles is not None and "threshold" in reading.roles
        segment = self.view.plain[slice(*self.view.segment_of(m.start))] + (self._table_header_cell(m) or "")
        candidates = [c for c in all_candidates if c.id not in left_out
                      and (c.kind != "rule" or rules_ok) and not (c.stated and reading.computed)
                      and (c.needs is None or re.search(c.needs, segment))
                      and not self._form_has_its_own(c, reading)]
        seg_start, _ = self.view.segment_of(m.start)
        if re.search(r"另一|另外一|另一个|另外的", self.view.plain[seg_start:m.start]):
            # `另一数量指标（…100件）`: not one of the subjects the text has named before
            named = {s.key for r in self.refs if r.known and r.end <= seg_start for s in r.subjects
                     if s.kind == "indicator"}
            candidates = [c for c in candidates if (c.subject_kind, c.subject) not in named]
        candidates, count_reason, counted = self._count_candidates(k, m, candidates)
        approximate = {c.id for c in approx}

        def verified(entry: LedgerEntry, note: str = "") -> CheckedFigure:
            source = entry.describe() + _conversion(m, entry)
            if entry.stated and entry.disputed:
                source += f"（数据所填报的值，与计算不符：{entry.disputed}）"
            near = entry.id in approximate or m.hedged
            if near:
                source += "（近似值）"
            return self._figure(m, "verified", entry=entry, source=source + note, approximate=near)

        def best(entries: list[LedgerEntry]) -> LedgerEntry:
            return _best(entries, m.value, approximate, prefer_stated=reading.form)

        # a figure quoted from a passage cited in the same sentence
        passages = [c for c in candidates if c.kind == "passage" and (c.subject in cited_here or not binding.named)]
        if passages:
            return verified(passages[0])

        if counted and binding.container is None:
            # a count whose words say what it counts is about that, whatever else the sentence names
            counts = [c for c in candidates if c.role == "count"]
            owners = binding.subjects + self._segment_subjects(m)
            owned = [c for c in counts if any(owns(s, c) for s in owners)]
            pick = owned or [c for c in counts if c.is_global or c.subject_kind == "level"]
            if pick:
                return verified(best(pick))

        if binding.container is not None:
            subject = binding.container.subject
            own = [c for c in candidates if owns(subject, c)]
            good = [c for c in own if c.role in ("target", "name")]
            if good:
                return verified(best(good))
            if own:
                return self._figure(m, "misattributed", entry=own[0],
                                    reason=f"引号内应为{quoted(subject.name)}的年度指标值"
                                           f"{self._value_of(subject, frozenset({'target'}))}，{m.text.strip()}却是其{_what(own[0])}")
            return self._unbound_failure(m, candidates, reading, binding, count_reason, disputed, uncited)

        glob = [c for c in candidates if c.is_global and (reading.allows(c.role) or c.kind == "rule")
                and (c.role not in ("count",) or m.unit in COUNT_UNITS)]
        if binding.each:
            figure = self._each(m, binding, candidates, reading, verified, best)
            if figure.status == "verified":
                self.multiplicity[k] = len(binding.refs)
            return figure
        if binding.refs:
            subjects = binding.subjects
            own = [c for c in candidates if any(owns(s, c) for s in subjects)]
            if reading.cue and reading.roles and any(s.kind == "indicator" and reading.cue in clean_name(s.name)
                                                     for s in subjects):
                # `实际执行率94%` of the indicator named 预算执行率: its actual is that rate
                reading = dataclasses.replace(reading, roles=reading.roles | ACTUAL)
            good = [c for c in own if reading.allows(c.role)]
            if not good and reading.roles is not None and "budget" in reading.roles:
                # a cost indicator's target is what was budgeted for it (`按4万元的预算数执行`)
                good = [c for c in own if c.role == "target" and self._cost_indicator(c)]
            if good:
                return verified(best(good))
            if glob and self._global_ok(m, reading, binding):
                return verified(best(glob))
            subject = subjects[0]
            wanted = self._value_of(subject, reading.roles, m)
            if own:
                entry = own[0]
                return self._figure(m, "misattributed", entry=entry,
                                    reason=f"{quoted(subject.name)}的{_role_word(reading)}{wanted or '不是' + m.text.strip()}，"
                                           f"{m.text.strip()}是其{_what(entry)}")
            specific = [c for c in candidates if c.kind != "passage" and not c.is_global]
            if specific and self._other_clause_subject(m, binding, specific, reading):
                return verified(best(specific), "（本分句未写明对象，数值只属于此项）")
            if specific:
                entry = best(specific)
                return self._figure(m, "misattributed", entry=entry,
                                    reason=f"{m.text.strip()}是{entry.label}，但本句说的是{_kind_name(subject.kind)}"
                                           f"{quoted(subject.name)}" + (f"（其{_role_word(reading)}{wanted}）" if wanted else ""))
            if glob:
                entry = best(glob)
                return self._figure(m, "misattributed", entry=entry,
                                    reason=f"{m.text.strip()}是{entry.label}，但本句说的是{_kind_name(subject.kind)}"
                                           f"{quoted(subject.name)}" + (f"（其{_role_word(reading)}{wanted}）" if wanted else ""))
            if wanted:
                return self._figure(m, "unverified", reason=f"{quoted(subject.name)}的{_role_word(reading)}{wanted}，"
                                                             f"不是{m.text.strip()}")
            return self._unbound_failure(m, candidates, reading, binding, count_reason, disputed, uncited)

        if glob:
            return verified(best(glob))
        if binding.unknown:
            specific = [c for c in candidates if c.kind != "passage"]
            loose = self._loose_paraphrase(binding.unknown, [c for c in specific if reading.allows(c.role)])
            if loose is not None:
                return verified(loose, f"（句中“{binding.unknown}”与该指标名称相近，数值只属于此项）")
            if not specific and uncited:
                return self._unbound_failure(m, candidates, reading, binding, count_reason, disputed, uncited)
            detail = f"；{m.text.strip()}是{specific[0].label}" if specific else ""
            return self._figure(m, "unverified", entry=specific[0] if specific else None,
                                reason=f"句中“{binding.unknown}”在数据中没有对应的指标或事项{detail}")
        specific = [c for c in candidates if c.kind != "passage" and reading.allows(c.role) and c.id not in approximate]
        owners = {(c.subject_kind, c.subject) for c in specific}
        if len(owners) == 1 or (owners and reading.roles is not None and len({c.role for c in specific}) == 1):
            return verified(best(specific), "（句中未写明对象，数值只属于此项）" if len(owners) == 1 else "")
        row = self._respective_row(k, m)
        if row is not None:
            own = [c for c in specific if c.subject_kind == "indicator" and c.subject == row]
            if own:
                return verified(best(own), "（按“分别”逐项对应各指标）")
        return self._unbound_failure(m, candidates, reading, binding, count_reason, disputed, uncited)

    def _loose_paraphrase(self, words: str, entries: list[LedgerEntry]) -> LedgerEntry | None:
        """`全年资助孤儿9人` of 孤儿助学人数 (actual 9): a phrase too loose to name the indicator, yet
        sharing a word with its name, and the value belongs to that indicator only."""
        owners = {(c.subject_kind, c.subject) for c in entries}
        if len(owners) != 1:
            return None
        kind, name = next(iter(owners))
        if kind != "indicator" or not name_bigrams(name) & name_bigrams(words):
            return None
        return entries[0]

    def _other_clause_subject(self, m: Mention, binding: Binding, specific: list[LedgerEntry],
                              reading: Reading) -> bool:
        """`…365天免费开放，230亩园区管理到位`: the subject was named in an earlier clause and has no
        figure of this kind, while the value belongs to one other subject only."""
        clause_start, _ = self._clause(m)
        if binding.refs[-1].end > clause_start or reading.roles is not None \
                or m.unit in ("", "%", "百分点", "倍", "分", "元") or m.unit in COUNT_UNITS:
            return False          # only a unit that says what is measured (亩, 天, 人次)
        owners = {(c.subject_kind, c.subject) for c in specific}
        if len(owners) != 1:
            return False
        same = [e for e in self.ledger.entries if any(owns(s, e) for s in binding.subjects)
                and e.role in ("actual", "target") and e.unit and unit_ok(m, e)]
        return not same

    def _cost_indicator(self, entry: LedgerEntry) -> bool:
        return entry.subject_kind == "indicator" and any(
            s.kind == "level" and "成本" in s.name and entry.subject in s.members for s in self.ledger.subjects.values())

    def _respective_row(self, k: int, m: Mention) -> str | None:
        """`四项指标分值分别为8分、7分、8分、7分`: a list after 分别 with as many figures as the form has
        indicators, in the form's order, names the k-th indicator for the k-th figure."""
        seg_start, seg_end = self.view.segment_of(m.start)
        respectively = self.view.plain.rfind("分别", seg_start, m.start)
        if respectively < 0:
            return None
        listed = []
        for x in self.mentions:
            if x.kind != "number" or x.start < respectively or x.start >= seg_end:
                continue
            if listed and (x.unit != listed[-1].unit
                           or not _LIST_LINK.match(_squeeze(self.view.plain[listed[-1].end:x.start]) or "、")):
                break
            listed.append(x)
        rows = [s.name for s in self.ledger.subjects.values() if s.kind == "indicator"]
        starts = [x.start for x in listed]
        if m.start not in starts or len(listed) != len(rows) or len(rows) < 2:
            return None
        return rows[starts.index(m.start)]

    def _each(self, m, binding: Binding, candidates, reading: Reading, verified, best) -> CheckedFigure:
        chosen = []
        for ref in binding.refs:
            good = [c for c in candidates if any(owns(s, c) for s in ref.subjects) and reading.allows(c.role)]
            if not good:
                subject = ref.subject
                wanted = self._value_of(subject, reading.roles, m)
                return self._figure(m, "misattributed" if wanted else "unverified",
                                    reason=f"本句说{quoted(subject.name)}也是{m.text.strip()}，"
                                           + (f"但其{_role_word(reading)}{wanted}" if wanted else "数据中没有对应数值"))
            chosen.append(best(good))
        figure = verified(chosen[0])
        figure.source = "；".join(e.describe() for e in chosen)
        return figure

    def _global_ok(self, m: Mention, reading: Reading, binding: Binding) -> bool:
        """May a figure of the whole budget or evaluation stand in a sentence that names a subject?"""
        if binding.carried:
            return True
        if reading.roles is not None and reading.roles & WHOLE_ONLY_ROLES and reading.cue not in ("达到", "为", "实现", "完成"):
            return True
        if reading.cue in TOTAL_WORDS:
            return True
        ref = binding.refs[-1] if binding.refs else None
        # scope words after the subject, or the subject is itself a budget line (an indicator named 预算执行率)
        return ref is None or bool(scope_words_between(self.view, ref.end, m.start)) \
            or ref.exact and bool(scope_words_between(self.view, ref.start, ref.end))

    def _value_of(self, subject, roles: frozenset[str] | None, m: Mention | None = None) -> str:
        """`应为133%`: what the data holds for this subject in the wanted role (same kind of unit)."""
        wanted = roles if roles is not None else ACTUAL | {"completion"}
        for role in _role_order(wanted):
            for entry in self.ledger.entries:
                if entry.role != role or entry.disputed or entry.kind == "passage" or not owns(subject, entry):
                    continue
                if m is not None and role not in ("target",) and not same_kind(m, entry):
                    continue
                return f"应为{entry.printed}"
        return ""

    def _unbound_failure(self, m: Mention, candidates, reading: Reading, binding: Binding, count_reason, disputed,
                         uncited) -> CheckedFigure:
        shown = m.text.strip()
        if count_reason:
            return self._figure(m, "unverified", reason=f"{count_reason}，不是{shown}")
        specific = [c for c in candidates if c.kind != "passage"]
        if specific:
            entry = specific[0]
            if reading.roles is not None and not reading.allows(entry.role):
                return self._figure(m, "misattributed", entry=entry,
                                    reason=f"{shown}是{entry.label}，不是{_role_word(reading)}")
            return self._figure(m, "unverified", entry=entry, reason=f"{shown}与{entry.label}相同，但句中未指明所指对象")
        if disputed:
            entry = disputed[0]
            return self._figure(m, "unverified", entry=entry,
                                reason=f"{shown}与{entry.label}一致，但该填报值不成立：{entry.disputed}；"
                                       f"若引用自评表原数，请写明“自评表填报”")
        if uncited:
            entry = uncited[0]
            title = (entry.source or {}).get("title") or entry.subject
            return self._figure(m, "unverified", entry=entry, reason=f"{shown}仅见于未引用的来源《{title}》，请注明出处")
        near = self.ledger.near_misses(m)
        if near:
            entry = near[0]
            return self._figure(m, "unverified", reason=f"单位或数量级不符：数据中为{entry.printed}（{entry.label}）")
        return self._figure(m, "unverified", reason="数据、计算值和所引来源中都没有这个数值")


def _conversion(m: Mention, entry: LedgerEntry) -> str:
    """`（换算：387664.62元 = 38.77万元）` when the figure prints the entry in another magnitude."""
    if entry.value is None or entry.unit in ("%", "百分点", "倍", "分") or not (m.unit or m.magnitude != 1.0):
        return ""
    if abs(m.magnitude - entry.magnitude) <= 1e-9 * entry.magnitude:
        return ""
    return f"（换算：{entry.printed} = {m.text.strip()}）"


def _form_score(entry: LedgerEntry, reading: Reading) -> bool:
    """An indicator's score as the form gives it (`得9分`, `得分18分`): the 得分 column is the form's own,
    so its word says the figure is the form's (a recomputation, `按比例应得4.84分`, is not)."""
    return entry.stated and entry.role == "score" and entry.subject_kind == "indicator" \
        and reading.cue in ("得", "得分", "得了") and not reading.computed


def _role_word(reading: Reading) -> str:
    if reading.roles is None:
        return "实际完成值"
    for role in _role_order(reading.roles):
        if role in ROLE_NAMES:
            return ROLE_NAMES[role]
    return reading.cue or "数值"


_ROLE_PRIORITY = ("actual", "completion", "target", "execution_rate", "spent", "budget", "score", "weight", "excess",
                  "gap", "excess_relative", "gap_relative", "balance", "share", "multiple", "deduction", "funds",
                  "total", "count", "total_points", "threshold", "name")


def _role_order(roles: frozenset[str]) -> list[str]:
    return [r for r in _ROLE_PRIORITY if r in roles]


def _what(entry: LedgerEntry) -> str:
    return entry.label.split("”")[-1] or entry.label


_ROLE_ORDER = {"actual": 0, "target": 1, "completion": 2, "execution_rate": 2, "budget": 3, "spent": 3}


def _best(entries: list[LedgerEntry], value: float | None = None, approximate: set[str] = frozenset(),
          prefer_stated: bool = False) -> LedgerEntry:
    """An exact reading before an approximate one, the product's own value before a stated one (the
    form's first where the sentence says it is the form's: `自评表总分100分`), then the closest, then
    data before passages."""
    def closeness(e: LedgerEntry) -> float:
        if value is None or e.value is None:
            return 0.0
        return round(abs(e.value - value) / max(abs(value), 1e-9), 9)
    return min(entries, key=lambda e: (e.id in approximate, e.stated != prefer_stated, closeness(e),
                                       e.kind not in ("cell", "derived"),
                                       _ROLE_ORDER.get(e.role, 5)))


def _kind_name(kind: str) -> str:
    return {"indicator": "指标", "task": "任务", "budget": "预算项目", "document": "文件", "level": "",
            "evaluation": "评价"}.get(kind, "")


__all__ = ["CheckedFigure", "CheckResult", "check", "mark", "ROLE_NAMES"]
