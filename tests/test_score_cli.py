"""`jixiao score` run as a real subprocess on the examples (text table and --json)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEPT = EXAMPLES / "2023_港澳办_部门整体.yaml"
JIXIAO = Path(sys.executable).parent / "jixiao"


def run(*args: str) -> subprocess.CompletedProcess:
    command = [str(JIXIAO)] if JIXIAO.exists() else [sys.executable, "-m", "assistant.cli"]
    return subprocess.run(command + list(args), cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


@pytest.fixture(scope="module")
def dept_json() -> dict:
    result = run("score", str(DEPT), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_reproduces_seed_000_completion_rates(dept_json):
    rates = [i["completion"] for i in dept_json["indicators"]]
    for actual, target in ((16, 12), (203, 150), (87, 60), (91, 88), (8, 6), (143, 100), (9, 6), (18, 15)):
        assert round(actual / target, 4) in rates, (actual, target)
    assert dept_json["budget"]["execution_rate"] == 0.9966
    assert dept_json["budget"]["budgeted"] == 2122.43 and dept_json["budget"]["spent"] == 2115.3
    assert dept_json["unit"] == "广州南沙经济技术开发区港澳合作事务办公室" and dept_json["year"] == 2023


def test_json_lists_the_2014_vs_1500_finding(dept_json):
    hits = [f for f in dept_json["findings"]
            if f["kind"] == "stated_completion_mismatch" and "接待涉港澳" in f["subject"]]
    assert len(hits) == 1
    assert hits[0]["stated"] == "100%" and hits[0]["computed"] == "134%"
    assert "2014" in hits[0]["message"] and "1500" in hits[0]["message"]


def test_json_shape_has_the_fixed_names(dept_json):
    assert {"unit", "year", "indicators", "budget", "total", "grade", "underperforming", "findings"} <= set(dept_json)
    assert {"level1", "level2", "name", "target", "actual", "direction", "completion", "weight", "score", "met",
            "direction_reason", "needs_review"} <= set(dept_json["indicators"][0])
    assert dept_json["indicators"][0]["direction_reason"] == "年度指标值写有“≥”"
    assert dept_json["indicators"][0]["needs_review"] == [] and dept_json["review_count"] == 0
    assert dept_json["pending"] == "" and dept_json["review"] == []
    assert {"budgeted", "spent", "unit", "execution_rate", "score"} <= set(dept_json["budget"])
    assert dept_json["total"] == 99.97 and dept_json["grade"] == "优"


def test_text_table_is_aligned_and_complete():
    result = run("score", str(DEPT))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "执行率99.66%" in out and "总分：99.97" in out and "等级：优" in out
    assert "≥60批次或200人次" in out and "145%" in out
    assert "填报完成率100%" in out and "134%" in out
    from assistant.commands.score import display_width
    table = [line for line in out.splitlines() if line.startswith(("产出指标", "效益指标", "满意度指标"))]
    assert len(table) == 16
    # every row puts its completion rate at the same display column
    header = next(line for line in out.splitlines() if line.startswith("一级指标"))
    column = display_width(header[: header.index("完成率")])
    for line in table:
        assert line[len(_prefix(line, column)):][:1] not in (" ", ""), line


def test_the_table_shows_directions_their_reasons_and_what_awaits_confirmation(tmp_path):
    data = tmp_path / "县级.yaml"
    data.write_text("单位名称: 某县民政局\n年度: 2022\n报告类型: 项目\n项目名称: 临时救助\n预算安排: 30\n实际支出: 30\n"
                    "绩效指标:\n  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 救助人数, 年度指标值: 200人, 实际完成值: 230人}\n"
                    "  - {一级指标: 产出指标, 二级指标: 成本指标, 三级指标: 人均救助成本, 年度指标值: 500元, 实际完成值: 480元}\n"
                    "  - {一级指标: 效益指标, 三级指标: 群众满意度, 年度指标值: ≥90%, 实际完成值: 9O%}\n",
                    encoding="utf-8")
    out = run("score", str(data)).stdout
    header = next(line for line in out.splitlines() if line.startswith("一级指标"))
    assert "方向" in header
    rows = {line.split()[1]: line for line in out.splitlines() if line.startswith(("产出指标", "效益指标"))}
    assert "正向" in rows["救助人数"] and "是" in rows["救助人数"]              # 230 against a bare 200 is met
    assert "反向" in rows["人均救助成本"] and rows["群众满意度"].rstrip().endswith("待确认")
    assert "救助人数：正向，未写比较符号，按“不低于”理解" in out
    assert "人均救助成本：反向，未写比较符号；指标名称含“成本”" in out
    assert "待确认（" in out and "“9O%”无法识别" in out and "第3行" in out
    assert "一级指标推断：" not in out
    text = data.read_text(encoding="utf-8")
    for level in ("产出指标", "效益指标"):
        text = text.replace(f"一级指标: {level}, ", "")
    data.write_text(text.replace("三级指标: 群众满意度", "二级指标: 服务对象满意度指标, 三级指标: 群众满意度"), encoding="utf-8")
    inferred = run("score", str(data)).stdout
    assert "救助人数：一级指标未填，由二级指标“数量指标”推断为产出指标" in inferred
    assert "群众满意度：一级指标未填，由二级指标“服务对象满意度指标”推断为满意度指标" in inferred
    assert "另有1项共" in out and "分待确认" in out


def _prefix(line: str, width: int) -> str:
    from assistant.commands.score import display_width
    out = ""
    for ch in line:
        if display_width(out + ch) > width:
            break
        out += ch
    return out


def test_bad_file_is_an_error_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("单位名称: 某单位\n年度: 二〇二三\n绩效指标: []\n", encoding="utf-8")
    result = run("score", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr
    assert "bad.yaml" in result.stderr and "既没有绩效指标" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("单位名称: [未闭合\n", encoding="utf-8")
    result = run("score", str(broken))
    assert result.returncode == 2 and "YAML" in result.stderr and "Traceback" not in result.stderr
