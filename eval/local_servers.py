"""Servers the benchmarks and tests start on this machine's loopback: a free port, a real `chroma run`."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def chroma_server(path: Path):
    """A real `chroma run` storing under `path`, on a free loopback port; yields its URL, stops it after."""
    with chroma_server_process(path) as (url, _):
        yield url


@contextlib.contextmanager
def chroma_server_process(path: Path):
    """`chroma_server`, yielding (URL, the server's `Popen`) for tests that stop it themselves."""
    port = free_port()
    log_path = path.parent / f"chroma-{port}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path),
                             "--host", "127.0.0.1", "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"chroma run did not start: {log_path.read_text()}")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
