"""Which way a target points (domain.md, "Scoring"): the comparator, a 方向 column, the name, the nature.

A bare target is a floor unless the indicator's nature makes it a ceiling; equality only where the
form writes it; every reading carries its reason; and scoring follows the reading.
"""
from __future__ import annotations

import pytest

from assistant.directions import infer
from assistant.evaluation import Budget, Evaluation, Indicator
from assistant.quantities import parse_quantity
from assistant.scoring import score


@pytest.mark.parametrize("target, name, level2, direction, words", [
    # the comparator wins
    ("≥12场", "会议场次", "", "positive", "≥"), ("≤5%", "差错率", "", "negative", "≤"),
    ("﹦100", "项目验收合格率", "", "equality", "="), ("等于100%", "达标率", "", "equality", "="),
    ("需控制在6.5次/10万公顷", "年森林火灾发生率", "", "negative", "≤"),
    ("98%以上", "资金拨付及时性", "", "positive", "≥"),
    # bare targets: at least, by default (domain.md: 230人 served against 200人 is met)
    ("200人", "服务人数", "数量指标", "positive", "不低于"), ("12次", "宣传次数", "", "positive", "不低于"),
    ("90%", "群众满意度", "", "positive", "不低于"), ("5亿元", "带动投资额", "经济效益指标", "positive", "不低于"),
    ("100%", "项目按时完成率", "时效指标", "equality", "等于100%"),
    ("98%", "项目按时完成率", "时效指标", "positive", "不低于"),
    # … at most, where smaller is better by nature
    ("15万元", "办公所需成本", "成本指标", "negative", "成本"), ("2万元", "演出设备成本件/件", "成本指标", "negative", "成本"),
    ("150万", "市民中心运行维护费", "成本指标", "negative", "费"), ("3起", "安全事故", "", "negative", "事故"),
    ("1%", "森林火灾受害率", "生态效益指标", "negative", "受害率"), ("2%", "差错率", "", "negative", "差错率"),
    ("2小时", "灾备恢复速度", "", "negative", "速度"), ("5分钟", "灾备切换速度", "", "negative", "速度"),
    ("0", "库存粮食明显变质比例", "质量指标", "negative", "0只能是上限"), ("0次", "勒索病毒导致系统中断", "", "negative", "上限"),
    ("10万元", "成本", "成本指标", "negative", "成本"),
    # a rate is judged by what it counts, not by a cost word inside it
    ("100%", "县级储备粮库存成本核算率", "成本指标", "equality", "等于100%"),
    ("95%", "国家政策性粮收购价格执行率", "成本指标", "positive", "不低于"),
    ("100%", "国家规定标准发放", "成本指标", "equality", "等于100%"),
    # a bare 100% is all of it, except where officers compare against a standard (survey, budget execution)
    ("100", "工程完工率", "数量指标", "equality", "等于100%"), ("100", "受益人数", "数量指标", "positive", "不低于"),
    ("100%", "服务对象满意度", "满意度指标", "positive", "不低于"), ("100%", "预算执行率", "", "positive", "不低于"),
    # a cost written with = is a ceiling; a deadline name with =95% is a deadline
    ("=6万元", "安全隐患排查成本预算", "成本指标", "negative", "上限"), ("=95%", "2020年12月完成", "时效指标", "deadline", "完成时限"),
    ("=95%", "验收合格率", "质量指标", "equality", "="),
    ("95%", "违法行为责停率", "社会效益指标", "positive", "不低于"),
    # the name's own template comparator
    ("22.8", "公猪舍(≥**平方米)", "数量指标", "positive", "名称中写有“≥”"),
    # deadlines and words
    ("2023年12月前", "项目完成时间", "时效指标", "deadline", "时限"), ("按期", "完成时效", "", "deadline", "时限"),
    ("及时", "补助经费到位及时性", "时效指标", "qualitative", "文字"), ("得到提升", "群众认知度", "", "qualitative", "定性"),
    ("100%", "12月底之前完成", "时效指标", "deadline", "完成时限"),
])
def test_direction_and_its_reason(target, name, level2, direction, words):
    got, reason, warning = infer(parse_quantity(target), name, level2)
    assert got == direction, reason
    assert words in reason and warning is None


def test_a_direction_column_overrides_a_bare_target_but_not_a_comparator():
    assert infer(parse_quantity("200人"), "服务人数", "", "反向", "指标性质")[:2] == \
        ("negative", "“指标性质”列写明“反向”")
    direction, reason, warning = infer(parse_quantity("小于等于1"), "宣传美工制作个数", "", "正向", "指标性质")
    assert direction == "negative" and "以比较符号为准" in reason and "不一致" in warning     # realdata d11


def ind(target: str, actual: str, name: str, level2: str = "", weight: float = 10) -> Indicator:
    return Indicator(level1="产出指标", level2=level2, name=name, target=parse_quantity(target),
                     actual=parse_quantity(actual), weight=weight)


def one(target: str, actual: str, name: str, level2: str = ""):
    card = score(Evaluation(unit_name="某单位", year=2023, indicators=[ind(target, actual, name, level2, 100)]))
    return card.indicators[0]


