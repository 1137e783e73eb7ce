"""Match every figure mention of a text to the ledger: `check(text, ledger)`, `mark(text, result)`.

A number is verified when a ledger entry
1. reads as the number at the precision it is printed at (half-up: `133%` ← 1.3333, `99.66%` ←
   0.99664, `2122.43万元` ← 21,224,300 元), with a compatible unit (`%`, 元 and 分 must agree exactly;
   场/场次/次 are one family; a count is 个/项/条…);
2. belongs to what the sentence is about: the subject is the quoted or named indicator, task,
   budget item or cited document nearest before the figure in its sentence (a sentence that starts
   with a role word, `完成率120%`, continues the previous sentence's subject). Figures of the whole
   budget or evaluation (预算, 执行率, 总分, counts) need no named subject, or a scope word after it;
3. has the role the words before it give it: after 实际完成 an actual, after 完成率 a completion,
   after 执行率 the execution rate, inside the quoted indicator its target …
A value that exists in the ledger but belongs to another subject, or has another role in the same
subject, is `misattributed`. A cell the data states but its formula contradicts (the 100% printed
for 2014 ÷ 1500) verifies nothing. A passage's figure verifies only text that cites the passage.
Years must be the evaluation year, appear in the data or in a cited source; document numbers must
appear in the data, an added passage or the known set (the indexed corpus). Dates with a month must
appear in the data or a cited source. `out-of-scope` is defined in exclusions.py.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from ..text import quoted
from .extract import Mention, extract_cached
from .ledger import Ledger, LedgerEntry
from .subjects import SubjectRef, find_subjects, scope_words_between
from .text import CLAUSE_END, TextView, compact

Status = Literal["verified", "unverified", "misattributed", "out-of-scope"]

# Words before a figure that say what it is, longest first; each with the entry roles it allows.
ROLE_CUES: dict[str, tuple[str, ...] | None] = {}
_CUE_GROUPS: dict[tuple[str, ...] | None, tuple[str, ...]] = {
    ("actual",): ("实际完成指标值", "实际完成值", "实际完成指标", "实际完成了", "实际完成", "实际达到", "实际为",
                  "实际", "完成了", "已完成", "共完成", "累计完成", "完成", "达到", "实现"),
    ("completion",): ("完成率", "完成比例", "完成度", "完成比率", "达成率"),
    ("execution_rate",): ("预算执行率", "执行率"),
    ("budget", "funds", "total"): ("预算安排资金", "预算安排", "安排资金", "年初预算", "调整后预算", "预算数",
                                   "拟投入资金", "拟投入", "投入资金", "安排预算", "预算"),
    ("spent",): ("实际支出", "支出", "决算数", "使用资金"),
    ("target",): ("年度指标值", "指标值", "目标值", "目标为", "目标", "计划"),
    ("weight", "total_points"): ("分值", "权重", "满分"),
    ("score", "total"): ("自评得分", "得分"),
    ("gap", "gap_relative", "balance"): ("较年度指标值少", "较目标值少", "低于年度指标值", "未达到年度指标值",
                                         "差距", "相差", "缺口", "未完成", "低于目标", "结余", "未执行", "差"),
    ("excess", "excess_relative"): ("超出年度指标值", "超过年度指标值", "超出目标值", "超过目标值", "高于年度指标值",
                                    "超额完成", "超出目标", "超出", "超额", "多出", "高出"),
    ("funds", "share"): ("占比", "占预算"),
    ("adjustment", "excess", "gap"): ("调增", "调减", "增加", "减少"),
    ("stated",): ("自评表填报", "原填报", "填报", "印作", "原表", "报告所列"),
    None: ("共计", "合计", "总计", "累计", "共"),
}
for roles, words in _CUE_GROUPS.items():
    for word in words:
        ROLE_CUES[word] = roles
_CUE = re.compile("|".join(sorted(ROLE_CUES, key=len, reverse=True)))
# Verbs that say little on their own: `完成率达到133%` is a completion, not an actual.
WEAK_CUES = ("达到", "实现", "完成", "共", "累计")
# Words that open a sentence continuing the previous one's subject (`。完成率120%`, `；对应效益指标共两项`).
CONTINUATION_WORDS = ("对应", "其中", "该指标", "该任务", "该项", "上述指标")
_INDICATOR_ROLES = {"actual", "completion", "target", "weight", "score", "gap", "excess"}
_CONTINUATION = re.compile("|".join(sorted(
    [*(w for w, roles in ROLE_CUES.items() if roles and _INDICATOR_ROLES & set(roles)), *CONTINUATION_WORDS],
    key=len, reverse=True)))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
ROLE_NAMES = {"actual": "实际完成值", "completion": "完成率", "execution_rate": "预算执行率", "budget": "预算",
              "spent": "实际支出", "target": "目标值", "weight": "分值", "score": "得分", "gap": "差距",
              "excess": "超出值", "funds": "资金"}


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


class CheckResult(BaseModel):
    ok: bool
    figures: list[CheckedFigure]

    def to_json(self) -> dict:
        return {"ok": self.ok, "figures": [
            {k: getattr(f, k) for k in ("text", "start", "end", "value", "unit", "status", "source", "reason")}
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


class _Checker:
    def __init__(self, text: str, ledger: Ledger):
        self.text, self.ledger = text, ledger
        self.view = TextView(text)
        self.mentions = extract_cached(text)
        self.refs = find_subjects(self.view, ledger)
        self.cited = {r.subject.name for r in self.refs if r.subject.kind == "document"}

    def run(self) -> CheckResult:
        figures = []
        previous_end = 0
        for mention in self.mentions:
            figures.append(self._one(mention, previous_end))
            if mention.kind != "out-of-scope":
                previous_end = mention.end
        ok = not any(f.status in ("unverified", "misattributed") for f in figures)
        return CheckResult(ok=ok, figures=figures)

    # --- helpers ---------------------------------------------------------------------------------

    def _figure(self, m: Mention, status: Status, *, entry: LedgerEntry | None = None, source: str | None = None,
                reason: str | None = None) -> CheckedFigure:
        return CheckedFigure(text=m.text, start=m.start, end=m.end, value=m.value, unit=m.unit, status=status,
                             source=source if source is not None else (entry.describe() if entry else None),
                             reason=reason, entry_id=entry.id if entry else None)

    def _ref_containing(self, m: Mention) -> SubjectRef | None:
        for ref in self.refs:
            if ref.start <= m.start and m.end <= ref.end:
                return ref
        return None

    def _primary(self, m: Mention) -> SubjectRef | None:
        seg_start, _ = self.view.segment_of(m.start)
        before = [r for r in self.refs if seg_start <= r.start and r.end <= m.start and r.subject.kind != "document"]
        if before:
            return max(before, key=lambda r: r.end)
        # a sentence that starts with a role or linking word continues the previous sentence's subject
        lead = _squeeze(self.view.plain[seg_start:m.start])
        if not _CONTINUATION.match(lead):
            return None
        previous = self.view.previous_segment(seg_start)
        if previous:
            earlier = [r for r in self.refs if previous[0] <= r.start and r.end <= previous[1]
                       and r.subject.kind != "document"]
            if earlier:
                return max(earlier, key=lambda r: r.end)
        return None

    def _region(self, m: Mention, primary: SubjectRef | None, previous_end: int) -> str:
        """The words between the figure and what precedes it in its clause, whitespace removed."""
        seg_start, _ = self.view.segment_of(m.start)
        start = max(seg_start, self.view.clause_start(m.start, seg_start), previous_end,
                    primary.end if primary and primary.end <= m.start else 0)
        return _squeeze(self.view.plain[start:m.start])

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
        header = plain[header_start:plain.find("\n", header_start) if "\n" in plain[header_start:] else len(plain)]
        cells = header.split("|")
        return cells[column] if column < len(cells) else None

    def _cue(self, m: Mention, primary: SubjectRef | None, previous_end: int) -> str | None:
        header = self._table_header_cell(m)
        if header is not None:
            found = _CUE.findall(_squeeze(header))
            strong = [c for c in found if c not in WEAK_CUES]
            return strong[-1] if strong else (found[-1] if found else None)
        found = _CUE.findall(self._region(m, primary, previous_end))
        stated = [c for c in found if ROLE_CUES[c] == ("stated",)]
        strong = [c for c in found if c not in WEAK_CUES]
        return stated[-1] if stated else (strong[-1] if strong else (found[-1] if found else None))

    def _cited_in_segment(self, m: Mention) -> set[str]:
        seg_start, seg_end = self.view.segment_of(m.start)
        return {r.subject.name for r in self.refs if r.subject.kind == "document" and seg_start <= r.start < seg_end}

    # --- one mention -----------------------------------------------------------------------------

    def _one(self, m: Mention, previous_end: int) -> CheckedFigure:
        if m.kind == "out-of-scope":
            return self._figure(m, "out-of-scope", reason=m.reason)
        container = self._ref_containing(m)
        if container is not None and container.exact:
            return self._figure(m, "verified", source=f"{_kind_name(container.subject.kind)}{quoted(container.subject.name)}名称的一部分")
        if m.kind == "year":
            return self._year(m)
        if m.kind == "date":
            return self._date(m)
        if m.kind == "docno":
            return self._docno(m)
        if self._inside_known_title(m):
            return self._figure(m, "verified", source="所引文件标题的一部分（见于数据或引用来源）")
        verbatim = self._verbatim_clause(m)
        if verbatim is not None:
            return self._figure(m, "verified", source=f"数据原文：“{verbatim}”")
        return self._number(m, container, previous_end)

    def _year(self, m: Mention) -> CheckedFigure:
        allowed = self.ledger.years(self.cited)
        if m.year in allowed:
            return self._figure(m, "verified", source=allowed[m.year])
        year = self.ledger.year
        return self._figure(m, "unverified", reason=f"年份{m.year}年不是评价年度{year}年，也未见于数据或所引来源")

    def _date(self, m: Mention) -> CheckedFigure:
        if m.year is not None and m.year not in self.ledger.years(self.cited):
            return self._figure(m, "unverified", reason=f"年份{m.year}年不是评价年度，也未见于数据或所引来源")
        needle = compact(m.text)
        haystacks = [self.ledger.data_text] + [t for d, t in self.ledger.passage_text.items() if d in self.cited]
        if any(needle in h for h in haystacks):
            return self._figure(m, "verified", source="日期见于数据或所引来源")
        return self._figure(m, "unverified", reason=f"日期“{m.text.strip()}”未见于数据或所引来源")

    def _docno(self, m: Mention) -> CheckedFigure:
        found = self.ledger.docno_entry(m.docno or "", m.docno_org)
        if isinstance(found, LedgerEntry):
            return self._figure(m, "verified", entry=found)
        if found == "corpus":
            return self._figure(m, "verified", source="文号见于已索引的语料")
        return self._figure(m, "unverified", reason=f"文号“{m.docno}”未见于数据或已索引的语料")

    def _clause(self, m: Mention) -> tuple[int, int]:
        """The comma-level clause the figure stands in, within its sentence."""
        seg_start, seg_end = self.view.segment_of(m.start)
        start = self.view.clause_start(m.start, seg_start)
        end = m.end
        while end < seg_end and self.view.plain[end] not in CLAUSE_END:
            end += 1
        return start, end

    def _around(self, m: Mention) -> str:
        """The words of the figure's clause between its neighbouring figures: what a count counts."""
        start, end = self._clause(m)
        for other in self.mentions:
            if other.end <= m.start and other.end > start:
                start = other.end
            if other.start >= m.end and other.start < end:
                end = other.start
        return _squeeze(self.view.plain[start:end])

    def _counts_things(self, m: Mention) -> bool:
        """A count of indicators or tasks must say so in its clause (`共设置绩效指标16项`, `6项重点任务`)."""
        start, end = self._clause(m)
        return bool(re.search("指标|任务", self.view.plain[start:end]))

    def _verbatim_clause(self, m: Mention) -> str | None:
        """The clause around the figure, when the data's own text fields contain it word for word."""
        seg_start, seg_end = self.view.segment_of(m.start)
        start = self.view.clause_start(m.start, seg_start)
        end = m.end
        while end < seg_end and self.view.plain[end] not in CLAUSE_END:
            end += 1
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

    def _number(self, m: Mention, container: SubjectRef | None, previous_end: int) -> CheckedFigure:
        ledger = self.ledger
        all_candidates = ledger.candidates(m)
        cited_here = self._cited_in_segment(m)
        uncited = [c for c in all_candidates if c.kind == "passage" and c.subject not in self.cited]
        disputed = [c for c in all_candidates if c.disputed]
        candidates = [c for c in all_candidates if not c.disputed and c not in uncited]
        if any(c.cue or c.cue_not for c in candidates):
            around = self._around(m)
            candidates = [c for c in candidates if (not c.cue or re.search(c.cue, around))
                          and not (c.cue_not and re.search(c.cue_not, around))]

        # a figure inside a quoted indicator: that indicator's target (or a number of its name)
        if container is not None and container.quoted and container.subject.kind == "indicator":
            subject = container.subject
            own = [c for c in candidates if _owns(subject, c)]
            good = [c for c in own if c.role in ("target", "name")]
            if good:
                return self._figure(m, "verified", entry=good[0])
            if own:
                return self._figure(m, "misattributed", entry=own[0],
                                    reason=f"引号内应为{quoted(subject.name)}的目标值，{m.text.strip()}却是其{own[0].label.split('”')[-1]}")
            return self._misattributed_or_unverified(m, candidates, subject, disputed, uncited)

        primary = self._primary(m)
        cue = self._cue(m, primary, previous_end)
        roles = ROLE_CUES.get(cue) if cue else None

        if roles == ("stated",):
            # after 填报/印作 the figure is what the form states, even when its formula says otherwise
            stated = [c for c in all_candidates if c.stated and (primary is None or _owns(primary.subject, c)
                                                                 or c.is_global)]
            if stated:
                entry = stated[0]
                note = f"（数据所填报的值，与计算不符：{entry.disputed}）" if entry.disputed else ""
                return self._figure(m, "verified", entry=entry, source=entry.describe() + note)

        def role_ok(entry: LedgerEntry) -> bool:
            return entry.kind == "passage" or roles is None or entry.role in roles

        # a figure quoted from a passage cited in the same sentence
        passages = [c for c in candidates if c.kind == "passage" and (c.subject in cited_here or primary is None)]
        if passages:
            return self._figure(m, "verified", entry=passages[0])
        if primary is not None:
            own = [c for c in candidates if _owns(primary.subject, c)]
            good = [c for c in own if role_ok(c)]
            if good:
                return self._figure(m, "verified", entry=_best(good, m.value))
            if own:
                wanted = ROLE_NAMES.get(roles[0], cue) if roles else cue
                return self._figure(m, "misattributed", entry=own[0],
                                    reason=f"{quoted(primary.subject.name)}的{wanted}不是{m.text.strip()}，"
                                           f"{m.text.strip()}是其{own[0].label.split('”')[-1]}")
        scoped = primary is None or bool(scope_words_between(self.view, primary.end, m.start))
        if primary is not None:
            own_disputed = [c for c in disputed if _owns(primary.subject, c)]
            if own_disputed:
                entry = own_disputed[0]
                return self._figure(m, "unverified", entry=entry,
                                    reason=f"{m.text.strip()}与{entry.label}一致，但该填报值不成立：{entry.disputed}")
        glob = [c for c in candidates if c.is_global and role_ok(c) and (c.role != "count" or self._counts_things(m))]
        if glob and scoped:
            return self._figure(m, "verified", entry=_best(glob, m.value))
        if primary is None and candidates and roles is not None and any(c.is_global for c in candidates):
            entry = next(c for c in candidates if c.is_global)
            wanted = ROLE_NAMES.get(roles[0], cue)
            return self._figure(m, "misattributed", entry=entry,
                                reason=f"{m.text.strip()}是{entry.label}，不是{wanted}")
        return self._misattributed_or_unverified(m, candidates, primary.subject if primary else None,
                                                 disputed, uncited)

    def _misattributed_or_unverified(self, m: Mention, candidates: list[LedgerEntry], subject, disputed,
                                     uncited) -> CheckedFigure:
        shown = m.text.strip()
        specific = [c for c in candidates if c.kind != "passage"]
        if specific and subject is not None:
            entry = specific[0]
            return self._figure(m, "misattributed", entry=entry,
                                reason=f"{shown}是{entry.label}，但本句说的是{_kind_name(subject.kind)}{quoted(subject.name)}")
        if specific:
            entry = specific[0]
            return self._figure(m, "unverified", entry=entry,
                                reason=f"{shown}与{entry.label}相同，但句中未指明所指对象")
        if disputed:
            entry = disputed[0]
            return self._figure(m, "unverified", entry=entry,
                                reason=f"{shown}与{entry.label}一致，但该填报值不成立：{entry.disputed}")
        if uncited:
            entry = uncited[0]
            title = (entry.source or {}).get("title") or entry.subject
            return self._figure(m, "unverified", entry=entry, reason=f"{shown}仅见于未引用的来源《{title}》，请注明出处")
        near = self.ledger.near_misses(m)
        if near:
            entry = near[0]
            return self._figure(m, "unverified", reason=f"单位或数量级不符：数据中为{entry.printed}（{entry.label}）")
        return self._figure(m, "unverified", reason="数据、计算值和所引来源中都没有这个数值")


