"""Drafting benchmark: full-report template draft time and per-section time, and the seed 000
comparison (`eval/drafting/seed000_comparison.md`).

    python -m eval.drafting.bench [--runs N] [--index DIR | --no-index] [--no-compare]

Times are medians over `--runs` runs on this machine (2 cores). "ledger" is scoring plus building
the figure ledger; each section's time covers writing it, any retrieval, and checking it. With an
index, the first run's retrieval also loads the embedder; that run is reported apart (cold).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from assistant.actuals import load
from assistant.drafting.context import DraftContext
from assistant.drafting.outline import ordered_keys
from assistant.drafting.writers import TEMPLATE, write
from assistant.retrieval import Index, default_index

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {"部门整体（种子000）": ROOT / "examples" / "2023_港澳办_部门整体.yaml",
            "项目（种子003）": ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml"}
OUTPUT = ROOT / "eval" / "output" / "drafting_bench.json"


def time_draft(evaluation, index) -> dict:
    """One full template draft, timed by stage: ledger, each section, total."""
    started = time.perf_counter()
    ctx = DraftContext.build(evaluation, index=index)
    times = {"ledger": time.perf_counter() - started}
    figures, unverified = 0, 0
    for key in ordered_keys(ctx.report_type):
        t = time.perf_counter()
        section = write(ctx, key, TEMPLATE)
        times[key] = time.perf_counter() - t
        figures += len(section.check.figures)
        unverified += len(section.check.problems())
    times["total"] = time.perf_counter() - started
    return {"times": times, "figures": figures, "unverified": unverified, "citations": len(ctx.citations)}


def bench(runs: int, index) -> dict:
    results = {}
    for name, path in EXAMPLES.items():
        evaluation = load(path)
        cold = time_draft(evaluation, index)
        warm = [time_draft(evaluation, index) for _ in range(runs)]
        keys = list(warm[0]["times"])
        results[name] = {
            "file": path.name, "runs": runs, "index": index is not None,
            "cold_total_s": cold["times"]["total"],
            "median_s": {k: statistics.median(r["times"][k] for r in warm) for k in keys},
            "figures": warm[0]["figures"], "unverified": warm[0]["unverified"], "citations": warm[0]["citations"],
        }
    return results


def print_table(results: dict, label: str) -> None:
    print(f"\n模板起草耗时（{label}，中位数，毫秒）")
    for name, r in results.items():
        med = r["median_s"]
        sections = "  ".join(f"{k} {v * 1000:.1f}" for k, v in med.items() if k not in ("ledger", "total"))
        print(f"  {name}: 全文 {med['total'] * 1000:.1f}（首次 {r['cold_total_s'] * 1000:.0f}）  "
              f"账本 {med['ledger'] * 1000:.1f}  {sections}")
        print(f"      数字 {r['figures']} 个，未核实 {r['unverified']} 个，引用 {r['citations']} 条，{r['runs']} 次")


def open_index(args):
    if args.no_index:
        return None
    if args.index:
        return Index.open(args.index)
    index = default_index(build_if_missing=False)
    return None if index.is_empty() else index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--index", help="index directory (default ./index when built)")
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument("--no-compare", action="store_true", help="do not rewrite seed000_comparison.md")
    args = parser.parse_args(argv)

    report = {"no_index": bench(args.runs, None)}
    print_table(report["no_index"], "不检索")
    index = open_index(args)
    if index is not None:
        report["with_index"] = bench(max(3, args.runs // 4), index)
        print_table(report["with_index"], "检索往年报告和政策")
    else:
        print("\n（未找到已构建的索引：只测不检索的情形。用 --index DIR 指定索引。）")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\n结果已写入 {OUTPUT.relative_to(ROOT)}")
    if not args.no_compare:
        from .compare import write_comparison
        path = write_comparison(index)
        print(f"种子000对照已写入 {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
