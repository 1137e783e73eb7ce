"""Audit of published reports: recompute their stated rates, sums and grades."""
from __future__ import annotations

from pathlib import Path

from assistant.figures.audit import audit, flatten_report, parse_target

ROOT = Path(__file__).resolve().parents[1]
SEED000 = ROOT / "corpus" / "reports" / "2023_港澳办_部门整体支出绩效自评报告.txt"
SEED003 = ROOT / "corpus" / "reports" / "2023_港澳办_重点项目绩效评价报告_港澳商协会服务集聚区.txt"


def test_seed_000_has_exactly_one_finding_the_2014_line():
    result = audit(SEED000.read_text(encoding="utf-8"))
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert finding.kind == "completion_rate" and finding.stated == "100%" and finding.computed == "134%"
    assert "2014人次" in finding.text and "≥1500" in finding.text
    # its 16 indicator lines, the execution rate (99.66% holds) and the grade were all recomputed
    kinds = [s["kind"] for s in result.statements]
    assert kinds.count("indicator") == 16 and "execution_rate" in kinds and "grade" in kinds
    assert result.checked == 18
    assert all(s["holds"] for s in result.statements if s["kind"] != "indicator" or "2014" not in s["text"])


def test_seed_000_json_shape():
    payload = audit(SEED000.read_text(encoding="utf-8")).to_json()
    assert set(payload) == {"findings", "checked"} and payload["checked"] == 18
    assert {"text", "stated", "computed", "kind"} <= set(payload["findings"][0])
    assert payload["findings"][0]["computed"] == "134%"


def test_seed_000_with_its_data_adds_no_finding():
    from assistant.actuals import load

    result = audit(SEED000.read_text(encoding="utf-8"), load(ROOT / "examples" / "2023_港澳办_部门整体.yaml"))
    assert [f.kind for f in result.findings] == ["completion_rate"]
    assert result.checked > 18


def test_seed_003_runs_and_its_breakdown_adds_up():
    result = audit(SEED003.read_text(encoding="utf-8"))
    assert result.findings == []
    assert {s["kind"] for s in result.statements} == {"breakdown_sum", "grade"}


def test_flatten_joins_wrapped_lines_and_drops_page_numbers():
    text = "实际完成指标值为 2014 人次，完成率 100%；\n\n— 2 —\n\n二是“本单位主办港澳、外事宣传交往活动次数≥3场”，实际\n\n完成 3场"
    flat = flatten_report(text)
    assert "— 2 —" not in flat and "实际完成3场" in flat and "2014人次" in flat


def test_parse_target_forms():
    assert parse_target("本单位 2023 年接待涉港澳、涉外事团组人次≥1500").unit == "人次"
    compound = parse_target("来访批次（人次）≥60批次或 200人次")
    assert compound.kind == "compound" and [p.value for p in compound.alternatives] == [60, 200]
    assert parse_target("国际化社区开展中外居民交流活动（场）≥9场").value == 9
    assert parse_target("立足湾区、协同港澳、面向世界") is None


def test_each_kind_of_wrong_statement_is_found():
    report = (
        "2023年部门预算安排资金 1000.00 万元，全年实际支出804.50万元，年度执行率为 100%。"
        "项目实际安排预算100万元。（1）场地租赁费 50.00；（2）活动经费 40.00 万。"
        "对应产出指标为“举办活动≥10场”，实际完成 23场，完成率 230%，超额完成43%。"
        "对应效益指标为“媒体报道≥20次”，实际完成 18次，完成率 95%。"
        "产出指标得分45分，效益指标得分28分，满意度指标得分10分，预算执行率得分10分，自评得分94分，自评结果为良。"
    )
    result = audit(report)
    found = {f.kind: f for f in result.findings}
    assert found["execution_rate"].computed == "80.45%"
    assert found["breakdown_sum"].computed == "90.00万元"
    assert found["excess_rate"].stated == "43%" and found["excess_rate"].computed == "130.0%"
    assert found["completion_rate"].stated == "95%" and found["completion_rate"].computed == "90%"
    assert found["total_sum"].computed == "93分"
    assert found["grade"].computed == "优"
    assert "230%" not in {f.stated for f in result.findings}     # 23 ÷ 10 = 230% holds


def test_cli_prints_the_finding():
    import json
    import subprocess
    import sys

    jixiao = Path(sys.executable).parent / "jixiao"
    command = [str(jixiao)] if jixiao.exists() else [sys.executable, "-m", "assistant.cli"]
    run = subprocess.run(command + ["audit", str(SEED000), "--json"], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert run.returncode == 1, run.stderr
    payload = json.loads(run.stdout)
    assert len(payload["findings"]) == 1 and payload["findings"][0]["computed"] == "134%"
    text = subprocess.run(command + ["audit", str(SEED003)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert text.returncode == 0 and "均成立" in text.stdout
