"""Quantity parsing: a table of real target/actual strings (domain.md's forms), and round-trip properties."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.printing import number as format_number, percent as format_percent
from assistant.quantities import (QuantityError, parse_money, parse_quantity,
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
