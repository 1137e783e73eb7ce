"""`jixiao check TEXT_FILE --data DATA [--json]` as a real subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
JIXIAO = Path(sys.executable).parent / "jixiao"

CORRECT = ("2023年部门预算安排资金2122.43万元，全年实际支出2115.30万元，年度执行率为99.66%。\n"
           "1.亚洲青年领袖论坛推进工作任务：对应产出指标为“亚洲青年领袖设置各类会议场次，包括开幕大会、平行论坛、"
           "双边会谈场次≥12场”，实际完成16场，完成率133%；对应效益指标为“亚洲青年领袖论坛相关媒体报道次数≥150次”，"
           "实际完成203次，完成率135%。\n")
WRONG = CORRECT.replace("实际完成203次", "实际完成16次").replace("99.66%", "100%")


def run(*args: str) -> subprocess.CompletedProcess:
    command = [str(JIXIAO)] if JIXIAO.exists() else [sys.executable, "-m", "assistant.cli"]
    return subprocess.run(command + list(args), cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def test_correct_text_exits_zero_with_a_table(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(CORRECT, encoding="utf-8")
    result = run("check", str(path), "--data", str(DEPT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已核实" in result.stdout and "可以输出" in result.stdout
    assert "16 ÷ 12 = 133%" in result.stdout


def test_wrong_text_exits_one_and_json_names_each_problem(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(WRONG, encoding="utf-8")
    result = run("check", str(path), "--data", str(DEPT), "--json")
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert all(set(f) == {"text", "start", "end", "value", "unit", "status", "source", "reason", "approximate"}
               for f in payload["figures"])
    problems = {f["text"]: f for f in payload["figures"] if f["status"] in ("unverified", "misattributed")}
    assert set(problems) == {"16次", "100%"}
    assert problems["16次"]["status"] == "misattributed"
    assert WRONG[problems["16次"]["start"]:problems["16次"]["end"]] == "16次"
    text = run("check", str(path), "--data", str(DEPT))
    assert text.returncode == 1 and "张冠李戴" in text.stdout and "不能直接输出" in text.stdout


def test_missing_file_is_an_error_message(tmp_path):
    result = run("check", str(tmp_path / "none.txt"), "--data", str(DEPT))
    assert result.returncode == 2 and result.stderr.startswith("错误：")
