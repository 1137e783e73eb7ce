"""Fusing the retrievers' ranked lists: the methods by name (`FUSIONS`), checked when settings are made.

A method takes the ranked lists (row, score), one per retriever, best first, the retrievers'
weights and the settings' `rrf_k`, and returns a score per row (higher is better).
"""
from __future__ import annotations

from typing import Callable, Hashable

Ranked = list[tuple[Hashable, float]]


def rrf(rankings: list[list], weights: list[float] | None = None, k: float = 60.0) -> dict:
    """Weighted reciprocal rank fusion: sum over lists of w / (k + rank), rank from 1."""
    weights = weights or [1.0] * len(rankings)
    out: dict = {}
    for ranking, w in zip(rankings, weights):
        for r, key in enumerate(ranking, 1):
            out[key] = out.get(key, 0.0) + w / (k + r)
    return out


def weighted_sum(scored: list[dict], weights: list[float] | None = None) -> dict:
    """Weighted sum of min-max normalised scores; a key missing from a list scores 0 there."""
    weights = weights or [1.0] * len(scored)
    out: dict = {}
    for scores, w in zip(scored, weights):
        if not scores:
            continue
        lo, hi = min(scores.values()), max(scores.values())
        span = (hi - lo) or 1.0
        for key, s in scores.items():
            out[key] = out.get(key, 0.0) + w * (s - lo) / span
    return out


def ranked(fused: dict, n: int) -> list[tuple]:
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _rrf(lists: list[Ranked], weights: list[float], rrf_k: float) -> dict:
    return rrf([[key for key, _ in lst] for lst in lists], weights, k=rrf_k)


def _weighted(lists: list[Ranked], weights: list[float], rrf_k: float) -> dict:
    return weighted_sum([dict(lst) for lst in lists], weights)


FUSIONS: dict[str, Callable[[list[Ranked], list[float], float], dict]] = {
    "rrf": _rrf,            # weighted reciprocal rank fusion (default: independent of score scales)
    "weighted": _weighted,  # weighted sum of min-max normalised scores
}
