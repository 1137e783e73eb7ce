"""Scoring rules (domain.md): each direction and rule, weights, consistency findings, grades, orderings."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.actuals import load
from assistant.evaluation import Budget, Evaluation, Indicator
from assistant.quantities import parse_quantity
from assistant.scoring import ScoringRules, grade_for, score

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def ind(target: str, actual: str | None, level1: str = "产出指标", name: str | None = None, **kw) -> Indicator:
    return Indicator(level1=level1, name=name or f"{target}→{actual}", target=parse_quantity(target),
                     actual=parse_quantity(actual) if actual is not None else None,
                     stated_completion=parse_quantity(kw.pop("completion")) if "completion" in kw else None, **kw)


def evaluation(*indicators: Indicator, budget: float | None = None, spent: float | None = None, **kw) -> Evaluation:
    return Evaluation(unit_name="某单位", year=2023, indicators=list(indicators),
                      budget=Budget(budgeted=budget, spent=spent), **kw)


def one(target: str, actual: str, weight: float = 10, rules: ScoringRules | None = None):
    card = score(evaluation(ind(target, actual, weight=weight)), rules)
    return card.indicators[0]


# --- seed 000 ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_000():
    return score(load(EXAMPLES / "2023_港澳办_部门整体.yaml"))


def test_seed_000_completion_rates_and_execution_rate(seed_000):
    rates = {s.name: s.completion for s in seed_000.indicators}
    for actual, target in ((16, 12), (203, 150), (87, 60), (91, 88), (8, 6), (143, 100), (9, 6), (18, 15)):
        assert any(r == pytest.approx(actual / target) for r in rates.values()), (actual, target)
    assert round(seed_000.budget.execution_rate, 4) == 0.9966
    assert seed_000.budget.score == pytest.approx(10 * 2115.30 / 2122.43)
    assert round(seed_000.total, 2) == 99.97 and seed_000.grade == "优"     # the report's own 99.97, 优
    assert all(s.met for s in seed_000.indicators) and not seed_000.underperforming


def test_seed_000_printed_100_percent_for_2014_of_1500_is_a_finding(seed_000):
    findings = [f for f in seed_000.findings if f.kind == "stated_completion_mismatch"]
    visitors = [f for f in findings if f.subject == "本单位2023年接待涉港澳、涉外事团组人次"]
    assert len(visitors) == 1 and (visitors[0].stated, visitors[0].computed) == ("100%", "134%")
    # every count line whose printed rate is right gives no finding
    assert {f.subject for f in findings} <= {"本单位2023年接待涉港澳、涉外事团组人次", "国际化社区工作项目服务对象满意度",
                                            "服务入驻港澳商协会的咨询任务完成率"}
    assert not [f for f in seed_000.findings if f.kind in ("stated_execution_rate_mismatch", "stated_total_mismatch",
                                                          "stated_grade_mismatch", "weights_sum")]


def test_seed_000_overachievers_above_130_percent(seed_000):
    names = {s.name for s in seed_000.overachieving}
    assert "组织咨委会秘书处专项工作活动次数" in names          # 9/6 = 150%
    assert "梳理南沙驻港办事机构目标合作企业和机构" not in names   # 91/88 = 103%
    assert all(s.completion > 1.30 for s in seed_000.overachieving)


# --- directions ------------------------------------------------------------------------------------------

def test_positive_met_and_missed():
    met = one("≥12场", "16场")
    assert (met.direction, met.met, met.score, round(met.completion, 4)) == ("positive", True, 10, 1.3333)
    missed = one("≥1500人次", "1200人次")
    assert (missed.met, missed.score, missed.completion) == (False, pytest.approx(8.0), pytest.approx(0.8))
    assert missed.gap == 300 and missed.gap_relative == pytest.approx(0.2)
    assert one(">5个", "5个").met is False and one("≥5个", "5个").met is True


def test_negative_linear_to_double_and_zero_rule():
    within = one("≤5%", "4%")
    assert (within.direction, within.met, within.score) == ("negative", True, 10)
    over = one("≤5%", "6%")                                   # 20% over → 1 − 0.2
    assert over.met is False and over.score == pytest.approx(8.0)
    assert one("≤5%", "10%").score == pytest.approx(0.0)      # zero at twice the target
    assert one("≤5%", "12%").score == 0.0
    assert one("≤5%", "6%", rules=ScoringRules(negative_rule="zero")).score == 0.0
    assert one("<5%", "5%").met is False and one("≤5%", "5%").met is True


def test_equality():
    assert one("100%", "100%").met is True and one("=100%", "100%").score == 10
    short = one("=100%", "95%")
    assert (short.direction, short.met, short.score) == ("equality", False, pytest.approx(9.5))


def test_range():
    inside = one("0.6-0.8", "0.7")
    assert inside.met is True and inside.score == 10
    below = one("60%-80%", "45%")
    assert below.met is False and below.score == pytest.approx(10 * 0.45 / 0.6)
    above = one("0.6-0.8", "1.0")
    assert above.met is False and above.score == pytest.approx(10 * (1 - 0.2 / 0.8))


def test_compound_met_by_either_part_and_reports_the_part_used():
    by_people = one("≥60批次或200人次", "250人次")
    assert by_people.met is True and "200人次" in by_people.basis and by_people.completion == pytest.approx(1.25)
    by_batches = one("≥60批次或200人次", "87批次")
    assert by_batches.met is True and "60批次" in by_batches.basis and by_batches.completion == pytest.approx(1.45)
    short = one("≥60批次或200人次", "30批次")
    assert short.met is False and short.score == pytest.approx(5.0)


@pytest.mark.parametrize("actual, share, met", [
    ("得到提升", 1.0, True), ("已完成", 1.0, True), ("显著", 1.0, True),
    ("部分完成", 0.8, False), ("基本完成", 0.8, False),
    ("未完成", 0.5, False), ("进度滞后", 0.5, False),
])
def test_qualitative_bands(actual, share, met):
    s = one("得到提升", actual)
    assert (s.direction, s.met, s.score) == ("qualitative", met, pytest.approx(10 * share))


def test_qualitative_bands_are_settings():
    rules = ScoringRules(qualitative_partial=0.6, qualitative_not_reached=0.0)
    assert one("得到提升", "部分完成", rules=rules).score == pytest.approx(6.0)
    assert one("得到提升", "未完成", rules=rules).score == 0.0


def test_qualitative_actual_that_cannot_be_judged_is_a_finding():
    card = score(evaluation(ind("显著", "见附件", weight=10)))
    assert card.indicators[0].score is None and card.indicators[0].met is None
    assert any(f.kind == "no_evidence" for f in card.findings)


# --- weights --------------------------------------------------------------------------------------------

def test_default_first_level_weights_for_a_project():
    card = score(evaluation(ind("≥1场", "1场", "产出指标"), ind("≥1场", "1场", "产出指标"),
                            ind("≥1项", "1项", "效益指标"), ind("≥90%", "95%", "满意度指标"),
                            budget=100, spent=100))
    assert [s.weight for s in card.indicators] == [25, 25, 30, 10]       # 产出 50 split equally
    assert card.budget.weight == 10 and card.total == pytest.approx(100) and card.total_points == 100


def test_default_weights_rescale_over_the_levels_present():
    card = score(evaluation(ind("≥1场", "1场", "产出指标"), ind("≥1项", "1项", "效益指标"), budget=10, spent=10))
    assert [round(s.weight, 4) for s in card.indicators] == [56.25, 33.75]   # 50:30 of the 90 points left
    assert card.total == pytest.approx(100)


def test_weights_not_summing_to_100_is_a_finding():
    card = score(evaluation(ind("≥1场", "1场", weight=60), ind("≥1项", "1项", weight=50), budget=10, spent=10))
    finding = next(f for f in card.findings if f.kind == "weights_sum")
    assert finding.stated == "110" and card.total_points == 110


def test_given_weights_of_90_leave_10_for_budget_execution():
    card = score(evaluation(ind("≥1场", "1场", weight=50), ind("≥1项", "1项", weight=40), budget=10, spent=9))
    assert card.budget.weight == 10 and card.budget.score == pytest.approx(9)
    assert card.total == pytest.approx(99) and not [f for f in card.findings if f.kind == "weights_sum"]


def test_missing_weights_share_what_is_left():
    card = score(evaluation(ind("≥1场", "1场", weight=50), ind("≥1项", "1项"), ind("≥1项", "1项"),
                            budget=10, spent=10))
    assert [s.weight for s in card.indicators] == [50, 20, 20]
    assert any(f.kind == "missing_weights" for f in card.findings)


# --- the form's own figures -------------------------------------------------------------------------------

def test_stated_score_differs_from_computed():
    card = score(evaluation(ind("≥1500人次", "1200人次", weight=10, stated_score=10), ind("≥1场", "1场", weight=90)))
    finding = next(f for f in card.findings if f.kind == "stated_score_mismatch")
    assert (finding.stated, finding.computed) == ("10", "8.00")


def test_stated_total_differs_from_the_sum_of_stated_scores():
    card = score(evaluation(ind("≥1场", "1场", weight=50, stated_score=50), ind("≥1项", "1项", weight=50, stated_score=43),
                            stated_total=94))
    kinds = {f.kind: f for f in card.findings}
    assert kinds["stated_total_sum_mismatch"].computed == "93"
    assert "stated_total_mismatch" in kinds                             # 94 stated, 100 by the rules


def test_stated_execution_rate_differs_from_spending_over_budget():
    ev = evaluation(ind("≥1场", "1场"), budget=100, spent=80.45,
                    stated_execution_rate=parse_quantity("100%"))
    finding = next(f for f in score(ev).findings if f.kind == "stated_execution_rate_mismatch")
    assert finding.computed == "80.45%"
    assert any(f.kind == "low_execution" for f in score(ev).findings)
    right = evaluation(ind("≥1场", "1场"), budget=2122.43, spent=2115.30, stated_execution_rate=parse_quantity("99.66%"))
    assert not [f for f in score(right).findings if f.kind == "stated_execution_rate_mismatch"]


def test_stated_grade_differs():
    card = score(evaluation(ind("≥10场", "5场", weight=100), stated_grade="优"))
    assert card.grade == "差" and any(f.kind == "stated_grade_mismatch" for f in card.findings)


def test_missing_reason_is_a_finding():
    card = score(evaluation(ind("≥10场", "9场", weight=100)))
    assert any(f.kind == "missing_reason" for f in card.findings)
    card = score(evaluation(ind("≥10场", "9场", weight=100, reason="场地施工")))
    assert not any(f.kind == "missing_reason" for f in card.findings)


# --- grades, orderings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, grade", [
    (100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差"),
])
def test_grade_bands(total, grade):
    assert grade_for(total) == grade


def test_grade_band_at_the_boundary_through_scoring():
    assert score(evaluation(ind("≥100场", "90场", weight=100))).grade == "优"         # exactly 90
    assert score(evaluation(ind("≥10000场", "8999场", weight=100))).grade == "良"     # 89.99


def test_underperformers_ordered_by_shortfall_with_reason():
    card = score(evaluation(
        ind("≥10场", "9场", name="小差距", reason="原因甲"),
        ind("≥10场", "5场", name="大差距", reason="原因乙"),
        ind("≤5%", "6%", name="负向超标"),
        ind("≥10场", "12场", name="完成"),
    ))
    names = [u.name for u in card.underperforming]
    assert names == ["大差距", "负向超标", "小差距"]
    first = card.underperforming[0]
    assert (first.target, first.actual, first.gap, first.reason) == ("≥10场", "5场", 5, "原因乙")
    assert first.gap_relative == pytest.approx(0.5)


def test_overachievers_only_above_the_threshold():
    card = score(evaluation(ind("≥10场", "13场", name="130%"), ind("≥10场", "14场", name="140%")))
    assert [s.name for s in card.overachieving] == ["140%"]
    assert any(f.kind == "target_too_low" and f.subject == "140%" for f in card.findings)
    assert [s.name for s in score(evaluation(ind("≥10场", "14场")), ScoringRules(overachievement_threshold=1.5))
            .overachieving] == []


def test_declaration_without_actuals_scores_nothing():
    card = score(load(EXAMPLES / "2024_港澳办_申报表.txt"))
    assert all(s.completion is None and s.score is None for s in card.indicators)
    assert card.budget.execution_rate is None


def test_json_shape_uses_fractions_and_nulls():
    data = score(evaluation(ind("≥12场", "16场"), ind("得到提升", None))).to_json()
    assert data["indicators"][0]["completion"] == 1.3333 and data["indicators"][1]["completion"] is None
    assert data["budget"]["execution_rate"] is None


# --- what the tables leave to the reader (realdata d02, d23, d29) ---------------------------------------

@pytest.mark.parametrize("target", ["本着节约的原则,控制在预算中。", "不超预算", "成本控制在批复预算以内"])
def test_a_within_budget_cost_target_is_decided_by_the_budget_block(target):
    row = ind(target, "100%", name="项目成本控制在预算内", weight=5, level2="成本指标")
    within = score(evaluation(row, budget=29, spent=27.8)).indicators[0]
    assert (within.met, within.score, within.direction) == (True, 5, "negative")
    assert "27.80万元" in within.basis and "未超过预算29.00万元" in within.basis
    over = score(evaluation(row, budget=29, spent=31.9)).indicators[0]
    assert over.met is False and over.score == pytest.approx(5 * (1 - 2.9 / 29))
    no_budget = score(evaluation(row)).indicators[0]
    assert no_budget.met is None                          # nothing to decide it by: awaits the officer


def test_a_within_budget_target_whose_actual_says_missed_is_read_as_written():
    row = ind("控制在预算内", "未控制在预算内", name="成本控制", weight=5)
    assert score(evaluation(row, budget=29, spent=27.8)).indicators[0].met is False


def test_the_all_eligible_principle_is_met_by_a_count_without_a_deviation_reason():
    met = one("应助尽助", "9")
    assert met.met is True and "应助尽助" in met.basis
    explained = score(evaluation(ind("应保尽保", "9", weight=10, reason="2人未及时纳入"))).indicators[0]
    assert explained.met is None                          # a deviation reason: the officer decides


@pytest.mark.parametrize("actual, met, completion", [("100%", True, 1.0), ("95%", False, 0.95), ("105%", True, 1.05)])
def test_a_bare_100_percent_target_reads_as_all_of_it(actual, met, completion):
    row = one("100%", actual)
    assert row.direction == "equality" and "等于100%" in row.direction_reason
    assert row.met is met and row.completion == pytest.approx(completion)


def test_a_blank_execution_rate_target_is_held_to_100_percent(tmp_path):
    data = tmp_path / "d.yaml"
    data.write_text("单位名称: 某单位\n年度: 2021\n报告类型: 项目\n项目名称: 公用经费\n预算安排: 64.8\n实际支出: 64.8\n"
                    "绩效指标:\n  - 一级指标: 项目管理\n    三级指标: 预算执行率\n    年度指标值: \"一\"\n"
                    "    实际完成值: \"95%\"\n    分值: 10\n"
                    "  - 一级指标: 产出指标\n    三级指标: 保障人数\n    年度指标值: \"一\"\n    实际完成值: \"2370人\"\n    分值: 10\n",
                    encoding="utf-8")
    evaluation_ = load(data)
    assert any("预算执行率" in w and "通常目标100%" in w and "d.yaml" in w for w in evaluation_.warnings)
    rate, people = score(evaluation_).indicators
    assert (rate.met, rate.completion) == (False, pytest.approx(0.95))
    assert people.met is None                             # only an execution rate has a usual target
