"""BM25 over jieba tokens (`assistant.tokenizer`: the domain user dictionary ``data/userdict.txt``).
Query terms and their weights come from `query.QueryReader` (thesaurus expansion).

Scoring is BM25Okapi as in ``rank_bm25`` (same idf with its epsilon floor, k1=1.5, b=0.75: the
tests check the scores against ``rank_bm25``), computed from an inverted index so a query costs
time proportional to the postings of its terms, not to the corpus size.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from ..tokenizer import tokenizer


# Punctuation, spaces and the most common function words carry no retrieval signal.
STOPWORDS = set(
    "的 了 和 与 及 或 等 是 在 对 为 以 于 由 将 把 被 其 之 而 并 且 也 都 就 这 那 有 个 各 "
    "中 上 下 后 前 时 所 从 向 到 给 该 本 此 我 你 他 们 吗 呢 吧 啊 哪些 什么 怎么 如何 怎样 "
    "多少 哪个 是否 需要 可以 应该 规定 要求 有关 方面 情况 关于 按照 根据 进行 以及 还是 "
    "请问 一下".split()
)
_PUNCT = re.compile(r"^[\s\W_]+$", re.UNICODE)

def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (compounds and their parts), lower-cased, stopwords dropped."""
    tok = tokenizer()
    out = []
    for t in tok.cut_for_search(text, HMM=True):
        t = t.strip().lower()
        if not t or t in STOPWORDS or _PUNCT.match(t):
            continue
        out.append(t)
    return out


class BM25:
    """BM25Okapi over pre-tokenised documents, backed by an inverted index whose postings hold each
    document's whole BM25 term score (idf × the saturated, length-normalised term frequency),
    computed once: a query adds its terms' posting lists, weighted, and touches nothing else."""

    def __init__(self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25):
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.n = len(corpus)
        doc_len = np.array([len(d) for d in corpus], dtype=np.float32)
        avgdl = float(doc_len.mean()) if self.n else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(corpus):
            for term, tf in Counter(doc).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        # idf exactly as rank_bm25.BM25Okapi: negative idfs floored at epsilon * mean idf
        idf = {t: math.log(self.n - len(ids) + 0.5) - math.log(len(ids) + 0.5)
               for t, (ids, _) in postings.items()}
        floor = self.epsilon * (sum(idf.values()) / len(idf)) if idf else 0.0
        self.idf = {t: (floor if v < 0 else v) for t, v in idf.items()}
        norm = self.k1 * (1 - self.b + self.b * doc_len / avgdl) if self.n else doc_len
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, tfs) in postings.items():
            rows, tf = np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32)
            self.postings[term] = (rows, (self.idf[term] * tf * (self.k1 + 1) / (tf + norm[rows])).astype(np.float32))

    def scores(self, query: list) -> np.ndarray:
        """Scores of every document; ``query`` holds tokens or (token, weight) pairs."""
        out = np.zeros(self.n, dtype=np.float32)
        for item in query:  # a repeated query term counts again, as in rank_bm25
            term, w = (item, 1.0) if isinstance(item, str) else item
            hit = self.postings.get(term)
            if hit is not None:
                rows, score = hit
                out[rows] += score if w == 1.0 else np.float32(w) * score
        return out

    def top(self, query: list, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best ``n`` documents scoring above zero (among ``mask``), best first."""
        s = self.scores(query)
        hits = np.flatnonzero(s > 0 if mask is None else (s > 0) & mask)
        if n <= 0 or not len(hits):
            return []
        if len(hits) > n:
            hits = hits[np.argpartition(-s[hits], n - 1)[:n]]
        hits = hits[np.lexsort((hits, -s[hits]))]
        return [(int(i), float(s[i])) for i in hits]
