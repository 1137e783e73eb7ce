"""Reranking the fused candidates: the methods by name (`RERANKERS`), chosen by `IndexSettings.rerank`.

A reranker scores each candidate row in [0, 1] for a query; the index adds that score, times
`rerank_weight`, to the fused score scaled to [0, 1], and reorders. Methods (measured on
eval/retrieval, see README):

- ``none``: the fused order;
- ``heading``: how much of the question's BM25 weight (idf × term weight) the passage's heading
  (title > section path) and first sentence cover: the article's own statement and its place in
  the law say what the passage is about, where the rest of a long passage may mention anything;
- ``coverage``: the same over the whole passage.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .query import Query
from .table import ChunkTable


def _coverage(query: Query, bm25, token_sets: list[set[str]]) -> np.ndarray:
    weights: dict[str, float] = {}
    for term, w in query.terms:
        idf = bm25.idf.get(term) if bm25 is not None else None
        if idf:
            weights[term] = max(weights.get(term, 0.0), w * idf)
    total = sum(weights.values())
    if not total:
        return np.zeros(len(token_sets))
    return np.array([sum(w for t, w in weights.items() if t in toks) / total for toks in token_sets])


class NoRerank:
    def scores(self, query: Query, rows: list[int], table: ChunkTable) -> np.ndarray:
        return np.zeros(len(rows))


class HeadingRerank:
    """Coverage of the question by the passage's heading and first sentence."""

    def scores(self, query: Query, rows: list[int], table: ChunkTable) -> np.ndarray:
        return _coverage(query, table.bm25, [table.head_tokens(r) for r in rows])


class CoverageRerank:
    """Coverage of the question by the whole passage (its stored BM25 tokens)."""

    def scores(self, query: Query, rows: list[int], table: ChunkTable) -> np.ndarray:
        return _coverage(query, table.bm25, [set(table.metas[r].get("tokens", "").split()) for r in rows])


RERANKERS: dict[str, Callable[[], object]] = {
    "none": NoRerank,
    "heading": HeadingRerank,
    "coverage": CoverageRerank,
}


def reranked(method: str, query: Query, order: list[tuple[int, float]], table: ChunkTable, depth: int,
             weight: float) -> list[tuple[int, float]]:
    """The fused `order` with its top `depth` rescored: fused score scaled to 1 + `weight` × the
    method's score; the rest keeps its order below them."""
    depth = min(depth, len(order))
    if depth == 0 or method == "none":
        return order
    top, rest = order[:depth], order[depth:]
    best = top[0][1] or 1.0
    extra = RERANKERS[method]().scores(query, [row for row, _ in top], table)
    rescored = sorted(((row, sc / best + weight * float(x)) for (row, sc), x in zip(top, extra)),
                      key=lambda rs: -rs[1])
    floor = rescored[-1][1]
    return rescored + [(row, min(floor, sc / best) - 1e-9 * (j + 1)) for j, (row, sc) in enumerate(rest)]
