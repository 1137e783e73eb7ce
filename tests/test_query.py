"""Query understanding and its data files: the thesaurus, the framing and document-type cues, the
region table, article numbers and titles (`assistant/retrieval/query.py`, `regions.py`)."""
from __future__ import annotations

import re

import pytest

from assistant.retrieval.bm25 import tokenize
from assistant.retrieval.query import (CUES_FILE, THESAURUS_FILE, QueryReader, TitleMatcher, article_numbers,
                                       parse_cues, parse_thesaurus)
from assistant.retrieval.regions import REGIONS_FILE, parse_table, region_table
from index_fixtures import CORPUS

TITLES = TitleMatcher.of(["中华人民共和国预算法", "中华人民共和国预算法实施条例", "政府投资条例",
                          "青岛市预算绩效管理条例", "中华人民共和国审计法", "中华人民共和国审计法实施条例",
                          "2023年度广州南沙经济技术开发区港澳合作事务办公室部门整体支出绩效自评报告"])


@pytest.fixture(scope="module")
def reader():
    return QueryReader(titles=TITLES)


def _expanded(reader, question):
    return {t for t, w in reader.read(question).terms if w < 1.0}


# --- the thesaurus ----------------------------------------------------------------------------------

@pytest.mark.parametrize("question, corpus_words", [
    ("项目年底钱没花完怎么办", {"结转", "结余"}),
    ("年底账上还剩了些钱，明年还能用吗", {"结转", "结余"}),
    ("政采项目的合同要公开吗", {"政府", "采购"}),
    ("人代会开会前能先花钱吗", {"人民代表大会"}),
    ("绩效目标表怎么填", {"绩效目标申报表"}),
    ("这个项目能直接找一家供应商吗", {"单一来源"}),
    ("人大常委会审查决算", {"常务委员会"}),
])
def test_the_thesaurus_adds_the_corpus_words(reader, question, corpus_words):
    added = _expanded(reader, question)
    for word in corpus_words:
        assert set(tokenize(word)) <= added | {t for t, _ in reader.read(question).terms}, (word, added)
    assert all(0 < w < 1 for t, w in reader.read(question).terms if t in added)


def test_one_character_words_expand_only_as_whole_tokens():
    th = parse_thesaurus("花 => 支出\n政采 => 政府采购\n")
    assert th.expansions("钱花在哪", ["钱", "花", "哪"]) == ["支出"]
    assert th.expansions("花费多少", ["花费", "多少"]) == []          # 花 inside 花费 is not 花
    assert th.expansions("政采合同", ["政采", "合同"]) == ["政府采购"]


