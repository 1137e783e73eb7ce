"""`jixiao draft` as a real subprocess: JSON shape, sections, report type, Markdown and .docx output."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from drafting_fixtures import DEPT, PROJECT, ROOT

JIXIAO = Path(sys.executable).parent / "jixiao"


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    command = [str(JIXIAO)] if JIXIAO.exists() else [sys.executable, "-m", "assistant.cli"]
    return subprocess.run(command + ["draft", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)


def test_json_has_sections_figures_ok_and_citations():
    result = run(str(DEPT), "--no-index", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"sections", "figures", "ok", "citations"}
    assert [s["key"] for s in data["sections"]] == ["background", "conclusion", "indicators", "problems", "measures"]
    assert all(set(s) >= {"key", "title", "text"} for s in data["sections"])
    assert data["ok"] is True and data["figures"]["ok"] is True and data["citations"] == []
    figures = data["figures"]["figures"]
    assert figures and all(set(f) >= {"text", "start", "end", "value", "unit", "status", "source", "reason"}
                           for f in figures)
    assert {f["status"] for f in figures} <= {"verified", "out-of-scope"}
    texts = {s["key"]: s["text"] for s in data["sections"]}
    for f in figures:                          # offsets point into the section text they belong to
        assert texts[f["section"]][f["start"]:f["end"]] == f["text"]


def test_sections_and_type_options():
    result = run(str(DEPT), "--no-index", "--type", "项目", "--section", "conclusion", "indicators", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(s["key"], s["title"]) for s in data["sections"]] == [
        ("indicators", "四、绩效评价指标分析情况"), ("conclusion", "五、综合评价等级和评价结论")]


def test_markdown_to_stdout_and_files(tmp_path):
    result = run(str(DEPT), "--no-index", "--section", "conclusion")
    assert result.returncode == 0 and result.stdout.startswith("# 2023年度")
    assert "## 二、绩效自评情况" in result.stdout and "### （一）自评结论" in result.stdout
    markdown, docx = tmp_path / "报告.md", tmp_path / "报告.docx"
    assert run(str(PROJECT), "--no-index", "--out", str(markdown)).returncode == 0
    assert markdown.read_text(encoding="utf-8").startswith("# 2023年度")
    result = run(str(PROJECT), "--no-index", "--out", str(docx))
    assert result.returncode == 0 and "已写入" in result.stderr
    assert Document(str(docx)).paragraphs[0].text.endswith("项目支出绩效评价报告")


def test_bad_input_is_an_officer_facing_error(tmp_path):
    result = run(str(DEPT), "--no-index", "--out", str(tmp_path / "x.odt"))
    assert result.returncode == 2 and result.stderr.startswith("错误：") and ".pdf" in result.stderr
    missing = run(str(tmp_path / "none.yaml"), "--no-index")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_writer_without_a_configured_server_says_what_to_set(tmp_path):
    env_free = run(str(DEPT), "--no-index", "--writer", "openai")
    assert env_free.returncode == 2 and "JIXIAO_LLM_BASE_URL" in env_free.stderr


@pytest.mark.slow
def test_cli_drafts_with_a_real_index_and_cites(small_index):
    index = small_index
    result = run(str(DEPT), "--index", str(index.index_dir), "--section", "measures", "--json", timeout=600)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] and data["citations"]
    assert all(f"[{c['n']}]" in data["sections"][0]["text"] for c in data["citations"])
