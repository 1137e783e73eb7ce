"""Shared helpers for the browser tests: the app on a free loopback port, and headless Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python; `playwright install`
is never run. Screenshots go to test-output/screenshots/.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from eval.local_servers import free_port
EXAMPLES = ROOT / "examples"
DEPARTMENT = EXAMPLES / "2023_港澳办_部门整体.yaml"
PROJECT = EXAMPLES / "2023_商协会服务集聚区_项目.yaml"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def require_chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} 不存在：先运行 make system（apt-get install chromium）")
    return pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def running_app(**overrides):
    """The UI in this process on a free loopback port, with no index (drafts without citations), saving
    its sessions in a folder of its own (`data_dir`, a fresh temporary one unless given)."""
    from assistant.ui import UISettings, launch

    with tempfile.TemporaryDirectory(prefix="jixiao-ui-data-") as data_dir:
        values = {"host": "127.0.0.1", "port": free_port(), "index_provider": _no_index, "examples_dir": EXAMPLES,
                  "data_dir": Path(data_dir)}
        settings = UISettings(**{**values, **overrides})
        app, url = launch(settings, block=False, quiet=True)
        try:
            yield app, url.rstrip("/") + "/"
        finally:
            app.close()


@contextlib.contextmanager
def served(data_dir: Path, *, port: int | None = None, users: str = "", extra: tuple[str, ...] = ()):
    """`jixiao serve --no-index` in a process of its own (so that it can be killed), saving to `data_dir`;
    yields (process, url). `users` is JIXIAO_USERS (`名:密码;…`), empty for no login."""
    port = port or free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT),
           "JIXIAO_USERS": users}
    for key in ("JIXIAO_USER", "JIXIAO_PASSWORD", "JIXIAO_LLM_PROVIDER", "JIXIAO_LLM_BASE_URL"):
        env.pop(key, None)
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--no-index", "--data-dir", str(data_dir), *extra]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 180
        for line in process.stdout:
            if "已启动" in line:
                break
            if time.time() > deadline:
                raise RuntimeError("界面未能启动")
        else:
            raise RuntimeError(f"界面未能启动（退出码 {process.wait()}）")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        yield process, f"http://127.0.0.1:{port}/"
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _no_index():
    return None


@contextlib.contextmanager
def chromium():
    sync_api = require_chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, external: list[str], locale: str = "zh-CN", requests: list[str] | None = None):
    """A page in its own context (its own browser: its own localStorage and Gradio session), recording
    any request off loopback in `external` (and every request in `requests`, when given)."""
    context = browser.new_context(locale=locale, viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)

    def seen(request):
        if requests is not None:
            requests.append(request.url)
        if not request.url.startswith(LOCAL_PREFIXES):
            external.append(request.url)
    page.on("request", seen)
    return page


def open_app(browser, url, external, **options):
    page = new_page(browser, external, **options)
    page.goto(url)
    wait_ready(page)
    return page


def wait_ready(page):
    """The page has started: the data tab's status line is filled (restored work or the empty notice)."""
    page.wait_for_selector("#data-status .notice, #data-status .data-error", timeout=60_000)


def log_in(page, url, user: str, password: str):
    page.goto(url)
    page.locator("input[type=password]").wait_for(timeout=60_000)
    page.locator("input:not([type=password])").first.fill(user)
    page.locator("input[type=password]").fill(password)
    page.locator("input[type=password]").press("Enter")
    wait_ready(page)


def load_example(page, name: str):
    page.get_by_role("tab", name="数据").click()
    dropdown = page.locator("#example-choice input")
    dropdown.click()
    page.get_by_role("option", name=name).click()
    page.locator("#load-example").click()
    page.wait_for_function(
        "name => (document.querySelector('#data-status')?.innerText || '').includes(name)", arg=name, timeout=60_000)
    page.wait_for_selector("#score-table")


def upload(page, *paths, selector: str = "#data-upload"):
    """Upload on the data tab; waits until the status line names the (first) file or shows an error."""
    page.get_by_role("tab", name="数据").click()
    before = page.locator("#data-status").inner_text()
    page.locator(f"{selector} input[type=file]").set_input_files([str(p) for p in paths])
    page.wait_for_function("before => { const s = document.querySelector('#data-status .notice, #data-status .data-error'); "
                           "return s && s.innerText !== before; }", arg=before, timeout=60_000)


def ask(page, question: str) -> str:
    """Send a question; wait for the whole answer (its final render has class .answer-done)."""
    page.get_by_role("tab", name="对话").click()
    before = page.locator("#chatbot .answer-done").count()
    box = page.locator("#chat-input textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .answer-done').length > n", arg=before, timeout=120_000)
    wait_saved(page)
    return page.locator("#chatbot .answer-done").last.inner_text()


def wait_saved(page, after: str | None = None) -> str:
    """The save line says 已保存 (of a commit other than `after`, when given); returns that commit's time."""
    page.wait_for_function(
        "after => { const s = document.querySelector('#save-status.saved'); "
        "return s && (after === null || s.dataset.saved !== after); }", arg=after, timeout=60_000)
    return page.locator("#save-status").get_attribute("data-saved")


ENGLISH = ("Drop File Here", "Click to Upload", "Invalid file type", "exceed", "Upload", "Submit", "Clear",
           "Loading", "Error", "Retry", "Like", "Dislike", "common.")


def english_on_page(page) -> list[str]:
    """Visible text, labels, titles and placeholders that hold one of Gradio's English strings."""
    texts = page.evaluate("""() => { const out = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walk.nextNode()) { const p = walk.currentNode.parentElement;
        if (p && !['SCRIPT', 'STYLE'].includes(p.tagName)) out.push(walk.currentNode.nodeValue); }
      document.querySelectorAll('[aria-label],[title],[placeholder],[alt]').forEach(e => {
        for (const a of ['aria-label', 'title', 'placeholder', 'alt']) { const v = e.getAttribute(a); if (v) out.push(v); } });
      return out; }""")
    return sorted({t.strip() for t in texts if any(word.lower() in t.lower() for word in ENGLISH)})


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def clean_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