def test_the_thesaurus_file_is_well_formed():
    lines = [ln for ln in THESAURUS_FILE.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    lefts = []
    for ln in lines:
        assert ln.count("=>") == 1, ln
        left, right = (part.strip() for part in ln.split("=>"))
        assert left and right.split(), ln
        lefts.append(left)
    assert len(lefts) == len(set(lefts)), [w for w in lefts if lefts.count(w) > 1]
    th = parse_thesaurus(THESAURUS_FILE.read_text(encoding="utf-8"))
    assert len(th.phrases) >= 150


def test_thesaurus_targets_are_words_of_the_corpus():
    """Every right-hand word is written somewhere in the shipped corpus (or is a token of one):
    the thesaurus maps officers' words to the corpus's own."""
    text = "".join(p.read_text(encoding="utf-8") for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt"))
    th = parse_thesaurus(THESAURUS_FILE.read_text(encoding="utf-8"))
    missing = sorted({w for words in th.phrases.values() for w in words
                      if w not in text and not all(t in text for t in tokenize(w))})
    assert not missing, missing


# --- framing and document type ------------------------------------------------------------------------

@pytest.mark.parametrize("question, core", [
    ("预算法第五十七条最后一款原文怎么写？自评报告“评价依据”部分要引用", "预算法第五十七条最后一款原文怎么写"),
    ("我们办明年也要新设几个项目，领导让参考一下兄弟单位的做法。港澳办那份自评报告里，事前绩效评估是怎么做的",
     "我们办明年也要新设几个项目，港澳办那份自评报告里，事前绩效评估是怎么做的"),
    ("绩效目标表满意度那一栏，港澳办填的指标值是多少？我们单位也想照着定", "绩效目标表满意度那一栏，港澳办填的指标值是多少"),
    ("填部门整体绩效目标表的时候，基本支出和项目支出怎么区分？", "基本支出和项目支出怎么区分"),
    ("请问", "请问"),                                       # all framing: the question is kept whole
])
def test_framing_is_dropped_before_matching(reader, question, core):
    assert reader.read(question).core == core


@pytest.mark.parametrize("question, kind", [
    ("预算法实施条例第20条怎么界定绩效评价的", "policy"),
    ("在杭州写年度绩效自评报告，当地条例要求报告里必须说明哪些内容？", "policy"),   # the law is asked, not the report
    ("港澳办那份自评报告里，新设项目的事前绩效评估是怎么做的", "report"),
    ("往年报告里别人怎么写存在的问题", "report"),
    ("申报表里驻港办事机构那项重点任务拟投入多少钱", "form"),
    ("填部门整体绩效目标表的时候，基本支出和项目支出怎么区分？", None),        # the form is only the occasion
    ("预备费按支出额的多大比例设置", None),
])
def test_the_document_type_asked_for(reader, question, kind):
    assert reader.read(question).kind == kind


def test_the_cue_file_parses_and_keeps_its_order():
    cues = parse_cues(CUES_FILE.read_text(encoding="utf-8"))
    assert [k for k, _ in cues.kinds] == ["policy", "form", "report"] and cues.framing
    with pytest.raises(ValueError, match="unknown sections"):
        parse_cues("[laws]\n法\n")


# --- regions ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, names", [
    ("我们是青岛市级的预算部门", ["青岛市"]),
    ("浙江县里的财政局，年中要做预算调整", ["浙江省"]),
    ("对比一下北京和青岛", ["北京市", "青岛市"]),
    ("延边的州本级部门", ["延边朝鲜族自治州"]),
    ("部门预算什么时候公开", []),
])
def test_regions_named_in_a_question(question, names):
    assert [r.name for r in region_table().named_in(question)] == names


def test_the_region_of_a_document():
    table = region_table()
    assert [r.name for r in table.of_document("杭州市绩效管理条例")] == ["浙江省", "杭州市"]
    assert [r.name for r in table.of_document("浙江省预算审查监督条例")] == ["浙江省"]
    assert [r.name for r in table.of_document("2023年度广州南沙经济技术开发区港澳合作事务办公室部门整体支出绩效自评报告")] \
        == ["广东省", "广州市"]
    assert table.of_document("部门整体预算绩效目标申报表", "广州南沙经济技术开发区港澳合作事务办公室")[-1].name == "广州市"
    assert table.of_document("中华人民共和国预算法") == ()
    assert table.of_document("各级人民代表大会常务委员会监督法") == ()


def test_the_region_table_is_well_formed():
    table = parse_table(REGIONS_FILE.read_text(encoding="utf-8"))
    provinces = [r for r in table.regions if r.is_province]
    assert len(provinces) == 34
    names = [r.name for r in table.regions]
    assert len(names) == len(set(names))
    assert len(table.regions) > 330
    assert all(table.by_alias[r.province].is_province for r in table.regions)
    # every region of the shipped corpus is in the table
    for p in (CORPUS / "policy").glob("*.md"):
        m = re.match(r"(.{2,3}?[省市])", p.name)
        if m and not p.name.startswith(("中央", "各级")):
            assert table.named_in(m.group(1)), p.name


# --- articles and titles --------------------------------------------------------------------------------

@pytest.mark.parametrize("question, numbers", [
    ("预算法第六十九条怎么规定的", (69,)),
    ("预算法实施条例第20条", (20,)),
    ("第二十八条和第一百零三条", (28, 103)),
    ("第三条规定的情形", (3,)),
    ("预算执行情况", ()),
])
def test_article_numbers(question, numbers):
    assert article_numbers(question) == numbers


def test_titles_named_in_a_question(reader):
    assert reader.read("预算法实施条例第20条").titles == ("中华人民共和国预算法实施条例",)
    assert reader.read("预算法第五十七条").titles == ("中华人民共和国预算法",)
    assert set(reader.read("审计法和审计法实施条例分别怎么规定的").titles) == {
        "中华人民共和国审计法", "中华人民共和国审计法实施条例"}
    assert reader.read("国务院《政府投资条例》和郑州的条例").titles == ("政府投资条例",)
    assert reader.read("预备费按多大比例设置").titles == ()
