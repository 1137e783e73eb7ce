"""Figure extraction: every form officers print, and every entry of the one exclusion list."""
from __future__ import annotations

import pytest

from assistant.figures import extract
from assistant.figures.exclusions import EXCLUSIONS, SET_PHRASES


def only(text: str):
    mentions = [m for m in extract(text) if m.kind != "out-of-scope"]
    assert len(mentions) == 1, [(m.text, m.kind) for m in mentions]
    return mentions[0]


@pytest.mark.parametrize("text, figure, value, unit", [
    ("实际完成16场。", "16场", 16, "场"),
    ("实际完成 2014 人次，", "2014 人次", 2014, "人次"),
    ("完成率133%", "133%", 1.33, "%"),
    ("年度执行率为 99.66%。", "99.66%", 0.9966, "%"),
    ("预算安排资金 2122.43 万元", "2122.43 万元", 21224300, "元"),
    ("总投资2.6亿元", "2.6亿元", 260000000, "元"),
    ("财政拨款1,747.90万元", "1,747.90万元", 17479000, "元"),
    ("种植1.2万亩", "1.2万亩", 12000, "亩"),
    ("日常运作经费 44.47 万；", "44.47 万", 444700, ""),
    ("自评得分99.97分", "99.97分", 99.97, "分"),
    ("接待来访87批次", "87批次", 87, "批次"),
    ("促成合作3项", "3项", 3, "项"),
    ("服务企业18家", "18家", 18, "家"),
    ("设置指标14 个", "14 个", 14, "个"),
    ("提供资讯143条", "143条", 143, "条"),
    ("推文超40篇", "超40篇", 40, "篇"),
    ("完成１６场", "１６场", 16, "场"),
    ("差错率３‰", "３‰", 0.003, "%"),
    ("超出目标5个百分点", "5个百分点", 5, "百分点"),
    ("实际完成值为12", "12", 12, ""),
])
def test_arabic_numbers_with_units(text, figure, value, unit):
    m = only(text)
    assert m.text == figure and m.kind == "number"
    assert m.value == pytest.approx(value) and m.unit == unit


@pytest.mark.parametrize("text, figure, comparator, value", [
    ("指标为“会议场次≥12场”", "≥12场", ">=", 12),
    ("满意度≥80%", "≥80%", ">=", 0.8),
    ("差错率≤5%", "≤5%", "<=", 0.05),
    ("不低于95%", "不低于95%", ">=", 0.95),
    ("不少于12 种", "不少于12 种", ">=", 12),
    ("88.32%及以上", "88.32%及以上", ">=", 0.8832),
    ("大于3次", "大于3次", ">", 3),
    ("人次>=1500", ">=1500", ">=", 1500),
    ("活动次数≧6次", "≧6次", ">=", 6),
])
def test_comparators(text, figure, comparator, value):
    m = only(text)
    assert m.text == figure and m.comparator == comparator and m.value == pytest.approx(value)


def test_compound_target_gives_both_parts():
    mentions = extract("“来访批次（人次）≥60批次或 200人次”")
    assert [(m.text, m.value, m.unit) for m in mentions] == [("≥60批次", 60, "批次"), ("200人次", 200, "人次")]


@pytest.mark.parametrize("text, figure, value, unit", [
    ("共三项", "三项", 3, "项"),
    ("举办十二场", "十二场", 12, "场"),
    ("走访两次", "两次", 2, "次"),
    ("对应产出指标共两项：", "两项", 2, "项"),
    ("满意度达到百分之九十五", "百分之九十五", 0.95, "%"),
    ("培训一百二十人次", "一百二十人次", 120, "人次"),
])
def test_chinese_numerals_with_measure_words(text, figure, value, unit):
    m = only(text)
    assert m.text == figure and m.chinese and m.value == pytest.approx(value) and m.unit == unit


@pytest.mark.parametrize("text, figure, kind, year, month", [
    ("2023年部门预算", "2023年", "year", 2023, None),
    ("2023 年部门预算", "2023 年", "year", 2023, None),
    ("2023年度财政资金", "2023年度", "year", 2023, None),
    ("于2022年12月申请", "2022年12月", "date", 2022, 12),
    ("于2023年3月在创享湾启用", "2023年3月", "date", 2023, 3),
    ("2023年12月31日前", "2023年12月31日", "date", 2023, 12),
])
def test_years_and_dates(text, figure, kind, year, month):
    m = only(text)
    assert (m.text, m.kind, m.year, m.month) == (figure, kind, year, month)


