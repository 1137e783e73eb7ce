"""Load check of the chat UI: N concurrent browser-like sessions on loopback, over several rounds
(a benchmark, not a test).

    .venv/bin/python -m eval.ui.load [--sessions 20] [--rounds 4] [--url URL --pid PID] [--json eval/output/ui_load.json]

Starts `jixiao serve --no-index` on a free loopback port (unless --url is given), saving its sessions
in a temporary data folder (persistence on: every load and answer is committed), then opens N Gradio
client sessions (each its own session, as N browsers would be). Sessions alternate between the
department and the project example. Every round, all sessions at once load their example again (new
data for the session: a separator in its conversation) and ask three questions. Each answer is
checked against its own session's data (the right unmet indicators, total and execution rate) and
for isolation (its history holds exactly its own questions of every round, nothing of the other
example). Reports per-answer latency (first streamed chunk and whole answer, p50/p95/max, and p95 by
round), and the server's resident memory (VmRSS) after each round, and whether it grew: the first
round is the warm-up (Gradio's first events, the examples' first loads, the allocator's arenas), so
memory is judged from the end of round 2 to the end of the last, where it may grow at most
`MEMORY_GROWTH_MB_PER_ROUND` a round. Some growth is the work itself: every session's conversation is
three answers longer each round (about 1.5 MB a round for 20 sessions, kept to show the conversation);
the leak this check found (a copy of each conversation per answer in Gradio's session state) added
6-7 MB a round. With fewer than three rounds, growth is not judged.
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


def chat_messages(outputs) -> list:
    """The chatbot's messages among an event's outputs (the one list of role/content messages)."""
    for value in outputs:
        messages = messages_of(value) if isinstance(value, (list, dict)) else []
        if messages and all(isinstance(m, dict) and "role" in m for m in messages):
            return messages
    return []


class Session:
    """One Gradio-client session (as one browser tab), kept for every round."""

    def __init__(self, k: int, url: str, new_work: bool = False):
        self.k = k
        self.url = url
        self.new_work = new_work            # each round starts new work (an empty conversation) in the tab
        self.example = DEPARTMENT if k % 2 == 0 else PROJECT
        self.client = None
        self.asked: list[str] = []
        self.record = {"session": k, "example": self.example, "answers": [], "errors": []}

    def round(self, number: int) -> None:
        """Load the example (again: new data for the session) and ask the three questions."""
        from gradio_client import Client

        record = self.record
        if self.client is None:
            self.client = Client(self.url, verbose=False)
        elif self.new_work:
            self.client.predict(api_name="/history_new")
            self.asked = []
        outputs = self.client.predict(self.example, api_name="/load_example")
        shown = [text_of(o) for o in outputs if isinstance(o, str)]
        if not any(f"已载入：{self.example}" in text for text in shown):
            record["errors"].append(f"第{number}轮载入失败：{' '.join(shown)[:100]}")
        if not any("已保存" in text for text in shown):
            record["errors"].append(f"第{number}轮载入后未显示“已保存”")
        for question, expect in EXPECT.items():
            started = time.perf_counter()
            first = None
            job = self.client.submit(question, api_name="/chat")
            for update in job:
                messages = messages_of(update[0])
                if first is None and messages and messages[-1]["role"] == "assistant" \
                        and text_of(messages[-1]["content"]).strip() not in ("", "……"):
                    first = time.perf_counter() - started
            outputs = job.outputs()[-1]
            total = time.perf_counter() - started
            history = messages_of(outputs[0])
            self.asked.append(question)
            answer = text_of(history[-1]["content"])
            must, must_not = expect[self.example]
            wrong = [f"缺少“{m}”" for m in must if m not in answer] + [f"不应出现“{m}”" for m in must_not if m in answer]
            user_turns = [text_of(m["content"]) for m in history if m["role"] == "user"]
            if user_turns != self.asked:
                wrong.append(f"历史中的提问与本会话不符：{user_turns}")
            if any(OTHER_MARKER[self.example] in text_of(m["content"]) for m in history):
                wrong.append("历史中出现另一会话的数据")
            record["answers"].append({"round": number, "question": question, "first_chunk_s": round(first or total, 3),
                                      "total_s": round(total, 3), "correct": not wrong, "problems": wrong})


def run_session(session: Session, rounds: int, start: threading.Barrier, done: threading.Barrier) -> None:
    """Every round: wait for all sessions, work, report done (a failed round is a result, not a crash)."""
    for number in range(1, rounds + 1):
        start.wait(timeout=600)
        try:
            session.round(number)
        except Exception as error:
            session.record["errors"].append(f"第{number}轮 {type(error).__name__}: {error}")
        done.wait(timeout=1800)


def process_status(pid: int | None, field: str) -> int | None:
    """One number of /proc/PID/status (`VmRSS` in kB, `Threads`); None when it cannot be read."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb(pid: int | None) -> float | None:
    """The resident memory of a process (VmRSS), in MB."""
    kb = process_status(pid, "VmRSS")
    return round(kb / 1024, 1) if kb is not None else None


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


MEMORY_GROWTH_MB_PER_ROUND = 3.0    # what the server may grow a round, from the end of round 2 to the end of the last


