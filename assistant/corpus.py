"""Corpus loading and Chinese-aware, structure-aware chunking.

Loaders turn .txt/.md/.docx/.pdf/.xlsx files into a :class:`SourceDoc` whose ``text`` is the
canonical source text: for .txt/.md the decoded file itself, for the other formats the text this
module extracts (headings and tables kept). Every :class:`Chunk` carries character offsets
``start``/``end`` into that text, so ``doc.text[c.start:c.end]`` is the raw span a chunk came from;
``c.text`` is the same span cleaned for reading (hard line breaks of PDF-exported text joined,
page footers dropped).

Chunking follows the outline first (``#``/``##``, ``第N章``, ``一、``, ``（一）``, ``1.``, ``（1）``,
``第N条``), merges small sibling sections, and splits long ones on sentence ends (。！？；) with a
small overlap. Breaks never fall inside a figure (``2,122.43万元``, ``99.66%``, ``≥12场``), a
〔…〕 document number, a 《…》 title or a short “…” quotation.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .documents import SUFFIXES as SUPPORTED_SUFFIXES, read_document, read_text_file
from .errors import DataError
from .figures.extract import docnos
from .limits import DOCUMENT
from .text import PAGE_NUMBER

# Provenance / housekeeping files that live beside the corpus but are not corpus documents.
SKIP_NAMES = {"readme.md", "sources.md", "license", "license.md", "license.txt"}
# Files whose text is searched for document numbers (the others are tables and exports).
DOCNO_SUFFIXES = (".txt", ".md")

_KIND_DIRS = {
    "reports": "report", "report": "report", "报告": "report",
    "policy": "policy", "policies": "policy", "法规": "policy", "政策": "policy",
    "forms": "form", "form": "form", "表格": "form",
}

# ---------------------------------------------------------------------------------------------
# Data classes


@dataclass
class SourceDoc:
    """One corpus file, loaded."""

    path: Path
    rel: str               # path relative to the corpus root (POSIX), the file's identity
    name: str              # file name, e.g. "预算法(2018-12-29).md"
    text: str              # canonical text; chunk offsets point into it
    title: str
    kind: str              # report | policy | form
    year: int | None = None
    issuer: str | None = None
    # (start, end, label) spans giving provenance: pdf pages, xlsx sheet/row
    locations: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Chunk:
    chunk_id: str
    doc: str               # file name
    rel: str               # relative path in the corpus
    title: str
    kind: str
    year: int | None
    issuer: str | None
    section: str           # section path, "第四章 预算编制 > 第三十二条"
    text: str              # cleaned text of the span
    start: int
    end: int
    location: str = ""     # e.g. "第3页" or "Sheet1 第2-5行"

    def header(self) -> str:
        """Title and section path, prepended to the text for embedding and BM25."""
        parts = [self.title]
        if self.section:
            parts.append(self.section)
        return " > ".join(parts)


@dataclass
class ChunkConfig:
    target_chars: int = 360   # merge sibling sections up to this size; split long ones near it
    max_chars: int = 520      # never merge beyond this
    min_chars: int = 120      # a group smaller than this absorbs the next section anyway
    overlap_chars: int = 60   # overlap carried from one piece of a split section to the next
    article_passages: bool = True  # every article (第N条) is its own passage, never merged with others


# ---------------------------------------------------------------------------------------------
# Loading


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_corpus_files(root: str | Path) -> Iterator[Path]:
    """Corpus files under ``root``, sorted; hidden files, README/SOURCES and temp files skipped."""
    root = Path(root)
    if root.is_file():
        yield root
        return
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        rel_parts = p.relative_to(root).parts
        if any(part.startswith((".", "~$")) for part in rel_parts):
            continue
        if p.name.lower() in SKIP_NAMES:
            continue
        yield p


_TITLE_END = re.compile(r"(报告|申报表|评价表|自评表|一览表|统计表|明细表|表|办法|条例|规定|决定|通知|意见|方案|细则|法|纪要|说明|总结)$")


def _guess_title(text: str, suffix: str, fallback: str) -> str:
    lines = [ln.strip() for ln in text.split("\n")]
    for ln in lines[:5]:
        if ln.startswith("# "):
            return ln[2:].strip()
    picked: list[str] = []
    for ln in lines[:40]:
        if not ln:
            continue
        if re.fullmatch(r"附件\s*\d*[:：]?", ln) or _PAGE_FOOTER.fullmatch(ln):
            continue
        if _heading_of(ln) is not None or "\t" in ln or len(ln) > 60:
            break
        picked.append(ln)
        joined = re.sub(r"\s+", "", "".join(picked))
        if _TITLE_END.search(joined) or len(picked) >= 3:
            return joined
    if picked:
        return re.sub(r"\s+", "", "".join(picked))
    return fallback


def _guess_kind(rel_parts: tuple[str, ...], suffix: str, title: str) -> str:
    for part in rel_parts[:-1]:
        kind = _KIND_DIRS.get(part.lower())
        if kind:
            return kind
    if suffix == ".xlsx" or re.search(r"表$", title):
        return "form"
    if re.search(r"(法|条例|办法|规定|决定|细则|意见|通知)$", title):
        return "policy"
    return "report"


_ORGAN = re.compile(
    r"(?:中华人民共和国)?(国务院)(?!关于)|"
    r"([\u4e00-\u9fa5]{2,6}?[省市区县])?第[一二三四五六七八九十]+届(全国)?人民代表大会(常务委员会)?"
)


def _guess_issuer(text: str, kind: str, title: str) -> str | None:
    head = text.split("<!-- INFO END -->", 1)[0] if "<!-- INFO END -->" in text else text[:1500]
    if kind == "policy":
        for ln in head.split("\n")[1:12]:
            m = _ORGAN.search(ln)
            if m:
                if m.group(1):
                    return "国务院"
                return (m.group(2) or "") + (m.group(3) or "") + "人民代表大会" + (m.group(4) or "")
        return None
    m = re.search(r"部门名称\t+([^\t\n]+)", text)
    if m:
        return m.group(1).strip()
    t = re.sub(r"^\d{4}\s*年度?", "", title)
    m = re.match(r"(.+?(?:办公室|委员会|局|厅|中心|政府|办))(?:部门|本级|关于|$)", t)
    return m.group(1) if m else None


def _guess_year(name: str, title: str, text: str) -> int | None:
    for pat, s in ((r"\((\d{4})-\d{2}-\d{2}\)", name), (r"^(\d{4})[_\-年 ]", name),
                   (r"(\d{4})\s*年", title), (r"(\d{4})\s*年度", text[:3000])):
        m = re.search(pat, s)
        if m and 1949 <= int(m.group(1)) <= 2100:
            return int(m.group(1))
    return None


def load_document(path: str | Path, root: str | Path | None = None) -> SourceDoc:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"不支持的文件类型: {path.name}（支持 {', '.join(SUPPORTED_SUFFIXES)}）")
    document = read_document(path)
    text, locs = unicodedata.normalize("NFC", document.text), document.locations
    if len(text) > DOCUMENT.index_chars:
        raise DataError(f"正文有{len(text)}字，超过加入索引的字数上限（{DOCUMENT.index_chars}字）；"
                        "请拆分为几个文件后再加入", path.name)
    if root is not None:
        try:
            rel = path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            rel = path.name
    else:
        rel = path.name
    title = _guess_title(text, suffix, path.stem)
    kind = _guess_kind(tuple(Path(rel).parts), suffix, title)
    return SourceDoc(path=path, rel=rel, name=path.name, text=text, title=title, kind=kind,
                     year=_guess_year(path.name, title, text),
                     issuer=_guess_issuer(text, kind, title), locations=locs)


# ---------------------------------------------------------------------------------------------
# Outline recognition

_CN_NUM = "一二三四五六七八九十百零〇两"
_PAGE_FOOTER = re.compile(PAGE_NUMBER)
_COMMENT = re.compile(r"<!--.*?-->")
_MD_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_STRUCT = [  # (rank, regex on the stripped line); lower rank = higher in the outline
    (10, re.compile(rf"第[{_CN_NUM}\d]+编")),
    (11, re.compile(rf"第[{_CN_NUM}\d]+章")),
    (12, re.compile(rf"第[{_CN_NUM}\d]+节")),
    (13, re.compile(rf"第[{_CN_NUM}\d]+条(?:之[{_CN_NUM}]+)?")),
    (20, re.compile(rf"[{_CN_NUM}]+[、．.](?!\d)")),
    (21, re.compile(rf"[（(][{_CN_NUM}]+[）)]")),
    (22, re.compile(r"\d{1,2}[.．、](?![\d.．])")),
    (23, re.compile(r"[（(]\d{1,2}[）)]")),
]
ARTICLE_RANK = 13  # articles sit under chapters/sections and above the items they enumerate
TABLE_RANK = 30


@dataclass
class _Heading:
    rank: int
    label: str


def _short_label(marker: str, rest: str, limit: int = 18) -> str:
    rest = rest.strip()
    m = re.search(r"[。：:；;，,！？]", rest)
    head = rest[: m.start()] if m else rest
    if len(head) > limit:
        head = head[:limit] + "…"
    return (marker + head).strip()


def _heading_of(line: str) -> _Heading | None:
    """The outline heading a line opens, or None. A table row (tab-separated) opens a
    section only when its first cell is filled; rows starting with a tab continue it."""
    if line.startswith("\t"):
        return None
    s = re.sub(r"^[-*•]\s+", "", line.strip())
    if not s:
        return None
    m = _MD_HEADING.fullmatch(s)
    if m:
        label = re.sub(r"\s+", " ", m.group(2)).strip()
        return _Heading(len(m.group(1)) - 1, label)
    for rank, rx in _STRUCT:
        m = rx.match(s)
        if not m:
            continue
        rest = s[m.end():]
        if rank == ARTICLE_RANK:
            if rest and not rest[0].isspace() and rest[0] not in "　":
                # "第三条规定的…" inside a sentence is a reference, not an article
                if not re.match(r"[（(]", rest):
                    return None
            return _Heading(rank, m.group(0))
        if rank in (10, 11, 12):
            return _Heading(rank + 0, re.sub(r"\s+", " ", s) if len(s) <= 30 else m.group(0))
        return _Heading(rank, _short_label(m.group(0), rest))
    if "\t" in s:
        first = s.split("\t", 1)[0].strip()
        if first and len(first) <= 20:
            return _Heading(TABLE_RANK, first)
    return None


# ---------------------------------------------------------------------------------------------
# Protected spans and break points

_PROTECT = re.compile(
    r"[\u4e00-\u9fa5A-Za-z]{0,12}[〔［\[][^〕］\]\n]{1,12}[〕］\]]\s*第?\s*\d*\s*号?"  # 穗南开管会纪〔2022〕9号
    r"|《[^》\n]{0,80}》"                                          # 《…》 titles
    r"|“[^”\n]{0,160}”"                                            # short quotations (indicators)
    r"|[≥≤><=＝≧≦＞＜]?\s*[-+]?\d[\d,，.．]*(?:\s*[-~～/至]\s*\d[\d,，.．]*)?"
    r"\s*(?:%|％|‰|万亿元|亿元|万元|千元|元|万|亿|人次|批次|场次|个|项|场|次|家|条|篇|人|分|倍|年|月|日)?"
)
_SENT_END = re.compile(r"[。！？!?；;][”’」』）)]*")
_SOFT_END = re.compile(r"[，,、：:]")


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in _PROTECT.finditer(text, start, end)
            if m.end() - m.start() > 1]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in spans)


def _breaks(text: str, start: int, end: int, rx: re.Pattern, spans) -> list[int]:
    out = [m.end() for m in rx.finditer(text, start, end)]
    if rx is _SENT_END:  # a line that is a table row ends where its line ends
        for m in re.finditer(r"\n", text[start:end]):
            p = start + m.start()
            line_start = text.rfind("\n", 0, p) + 1
            if "\t" in text[line_start:p]:
                out.append(p + 1)
    return sorted(p for p in set(out) if start < p < end and not _inside(p, spans))


def _split_span(text: str, start: int, end: int, cfg: ChunkConfig) -> list[tuple[int, int]]:
    """Split [start, end) on sentence ends into pieces near cfg.target_chars, with overlap."""
    if end - start <= cfg.max_chars:
        return [(start, end)]
    spans = _protected(text, start, end)
    hard = _breaks(text, start, end, _SENT_END, spans)
    soft = _breaks(text, start, end, _SOFT_END, spans)
    # paragraph and table-row ends: preferred anywhere up to max_chars, nearest the target
    strong = sorted(p for p in set(hard) | {m.end() for m in re.finditer(r"\n", text[start:end])}
                    if start < p < end and (text[p - 1] == "\n" or text[p] == "\n")
                    and not _inside(p, spans))
    pieces: list[tuple[int, int]] = []
    cur = start
    while end - cur > cfg.max_chars:
        limit = cur + cfg.target_chars
        cands = [p for p in strong if cur + cfg.target_chars // 2 <= p <= cur + cfg.max_chars]
        if cands:
            cands = [min(cands, key=lambda p: abs(p - limit))]
        else:
            cands = [p for p in hard if cur + cfg.min_chars // 2 <= p <= limit]
        if not cands:
            cands = [p for p in hard if cur < p <= cur + cfg.max_chars]
            cands = cands[:1]
        if not cands:
            cands = [p for p in soft if cur + cfg.min_chars // 2 <= p <= cur + cfg.max_chars]
            cands = cands[-1:]
        if cands:
            cut = cands[-1]
        else:  # no punctuation at all: cut before any protected span that straddles the limit
            cut = cur + cfg.target_chars
            for s, e in spans:
                if s < cut < e:
                    cut = s if s > cur else e
        pieces.append((cur, cut))
        # overlap: restart at a sentence (or clause) boundary within overlap_chars of the cut
        nxt = cut
        if cut in strong:  # a clean paragraph or row end needs no overlap
            cur = cut
            continue
        back = [p for p in hard if cut - cfg.overlap_chars <= p < cut and p > cur]
        if not back:
            back = [p for p in soft if cut - cfg.overlap_chars <= p < cut and p > cur]
        if back:
            nxt = back[0]
        cur = nxt
    pieces.append((cur, end))
    return pieces


# ---------------------------------------------------------------------------------------------
# Cleaning


def clean_text(raw: str) -> str:
    """Readable text of a raw span: comments and page footers dropped, hard line breaks
    inside paragraphs (PDF exports) joined, spacing trimmed."""
    raw = _COMMENT.sub("", raw)
    out: list[str] = []
    for line in raw.split("\n"):
        s = line.strip().replace("\u3000", " ").strip()
        if not s or _PAGE_FOOTER.fullmatch(s):
            continue
        if "\t" in line:
            s = "\t".join(c.strip() for c in line.strip("\n").split("\t")).strip("\t")
        if not out:
            out.append(s)
            continue
        prev = out[-1]
        ph = _heading_of(prev)
        joins = ("\t" not in s and "\t" not in prev and not prev.startswith("#")
                 and _heading_of(s) is None
                 and not re.search(r"[。！？!?；;：:”’」）)]$", prev)
                 and (ph is None or len(prev) >= 20)
                 and not re.match(r"\d{4}年\d{1,2}月\d{1,2}日", s))
        if joins:
            sep = " " if (prev[-1].isascii() and prev[-1].isalnum() and s[0].isascii()
                          and s[0].isalnum()) else ""
            out[-1] = prev + sep + s
        else:
            out.append(s)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Chunking


@dataclass
class _Unit:
    start: int
    end: int
    path: tuple[_Heading, ...]  # headings from the outline root to this unit's own heading

    @property
    def size(self) -> int:
        return self.end - self.start


def _units(doc: SourceDoc) -> list[_Unit]:
    text = doc.text
    units: list[_Unit] = []
    stack: list[_Heading] = []
    cur: _Unit | None = None
    pos = 0
    for line in text.split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        s = line.strip()
        if not s or _PAGE_FOOTER.fullmatch(s) or _COMMENT.fullmatch(s):
            continue
        h = _heading_of(line)
        if h is not None and h.rank == 0:  # "# title": document title, not a section
            h = None
        if h is not None and h.rank == TABLE_RANK and cur is not None and cur.path \
                and cur.path[-1].rank == TABLE_RANK and cur.path[-1].label == h.label:
            h = None
        if h is not None:
            while stack and stack[-1].rank >= h.rank:
                stack.pop()
            stack.append(h)
            if cur is not None:
                units.append(cur)
            cur = _Unit(lstart, lend, tuple(stack))
        elif cur is None:
            cur = _Unit(lstart, lend, tuple(stack))
        else:
            cur.end = lend
    if cur is not None:
        units.append(cur)
    return units


def _is_prefix(a: tuple, b: tuple) -> bool:
    return len(a) <= len(b) and b[: len(a)] == a


def _section_label(group: list[_Unit]) -> str:
    """Section path of a group of units: their common outline path, plus the merged siblings
    when they are articles (a range) or major headings (listed)."""
    units = [u for u in group if u.path] or group
    paths = [u.path for u in units]
    common: list[_Heading] = []
    for items in zip(*paths):
        if all(x == items[0] for x in items):
            common.append(items[0])
        else:
            break
    labels = [h.label for h in common]
    leaves: list[_Heading] = []
    for u in units:
        if len(u.path) > len(common) and u.path[len(common)] not in leaves:
            leaves.append(u.path[len(common)])
    if leaves:
        if all(h.rank == ARTICLE_RANK for h in leaves):
            labels.append(leaves[0].label if len(leaves) == 1
                          else f"{leaves[0].label}～{leaves[-1].label}")
        elif len(leaves) <= 3 and all(h.rank <= 21 or h.rank == TABLE_RANK for h in leaves):
            labels.append("；".join(h.label for h in leaves))
    return " > ".join(labels)


def _location(doc: SourceDoc, start: int, end: int) -> str:
    hits = [lab for s, e, lab in doc.locations if s < end and e > start]
    if not hits:
        return ""
    if len(hits) == 1:
        return hits[0]
    a, b = hits[0], hits[-1]
    ma, mb = re.match(r"(.*?)(\d+)([^\d]*)$", a), re.match(r"(.*?)(\d+)([^\d]*)$", b)
    if ma and mb and ma.group(1) == mb.group(1):
        return f"{ma.group(1)}{ma.group(2)}-{mb.group(2)}{ma.group(3)}"
    return f"{a}～{b}"


def chunk_id_for(rel: str, file_hash: str, i: int) -> str:
    return f"{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:10]}-{file_hash[:10]}-{i:04d}"


def _article(unit: _Unit) -> _Heading | None:
    """The article (第N条) a unit belongs to, if any."""
    return next((h for h in unit.path if h.rank == ARTICLE_RANK), None)


def _bare_heading(doc: SourceDoc, unit: _Unit) -> bool:
    return bool(unit.path) and "\n" not in doc.text[unit.start:unit.end].strip()


def _article_boundary(doc: SourceDoc, group: list[_Unit], unit: _Unit) -> bool:
    """True when `unit` must open a new passage because each article is a passage of its own:
    it belongs to another article than the group, or the group holds an article and the unit none
    (a chapter heading), or the unit opens the first article and the group is more than bare headings."""
    mine = _article(unit)
    theirs = next((a for a in map(_article, group) if a is not None), None)
    if theirs is not None:
        return mine != theirs
    if mine is None:
        return False
    return not all(_bare_heading(doc, u) for u in group)


def chunk_document(doc: SourceDoc, cfg: ChunkConfig | None = None,
                   file_hash: str | None = None) -> list[Chunk]:
    cfg = cfg or ChunkConfig()
    file_hash = file_hash or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    units = _units(doc)
    # 1. merge: small groups absorb what follows; siblings merge while they fit the target; an
    #    article (第N条) is always a passage of its own, with its items, split only when long
    groups: list[list[_Unit]] = []
    for u in units:
        if groups:
            g = groups[-1]
            if cfg.article_passages and _article_boundary(doc, g, u):
                groups.append([u])
                continue
            size = u.end - g[0].start
            first, last = g[0], g[-1]
            siblings = u.path[:-1] == last.path[:-1] and len(u.path) == len(last.path)
            descendant = _is_prefix(first.path, u.path)
            gsize = last.end - first.start
            heading_only = len(g) == 1 and "\n" not in doc.text[first.start:first.end].strip()
            if descendant and heading_only and gsize < 40:
                g.append(u)  # a bare heading goes with its first child, however long
                continue
            if size <= cfg.max_chars and (
                    (gsize < cfg.min_chars and (descendant or siblings or not first.path))
                    or (siblings and size <= cfg.target_chars)
                    or (siblings and u.size < cfg.min_chars // 2)):
                g.append(u)
                continue
        groups.append([u])
    # 2. split long groups on sentence ends, with overlap
    chunks: list[Chunk] = []
    for g in groups:
        section = _section_label(g)
        for s, e in _split_span(doc.text, g[0].start, g[-1].end, cfg):
            text = clean_text(doc.text[s:e])
            if not text.strip():
                continue
            chunks.append(Chunk(
                chunk_id=chunk_id_for(doc.rel, file_hash, len(chunks)), doc=doc.name, rel=doc.rel,
                title=doc.title, kind=doc.kind, year=doc.year, issuer=doc.issuer,
                section=section, text=text, start=s, end=e, location=_location(doc, s, e)))
    return chunks


def load_corpus(root: str | Path, cfg: ChunkConfig | None = None) -> Iterator[tuple[SourceDoc, list[Chunk]]]:
    for p in iter_corpus_files(root):
        doc = load_document(p, root)
        yield doc, chunk_document(doc, cfg, file_sha256(p))


# ---------------------------------------------------------------------------------------------
# Document numbers


def corpus_docnos(root: str | Path) -> frozenset[str]:
    """The document numbers (`财预〔2020〕10号`, normalised) printed in the corpus's text files: known
    outside the data, so a draft may cite them. Read once per set of files and modification times."""
    root = Path(root)
    if not root.is_dir():
        return frozenset()
    files = tuple(sorted((str(p), p.stat().st_mtime) for p in iter_corpus_files(root)
                         if p.suffix.lower() in DOCNO_SUFFIXES))
    return _docnos(files)


@lru_cache(maxsize=8)
def _docnos(files: tuple[tuple[str, float], ...]) -> frozenset[str]:
    found: set[str] = set()
    for path, _ in files:
        text = read_text_file(Path(path))
        if "〔" in text or "[" in text or "【" in text:
            found.update(m.docno for m in docnos(text) if m.docno)
    return frozenset(found)