def test_over_achievers_of_bare_targets_are_met_not_failures():
    served = one("200人", "230人", "服务人数")
    assert (served.direction, served.met, served.score, round(served.completion, 4)) == ("positive", True, 100, 1.15)
    assert one("12次", "96次", "宣传次数").met is True
    rate = one("90%", "100%", "资金拨付率")
    assert rate.met is True and rate.completion == pytest.approx(1.1111, abs=1e-4)
    assert "不低于" in rate.direction_reason


def test_a_bare_ceiling_scores_with_the_overshoot_rule_and_reports_actual_over_target():
    within = one("15万元", "14.8万元", "办公所需成本", "成本指标")
    assert within.met is True and within.score == 100 and within.completion == pytest.approx(14.8 / 15)
    over = one("5300元/户", "5830元/户", "扶贫临时救助标准（最高）成本", "成本指标")
    assert over.met is False and over.score == pytest.approx(90) and over.completion == pytest.approx(1.1)


def test_equality_only_where_the_form_writes_it():
    assert one("=8个", "9个", "补助村数量").met is False
    assert one("8个", "9个", "补助村数量").met is True


def test_deadlines_compare_as_dates():
    early = one("2023年12月", "2023年10月", "项目完成时间")
    assert (early.direction, early.met, early.score) == ("deadline", True, 100)
    late = one("2023年12月前", "2024年2月", "项目完成时间")
    assert late.met is False and late.score == pytest.approx(80)            # done, but late: the partial band
    same = one("完成时间为2022年12月30日", "完成时间为2022年12月30日", "设计、招标、施工")
    assert same.met is True
    month = one("12月底前", "2023年11月", "资金支付时效")                   # the evaluation's year fills in
    assert month.met is True
    unclear = one("2023年12月15日前", "2023年12月", "验收时间")              # December: before or after the 15th?
    assert unclear.met is None and unclear.score is None and unclear.needs_review[0].kind == "undecidable"
    not_a_date = Evaluation(unit_name="某单位", year=2020, indicators=[
        Indicator(level1="产出指标", name="完工日期", target=parse_quantity("2021年4月15日"), actual=parse_quantity("0"))])
    assert score(not_a_date).indicators[0].met is None


def test_an_actual_that_only_repeats_a_bound_is_met_without_a_completion():
    bound = one("≥80%", "≥80%", "满意度")
    assert bound.met is True and bound.completion is None and bound.score == 100
    short = one("≥90%", "≥80%", "满意度")
    assert short.met is None and short.needs_review and short.needs_review[0].kind == "undecidable"


def test_the_budget_row_weight_of_the_form_is_used_and_its_score_checked():
    evaluation = Evaluation(unit_name="某单位", year=2022, budget=Budget(budgeted=29, spent=27.8),
                            stated_budget_weight=9, stated_budget_score=8,
                            indicators=[ind("≥95%", "98%", "工程质量", weight=91)])
    card = score(evaluation)
    assert card.budget.weight == 9 and card.budget.score == pytest.approx(9 * 27.8 / 29)
    finding = next(f for f in card.findings if f.kind == "stated_budget_score_mismatch")
    assert (finding.stated, finding.computed) == ("8", "8.63")


def test_a_comparator_or_a_direction_in_its_own_column(tmp_path):
    """Forms split the target into 指标性质 | 指标值 | 度量单位 (realdata d07, d10, d11): the comparator joins
    the value; a 正向/反向 word is the stated direction, and the comparator wins where they disagree."""
    import yaml
    from assistant.actuals import load
    rows = [
        {"二级指标": "质量指标", "三级指标": "申报对象覆盖率", "指标性质": ">=", "年度指标值": "98", "单位": "%(百分比)",
         "实际完成值": "100%", "分值": 50},
        {"二级指标": "数量指标", "三级指标": "宣传美工制作个数", "指标性质": "正向", "指标方向": "小于等于",
         "年度指标值": "1", "单位": "个", "实际完成值": "1", "分值": 25},
        {"二级指标": "数量指标", "三级指标": "服务人次", "指标性质": "反向", "年度指标值": "200", "单位": "人次",
         "实际完成值": "180", "分值": 25},
    ]
    path = tmp_path / "表.yaml"
    path.write_text(yaml.safe_dump({"单位名称": "某局", "年度": 2024, "报告类型": "项目", "项目名称": "某项目",
                                    "绩效指标": rows}, allow_unicode=True), encoding="utf-8")
    evaluation = load(path)
    coverage, posters, people = evaluation.indicators
    assert (coverage.target.text, coverage.target.comparator, coverage.target.value) == (">=98", ">=", 0.98)
    assert coverage.level1 == "产出指标" and "二级指标" in coverage.level1_reason
    assert posters.direction == "negative" and "以比较符号为准" in posters.direction_reason
    assert any("按比较符号评分" in w for w in evaluation.warnings)
    assert people.direction == "negative" and people.direction_reason == "“绩效指标.指标性质”列写明“反向”"
    assert score(evaluation).indicators[2].met is True                       # 180 within a ceiling of 200
