"""What the question asks for, applied to the fused candidates: the document type, the region's own
documents, the documents named by title. Each is a factor on the fused score (a setting); the
article a question names is put first by the index itself (`Index._article_rows`).
"""
from __future__ import annotations

import math

from .query import Query
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
