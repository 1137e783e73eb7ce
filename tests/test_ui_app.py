"""The UI's pieces without a browser: settings from the environment, the app builds, the editable
draft round-trips, uploads are limited by type and size, and the HTML marks what the checker marks."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.actuals import load
from assistant.chat import ChatSession
from assistant.errors import JixiaoError
from assistant.ui.app import UISettings, UISession, build_app, draft_html, editable_text, parse_editable, read_upload
from assistant.ui import render

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"


def test_settings_default_to_loopback_and_read_the_environment(monkeypatch):
    for key in ("JIXIAO_HOST", "JIXIAO_PORT", "JIXIAO_USER", "JIXIAO_PASSWORD", "JIXIAO_LLM_PROVIDER", "JIXIAO_LLM_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    settings = UISettings.from_env()
    assert settings.host == "127.0.0.1" and settings.port == 7860 and settings.username is None
    assert settings.llm_provider is None            # no model unless one is configured
    monkeypatch.setenv("JIXIAO_HOST", "0.0.0.0")
    monkeypatch.setenv("JIXIAO_PORT", "9000")
    monkeypatch.setenv("JIXIAO_USER", "officer")
    monkeypatch.setenv("JIXIAO_PASSWORD", "secret")
    settings = UISettings.from_env(port=9100)
    assert (settings.host, settings.port, settings.username, settings.password) == ("0.0.0.0", 9100, "officer", "secret")


def test_serve_and_demo_commands_parse():
    from assistant.cli import build_parser
    from assistant.commands.serve import settings_from

    args = build_parser().parse_args(["serve", "--data", str(DEPT), "--port", "0", "--no-index"])
    settings = settings_from(args)
    assert settings.data == str(DEPT) and settings.port is None and settings.index_provider() is None
    args = build_parser().parse_args(["demo"])
    assert args.func.__module__ == "assistant.commands.demo"


def test_app_builds_with_preloaded_data():
    app = build_app(UISettings(data=str(DEPT), index_provider=lambda: None))
    names = {fn.api_name for fn in app.fns.values() if fn.api_name}
    assert {"chat", "load_example", "upload", "generate", "recheck", "corpus_add", "corpus_stats"} <= names


def test_editable_draft_round_trips():
    chat = ChatSession(load(DEPT))
    draft = chat.draft_report()
    sections = parse_editable(editable_text(draft), draft.report_type)
    assert list(sections) == [s.key for s in draft.sections]
    for section in draft.sections:
        assert sections[section.key] == section.text.strip()


def test_draft_view_highlights_and_lists_an_edited_invented_figure():
    from assistant.drafting import DraftSection
    from assistant.figures import check, mark

    session = UISession(chat=ChatSession(load(DEPT)))
    session.chat.draft_report(sections=["problems"])
    original = session.chat.sections["problems"]
    text = original.text + "\n全年共举办培训37场。"
    result = check(text, session.chat.ledger)
    session.chat.sections["problems"] = DraftSection(key="problems", title=original.title, text=mark(text, result),
                                                     check=result, status="marked")
    view, problems = draft_html(session)
    assert 'class="fig-ok"' in view and "【待核实：原文“37场”" in view
    assert [f.text for _, f in problems] == ["37场"]


def test_upload_limits(tmp_path):
    bad_type = tmp_path / "报告.pdf"
    bad_type.write_bytes(b"%PDF-1.4")
    with pytest.raises(JixiaoError, match="类型不受支持"):
        read_upload([str(bad_type)], max_mb=10)
    big = tmp_path / "大.yaml"
    big.write_bytes(b"#" * (2 * 1024 * 1024))
    with pytest.raises(JixiaoError, match="超过1MB上限"):
        read_upload([str(big)], max_mb=1)


def test_checked_html_escapes_and_marks():
    from assistant.figures import check

    chat = ChatSession(load(DEPT))
    raw = "<b>实际支出2115.30万元</b>，另有99999万元。"
    html = render.checked_html(raw, check(raw, chat.ledger))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'class="fig-ok" title="来源：' in html and "2115.30万元</span>" in html
    assert 'class="fig-bad"' in html and "【待核实：原文“99999万元”" in html
