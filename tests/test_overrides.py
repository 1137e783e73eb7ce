"""The officer settles a review item by correcting the cell: an override file beside the data, `--overrides`,
or `--set 第3行.实际完成值=16场`; the correction is kept in provenance as the officer's edit."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from assistant.actuals import load
from assistant.errors import DataErrors
from assistant.scoring import score

ROOT = Path(__file__).resolve().parents[1]
DEPT_XLSX = ROOT / "examples" / "2023_港澳办_部门整体.xlsx"
JIXIAO = Path(sys.executable).parent / "jixiao"

DATA = {
    "单位名称": "某中学", "年度": 2021, "报告类型": "项目", "项目名称": "公用经费", "预算安排": 64.8, "实际支出": 64.8,
    "绩效指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "保障人数", "年度指标值": "2370人",
         "实际完成值": "2370人", "分值": 10, "得分": "IO"},
        {"一级指标": "产出指标", "二级指标": "成本指标", "三级指标": "绿化、水电费等成本", "年度指标值": "M.8万元",
         "实际完成值": "14.8万元", "分值": 80},
    ],
}


def write(tmp: Path, data: dict, name: str = "d02.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    command = [str(JIXIAO)] if JIXIAO.exists() else [sys.executable, "-m", "assistant.cli"]
    return subprocess.run(command + list(args), cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_the_overrides_file_beside_the_data_is_read_and_kept_in_provenance(tmp_path):
    path = write(tmp_path, DATA)
    before = load(path)
    assert sum(len(i.review) for i in before.indicators) == 2
    (tmp_path / "d02.overrides.yaml").write_text("第1行.得分: 10\n第2行.年度指标值: 14.8万元\n", encoding="utf-8")
    after = load(path)
    assert not any(i.review for i in after.indicators)
    cost = after.indicators[1]
    assert cost.target.value == 148_000 and cost.sources["target"].corrected_by == "d02.overrides.yaml"
    assert cost.sources["target"].original == "M.8万元"
    assert "经办人更正：d02.overrides.yaml，原值“M.8万元”" in cost.sources["target"].describe()
    assert after.indicators[0].stated_score == 10 and score(after).review_count == 0


def test_set_on_the_command_line_and_an_overrides_file_elsewhere(tmp_path):
    path = write(tmp_path, DATA)
    corrections = tmp_path / "更正.yaml"
    corrections.write_text("第1行.得分: 10\n", encoding="utf-8")
    result = run("score", str(path), "--json", "--overrides", str(corrections), "--set", "第2行.年度指标值=14.8万元")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [i["needs_review"] for i in payload["indicators"]] == [[], []]
    assert payload["review_count"] == 0 and payload["indicators"][1]["met"] is True
    table = run("score", str(path))
    assert "待确认" in table.stdout and "另有1项共80分待确认" in table.stdout and "M.8万元" in table.stdout


def test_a_field_and_a_cell_the_row_left_empty_can_be_set(tmp_path):
    path = write(tmp_path, DATA)
    evaluation = load(path, settings=["年度=2022", "第1行.方向=反向", "第2行.年度指标值=15万元"])
    assert evaluation.year == 2022 and evaluation.sources["year"].corrected_by == "命令行 --set"
    people = evaluation.indicators[0]
    assert people.direction == "negative" and "反向" in people.direction_reason
    assert people.sources["direction"].column == "绩效指标.方向" and people.sources["direction"].original is None


def test_xlsx_cells_by_sheet_row_and_header():
    evaluation = load(DEPT_XLSX, settings=["绩效指标!第2行.实际完成值=11场"])
    first = evaluation.indicators[0]
    assert first.actual.value == 11 and first.sources["actual"].sheet == "绩效指标"
    assert score(evaluation).indicators[0].met is False


def test_a_correction_that_matches_no_cell_is_an_error_naming_it(tmp_path):
    path = write(tmp_path, DATA)
    with pytest.raises(DataErrors) as raised:
        load(path, settings=["第9行.实际完成值=16场"])
    assert "第9行.实际完成值" in str(raised.value) and "命令行 --set" in str(raised.value)
    with pytest.raises(DataErrors, match="应写作"):
        load(path, settings=["第1行.实际完成值"])
    with pytest.raises(DataErrors, match="不是可更正的字段"):
        load(path, settings=["随便=1"])


def test_draft_and_check_take_the_same_corrections(tmp_path):
    path = write(tmp_path, DATA)
    text = tmp_path / "草稿.txt"
    text.write_text("“绿化、水电费等成本”年度指标值为14.8万元，实际完成14.8万元。", encoding="utf-8")
    assert run("check", str(text), "--data", str(path)).returncode == 1            # the target is under review
    fixed = run("check", str(text), "--data", str(path), "--set", "第2行.年度指标值=14.8万元")
    assert fixed.returncode == 0, fixed.stdout
    draft = run("draft", str(path), "--no-index", "--json", "--set", "第2行.年度指标值=14.8万元")
    assert draft.returncode == 0 and json.loads(draft.stdout)["ok"] is True


def test_an_xlsx_override_file_beside_a_copy(tmp_path):
    copy = tmp_path / "港澳办.xlsx"
    book = openpyxl.load_workbook(DEPT_XLSX)
    book["绩效指标"].cell(2, 6).value = "l6场"              # OCR: a letter l for 1
    book.save(copy)
    assert load(copy).indicators[0].review[0].kind == "unreadable"
    (tmp_path / "港澳办.overrides.yaml").write_text("第2行.实际完成值: 16场\n", encoding="utf-8")
    assert load(copy).indicators[0].actual.value == 16
