"""Load check of the chat UI: N concurrent browser-like sessions on loopback (a benchmark, not a test).

    .venv/bin/python -m eval.ui.load [--sessions 10] [--url URL] [--json eval/output/ui_load.json]

Starts `jixiao serve --no-index` on a free loopback port (unless --url is given), saving its sessions
in a temporary data folder (persistence on: every load and answer is committed), then opens N Gradio
client sessions at once (each its own session, as N browsers would be). Sessions alternate between
the department and the project example; every session loads its example and asks three questions,
all sessions in flight together. Each answer is checked against its own session's data (the right
unmet indicators, total and execution rate) and for isolation (its history holds only its own turns,
nothing of the other example). Reports per-answer latency (first streamed chunk and whole answer,
p50/p95/max) and whether every answer was correct and isolated.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from assistant.text import quoted
from eval.local_servers import free_port
DEPARTMENT = "2023_港澳办_部门整体.yaml"
PROJECT = "2023_商协会服务集聚区_项目.yaml"
UNMET = quoted("“港澳商协汇”公众号关注量")          # as answers print it: “‘港澳商协汇’公众号关注量”
# question → what each example's answer must hold (and must not)
EXPECT = {
    "哪些指标没有完成？": {DEPARTMENT: (["没有未完成的指标"], [UNMET]),
                         PROJECT: ([UNMET, "差64人次"], ["没有未完成的指标"])},
    "总分是怎么算的？": {DEPARTMENT: (["自评总分99.97分", "“优”"], ["97.07分"]),
                        PROJECT: (["自评总分97.07分"], ["99.97分"])},
    "预算执行率是多少？": {DEPARTMENT: (["99.66%", "2115.30万元"], ["92.00%"]),
                          PROJECT: (["92.00%", "140.30万元"], ["99.66%"])},
}
OTHER_MARKER = {DEPARTMENT: "商协会服务集聚区_项目", PROJECT: "港澳办_部门整体"}


def text_of(content) -> str:
    """A chatbot message's content (Gradio 6: a list of parts) as plain text."""
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    text = re.sub(r"<br\s*/?>", "\n", str(content))
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def messages_of(value) -> list:
    """The chatbot's messages in an output: the list itself, or the value of a component update."""
    if isinstance(value, dict):
        value = value.get("value")
    return list(value or [])


def start_server(port: int, data_dir: str) -> subprocess.Popen:
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-index",
               "--data-dir", data_dir]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    for line in process.stdout:
        if "已启动" in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process
        if time.time() > deadline:
            break
    process.kill()
    raise RuntimeError("界面未能启动")


def run_session(k: int, url: str, barrier: threading.Barrier, results: list, lock: threading.Lock) -> None:
    from gradio_client import Client

    example = DEPARTMENT if k % 2 == 0 else PROJECT
    record = {"session": k, "example": example, "answers": [], "errors": []}
    try:
        client = Client(url, verbose=False)
        barrier.wait(timeout=120)
        shown = [text_of(o) for o in client.predict(example, api_name="/load_example") if isinstance(o, str)]
        if not any(f"已载入：{example}" in text for text in shown):
            record["errors"].append(f"载入失败：{' '.join(shown)[:100]}")
        if not any("已保存" in text for text in shown):
            record["errors"].append("载入后未显示“已保存”")
        history: list = []
        for question, expect in EXPECT.items():
            started = time.perf_counter()
            first = None
            job = client.submit(question, history, api_name="/chat")
            for update in job:
                messages = messages_of(update[0])
                if first is None and messages and messages[-1]["role"] == "assistant" \
                        and text_of(messages[-1]["content"]).strip() not in ("", "……"):
                    first = time.perf_counter() - started
            outputs = job.outputs()[-1]
            total = time.perf_counter() - started
            history = messages_of(outputs[0])
            answer = text_of(history[-1]["content"])
            must, must_not = expect[example]
            wrong = [f"缺少“{m}”" for m in must if m not in answer] + [f"不应出现“{m}”" for m in must_not if m in answer]
            user_turns = [text_of(m["content"]) for m in history if m["role"] == "user"]
            asked = list(EXPECT)[:len(user_turns)]
            if user_turns != asked:
                wrong.append(f"历史中有他人的提问：{user_turns}")
            if any(OTHER_MARKER[example] in text_of(m["content"]) for m in history):
                wrong.append("历史中出现另一会话的数据")
            record["answers"].append({"question": question, "first_chunk_s": round(first or total, 3),
                                      "total_s": round(total, 3), "correct": not wrong, "problems": wrong})
    except Exception as error:     # a failed session is a result, not a crash of the benchmark
        record["errors"].append(f"{type(error).__name__}: {error}")
    with lock:
        results.append(record)


