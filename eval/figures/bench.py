"""`python -m eval.figures.bench`: checker speed.

Measures, on this machine: extraction alone (mentions per second), a full check (figures per second),
building a ledger from a ScoreCard, and the time to check whole reports: seed 000 as published (all
of it) and the template writer's full draft of each example, when the drafting package is there.
Each is the median of wall-clock and of CPU time (the process's own, which other jobs on a shared
machine do not inflate); a whole report is also checked cold, every cache emptied first (jieba's
words of each text block, names, phrases): the first check of a text an officer has just pasted.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

from assistant.figures import build_ledger, check, extract, names, words
from assistant.figures.extract import extract_cached

from .texts import SEED000, SEED003, clean_texts, load_cards


def _timed(fn, repeat: int, cold: bool = False) -> float:
    """Median wall seconds of `repeat` runs (CPU seconds in `_timed.cpu`)."""
    times, cpu = [], []
    for k in range(repeat):
        if cold:
            _empty_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(k)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    _timed.cpu = statistics.median(cpu)
    return statistics.median(times)


def _empty_caches() -> None:
    for cached in (words.cut, words._block_boundaries, names.phrase_runs, names.phrase_fillers, names.clean_name,
                   extract_cached):
        cached.cache_clear()


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
    report_cpu = _timed.cpu
    cold_seconds = _timed(lambda k: check(report + " " * (k + 1), build_ledger(dept)), max(5, repeat // 3), cold=True)
    cold_cpu = _timed.cpu
    out = {
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "extract": {"chars": len(corpus), "mentions": mentions, "seconds": extract_seconds,
                    "mentions_per_second": mentions / extract_seconds},
        "ledger": {"entries": len(ledger), "seconds": ledger_seconds},
        "seed000_full_report": {"chars": len(report), "figures": figures, "seconds": report_seconds,
                                "cpu_seconds": report_cpu, "figures_per_second": figures / report_seconds},
        "seed000_full_report_cold": {"chars": len(report), "figures": figures, "seconds": cold_seconds,
                                     "cpu_seconds": cold_cpu, "figures_per_second": figures / cold_seconds},
    }
    for text in clean_texts():
        if not text.name.startswith("drafting:"):
            continue
        n = len(check(text.text, text.ledger).figures)
        seconds = _timed(lambda k: check(text.text + " " * (k + 1), text.ledger), repeat)
        out[f"{text.name}_full_draft"] = {"chars": len(text.text), "figures": n, "seconds": seconds,
                                          "cpu_seconds": _timed.cpu, "figures_per_second": n / seconds}
    return out


GOAL_SECONDS = 0.050          # a whole report checks in under 50 ms


def format_bench(result: dict) -> str:
    load = result.get("load")
    lines = ["数字核对速度（中位数）" + (f"，机器负载{load:.1f}（{os.cpu_count()}核）" if load is not None else "")]
    e = result["extract"]
    lines.append(f"仅抽取：{e['chars']}字、{e['mentions']}个数字，{e['seconds'] * 1000:.1f}毫秒，"
                 f"每秒{e['mentions_per_second']:,.0f}个")
    lines.append(f"建立台账：{result['ledger']['entries']}条，{result['ledger']['seconds'] * 1000:.1f}毫秒")
    for key, value in result.items():
        if key in ("extract", "ledger"):
            continue
        if key == "load":
            continue
        lines.append(f"{key}：{value['chars']}字、{value['figures']}个数字，核对{value['seconds'] * 1000:.1f}毫秒"
                     f"（CPU {value['cpu_seconds'] * 1000:.1f}毫秒），每秒{value['figures_per_second']:,.0f}个")
    reports = [v for k, v in result.items() if "_full_" in k]
    if reports:
        wall = max(v["seconds"] for v in reports)
        cpu = max(v["cpu_seconds"] for v in reports)
        lines.append(f"目标（整篇报告核对 < {GOAL_SECONDS * 1000:.0f} 毫秒）：" +
                     ("达到" if wall < GOAL_SECONDS else
                      f"CPU时间{'达到' if cpu < GOAL_SECONDS else '未达到'}；墙钟时间受机器负载影响未达到"))
    return "\n".join(lines)


if __name__ == "__main__":
    import json

    result = bench()
    print(json.dumps(result, ensure_ascii=False, indent=2) if "--json" in sys.argv else format_bench(result))
