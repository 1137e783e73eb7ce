"""Parsing time grows linearly with input length: the quantity parser and the figure extractor (issue 16, item 3).

A property test over the inputs that once took quadratic time (a long run of Chinese numerals with
or without a unit, long digit runs, many separators), not a wall-clock limit: for each input the
time for 8n characters is compared with the time for n. Linear parsing gives a ratio near 8 (less,
with fixed costs), quadratic 64; the bound, 32, leaves a 4x margin for a loaded machine. The
quantity parser's length cap (`limits.DATA_FILES.quantity_chars`) is raised so the patterns
themselves are measured, not the cap that refuses long cells.
"""
from __future__ import annotations

import dataclasses
import time

import pytest

from assistant import limits
from assistant.figures.extract import extract
from assistant.quantities import QuantityError, parse_quantity

NUMERALS = "一二三四五六七八九十"
GROWTH = 8
MOST_RATIO = 32.0          # linear: about 8; quadratic: 64
BASE_SECONDS = 0.01        # the shorter input's time, so that a scheduler's hiccup does not decide the ratio
MOST_CHARS = 64_000        # the shorter input's longest length


def numerals(count: int) -> str:
    return (NUMERALS * (count // len(NUMERALS) + 1))[:count]


def best_time(function, text: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def growth_ratio(function, make, n: int) -> float:
    """t(8n) / t(n), n doubled from its start until t(n) is at least `BASE_SECONDS` (noise stays small)."""
    function(make(n))                           # warm caches (jieba, compiled patterns)
    base = best_time(function, make(n))
    while base < BASE_SECONDS and n < MOST_CHARS:
        n *= 2
        base = best_time(function, make(n))
    return best_time(function, make(GROWTH * n)) / base


def parse_or_refuse(text: str) -> None:
    try:
        parse_quantity(text)
    except QuantityError:
        pass


QUANTITY_INPUTS = {
    "numerals, no unit": lambda n: numerals(n) + "abc",
    "numerals and a unit": lambda n: "≥" + numerals(n) + "场",
    "numerals and no end": lambda n: numerals(n) + "场次x",
    "digits and words": lambda n: "1" * n + "场以上的",
    "ranges": lambda n: "1-" * n + "2",
    "alternatives": lambda n: "≥1场或" * (n // 4) + "2场",
    "hedges": lambda n: "约" + "1多" * (n // 2),
    "lead-ins": lambda n: "需控制在" * (n // 4) + "3场",
}

EXTRACT_INPUTS = {
    "numerals, no unit": lambda n: "本单位按计划开展工作。" + numerals(n) + "。",
    "numerals and a unit": lambda n: "实际完成" + numerals(n) + "场。",
    "digit runs": lambda n: "完成" + "1" * n + "场",
    "thousands separators": lambda n: "1," * n + "5万元",
    "percent words": lambda n: "百分之" + numerals(n),
    "many figures": lambda n: "完成12场，" * (n // 6),
}


@pytest.fixture
def uncapped(monkeypatch):
    monkeypatch.setattr(limits, "DATA_FILES", dataclasses.replace(limits.DATA_FILES, quantity_chars=10 ** 7))


@pytest.mark.parametrize("name", QUANTITY_INPUTS)
def test_quantity_parsing_time_grows_linearly(uncapped, name):
    ratio = growth_ratio(parse_or_refuse, QUANTITY_INPUTS[name], 2000)
    assert ratio < MOST_RATIO, f"{name}: {GROWTH}x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("name", EXTRACT_INPUTS)
def test_figure_extraction_time_grows_linearly(name):
    ratio = growth_ratio(extract, EXTRACT_INPUTS[name], 2000)
    assert ratio < MOST_RATIO, f"{name}: {GROWTH}x the input took {ratio:.1f}x the time"


def test_a_quantity_cell_over_the_cap_is_refused_without_parsing():
    cap = limits.DATA_FILES.quantity_chars
    with pytest.raises(QuantityError, match="上限"):
        parse_quantity(numerals(cap + 1) + "场")
    assert parse_quantity("9" * (cap + 1)).value == float("9" * (cap + 1))     # digits alone read in linear time


def test_a_long_run_of_numerals_is_no_figure_and_a_short_one_is():
    assert [m.text for m in extract("实际完成" + numerals(500) + "场。")] == []
    assert [(m.text, m.value) for m in extract("实际完成一千二百三十四场。")] == [("一千二百三十四场", 1234.0)]
