"""What the question asks for, applied to the fused candidates: the document type, the region's own
documents, the documents named by title (each a factor on the fused score, a setting), and the
article it names, put first (`articles_first`).
"""
from __future__ import annotations

import math

from .query import Query
from .retrievers import Filters
from .table import ChunkTable


def region_factor(query_regions: frozenset[str], row_regions: tuple[str, ...], boost: float) -> float:
    """`boost` for a document of the very region named (杭州 → 杭州市绩效管理条例); its square root for
    a document of the province a named city lies in (杭州 → 浙江省…条例); 1 otherwise."""
    if not query_regions or not row_regions:
        return 1.0
    if row_regions[-1] in query_regions:
        return boost
    if any(r in query_regions for r in row_regions):
        return math.sqrt(boost)
    return 1.0


def preferred(query: Query, scores: dict[int, float], table: ChunkTable, kind_boost: float,
              region_boost: float, title_boost: float) -> dict[int, float]:
    """The candidates' scores with the question's preferences applied."""
    regions = query.region_names
    titles = set(query.titles)
    out = {}
    for row, score in scores.items():
        factor = 1.0
        if query.kind and table.kinds[row] == query.kind:
            factor *= kind_boost
        factor *= region_factor(regions, table.regions[row], region_boost)
        if titles and table.metas[row].get("title") in titles:
            factor *= title_boost
        out[row] = score * factor
    return out


def named_article_rows(query: Query, table: ChunkTable, filters: Filters, order: list[tuple[int, float]]) -> list[int]:
    """The rows of the article(s) the question names (all pieces, in document order): in the
    documents it names by title, else in the best-ranked candidate's document that has that article."""
    rows: list[int] = []
    for number in query.articles:
        titles = list(query.titles)
        if not titles:
            best = next((r for r, _ in order if table.articles[r] == number), None)
            titles = [table.metas[best].get("title")] if best is not None else []
        hits = [r for t in titles for r in table.rows_of_title.get(t, ()) if table.articles[r] == number]
        rows += [r for r in hits if table.allowed(r, filters.kind, filters.year) and r not in rows]
    return rows


def articles_first(query: Query, order: list[tuple[int, float]], table: ChunkTable,
                   filters: Filters) -> list[tuple[int, float]]:
    """`order` with the named article's rows moved to the front, scored above the rest."""
    first = named_article_rows(query, table, filters, order)
    if not first:
        return order
    top = order[0][1] if order else 1.0
    head = [(row, top + 1.0 - j / (len(first) + 1)) for j, row in enumerate(first)]
    moved = set(first)
    return head + [(row, sc) for row, sc in order if row not in moved]
