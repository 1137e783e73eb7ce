"""Benchmark of saved work (a benchmark, not a test): what one saved change and one reopening cost.

    .venv/bin/python -m eval.ui.store_bench [--turns 50] [--json eval/output/store_bench.json]

In a temporary data folder (SQLite in WAL mode, `synchronous=FULL`: every change reaches the disk
before it returns), one session of the department example: load the data, then `--turns` answered
questions, then the whole draft, then one officer edit a section at a time. Reports the median and
p95 of each kind of change, the time to reopen the session (`Work.open`: read the rows, re-read
the data file, rebuild the draft), and the database's size.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.chat import ChatSession
from assistant.workbench import Store, Turn, Work

ROOT = Path(__file__).resolve().parents[2]
DEPARTMENT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
QUESTIONS = ("哪些指标没有完成？", "总分是怎么算的？", "预算执行率是多少？", "数据有没有填报错误？")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ui.store_bench", description="保存工作的开销（基准，不是测试）")
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--json", default=str(ROOT / "eval" / "output" / "store_bench.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jixiao-store-bench-") as folder:
        store = Store(folder)
        work = Work(store, "browser:bench", ChatSession())
        files = [(DEPARTMENT.name, DEPARTMENT.read_bytes())]
        load = [timed(lambda: work.load_data(files, DEPARTMENT.name))]
        answers = [work.chat.answer(QUESTIONS[k % len(QUESTIONS)]) for k in range(args.turns)]
        turns = [timed(lambda a=a: work.record_turn(Turn(question=a.question, answer_text=a.text,
                                                         answer_html=f"<div>{a.text}</div>", intent=a.intent)))
                 for a in answers]
        draft = [timed(lambda: work.draft_report("部门整体", list(work.section_keys())))]
        edits = [timed(lambda k=k: work.edit(k, work.officer_text(k) + f"\n经办人补充说明第{n}处。"))
                 for n, k in enumerate(work.section_keys() * 4)]
        reopen = [timed(lambda: Work.open(Store(folder), work.owner, work.id, ChatSession())) for _ in range(5)]
        size = sum(p.stat().st_size for p in Path(folder).glob("jixiao.sqlite3*"))
    result = {"load_data (incl. reading and scoring)": summary(load), "record_turn": summary(turns),
              "draft_report (incl. drafting 5 sections)": summary(draft), "edit (incl. checking the section)": summary(edits),
              "reopen (Work.open)": summary(reopen), "turns": args.turns, "database_bytes": size}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, value in result.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
