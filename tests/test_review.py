"""What needs a person: one test per review reason, and a file with one bad cell all the way through.

A cell nobody can read never refuses the file (issue 10): the indicator is kept, with the cell's
provenance and a Chinese reason, and is not scored; the total says how many points await
confirmation; the figure checker, drafting and chat neither score nor state its figures.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.actuals import load
from assistant.chat.answers import indicator_text, score_text
from assistant.drafting import draft_report
from assistant.figures import check, evaluation_ledger
from assistant.review import REASONS
from assistant.scoring import score

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"

BASE = {"单位名称": "某单位", "年度": 2023, "报告类型": "项目", "项目名称": "某项目", "预算安排": 100, "实际支出": 90}
ROW = {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训场次", "年度指标值": "≥12场",
       "实际完成值": "16场", "分值": 45}
SECOND = {"一级指标": "效益指标", "二级指标": "社会效益指标", "三级指标": "受益人数", "年度指标值": "≥100人",
          "实际完成值": "120人", "分值": 45}


def write(tmp: Path, data: dict, name: str = "data.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def with_row(**changes) -> dict:
    row = {**ROW, **changes}
    return {**BASE, "绩效指标": [{k: v for k, v in row.items() if v is not None}, SECOND]}


# kind → (the data, where the item sits: "indicator" or "evaluation", the column it names, words of its reason)
CASES = {
    "unreadable": (with_row(年度指标值="M.8场"), "indicator", "年度指标值", "无法识别"),
    "approximate": (with_row(实际完成值="近16场"), "indicator", "实际完成值", "约数"),
    "missing_target": (with_row(年度指标值=None), "indicator", "年度指标值", "缺少年度指标值"),
    "unit_mismatch": (with_row(实际完成值="16人"), "indicator", "实际完成值", "单位"),
    "progress_only": (with_row(实际完成值="已完成100%"), "indicator", "实际完成值", "完成进度"),
    "not_a_date": (with_row(年度指标值="2023年12月前", 实际完成值="16"), "indicator", "实际完成值", "不是日期"),
    "impossible_rate": (with_row(三级指标="群众满意度", 年度指标值="290%", 实际完成值="100%"), "indicator",
                        "年度指标值", "超过100%"),
    "undecidable": (with_row(年度指标值="得到提升", 实际完成值="见附件"), "indicator", "实际完成值", "无法判断"),
    "unreadable_weight": (with_row(分值="十分"), "indicator", "分值", "不是数字"),
    "unreadable_stated": (with_row(得分="IO"), "indicator", "得分", "未核对"),
    "missing_name": (with_row(三级指标=None), "indicator", "三级指标", "缺少三级指标名称"),
    "level_unknown": (with_row(一级指标=None, 二级指标=None, 三级指标="某项工作"), "indicator", "一级指标", "无法判断"),
    "missing_year": ({**with_row(), "年度": None}, "evaluation", "年度", "缺少年度"),
    "missing_unit_name": ({**with_row(), "单位名称": None}, "evaluation", "单位名称", "缺少单位名称"),
    "missing_report_type": ({k: v for k, v in with_row().items() if k != "报告类型"}, "evaluation", "报告类型",
                            "缺少报告类型"),
    "unreadable_profile": ({**with_row(), "报告类型": "专项"}, "evaluation", "报告类型", "应为"),
    "unreadable_money": ({**with_row(), "实际支出": "九十万左右"}, "evaluation", "实际支出", "不是金额数字"),
    "no_indicators": ({**BASE, "绩效指标": []}, "evaluation", "绩效指标", "未找到绩效指标"),
}


def test_every_review_reason_has_a_case():
    assert set(CASES) == set(REASONS)


@pytest.mark.parametrize("kind", CASES)
def test_each_review_reason(tmp_path, kind):
    data, place, column, words = CASES[kind]
    data = {k: v for k, v in data.items() if v is not None}
    evaluation = load(write(tmp_path, data))
    card = score(evaluation)
    if place == "evaluation":
        items = [i for i in evaluation.review if i.kind == kind]
    else:
        scored = card.indicators[0]
        items = [i for i in scored.needs_review if i.kind == kind]
    assert len(items) == 1, [i.describe() for i in card.review]
    item = items[0]
    assert item.column == column and words in item.reason
    assert item.where is not None and item.where.file == "data.yaml"
    if place == "indicator":
        assert item.where.row == 1
        described = item.describe()
        assert "data.yaml" in described and "第1行" in described and REASONS[kind].advice in described
        if REASONS[kind].blocks_scoring:                 # not scored, and the total says what awaits
            assert (scored.score, scored.completion, scored.met) == (None, None, None)
            assert card.review_count == 1 and card.review_points == 45 and card.pending_note() == "另有1项共45分待确认"
            assert card.total == pytest.approx(45 + 9)    # the other indicator and budget execution only
        else:
            assert scored.score is not None and card.review_count == 0
    assert evaluation.indicators or kind == "no_indicators"


def test_review_items_in_json(tmp_path):
    data, *_ = CASES["unreadable"]
    payload = score(load(write(tmp_path, data))).to_json()
    first = payload["indicators"][0]
    assert first["needs_review"] == [{
        "kind": "unreadable", "column": "年度指标值", "value": "M.8场",
        "reason": "指标“培训场次”的年度指标值“M.8场”无法识别",
        "where": "data.yaml，第1行，“绩效指标.年度指标值”列", "blocks_scoring": True}]
    assert first["direction_reason"] and payload["pending"] == "另有1项共45分待确认" and payload["review_points"] == 45
    assert json.dumps(payload, ensure_ascii=False)                       # serialisable as it stands


# --- one bad cell, all the way through ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_bad_cell(tmp_path_factory):
    """Seed 000 with one OCR-damaged actual: `2014人次` printed as `2O14人次`."""
    data = yaml.safe_load(DEPT.read_text(encoding="utf-8"))
    row = next(r for r in data["绩效指标"] if r["三级指标"].startswith("本单位2023年接待"))
    row["实际完成值"] = "2O14人次"
    return load(write(tmp_path_factory.mktemp("bad"), data, "seed000_bad.yaml"))


def test_a_file_with_one_bad_cell_loads_with_that_one_indicator_under_review(one_bad_cell):
    evaluation = one_bad_cell
    assert len(evaluation.indicators) == 16
    flagged = [i for i in evaluation.indicators if i.review]
    assert [i.name for i in flagged] == ["本单位2023年接待涉港澳、涉外事团组人次"]
    item, = flagged[0].review
    assert (item.kind, item.value, item.where.row, item.where.column) == ("unreadable", "2O14人次", 3, "绩效指标.实际完成值")
    card = score(evaluation)
    pending = [s for s in card.indicators if s.pending]
    assert [s.name for s in pending] == [flagged[0].name]
    assert card.review_count == 1 and card.review_points == pytest.approx(6.25)
    assert card.total == pytest.approx(99.97 - 6.25, abs=0.01)          # the others score as before
    assert all(s.met for s in card.indicators if not s.pending)


def test_the_ledger_holds_no_figure_of_the_cell_under_review(one_bad_cell):
    ledger = evaluation_ledger(one_bad_cell)
    name = "本单位2023年接待涉港澳、涉外事团组人次"
    roles = {e.role for e in ledger if e.subject == name and not e.stated}
    assert "actual" not in roles and "completion" not in roles and "score" not in roles
    # the form's own completion and score cells stay, as the form's: they verify only a sentence that says so
    assert all(e.stated for e in ledger if e.subject == name and e.role in ("completion", "score"))
    assert "target" in roles                                             # its readable target is still a fact
    assert not check(f"“{name}”实际完成2014人次，完成率134%。", ledger).ok
    assert check("另有1项指标待确认（共6.25分），暂未计入得分。", ledger).ok


def test_drafting_and_chat_keep_working_and_state_no_figure_of_it(one_bad_cell):
    draft = draft_report(one_bad_cell)
    assert draft.ok, [s.title for s in draft.sections if s.status != "verified"]
    text = "\n".join(s.text for s in draft.sections)
    assert "待确认" in text and "2O14" not in text and "2014人次" not in text
    card = score(one_bad_cell)
    ledger = evaluation_ledger(one_bad_cell)
    k = next(s.index for s in card.indicators if s.pending)
    answer = indicator_text(one_bad_cell, card, k)
    assert "待经办人确认" in answer and check(answer, ledger).ok
    summary = score_text(one_bad_cell, card)
    assert "另有1项指标待确认" in summary and check(summary, ledger).ok


def test_a_budget_only_file_scores_execution_and_states_no_total(tmp_path):
    data, *_ = CASES["no_indicators"]
    evaluation = load(write(tmp_path, {**data, "报告类型": "部门整体"}))
    card = score(evaluation)
    assert card.budget.execution_rate == pytest.approx(0.9) and not [f for f in card.findings if f.kind == "weights_sum"]
    draft = draft_report(evaluation)
    assert draft.ok
    conclusion = next(s.text for s in draft.sections if s.key == "conclusion")
    assert "未找到绩效指标" in conclusion and "自评结果" not in conclusion and "90.00%" in conclusion
