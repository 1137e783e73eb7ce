"""Quantity parsing: a table of real target/actual strings (domain.md's forms), and round-trip properties."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.printing import number as format_number, percent as format_percent
from assistant.quantities import (QuantityError, clean_unit, is_date, name_template, parse_money, parse_quantity,
                                  qualitative_reached, unit_compatible)

N = "number"
# text, kind, comparator, value (base unit: 万/亿 applied, percent as a fraction), unit, extra checks
TABLE = [
    # comparators, symbols and words
    ("≥12场", N, ">=", 12, "场", {}),
    ("≥1500人次", N, ">=", 1500, "人次", {}),
    ("≤5%", N, "<=", 0.05, "%", {}),
    ("≤4", N, "<=", 4, "", {}),
    ("=100%", N, "=", 1.0, "%", {}),
    ("100%", N, None, 1.0, "%", {}),
    (">5个", N, ">", 5, "个", {}),
    ("<3%", N, "<", 0.03, "%", {}),
    ("＞5个", N, ">", 5, "个", {}),                       # full-width
    (">=95%", N, ">=", 0.95, "%", {}),
    ("≧90%", N, ">=", 0.90, "%", {}),
    ("═100%", N, "=", 1.0, "%", {}),
    ("不低于95%", N, ">=", 0.95, "%", {}),
    ("不少于12 种", N, ">=", 12, "种", {}),                # a stray space
    ("不超过2%", N, "<=", 0.02, "%", {}),
    ("不高于10%", N, "<=", 0.10, "%", {}),
    ("大于90%", N, ">", 0.90, "%", {}),
    ("小于5%", N, "<", 0.05, "%", {}),
    ("高于80%", N, ">", 0.80, "%", {}),
    ("低于3%", N, "<", 0.03, "%", {}),
    ("大于或等于90%", N, ">=", 0.90, "%", {}),
    ("88.32%及以上", N, ">=", 0.8832, "%", {"decimals": 2}),
    ("3项以上", N, ">=", 3, "项", {}),
    ("5个或以上", N, ">=", 5, "个", {}),
    ("5天以内", N, "<=", 5, "天", {}),
    ("≥ 1,500 人次", N, ">=", 1500, "人次", {}),
    ("≥4个", N, ">=", 4, "个", {}),
    ("≥26场次", N, ">=", 26, "场次", {}),
    ("≤-5%", N, "<=", -0.05, "%", {}),
    # actuals as officers print them
    ("16场", N, None, 16, "场", {}),
    ("2014人次", N, None, 2014, "人次", {}),
    ("87批次", N, None, 87, "批次", {}),
    ("16 场次", N, None, 16, "场次", {}),
    ("95.5%", N, None, 0.955, "%", {"decimals": 1}),
    ("３０％", N, None, 0.30, "%", {}),                      # full-width digits and percent
    ("30‰", N, None, 0.03, "%", {"decimals": 1}),
    ("≥4.5星", N, ">=", 4.5, "星", {}),                     # a measure word outside the list
    # thousands separators, decimals, magnitude words and money
    ("1,747.90", N, None, 1747.90, "", {"decimals": 2}),
    ("1,747.90万元", N, None, 17_479_000, "元", {"magnitude": 1e4, "decimals": 2}),
    ("4753.66万元", N, None, 47_536_600, "元", {"magnitude": 1e4}),
    ("2.6亿元", N, None, 260_000_000, "元", {"magnitude": 1e8}),
    ("2.45亿元", N, None, 245_000_000, "元", {"magnitude": 1e8}),
    ("1.2万亩", N, None, 12_000, "亩", {"magnitude": 1e4}),
    ("≥1.5万人次", N, ">=", 15_000, "人次", {"magnitude": 1e4}),
    ("10万人次", N, None, 100_000, "人次", {}),
    # per-unit and per-population forms
    ("每亩300", N, None, 300, "", {"per": "亩"}),
    ("每万人3.5", N, None, 3.5, "", {"per": "万人"}),
    ("5/10万", N, None, 5, "", {"per": "10万"}),
    ("≤3.5/10万", N, "<=", 3.5, "", {"per": "10万"}),
    ("≥12场/年", N, ">=", 12, "场", {"per": "年"}),
    # Chinese numerals
    ("三项", N, None, 3, "项", {}),
    ("十二场", N, None, 12, "场", {}),
    ("两次", N, None, 2, "次", {}),
    ("≥十二场", N, ">=", 12, "场", {}),
    ("一百五十次", N, None, 150, "次", {}),
    # compound: either part suffices
    ("≥60批次或200人次", "compound", ">=", 60, "批次", {"alternatives": [(60, "批次"), (200, "人次")]}),
    ("≥60批次 或 200人次", "compound", ">=", 60, "批次", {"alternatives": [(60, "批次"), (200, "人次")]}),
    # ranges
    ("0.6-0.8", "range", None, 0.6, "", {"high": 0.8}),
    ("60%-80%", "range", None, 0.6, "%", {"high": 0.8}),
    ("60-80%", "range", None, 0.6, "%", {"high": 0.8}),
    ("3~5个", "range", None, 3, "个", {"high": 5}),
    ("1-2万元", "range", None, 10_000, "元", {"high": 20_000}),
    # deadlines
    ("2023年12月前", "deadline", None, None, "", {}),
    ("2023年12月31日前", "deadline", None, None, "", {}),
    ("12月底前", "deadline", None, None, "", {}),
    ("年底前", "deadline", None, None, "", {}),
    ("2023年度内", "deadline", None, None, "", {}),
    ("按期", "deadline", None, None, "", {}),
    ("及时", "deadline", None, None, "", {}),
    ("2023年3月", "deadline", None, None, "", {}),
    ("2023.12.31前", "deadline", None, None, "", {"date": (2023, 12, 31)}),
    ("当年12月底", "deadline", None, None, "", {"date": (None, 12, None)}),
    ("按时完成", "deadline", None, None, "", {}),
    # time limits in working days and months, and an included bound
    ("≤10个工作日", N, "<=", 10, "工作日", {}), ("10个工作日内", N, "<=", 10, "工作日", {}),
    ("3个月内", N, "<=", 3, "月", {}), ("≥98%（含）", N, ">=", 0.98, "%", {}), ("95%（含）以上", N, ">=", 0.95, "%", {}),
    # qualitative
    ("得到完善", "qualitative", None, None, "", {}),
    ("得到提升", "qualitative", None, None, "", {}),
    ("逐步提升", "qualitative", None, None, "", {}),
    ("显著", "qualitative", None, None, "", {}),
    ("正常开展", "qualitative", None, None, "", {}),
    ("已完成", "qualitative", None, None, "", {}),
]


@pytest.mark.parametrize("text, kind, comparator, value, unit, extra", TABLE, ids=[row[0] for row in TABLE])
def test_parse_table(text, kind, comparator, value, unit, extra):
    q = parse_quantity(text)
    assert q.text == text.strip()                       # the original text is kept beside the value
    assert (q.kind, q.comparator, q.unit) == (kind, comparator, unit)
    if value is None:
        assert q.value is None
    else:
        assert q.value == pytest.approx(value, rel=1e-12)
    for key, expected in extra.items():
        if key == "alternatives":
            assert [(a.value, a.unit) for a in q.alternatives] == expected
            assert all(a.comparator == ">=" for a in q.alternatives)
        elif key == "high":
            assert q.high == pytest.approx(expected)
        else:
            assert getattr(q, key) == expected, key


def test_table_covers_enough_real_strings():
    assert len(TABLE) >= 40


@pytest.mark.parametrize("text, direction", [
    ("≥12场", "positive"), ("不低于95%", "positive"), ("3项以上", "positive"), ("高于80%", "positive"),
    ("≤5%", "negative"), ("以内", None), ("5天以内", "negative"), ("不超过2%", "negative"), ("低于3%", "negative"),
    ("100%", "equality"), ("=100%", "equality"), ("得到提升", "qualitative"), ("按期", "qualitative"),
    ("≥60批次或200人次", "positive"),
])
def test_direction(text, direction):
    if direction is None:
        return
    assert parse_quantity(text).direction == direction


@pytest.mark.parametrize("text", ["100余家", "超40篇", "近400人次", "逾千人次 5", "40多篇"])
def test_one_sided_approximations_are_refused(text):
    with pytest.raises(QuantityError, match="约数|无法"):
        parse_quantity(text)


@pytest.mark.parametrize("text, value, unit", [("约16场", 16, "场"), ("16场左右", 16, "场"), ("大约3项", 3, "项"),
                                               ("约12000平方米", 12000, "平方米")])
def test_symmetric_approximations_read_at_their_value_and_print_back_with_yue(text, value, unit):
    # `约X` is "about X": its best reading is X (realdata d18 prints targets and actuals so); `超40篇` is not
    q = parse_quantity(text)
    assert (q.value, q.unit, q.approximate) == (value, unit, True)
    assert q.printed().startswith("约") and q.text == text


@pytest.mark.parametrize("text", ["16场活动", "≥12场abc", "2023年3月按期启用", ""])
def test_unreadable_numbers_are_refused(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_default_unit_from_a_unit_column():
    assert parse_quantity("≥1500", default_unit="人次").unit == "人次"
    assert parse_quantity("95", default_unit="%").value == pytest.approx(0.95)
    money = parse_quantity("152.5", default_unit="万元")
    assert (money.value, money.unit, money.magnitude) == (1_525_000, "元", 1e4)
    assert parse_quantity("16场", default_unit="人次").unit == "场"     # the printed unit wins


@pytest.mark.parametrize("text, unit, expected", [
    ("2122.43", "万元", 2122.43), ("4753.66万元", "万元", 4753.66), ("47536600元", "万元", 4753.66),
    ("1,747.90", "万元", 1747.90), ("2.6亿元", "万元", 26_000), ("152.5万", "万元", 152.5),
    ("2122.43万元", "元", 21_224_300), ("0.5亿元", "亿元", 0.5),
])
def test_parse_money(text, unit, expected):
    assert parse_money(text, unit) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["两千万左右", "未知", "100人次", "≥12场或3项"])
def test_parse_money_refuses_non_money(text):
    with pytest.raises(QuantityError):
        parse_money(text)


@pytest.mark.parametrize("fraction, decimals, printed", [
    (16 / 12, 0, "133%"), (203 / 150, 0, "135%"), (87 / 60, 0, "145%"), (91 / 88, 0, "103%"),
    (2115.30 / 2122.43, 2, "99.66%"), (2014 / 1500, 0, "134%"), (0.125, 0, "13%"), (0.005, 1, "0.5%"),
    (0.00125, 2, "0.13%"), (None, 0, "—"),
])
def test_format_percent_rounds_half_up(fraction, decimals, printed):
    assert format_percent(fraction, decimals) == printed


def test_unit_families():
    assert unit_compatible("场", "场次") and unit_compatible("人", "人次") and unit_compatible("个", "家")
    assert unit_compatible("", "场") and not unit_compatible("%", "场") and not unit_compatible("批次", "人次")


@pytest.mark.parametrize("text, reached", [
    ("已完成", True), ("显著", True), ("得到提升", True), ("按期完成", True), ("未完成", False),
    ("不及时", False), ("进度滞后", False), ("见附件", None),
])
def test_qualitative_reached(text, reached):
    assert qualitative_reached(text) is reached


# --- round trips ------------------------------------------------------------------------------------------

COMPARATOR_WORDS = {
    ">=": ["≥", ">=", "≧", "不低于", "不少于", "大于等于"], "<=": ["≤", "<=", "不超过", "不高于", "小于等于"],
    ">": [">", "大于", "高于"], "<": ["<", "小于", "低于"], "=": ["=", "═", "等于"], None: [""],
}
SUFFIX_WORDS = {">=": ["以上", "及以上"], "<=": ["以内", "以下"]}
UNITS = ["", "场", "人次", "批次", "项", "个", "家", "次", "亩", "元", "%", "篇", "场次"]


@st.composite
def printed_quantities(draw):
    comparator = draw(st.sampled_from(list(COMPARATOR_WORDS)))
    unit = draw(st.sampled_from(UNITS))
    magnitude = 1.0 if unit == "%" else draw(st.sampled_from([1.0, 1e4, 1e8]))
    decimals = draw(st.integers(0, 3))
    number = draw(st.decimals(min_value=0, max_value=99999, places=decimals, allow_nan=False, allow_infinity=False))
    value = float(number) / 100 if unit == "%" else float(number) * magnitude
    body = format_number(value, unit, magnitude, decimals)
    if comparator in SUFFIX_WORDS and draw(st.booleans()):
        text = body + draw(st.sampled_from(SUFFIX_WORDS[comparator]))
    else:
        text = draw(st.sampled_from(COMPARATOR_WORDS[comparator])) + draw(st.sampled_from(["", " "])) + body
    return text, comparator, value, unit, magnitude, decimals


@settings(max_examples=300, deadline=None)
@given(printed_quantities())
def test_round_trip_format_then_parse(case):
    text, comparator, value, unit, magnitude, decimals = case
    q = parse_quantity(text)
    assert q.kind == "number", text
    assert q.comparator == comparator, text
    assert q.unit == unit, text
    assert q.magnitude == magnitude and q.decimals == decimals, text
    assert math.isclose(q.value, value, rel_tol=1e-9, abs_tol=1e-9), text
    assert parse_quantity(q.printed()).value == pytest.approx(q.value, rel=1e-9, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=20, allow_nan=False), st.integers(0, 3))
def test_format_percent_then_parse(fraction, decimals):
    printed = format_percent(fraction, decimals)
    q = parse_quantity(printed)
    assert q.unit == "%" and q.decimals == decimals
    assert abs(q.value - fraction) <= 0.5 * 10 ** -(decimals + 2) + 1e-12     # within half a printed step
    assert format_percent(q.value, decimals) == printed                          # and stable


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 99), st.sampled_from(["场", "次", "项", "人次", "个"]))
def test_chinese_numerals_match_digits(n, unit):
    import cn2an
    chinese = cn2an.an2cn(n)
    assert parse_quantity(f"{chinese}{unit}").value == parse_quantity(f"{n}{unit}").value == n


# --- every target/actual form of the realdata inventory (../shared/realdata/README.md) ---------------------

# text, default unit (a 单位 column or the name), then what it reads as: (kind, comparator, value, unit, extra),
# or ("refused", error) for a cell the loader sends to review (it never raises for the whole file).
P, Q, D, R = "number", "qualitative", "deadline", "refused"
REALDATA = [
    # d01: ≧ (U+2267), counts with measure words
    ("≧20000亩", "", (P, ">=", 20000, "亩", {})), ("105个", "", (P, None, 105, "个", {})),
    ("≧15组", "", (P, ">=", 15, "组", {})), ("5000户", "", (P, None, 5000, "户", {})),
    ("85.6%", "", (P, None, 0.856, "%", {"decimals": 1})),
    # d02: OCR damage and a dash as target, a deadline that repeats
    # `IO` (an OCR'd 10): Latin letters alone are neither a figure nor a statement, so a person reads it
    ("M.8万元", "", (R, "无法解析")), ("IO", "", (R, "不是数值")),
    ("2021年12月完成", "", (D, None, None, "", {"date": (2021, 12, None)})), ("15万元", "", (P, None, 150_000, "元", {})),
    ("2370人", "", (P, None, 2370, "人", {})), ("符合相关文件要求", "", (Q, None, None, "", {})),
    # d03, d05: yes/no, grades, zero targets
    ("是", "", (Q, None, None, "", {})), ("基本达到", "", (Q, None, None, "", {})), ("0", "", (P, None, 0, "", {})),
    ("0起", "", (P, None, 0, "起", {})), ("290%", "", (P, None, 2.9, "%", {})), ("无", "", (Q, None, None, "", {})),
    ("高", "", (Q, None, None, "", {})), ("550万粒", "", (P, None, 5_500_000, "粒", {"magnitude": 1e4})),
    # d04, d24: money with a 万 suffix only
    ("150万", "", (P, None, 1_500_000, "", {"magnitude": 1e4})), ("3359.62万", "", (P, None, 33_596_200, "", {})),
    # d06, d13: measure words outside the list
    ("50件", "", (P, None, 50, "件", {})), ("≥2倍", "", (P, ">=", 2, "倍", {})), ("10倍", "", (P, None, 10, "倍", {})),
    # d07: ASCII >= with the unit in its own cell, glossed
    (">=98", "%(百分比)", (P, ">=", 0.98, "%", {})), (">=75", "%(百分比)", (P, ">=", 0.75, "%", {})),
    # d08, d09, d27, d28, d30: bare numbers
    ("43.2", "", (P, None, 43.2, "", {"decimals": 1})), ("100", "", (P, None, 100, "", {})),
    ("14726", "", (P, None, 14726, "", {})), ("20000", "万美元", (P, None, 200_000_000, "美元", {"magnitude": 1e4})),
    ("22.8", "平方米", (P, None, 22.8, "平方米", {})),
    # d10: ﹦ (U+FE66), and the unit in its own cell
    ("﹦72890", "元", (P, "=", 72890, "元", {})), ("﹦100", "%", (P, "=", 1.0, "%", {})), ("95", "%", (P, None, 0.95, "%", {})),
    # d11: word comparators
    ("大于等于1", "次", (P, ">=", 1, "次", {})), ("小于等于1", "个", (P, "<=", 1, "个", {})),
    ("等于100", "%", (P, "=", 1.0, "%", {})),
    # d12: ASCII comparators and per-unit forms
    (">=21933人", "", (P, ">=", 21933, "人", {})), (">=59人次", "", (P, ">=", 59, "人次", {})),
    (">=530元/人*月", "", (P, ">=", 530, "元", {"per": "人*月"})), ("583元/人*月", "", (P, None, 583, "元", {"per": "人*月"})),
    ("<=5300元/户", "", (P, "<=", 5300, "元", {"per": "户"})), ("5830元/户", "", (P, None, 5830, "元", {"per": "户"})),
    ("530元/人·月", "", (P, None, 530, "元", {"per": "人·月"})),
    # d13: an actual that repeats the comparator (a bound, not a value)
    ("≥80%", "", (P, ">=", 0.8, "%", {})), ("115.25%", "", (P, None, 1.1525, "%", {"decimals": 2})),
    # d14, d23: text actuals against numbers, principles as targets
    ("建设中", "", (Q, None, None, "", {})), ("应助尽助", "", (Q, None, None, "", {})),
    ("发放时间达标率", "", (Q, None, None, "", {})),
    # d15, d19: hours and minutes, Latin units, a space before the unit
    ("≥928小时", "", (P, ">=", 928, "小时", {})), ("909.93小时", "", (P, None, 909.93, "小时", {"decimals": 2})),
    ("2 小时", "", (P, None, 2, "小时", {})), ("5 分钟", "", (P, None, 5, "分钟", {})), ("=2 个", "", (P, "=", 2, "个", {})),
    ("80TB", "", (P, None, 80, "TB", {})), ("120TB", "", (P, None, 120, "TB", {})), ("0次", "", (P, None, 0, "次", {})),
    ("=70%", "", (P, "=", 0.7, "%", {})), ("15%及其以下", "", (P, "<=", 0.15, "%", {})),
    # d16: words as comparators, progress statements, a period, free text with a number
    ("至少2次", "", (P, ">=", 2, "次", {})), ("至少全年完成2次宣传", "", (R, "无法解析")),
    ("已完成100%", "", ("progress", None, 1.0, "%", {})), ("完成进度80%", "", ("progress", None, 0.8, "%", {})),
    ("1-12月", "", ("range", None, 1, "月", {"high": 12})), ("10万元", "", (P, None, 100_000, "元", {})),
    ("按质按量完成", "", (Q, None, None, "", {})), ("不断提升", "", (Q, None, None, "", {})),
    # d17: = on both sides, a traditional-character unit
    ("=230畝", "", (P, "=", 230, "畝", {})), ("=365天", "", (P, "=", 365, "天", {})), ("=95%", "", (P, "=", 0.95, "%", {})),
    # d18: approximate figures, a date target, a zero actual
    ("约12000平方米", "", (P, None, 12000, "平方米", {"approximate": True})),
    ("约1737平方米", "", (P, None, 1737, "平方米", {"approximate": True})),
    ("2021年4月15日", "", (D, None, None, "", {"date": (2021, 4, 15)})),
    # d21, d22: the grade scale as target, money in a unit column, a bare actual
    ("优良中低差", "", (Q, None, None, "", {})), ("=6", "万元", (P, "=", 60_000, "元", {"magnitude": 1e4})),
    ("≤202.6万元", "", (P, "<=", 2_026_000, "元", {"magnitude": 1e4})), ("132.9", "万元", (P, None, 1_329_000, "元", {})),
    ("=8个", "", (P, "=", 8, "个", {})), ("及时", "", (D, None, None, "", {})), ("合规", "", (Q, None, None, "", {})),
    # d25, d26, d29: a count, a sentence, a deadline after a lead-in
    ("11个", "", (P, None, 11, "个", {})), ("6000平方米", "", (P, None, 6000, "平方米", {})),
    ("完成时间为2022年12月30日", "", (D, None, None, "", {"date": (2022, 12, 30)})),
    ("本着节约的原则,控制在预算中。", "", (Q, None, None, "", {})), ("程度较高", "", (Q, None, None, "", {})),
    # d28: a suffix comparator, a question as target
    ("98%以上", "", (P, ">=", 0.98, "%", {})), ("是否利于企业走出去", "", (Q, None, None, "", {})),
    # d32: verb comparators, per-area rates, per mille
    ("需控制在6.5次/10万公顷", "", (P, "<=", 6.5, "次", {"per": "10万公顷"})),
    ("0.2次/10万公顷", "", (P, None, 0.2, "次", {"per": "10万公顷"})),
    ("需控制在1‰以内", "", (P, "<=", 0.001, "%", {})), ("0.038‰", "", (P, None, 0.000038, "%", {})),
    ("需达到80%以上", "", (P, ">=", 0.8, "%", {})), ("8架", "", (P, None, 8, "架", {})),
    # one-sided approximations stay refused
    ("超40篇", "", (R, "约数")), ("近400人次", "", (R, "约数")),
]


@pytest.mark.parametrize("text, default_unit, expected", REALDATA, ids=[f"{row[0]}|{row[1]}" for row in REALDATA])
def test_realdata_forms(text, default_unit, expected):
    if expected[0] == R:
        with pytest.raises(QuantityError, match=expected[1]):
            parse_quantity(text, default_unit)
        return
    kind, comparator, value, unit, extra = expected
    q = parse_quantity(text, default_unit)
    assert (q.kind, q.comparator, q.unit) == (kind, comparator, unit), (q.kind, q.comparator, q.unit)
    assert q.text == text
    if value is None:
        assert q.value is None
    else:
        assert q.value == pytest.approx(value, rel=1e-9)
    for key, wanted in extra.items():
        if key == "high":
            assert q.high == pytest.approx(wanted)
        else:
            assert getattr(q, key) == wanted, key


def test_the_realdata_table_covers_at_least_60_strings():
    assert len({row[0] for row in REALDATA}) >= 60


@pytest.mark.parametrize("name, comparator, unit", [
    ("公猪舍(≥**平方米)", ">=", "平方米"), ("排污沟(≥米)", ">=", "米"), ("粉碎拌合机(11kw)(≥台)", ">=", "台"),
    ("服务外包在岸(万美元)", None, "万美元"), ("指标1:租车次数(次)", None, "次"), ("3、其他试验(水稻)", None, ""),
    ("★★★受益建档立卡贫困人口数≥**人", ">=", "人"), ("建设灾备云节点(8个)", None, ""), ("四、农户施肥情况调查(户)", None, "户"),
])
def test_units_and_comparators_printed_in_an_indicator_name(name, comparator, unit):
    template = name_template(name)
    assert (template.comparator, template.unit) == (comparator, unit)


def test_a_deadline_keeps_its_date_and_is_date_tells_dates():
    assert parse_quantity("12月底前").date == (None, 12, None)
    assert parse_quantity("年底前").date == (None, 12, 31)
    assert parse_quantity("按期").date is None
    assert is_date("2023年10月") and is_date("2023年12月前") and not is_date("2023") and not is_date("4557.51")


def test_a_unit_column_gloss_and_words():
    assert clean_unit("%(百分比)") == "%" and clean_unit("百分比") == "%" and clean_unit(" 人次 ") == "人次"
