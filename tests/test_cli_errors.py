"""The CLI's last line of defence: exit codes, one printable Chinese message, a traceback only with --debug."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant import cli
from assistant.errors import DataError, DataErrors, FileFailure, JixiaoError, failure_kind, printable

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
XLSX = ROOT / "examples" / "2023_港澳办_部门整体.xlsx"


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, cwd=cwd or ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def text_of(stream: bytes) -> str:
    return stream.decode("utf-8")          # strict: every message must be valid UTF-8


def damaged_xlsx(tmp_path: Path) -> Path:
    """The example workbook with its indicator sheet's XML cut in half."""
    path = tmp_path / "损坏.xlsx"
    with zipfile.ZipFile(XLSX) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]
            out.writestr(item, data)
    return path


# --- printable ---------------------------------------------------------------------------------------

def test_printable_escapes_what_cannot_be_shown_and_keeps_chinese_text():
    assert printable("预算执行率　99.66%\n第二行") == "预算执行率　99.66%\n第二行"      # ideographic space stays
    assert printable("a\u202eb\u200bc") == "a\\u202eb\\u200bc"
    assert printable("\ud800") == "\\ud800"
    assert printable("x\udcffy") == "x\\xffy"                  # an undecodable file-name byte
    assert printable("a\nb\tc\rd", newlines=False) == "a\\u000ab\\u0009c\\u000dd"
    for text in ("a\u202eb", "\ud800", "x\udcff", "\x00\x1b[31m", "\u2028"):
        shown = printable(text)
        assert shown.isprintable() and shown.encode("utf-8")


def test_data_error_message_is_printable_and_cuts_a_long_value():
    error = DataError("无法识别", file="n\udcff.yaml", sheet="表\u202e1", row=3, column="实际\n完成值",
                      value="\ud800" + "一" * 5000)
    message = str(DataErrors([error]))
    assert message.encode("utf-8") and all(line.isprintable() for line in message.splitlines())
    assert "n\\xff.yaml" in message and "表\\u202e1" in message and "第3行" in message
    assert "（共5001字）" in message and len(message) < 400


def test_failure_kinds_name_what_went_wrong():
    import json
    import xml.etree.ElementTree as ET

    import yaml
    from lxml import etree

    def raised(function):
        try:
            function()
        except Exception as error:  # noqa: BLE001 - the point is to see what each one is called
            return error
        raise AssertionError("nothing raised")

    assert failure_kind(raised(lambda: etree.fromstring(b"<a><b></a>"))) == "文件结构损坏（XML解析失败）"
    assert failure_kind(raised(lambda: ET.fromstring("<a>"))) == "文件结构损坏（XML解析失败）"
    assert failure_kind(raised(lambda: zipfile.ZipFile(__file__))).startswith("压缩包损坏")
    assert failure_kind(raised(lambda: int("9" * 5000))) == "数字位数过多"
    assert failure_kind(raised(lambda: b"\xff\xfe\x00".decode("utf-8"))).startswith("文件编码无法识别")
    assert failure_kind(raised(lambda: json.loads("[" * 100_000))) == "文件结构嵌套层次过深"
    assert failure_kind(raised(lambda: yaml.safe_load("a: [1"))) == "YAML格式错误"
    assert failure_kind(raised(lambda: 1 / 0)) == "计算时除以零"
    assert failure_kind(raised(lambda: open(ROOT))) == "这是一个文件夹，不是文件"
    assert failure_kind(KeyError("x")) == "内部错误（KeyError）"


def test_file_failure_names_the_file_and_step():
    message = str(FileFailure("/tmp/某处/x.xlsx", "读取", ValueError("9" * 10 + " digits")))
    assert message == "无法读取文件“x.xlsx”：数字位数过多"
    assert str(FileFailure("d.yaml", "评分", ZeroDivisionError())) == "文件“d.yaml”的数据无法评分：计算时除以零"


# --- the CLI -----------------------------------------------------------------------------------------