def memory_growth(after_round_mb: list[float | None]) -> dict:
    """Per-round growth after the warm-up round, and whether it stays within the allowance."""
    if len(after_round_mb) < 3 or None in after_round_mb:
        return {"judged_from_round": None, "growth_mb": None, "per_round_mb": None, "grew": None}
    growth = after_round_mb[-1] - after_round_mb[1]
    per_round = growth / (len(after_round_mb) - 2)
    return {"judged_from_round": 2, "growth_mb": round(growth, 1), "per_round_mb": round(per_round, 2),
            "allowed_per_round_mb": MEMORY_GROWTH_MB_PER_ROUND, "grew": per_round > MEMORY_GROWTH_MB_PER_ROUND}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.ui.load", description="对话界面的并发负载检查（基准，不是测试）")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4, help="轮数：每轮每个会话重新载入数据并提问三次")
    parser.add_argument("--new-work", action="store_true", help="每轮先新建工作（对话从空开始）：区分对话本身占用的内存与泄漏")
    parser.add_argument("--url", help="已在运行的界面地址（默认：自行启动 jixiao serve --no-index）")
    parser.add_argument("--pid", type=int, help="与 --url 同用：该界面进程的 PID（用于测量内存）")
    parser.add_argument("--json", default=str(ROOT / "eval" / "output" / "ui_load.json"))
    args = parser.parse_args(argv)

    process = None
    url, pid = args.url, args.pid
    data_dir = tempfile.TemporaryDirectory(prefix="jixiao-load-")
    if url is None:
        port = free_port()
        process = start_server(port, data_dir.name)
        url, pid = f"http://127.0.0.1:{port}/", process.pid
    memory = {"start_mb": rss_mb(pid), "after_round_mb": [], "threads_after_round": []}
    try:
        sessions = [Session(k, url, args.new_work) for k in range(args.sessions)]
        start = threading.Barrier(args.sessions + 1)
        done = threading.Barrier(args.sessions + 1)
        threads = [threading.Thread(target=run_session, args=(s, args.rounds, start, done), daemon=True)
                   for s in sessions]
        for thread in threads:
            thread.start()
        walls = []
        for _ in range(args.rounds):
            start.wait(timeout=600)
            began = time.perf_counter()
            done.wait(timeout=1800)
            walls.append(round(time.perf_counter() - began, 2))
            time.sleep(2)                       # the chained events after the last answer settle
            memory["after_round_mb"].append(rss_mb(pid))
            memory["threads_after_round"].append(process_status(pid, "Threads"))
        for thread in threads:
            thread.join(timeout=60)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
        saved = _saved_sessions(Path(data_dir.name))
        data_dir.cleanup()

    results = [s.record for s in sessions]
    answers = [a for r in results for a in r["answers"]]
    totals = [a["total_s"] for a in answers]
    firsts = [a["first_chunk_s"] for a in answers]
    correct = sum(a["correct"] for a in answers)
    expected = args.sessions * len(EXPECT) * args.rounds
    rounds = memory["after_round_mb"]
    growth = memory_growth(rounds)
    summary = {
        "sessions": args.sessions, "rounds": args.rounds, "answers": len(answers), "expected_answers": expected,
        "correct_and_isolated": correct, "session_errors": [e for r in results for e in r["errors"]],
        "latency_total_s": {"p50": round(statistics.median(totals), 3) if totals else None,
                            "p95": round(percentile(totals, 0.95), 3), "max": round(max(totals, default=0), 3)},
        "latency_first_chunk_s": {"p50": round(statistics.median(firsts), 3) if firsts else None,
                                  "p95": round(percentile(firsts, 0.95), 3)},
        "p95_by_round_s": [round(percentile([a["total_s"] for a in answers if a["round"] == n], 0.95), 3)
                           for n in range(1, args.rounds + 1)],
        "wall_by_round_s": walls, "cpu_count": os.cpu_count(),
        "server_rss_mb": {**memory, **growth},
        "saved_sessions": saved,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"summary": summary, "sessions": results}, ensure_ascii=False, indent=2),
                               encoding="utf-8")
    print(f"并发会话 {args.sessions} 个 × {args.rounds} 轮，回答 {len(answers)}/{expected} 个，正确且隔离 {correct} 个")
    print(f"每个回答用时：p50 {summary['latency_total_s']['p50']} 秒，p95 {summary['latency_total_s']['p95']} 秒，"
          f"最长 {summary['latency_total_s']['max']} 秒；首段 p50 {summary['latency_first_chunk_s']['p50']} 秒，"
          f"p95 {summary['latency_first_chunk_s']['p95']} 秒；各轮 p95 {summary['p95_by_round_s']} 秒，"
          f"各轮耗时 {walls} 秒")
    if growth["grew"] is None:
        judged = "轮数不足3轮，不判断是否增长"
    else:
        judged = (f"第2轮后到最后一轮后增长 {growth['growth_mb']} MB，每轮 {growth['per_round_mb']} MB"
                  f"（允许每轮 {MEMORY_GROWTH_MB_PER_ROUND} MB）：{'持续增长' if growth['grew'] else '未持续增长'}")
    print(f"界面进程内存（RSS）：启动后 {memory['start_mb']} MB，各轮后 {rounds} MB；{judged}；"
          f"各轮后线程数 {memory['threads_after_round']}")
    for problem in summary["session_errors"] + [p for a in answers for p in a["problems"]]:
        print("问题：", problem)
    if saved is not None:
        print(f"保存的会话：{saved['sessions']} 个，问答 {saved['turns']} 条")
    print(f"明细：{args.json}")
    saved_expected = args.sessions * (args.rounds if args.new_work else 1)
    complete = saved is None or (saved["sessions"] == saved_expected and saved["turns"] == expected)
    flat = not growth["grew"]
    return 0 if correct == expected and not summary["session_errors"] and complete and flat else 1


if __name__ == "__main__":
    sys.exit(main())
