"""`python -m eval.figures.bench`: checker speed.

Measures, on this machine: extraction alone (mentions per second), a full check (figures per second),
building a ledger from a ScoreCard, and the time to check whole reports: seed 000 as published (all
of it) and the template writer's full draft of each example, when the drafting package is there.
"""
from __future__ import annotations

import statistics
import sys
import time

from assistant.figures import build_ledger, check, extract

from .texts import SEED000, SEED003, clean_texts, load_cards


def _timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    times = []
    for k in range(repeat):
        started = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench(repeat: int = 30) -> dict:
    cards = load_cards()
    dept = cards["部门整体"]
    report = SEED000.read_text(encoding="utf-8")
    corpus = report + "\n" + SEED003.read_text(encoding="utf-8")
    mentions = len(extract(corpus))
    # a different trailing space each run: no cache can answer
    extract_seconds = _timed(lambda k: extract(corpus + " " * (k + 1)), repeat)
    ledger_seconds = _timed(lambda k: build_ledger(dept), repeat)
    ledger = build_ledger(dept)
    figures = len(check(report, ledger).figures)
    report_seconds = _timed(lambda k: check(report + " " * (k + 1), ledger), repeat)
    out = {
        "extract": {"chars": len(corpus), "mentions": mentions, "seconds": extract_seconds,
                    "mentions_per_second": mentions / extract_seconds},
        "ledger": {"entries": len(ledger), "seconds": ledger_seconds},
        "seed000_full_report": {"chars": len(report), "figures": figures, "seconds": report_seconds,
                                "figures_per_second": figures / report_seconds},
    }
    for text in clean_texts():
        if not text.name.startswith("drafting:"):
            continue
        n = len(check(text.text, text.ledger).figures)
        seconds = _timed(lambda k: check(text.text + " " * (k + 1), text.ledger), repeat)
        out[f"{text.name}_full_draft"] = {"chars": len(text.text), "figures": n, "seconds": seconds,
                                          "figures_per_second": n / seconds}
    return out


def format_bench(result: dict) -> str:
    lines = ["数字核对速度（中位数）"]
    e = result["extract"]
    lines.append(f"仅抽取：{e['chars']}字、{e['mentions']}个数字，{e['seconds'] * 1000:.1f}毫秒，"
                 f"每秒{e['mentions_per_second']:,.0f}个")
    lines.append(f"建立台账：{result['ledger']['entries']}条，{result['ledger']['seconds'] * 1000:.1f}毫秒")
    for key, value in result.items():
        if key in ("extract", "ledger"):
            continue
        lines.append(f"{key}：{value['chars']}字、{value['figures']}个数字，核对{value['seconds'] * 1000:.1f}毫秒，"
                     f"每秒{value['figures_per_second']:,.0f}个")
    return "\n".join(lines)


if __name__ == "__main__":
    import json

    result = bench()
    print(json.dumps(result, ensure_ascii=False, indent=2) if "--json" in sys.argv else format_bench(result))