def test_refused_input_exits_two_with_one_message(tmp_path):
    bad = tmp_path / "坏.yaml"
    bad.write_text("单位名称: [未闭合\n", encoding="utf-8")
    result = run("score", str(bad))
    assert result.returncode == 2 and result.stdout == b""
    err = text_of(result.stderr)
    assert err.startswith("错误：") and "坏.yaml" in err and "YAML格式错误" in err and "Traceback" not in err


def test_a_damaged_sheet_is_refused_naming_its_sheet(tmp_path):
    result = run("score", str(damaged_xlsx(tmp_path)))
    err = text_of(result.stderr)
    assert result.returncode == 2 and "Traceback" not in err
    assert err.strip().endswith("文件“损坏.xlsx”，工作表“绩效指标”：工作表文件结构损坏，XML无法解析（XML第1行）")


def test_an_unexpected_failure_names_the_file_and_its_kind_and_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "损坏.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R")       # cut off: pypdf raises
    result = run("audit", str(path))
    err = text_of(result.stderr)
    assert result.returncode == 2 and "Traceback" not in err
    assert err.strip() == "错误：无法读取文件“损坏.pdf”：PDF文件损坏"
    for debug in (run("--debug", "audit", str(path)), run("audit", str(path), env={"JIXIAO_DEBUG": "1"})):
        err = text_of(debug.stderr)
        assert debug.returncode == 2 and "Traceback" in err and err.rstrip().endswith("PDF文件损坏")


def test_a_directory_and_an_undecodable_file_name_are_messages(tmp_path):
    folder = tmp_path / "文件夹.yaml"
    folder.mkdir()
    result = run("score", str(folder))
    assert result.returncode == 2 and "“文件夹.yaml”" in text_of(result.stderr)
    result = run("check", str(folder), "--data", str(DEPT))
    assert result.returncode == 2 and "是文件夹" in text_of(result.stderr)
    name = os.fsdecode(b"\xff\xfe\xe2\x80\xae.yaml")          # invalid UTF-8, then a right-to-left override
    (tmp_path / name).write_text("单位名称: x\n", encoding="utf-8")
    result = run("score", name, cwd=tmp_path)
    err = text_of(result.stderr)
    assert result.returncode == 2 and "\\xff\\xfe\\u202e.yaml" in err and all(line.isprintable() for line in err.splitlines())


def test_not_ok_results_keep_exit_one_and_usage_errors_exit_two(tmp_path):
    text = tmp_path / "草稿.txt"
    text.write_text("实际完成37场。", encoding="utf-8")
    assert run("check", str(text), "--data", str(DEPT)).returncode == 1
    assert run("score").returncode == 2                       # argparse: a required argument missing
    assert run().returncode == 2                              # no command: the help, and 2


def test_main_in_process_returns_two_for_a_jixiao_error(capsys, monkeypatch):
    def fail(args):
        raise JixiaoError("示例错误\u202e")
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda argv=None: parser)
    parser.set_defaults(func=fail)
    assert cli.main([]) == 2
    assert capsys.readouterr().err == "错误：示例错误\\u202e\n"


@pytest.mark.parametrize("argv", [["index", "build", "--corpus", "{corpus}", "--index", "{index}", "--quiet"]])
def test_index_build_names_each_unreadable_file_and_exits_two(tmp_path, argv):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "政策.md").write_text("# 某办法\n\n第一条 本办法适用于预算绩效管理。\n", encoding="utf-8")
    (corpus / "坏.pdf").write_bytes(b"%PDF-1.4\n% not really a pdf\n")
    args = [a.format(corpus=corpus, index=tmp_path / "index") for a in argv]
    result = run(*args, env={"JIXIAO_CACHE": str(tmp_path / "cache")})
    err = text_of(result.stderr)
    assert result.returncode == 2 and "Traceback" not in err
    assert "错误：未能编入索引：坏.pdf" in err and "政策.md" not in err
