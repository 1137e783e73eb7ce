"""The UI's pieces without a browser: settings from the environment, the app builds, uploads are
limited by type and size, the HTML escapes what it shows and marks what the checker marks, the
chart is drawn from the card it is given, and the page is served in Chinese."""
from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from assistant.actuals import load
from assistant.chat import ChatSession
from assistant.errors import JixiaoError
from assistant.scoring import score
from assistant.ui import render
from assistant.ui.app import UISettings, build_app, read_upload
from assistant.ui.page import chinese_html
from assistant.ui.settings import parse_users

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
PROJECT = ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml"
DECLARATION = ROOT / "examples" / "2024_港澳办_申报表.docx"


def test_settings_default_to_loopback_and_read_the_environment(monkeypatch, tmp_path):
    for key in ("JIXIAO_HOST", "JIXIAO_PORT", "JIXIAO_USER", "JIXIAO_PASSWORD", "JIXIAO_USERS", "JIXIAO_DATA_DIR",
                "JIXIAO_LLM_PROVIDER", "JIXIAO_LLM_BASE_URL", "XDG_DATA_HOME"):
        monkeypatch.delenv(key, raising=False)
    settings = UISettings.from_env()
    assert settings.host == "127.0.0.1" and settings.port == 7860 and settings.username is None
    assert settings.llm_provider is None and settings.logins() == []
    assert settings.store_dir().parts[-3:] == (".local", "share", "jixiao")
    monkeypatch.setenv("JIXIAO_HOST", "0.0.0.0")
    monkeypatch.setenv("JIXIAO_PORT", "9000")
    monkeypatch.setenv("JIXIAO_USER", "officer")
    monkeypatch.setenv("JIXIAO_PASSWORD", "secret")
    monkeypatch.setenv("JIXIAO_USERS", "张三:密码一;李四:pw:with:colons")
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    settings = UISettings.from_env(port=9100)
    assert (settings.host, settings.port, settings.username, settings.password) == ("0.0.0.0", 9100, "officer", "secret")
    assert dict(settings.logins()) == {"张三": "密码一", "李四": "pw:with:colons", "officer": "secret"}
    assert settings.store_dir() == tmp_path
    with pytest.raises(JixiaoError, match="JIXIAO_USERS"):
        parse_users("没有密码")


def test_serve_and_demo_commands_parse(tmp_path):
    from assistant.cli import build_parser
    from assistant.commands.serve import settings_from

    args = build_parser().parse_args(["serve", "--data", str(DEPT), "--port", "0", "--no-index", "--data-dir", str(tmp_path)])
    settings = settings_from(args)
    assert settings.data == str(DEPT) and settings.port is None and settings.index_provider() is None
    assert settings.store_dir() == tmp_path
    args = build_parser().parse_args(["demo"])
    assert args.func.__module__ == "assistant.commands.demo"


def test_app_builds_with_preloaded_data(tmp_path):
    app = build_app(UISettings(data=str(DEPT), index_provider=lambda: None, data_dir=tmp_path))
    names = {fn.api_name for fn in app.fns.values() if fn.api_name and fn.api_visibility == "public"}
    assert {"chat", "stop", "again", "load_example", "upload", "correct", "generate", "recheck", "corpus_add",
            "corpus_remove", "corpus_stats", "history_open", "history_new", "history_delete", "start"} <= names
    assert (tmp_path / "jixiao.sqlite3").is_file()


def test_upload_limits(tmp_path):
    bad_type = tmp_path / "setup.exe"
    bad_type.write_bytes(b"MZ")
    with pytest.raises(JixiaoError, match="类型不受支持"):
        read_upload([str(bad_type)], max_mb=10)
    big = tmp_path / "大.yaml"
    big.write_bytes(b"#" * (2 * 1024 * 1024))
    with pytest.raises(JixiaoError, match="超过1MB上限"):
        read_upload([str(big)], max_mb=1)
    csv, profile = tmp_path / "表.csv", tmp_path / "表.yaml"
    csv.write_text("a", encoding="utf-8")
    profile.write_text("b", encoding="utf-8")
    files, shown = read_upload([str(profile), str(csv)], max_mb=1)
    assert shown == "表.csv" and [n for n, _ in files] == ["表.yaml", "表.csv"]


