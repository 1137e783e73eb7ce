"""The chunk table held in memory for one generation: texts, metadata, BM25, and per row what the
query understanding matches against (kind, year, region, article number, title).

Rows are ordered by (file, offset), so neighbouring rows are neighbouring passages of one file.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from ..quantities import chinese_to_number
from .bm25 import BM25, tokenize
from .passages import Passage
from .query import TitleMatcher
from .regions import region_table

# The metadata fields a Passage is made of (the stored metadata also holds BM25 tokens and hashes).
PASSAGE_FIELDS = ("doc", "rel", "title", "kind", "year", "issuer", "section", "start", "end", "location")
CACHE_FORMAT = "jixiao-chunk-table"
CACHE_VERSION = 2
_ARTICLE_LABEL = re.compile(r"^第([零〇一二两三四五六七八九十百千\d]+)条(?:之[一二三四五六七八九十]+)?$")


def table_bytes(collection: str, ids: list[str], texts: list[str], metas: list[dict]) -> bytes:
    """The one serialisation of a chunk table: canonical JSON (sorted keys, no spaces), the same
    bytes whether the table comes from a build or from Chroma. It is the cache file's content."""
    data = {"format": CACHE_FORMAT, "version": CACHE_VERSION, "collection": collection,
            "ids": ids, "texts": texts, "metas": metas}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def table_digest(data: bytes) -> str:
    """The fingerprint of a serialised chunk table: written into the manifest at build time, checked
    whenever a cached table is read."""
    return hashlib.sha256(data).hexdigest()


def table_order(ids: list[str], metas: list[dict]) -> list[int]:
    return sorted(range(len(ids)), key=lambda i: (metas[i].get("rel", ""), metas[i].get("start", 0), ids[i]))


def article_of(section: str) -> int | None:
    """The article number a passage holds when its section path ends with one article (第N条)."""
    return _article_of_label((section or "").split(" > ")[-1].strip())


@lru_cache(maxsize=4096)
def _article_of_label(last: str) -> int | None:
    m = _ARTICLE_LABEL.match(last)
    if not m:
        return None
    try:
        return int(chinese_to_number(m.group(1)))
    except Exception:  # noqa: BLE001 - an unreadable numeral is no article number
        return None


@dataclass
class ChunkTable:
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict] = field(default_factory=list)      # PASSAGE_FIELDS + "tokens"

    def __post_init__(self):
        self.pos = {cid: i for i, cid in enumerate(self.ids)}
        self._head_tokens: dict[int, set[str]] = {}
        self.kinds = np.array([m.get("kind", "") for m in self.metas], dtype="U8")
        self.years = np.array([int(m.get("year") or 0) for m in self.metas], dtype=np.int32)
        self.articles = [article_of(m.get("section", "")) for m in self.metas]
        table = region_table()
        regions: dict[tuple, tuple[str, ...]] = {}
        self.regions: list[tuple[str, ...]] = []
        for m in self.metas:
            key = (m.get("title", ""), m.get("issuer", ""))
            if key not in regions:
                regions[key] = tuple(r.name for r in table.of_document(*key))
            self.regions.append(regions[key])

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def bm25(self) -> BM25 | None:
        return BM25([m.get("tokens", "").split() for m in self.metas]) if self.ids else None

    @cached_property
    def titles(self) -> TitleMatcher:
        return TitleMatcher.of(m.get("title", "") for m in self.metas)

    @cached_property
    def rows_of_title(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, m in enumerate(self.metas):
            out.setdefault(m.get("title", ""), []).append(i)
        return out

    def mask(self, kind: str | None, year: int | None) -> np.ndarray | None:
        if kind is None and year is None:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if kind is not None:
            mask &= self.kinds == kind
        if year is not None:
            mask &= self.years == int(year)
        return mask

    def allowed(self, row: int, kind: str | None, year: int | None) -> bool:
        return (kind is None or self.kinds[row] == kind) and (year is None or self.years[row] == int(year))

    def heading(self, row: int) -> str:
        """Title and section path of a row, e.g. 中华人民共和国预算法 > 第六章 预算执行 > 第五十七条."""
        m = self.metas[row]
        return " > ".join(p for p in (m.get("title", ""), m.get("section", "")) if p)

    def first_sentence(self, row: int) -> str:
        text = self.texts[row].lstrip("#").strip()
        lines = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("#")]
        body = lines[0] if lines else text
        m = re.search(r"[。！？；]", body)
        return body[: m.end()] if m else body[:120]

    def head_tokens(self, row: int) -> set[str]:
        """BM25 tokens of the heading and first sentence (made when first asked for)."""
        toks = self._head_tokens.get(row)
        if toks is None:
            toks = self._head_tokens[row] = set(tokenize(self.heading(row) + " " + self.first_sentence(row)))
        return toks

    def passage(self, row: int, score: float) -> Passage:
        m = self.metas[row]
        return Passage(doc=m["doc"], title=m["title"], kind=m["kind"], section=m.get("section") or "",
                       text=self.texts[row], score=float(score), start=int(m["start"]), end=int(m["end"]),
                       chunk_id=self.ids[row], year=int(m.get("year") or 0) or None,
                       issuer=m.get("issuer") or None, location=m.get("location") or "",
                       rel=m.get("rel") or "", region=" ".join(self.regions[row]),
                       article=self.articles[row])


EMPTY = ChunkTable()
