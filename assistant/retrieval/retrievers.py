"""The retrievers, behind one signature: ``ranked(query, n, filters) -> [(row, score), …]``, best first.

Rows are positions in the generation's `ChunkTable`. `BM25Retriever` scores the query's weighted
terms over the table's stored tokens in memory; `DenseRetriever` asks Chroma for the nearest
vectors of the query's embedding (computed once per query and kept on it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from .embeddings import Embedder
from .query import Query
from .table import ChunkTable


@dataclass(frozen=True)
class Filters:
    kind: str | None = None      # "report" | "policy" | "form"
    year: int | None = None

    def where(self) -> dict | None:
        """The same filter as a Chroma ``where`` clause."""
        clauses = ([{"kind": self.kind}] if self.kind is not None else []) + \
                  ([{"year": int(self.year)}] if self.year is not None else [])
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


NO_FILTERS = Filters()


class Retriever(Protocol):
    def ranked(self, query: Query, n: int, filters: Filters = NO_FILTERS) -> list[tuple[int, float]]: ...


class BM25Retriever:
    def __init__(self, table: ChunkTable):
        self.table = table

    def ranked(self, query: Query, n: int, filters: Filters = NO_FILTERS) -> list[tuple[int, float]]:
        bm25 = self.table.bm25
        if bm25 is None:
            return []
        return bm25.top(query.terms, n, self.table.mask(filters.kind, filters.year))


class DenseRetriever:
    def __init__(self, table: ChunkTable, collection: Callable, embedder: Callable[[], Embedder]):
        self.table = table
        self._collection = collection      # () -> the generation's Chroma collection
        self._embedder = embedder           # () -> the embedder the stored vectors came from

    def vector(self, query: Query) -> np.ndarray:
        if query.vector is None:
            query.vector = self._embedder().embed_query(query.dense_text)
        return query.vector

    def ranked(self, query: Query, n: int, filters: Filters = NO_FILTERS) -> list[tuple[int, float]]:
        if not len(self.table):
            return []
        vec = np.asarray(self.vector(query), dtype=np.float32).tolist()
        res = self._collection().query(query_embeddings=[vec], n_results=max(1, min(n, len(self.table))),
                                       where=filters.where(), include=["distances"])
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            row = self.table.pos.get(cid)
            if row is not None:
                out.append((row, 1.0 - float(dist)))
        return out
