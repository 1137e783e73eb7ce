"""Shared helpers for the browser tests: the app on a free loopback port, and headless Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python; `playwright install`
is never run. Screenshots go to test-output/screenshots/.
"""
from __future__ import annotations

import contextlib
import os
import shutil
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
    """The UI in this process on a free loopback port, with no index (drafts without citations)."""
    from assistant.ui import UISettings, launch

    values = {"host": "127.0.0.1", "port": free_port(), "index_provider": _no_index, "examples_dir": EXAMPLES}
    settings = UISettings(**{**values, **overrides})
    app, url = launch(settings, block=False, quiet=True)
    try:
        yield app, url.rstrip("/") + "/"
    finally:
        app.close()


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


def new_page(browser, external: list[str]):
    """A page in its own context (its own Gradio session), recording any request off loopback."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES) else external.append(r.url))
    return page


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def clean_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
