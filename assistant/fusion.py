"""Fusing ranked lists from BM25 and dense retrieval."""
from __future__ import annotations


def rrf(rankings: list[list[str]], weights: list[float] | None = None, k: float = 60.0) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over lists of w / (k + rank), rank from 1."""
    weights = weights or [1.0] * len(rankings)
    out: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for r, key in enumerate(ranking, 1):
            out[key] = out.get(key, 0.0) + w / (k + r)
    return out


def weighted_sum(scored: list[dict[str, float]], weights: list[float] | None = None) -> dict[str, float]:
    """Weighted sum of min-max normalised scores; a key missing from a list scores 0 there."""
    weights = weights or [1.0] * len(scored)
    out: dict[str, float] = {}
    for scores, w in zip(scored, weights):
        if not scores:
            continue
        lo, hi = min(scores.values()), max(scores.values())
        span = (hi - lo) or 1.0
        for key, s in scores.items():
            out[key] = out.get(key, 0.0) + w * (s - lo) / span
    return out


def ranked(fused: dict[str, float], n: int) -> list[tuple[str, float]]:
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