def test_checked_html_escapes_and_marks():
    from assistant.figures import check

    chat = ChatSession(load(DEPT))
    raw = "<b>实际支出2115.30万元</b>，另有99999万元。"
    shown = render.checked_html(raw, check(raw, chat.ledger))
    assert "<b>" not in shown and html_lib.unescape(re.sub(r"<[^>]+>", "", shown)).startswith("<b>实际支出")
    assert 'class="fig-ok" title="来源：' in shown and "2115.30万元</span>" in shown
    assert 'class="fig-bad"' in shown and "【待核实：原文“99999万元”" in shown


@pytest.mark.parametrize("typed", ["<img src=x onerror=alert(1)>", "![a](http://example.com/a.png)",
                                   "[link](javascript:alert(1))", "<script>alert(1)</script>", "$x^2$ `code` **b**",
                                   "&lt;img src=x&gt;", "https://example.com/x.png"])
def test_user_text_is_text(typed):
    shown = render.user_html(typed)
    inner = re.sub(r'^<div class="question">|</div>$', "", shown)
    assert not re.search(r"[<>\[\]()!`*$&]", re.sub(r"&#\d+;", "", inner))    # only character references
    assert html_lib.unescape(inner) == typed


def test_citations_open_their_passage():
    shown = render.citations_html([{"n": 1, "doc": "a.md", "title": "预算法", "section": "第三十二条",
                                    "quote": "摘录", "passage": "全文<b>第一句</b>。"}])
    assert "<details" in shown and "<summary>[1] 《预算法》第三十二条" in shown
    assert "全文&#60;b&#62;第一句" in shown


def test_chart_is_drawn_from_the_card_it_is_given():
    dept, project = score(load(DEPT)), score(load(PROJECT))
    bars = lambda card: re.findall(r'<rect class="bar bar-(met|under)"', render.chart_html(card))
    assert len(bars(dept)) == sum(s.completion is not None for s in dept.indicators) == 16
    assert bars(project) == ["met", "met", "met", "met", "under", "met"]
    assert 'class="swatch swatch-met"' in render.chart_html(project) and "100%（年度指标值）" in render.chart_html(project)
    assert render.chart_html(score(load(DECLARATION))) == ""


def test_a_declaration_shows_targets_and_no_score():
    card = score(load(DECLARATION))
    summary, table = render.summary_html(card, DECLARATION.name), render.table_html(card)
    assert "待填报" in summary and "目标申报表" in summary
    assert "total-score" not in summary and "grade" not in summary and "未完成" not in summary
    assert table.count("待填报实际完成值") == len(card.indicators) and "得分" not in table


def test_the_page_is_served_in_chinese_whatever_the_browser():
    page = b'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body></body></html>'
    shown = chinese_html(page).decode("utf-8")
    assert 'lang="zh-CN"' in shown and shown.index("data-jixiao-locale") < shown.index("<meta")
    assert 'Navigator.prototype, "language"' in shown


def test_corpus_progress_in_plain_words():
    from assistant.ui.corpus_tab import progress_text

    assert progress_text({}, 5) == "正在处理 1/5 个文件…"
    assert progress_text({"stage": "embed", "files_done": 2, "files_todo": 5, "rate": 6.1}, 5) == "正在处理 3/5 个文件…"
    assert progress_text({"stage": "chunk", "files_done": 5, "files_todo": 5}, 5) == "正在处理 5/5 个文件…"
    assert progress_text({"stage": "commit"}, 5) == "正在保存到资料库…"
