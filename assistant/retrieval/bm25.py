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
    """BM25Okapi over pre-tokenised documents, backed by an inverted index."""

    def __init__(self, corpus: list[list[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25):
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.n = len(corpus)
        self.doc_len = np.array([len(d) for d in corpus], dtype=np.float32)
        self.avgdl = float(self.doc_len.mean()) if self.n else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(corpus):
            for term, tf in Counter(doc).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        self.postings = {t: (np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32))
                         for t, (ids, tfs) in postings.items()}
        # idf exactly as rank_bm25.BM25Okapi: negative idfs floored at epsilon * mean idf
        idf, total = {}, 0.0
        for term, (ids, _) in self.postings.items():
            v = math.log(self.n - len(ids) + 0.5) - math.log(len(ids) + 0.5)
            idf[term] = v
            total += v
        floor = self.epsilon * (total / len(idf)) if idf else 0.0
        self.idf = {t: (floor if v < 0 else v) for t, v in idf.items()}
        self._norm = (self.k1 * (1 - self.b + self.b * self.doc_len / self.avgdl)
                      if self.n else self.doc_len)

    def scores(self, query: list) -> np.ndarray:
        """Scores of every document; ``query`` holds tokens or (token, weight) pairs."""
        out = np.zeros(self.n, dtype=np.float32)
        for item in query:  # a repeated query term counts again, as in rank_bm25
            term, w = (item, 1.0) if isinstance(item, str) else item
            hit = self.postings.get(term)
            if hit is None:
                continue
            ids, tfs = hit
            out[ids] += w * self.idf[term] * tfs * (self.k1 + 1) / (tfs + self._norm[ids])
        return out

    def top(self, query: list, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        s = self.scores(query)
        if mask is not None:
            s = np.where(mask, s, -1.0)
        n = min(n, self.n)
        if n <= 0:
            return []
        idx = np.argpartition(-s, n - 1)[:n] if n < self.n else np.arange(self.n)
        idx = idx[np.argsort(-s[idx], kind="stable")]
        return [(int(i), float(s[i])) for i in idx if s[i] > 0]