def _owns(subject, entry: LedgerEntry) -> bool:
    if subject.kind == "indicator":
        if entry.subject_kind == "task" and subject.task and entry.subject == subject.task:
            return True      # the indicator's own task (its funds, its indicator counts)
        return entry.subject_kind == "indicator" and entry.subject == subject.name
    if subject.kind == "task":
        if entry.subject_kind == "task" and entry.subject == subject.name:
            return True
        return entry.subject_kind == "indicator" and entry.subject in _task_indicators(subject)
    if subject.kind == "budget":
        return entry.subject_kind == "budget" and entry.subject == subject.name
    if subject.kind == "document":
        return entry.kind == "passage" and entry.subject == subject.name
    return False


def _task_indicators(subject) -> set[str]:
    return subject.members


_ROLE_ORDER = {"actual": 0, "target": 1, "completion": 2, "execution_rate": 2, "budget": 3, "spent": 3}


def _best(entries: list[LedgerEntry], value: float | None = None) -> LedgerEntry:
    """The product's own value before a stated one, then the closest, then data before passages."""
    def closeness(e: LedgerEntry) -> float:
        if value is None or e.value is None:
            return 0.0
        return round(abs(e.value - value) / max(abs(value), 1e-9), 9)
    return min(entries, key=lambda e: (e.stated, closeness(e), e.kind not in ("cell", "derived"),
                                       _ROLE_ORDER.get(e.role, 5)))


def _kind_name(kind: str) -> str:
    return {"indicator": "指标", "task": "任务", "budget": "预算项目", "document": "文件",
            "evaluation": "评价"}.get(kind, "")