@pytest.mark.parametrize("text, docno", [
    ("（穗南开管会纪〔2022〕9号）", "穗南开管会纪〔2022〕9号"),
    ("根据财预〔2020〕10号文件", "财预〔2020〕10号"),
    ("按照国办发[2018]101号要求", "国办发〔2018〕101号"),
    ("中发〔2018〕34号", "中发〔2018〕34号"),
])
def test_document_numbers(text, docno):
    m = only(text)
    assert m.kind == "docno" and m.docno == docno and m.text.endswith("号")


def test_spans_point_into_the_original_text():
    text = "2023 年部门预算安排资金 2122.43 万元，全年实际支出\n\n2115.30万元，年度执行率为 99.66%。"
    for m in extract(text):
        assert text[m.start:m.end] == m.text
    assert [m.text for m in extract(text)] == ["2023 年", "2122.43 万元", "2115.30万元", "99.66%"]


def test_a_unit_broken_by_a_page_wrap_still_belongs_to_its_number():
    m = only("“梳理目标合作企业和机构≥88\n\n家”")
    assert m.value == 88 and m.unit == "家"


# --- the exclusion list: each entry, by its own examples --------------------------------------------

@pytest.mark.parametrize("exclusion", EXCLUSIONS, ids=lambda e: e.name)
def test_every_exclusion_example_is_not_a_checked_figure(exclusion):
    for example in exclusion.examples:
        text = f"前文。\n{example}\n后文"
        start, end = text.index(example), text.index(example) + len(example)
        inside = [m for m in extract(text) if m.start < end and start < m.end]
        if exclusion.status == "excluded":
            assert inside == [], (example, [m.text for m in inside])
        else:
            assert [(m.kind, m.text) for m in inside] == [("out-of-scope", example)]


@pytest.mark.parametrize("text", [
    "一、部门基本情况", "（二）年度总体工作和重点工作任务", "(三) 项目政策依据", "（3）统筹协调", "1.亚洲青年领袖论坛",
    "2、港澳与外事", "- (2) 日常运作经费", "— 2 —", "附件 2", "参见[1]", "依据[F12]",
])
def test_outline_and_list_markers(text):
    assert [m.text for m in extract(text) if m.kind == "number"] == []


@pytest.mark.parametrize("phrase", SET_PHRASES)
def test_set_phrases_contain_no_figure(phrase):
    assert [m.text for m in extract(f"积极参与“{phrase}”建设") if m.kind == "number"] == []


def test_marker_after_a_sentence_does_not_eat_the_next_number():
    texts = [m.text for m in extract("实际完成 16场。\n2.港澳与外事交流：实际完成3场")]
    assert texts == ["16场", "3场"]


def test_out_of_scope_references():
    mentions = extract("依据《预算法》第三十二条和第2款，于第四季度、第二届会议上，近三年来")
    assert [m.kind for m in mentions] == ["out-of-scope"] * 5
    assert [m.text for m in mentions] == ["第三十二条", "第2款", "第四季度", "第二届", "近三年"]


def test_other_ordinals_and_articles_are_checked_figures():
    # only structural references are out of scope: a rank or an `一项` is a claim
    assert [m.text for m in extract("全区排名第3名，是一项重要工作")] == ["3名", "一项"]


def test_seed_000_reads_every_reported_figure():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "corpus" / "reports"
            / "2023_港澳办_部门整体支出绩效自评报告.txt").read_text(encoding="utf-8")
    numbers = [m.text.replace(" ", "").replace("\n", "") for m in extract(text) if m.kind == "number"]
    for figure in ("2122.43万元", "2115.30万元", "99.66%", "99.97分", "≥12场", "16场", "133%", "≥1500", "2014人次",
                   "≥60批次", "200人次", "87批次", "145%", "≥88家", "91家", "143条", "18次", "120%", "两项"):
        assert figure in numbers, figure
    # outline markers (一、 （一） （1） 1.), the page number and 附件 2 are not figures
    assert "2" not in numbers and "1" not in numbers