def _saved_sessions(data_dir: Path) -> dict | None:
    """What the server committed: sessions and answered turns in its database (None with --url)."""
    path = data_dir / "jixiao.sqlite3"
    if not path.is_file():
        return None
    db = sqlite3.connect(path)
    try:
        return {"sessions": db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0],
                "turns": db.execute("SELECT COUNT(*) FROM turns WHERE kind = 'answer'").fetchone()[0]}
    finally:
        db.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ui.load", description="对话界面的并发负载检查（基准，不是测试）")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--url", help="已在运行的界面地址（默认：自行启动 jixiao serve --no-index）")
    parser.add_argument("--json", default=str(ROOT / "eval" / "output" / "ui_load.json"))
    args = parser.parse_args(argv)

    process = None
    url = args.url
    data_dir = tempfile.TemporaryDirectory(prefix="jixiao-load-")
    if url is None:
        port = free_port()
        process = start_server(port, data_dir.name)
        url = f"http://127.0.0.1:{port}/"
    try:
        results: list = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.sessions)
        threads = [threading.Thread(target=run_session, args=(k, url, barrier, results, lock))
                   for k in range(args.sessions)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        saved = _saved_sessions(Path(data_dir.name))
        data_dir.cleanup()

    answers = [a for r in results for a in r["answers"]]
    totals = [a["total_s"] for a in answers]
    firsts = [a["first_chunk_s"] for a in answers]
    correct = sum(a["correct"] for a in answers)
    expected = args.sessions * len(EXPECT)
    summary = {
        "sessions": args.sessions, "answers": len(answers), "expected_answers": expected,
        "correct_and_isolated": correct, "session_errors": [e for r in results for e in r["errors"]],
        "latency_total_s": {"p50": round(statistics.median(totals), 3) if totals else None,
                            "p95": round(percentile(totals, 0.95), 3), "max": round(max(totals, default=0), 3)},
        "latency_first_chunk_s": {"p50": round(statistics.median(firsts), 3) if firsts else None,
                                  "p95": round(percentile(firsts, 0.95), 3)},
        "wall_s": round(wall, 2), "cpu_count": os.cpu_count(),
        "saved_sessions": saved,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"summary": summary, "sessions": sorted(results, key=lambda r: r["session"])},
                                          ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"并发会话 {args.sessions} 个，回答 {len(answers)}/{expected} 个，正确且隔离 {correct} 个")
    print(f"每个回答用时：p50 {summary['latency_total_s']['p50']} 秒，p95 {summary['latency_total_s']['p95']} 秒，"
          f"最长 {summary['latency_total_s']['max']} 秒；首段 p50 {summary['latency_first_chunk_s']['p50']} 秒，"
          f"p95 {summary['latency_first_chunk_s']['p95']} 秒；总耗时 {summary['wall_s']} 秒")
    for problem in summary["session_errors"] + [p for a in answers for p in a["problems"]]:
        print("问题：", problem)
    if saved is not None:
        print(f"保存的会话：{saved['sessions']} 个，问答 {saved['turns']} 条")
    print(f"明细：{args.json}")
    complete = saved is None or (saved["sessions"] == args.sessions and saved["turns"] == expected)
    return 0 if correct == expected and not summary["session_errors"] and complete else 1


if __name__ == "__main__":
    sys.exit(main())
