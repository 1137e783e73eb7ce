"""Corpus loaders and Chinese, structure-aware chunking."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus import (ChunkConfig, _PROTECT, chunk_document, clean_text, iter_corpus_files,
                              load_corpus, load_document)
from index_fixtures import CORPUS, make_pdf

REPORT_000 = CORPUS / "reports" / "2023_港澳办_部门整体支出绩效自评报告.txt"
REPORT_003 = CORPUS / "reports" / "2023_港澳办_重点项目绩效评价报告_港澳商协会服务集聚区.txt"
FORM_004 = CORPUS / "forms" / "2023_港澳办_部门整体预算绩效目标申报表.txt"
BUDGET_LAW = CORPUS / "policy" / "预算法(2018-12-29).md"


# --- the shipped corpus ------------------------------------------------------------------------

def test_shipped_corpus_files():
    files = list(iter_corpus_files(CORPUS))
    names = {p.name for p in files}
    assert len([p for p in files if p.parent.name == "policy"]) == 29
    assert {REPORT_000.name, REPORT_003.name, FORM_004.name} <= names
    assert "SOURCES.md" not in names and "README.md" not in names  # provenance, not documents
    assert (CORPUS / "SOURCES.md").exists()


def test_seed_copies_are_byte_identical():
    shared = CORPUS.parent.parent / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared not present")
    pairs = {"000_9ff640a629268691.txt": REPORT_000, "003_8fed2af28fd1c843.txt": REPORT_003,
             "004_c969b87ca78ef0f5.txt": FORM_004}
    for seed, copy in pairs.items():
        assert (shared / seed).read_bytes() == copy.read_bytes()


def test_metadata_of_seeds_and_policies():
    d = load_document(REPORT_000, CORPUS)
    assert d.kind == "report" and d.year == 2023
    assert d.title == "2023年度广州南沙经济技术开发区港澳合作事务办公室部门整体支出绩效自评报告"
    assert d.issuer == "广州南沙经济技术开发区港澳合作事务办公室"
    f = load_document(FORM_004, CORPUS)
    assert f.kind == "form" and f.title == "部门整体预算绩效目标申报表"
    assert f.issuer == "广州南沙经济技术开发区港澳合作事务办公室"
    law = load_document(BUDGET_LAW, CORPUS)
    assert (law.kind, law.year, law.title) == ("policy", 2018, "中华人民共和国预算法")
    assert law.issuer == "全国人民代表大会"
    reg = load_document(CORPUS / "policy" / "政府采购法实施条例(2015-01-30).md", CORPUS)
    assert reg.issuer == "国务院"
    bj = load_document(CORPUS / "policy" / "北京市预算审查监督条例(2016-12-29).md", CORPUS)
    assert bj.issuer == "北京市人民代表大会常务委员会"


# --- chunking ----------------------------------------------------------------------------------

def _chunks(path):
    doc = load_document(path, CORPUS)
    return doc, chunk_document(doc)


def test_policy_chunks_follow_chapters_and_articles():
    doc, chunks = _chunks(BUDGET_LAW)
    c32 = next(c for c in chunks if "第三十二条 各级预算应当根据年度经济社会发展目标" in c.text)
    assert c32.section.startswith("第四章 预算编制")
    assert re.search(r"第三十二条|第三十[一二]条～第三十[二三四五]条", c32.section)
    # every article is found at the start of a line of some chunk, never cut in two mid-word
    for c in chunks:
        assert c.title == "中华人民共和国预算法" and c.kind == "policy" and c.year == 2018
        assert c.section == "" or not c.section.startswith(">")


def test_report_chunks_have_outline_paths():
    doc, chunks = _chunks(REPORT_000)
    sections = [c.section for c in chunks]
    assert any(s.startswith("一、部门基本情况 > （四）部门整体收支情况") for s in sections)
    assert any(s.startswith("二、绩效自评情况 > （二）履职效能分析") for s in sections)
    money = next(c for c in chunks if "2122.43" in c.text)
    # PDF-exported hard line breaks are joined in the chunk text
    assert "全年实际支出2115.30万元，年度执行率为 99.66%" in money.text
    assert "— 2 —" not in "".join(c.text for c in chunks)  # page footers dropped


def test_offsets_point_into_the_source_text():
    for path in (BUDGET_LAW, REPORT_000, REPORT_003, FORM_004):
        raw = path.read_text(encoding="utf-8")
        doc, chunks = _chunks(path)
        assert doc.text == raw
        for c in chunks:
            assert 0 <= c.start < c.end <= len(raw)
            assert clean_text(raw[c.start:c.end]) == c.text


def test_chunks_cover_the_documents():
    """Every non-blank line of every file lies inside some chunk."""
    for doc, chunks in load_corpus(CORPUS):
        covered = [False] * (len(doc.text) + 1)
        for c in chunks:
            for i in range(c.start, c.end):
                covered[i] = True
        pos = 0
        for line in doc.text.split("\n"):
            s = line.strip()
            if s and not re.fullmatch(r"[—\-]+\s*\d+\s*[—\-]+|<!--.*-->", s):
                first = pos + line.index(s[0])
                assert covered[first], (doc.name, line)
            pos += len(line) + 1


def test_chunk_sizes_and_overlap():
    cfg = ChunkConfig()
    sizes = []
    for doc, chunks in load_corpus(CORPUS):
        for a, b in zip(chunks, chunks[1:]):
            if a.section == b.section and b.start < a.end:  # pieces of one split section overlap a little
                assert a.end - b.start <= cfg.overlap_chars
        if doc.kind != "policy":  # policy passages are single articles, often shorter
            sizes += [c.end - c.start for c in chunks]
        assert max(c.end - c.start for c in chunks) <= cfg.max_chars + 80
    assert 150 <= sum(sizes) / len(sizes) <= 400


ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+条(?:之[一二三四五六七八九十]+)?[\s　（(]", re.M)


def test_every_article_is_a_passage_of_its_own():
    """No passage holds the opening of two articles; every article opens some passage, whose
    section path ends with that article under its chapter."""
    for doc, chunks in load_corpus(CORPUS):
        if doc.kind != "policy":
            continue
        opened = 0
        for c in chunks:
            heads = ARTICLE_LINE.findall(doc.text[c.start:c.end])
            assert len(heads) <= 1, (doc.name, c.section, heads)
            if heads:
                opened += 1
                label = heads[0].rstrip("（( 　\t")
                assert c.section.split(" > ")[-1] == label or f" > {label} > " in f" > {c.section} > ", (doc.name, c.section, label)
        assert opened == len(ARTICLE_LINE.findall(doc.text)), doc.name
    doc, chunks = _chunks(BUDGET_LAW)
    art57 = [c for c in chunks if c.section.endswith("第五十七条")]
    assert art57 and art57[0].section == "第六章 预算执行 > 第五十七条"
    assert "应当对预算支出情况开展绩效评价" in "".join(c.text for c in art57)


def test_reports_are_still_chunked_by_their_sections():
    """Article passages change nothing in a document without articles."""
    for path in (REPORT_000, REPORT_003, FORM_004):
        doc = load_document(path, CORPUS)
        spans = [(c.start, c.end, c.section) for c in chunk_document(doc)]
        assert spans == [(c.start, c.end, c.section)
                         for c in chunk_document(doc, ChunkConfig(article_passages=False))]
        assert len(spans) >= 5


def test_form_table_rows_stay_whole():
    """A table row is cut only when it alone is longer than a chunk may be (then at a sentence end)."""
    doc, chunks = _chunks(FORM_004)
    cfg = ChunkConfig()
    text = doc.text

    def line_at(pos):
        a = text.rfind("\n", 0, pos) + 1
        b = text.find("\n", pos)
        return text[a: b if b >= 0 else len(text)]

    for c in chunks:
        for pos in (c.start, c.end):
            at_line_edge = pos in (0, len(text)) or text[pos - 1] == "\n" or text[pos] == "\n"
            if not at_line_edge:
                assert len(line_at(pos)) > cfg.max_chars
                assert text[pos - 1] in "。；！？" or pos == c.start
    indicator = next(c for c in chunks if "接待来宾人数" in c.text)
    assert indicator.section.startswith("绩效指标") and indicator.kind == "form"


def test_document_numbers_and_figures_are_not_split():
    doc, chunks = _chunks(REPORT_003)
    assert any("穗南开管会纪〔2022〕9号" in c.text for c in chunks)


_sentence = st.builds(
    lambda a, n, b, doc: f"{a}{n}{b}{doc}。",
    st.text(alphabet="预算执行绩效评价资金项目部门", min_size=0, max_size=40),
    st.sampled_from(["2122.43万元", "99.66%", "≥1,500人次", "1.2万亩", "2.6亿元", "0.6-0.8"]),
    st.text(alphabet="，、预算资金完成率", min_size=0, max_size=30),
    st.sampled_from(["", "（穗南开管会纪〔2022〕9号）", "《关于印发2023年工作方案的通知》",
                     "“本单位主办活动次数≥3场”"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_sentence, min_size=5, max_size=40), st.integers(min_value=60, max_value=200))
def test_no_break_inside_figures_or_document_numbers(sentences, target):
    from assistant.corpus import SourceDoc

    text = "一、总体情况\n" + "".join(sentences) + "\n"
    doc = SourceDoc(path=None, rel="t.txt", name="t.txt", text=text, title="t", kind="report")
    cfg = ChunkConfig(target_chars=target, max_chars=target + 40, min_chars=30, overlap_chars=20)
    chunks = chunk_document(doc, cfg)
    spans = [(m.start(), m.end()) for m in _PROTECT.finditer(text) if m.end() - m.start() > 1]
    for c in chunks:
        for s, e in spans:
            assert not (s < c.start < e), (text[s:e], c.start)
            assert not (s < c.end < e), (text[s:e], c.end)
    assert chunks[0].start <= text.index("一、") and chunks[-1].end >= len(text.rstrip())


def test_sentence_splitting_prefers_sentence_ends():
    from assistant.corpus import SourceDoc

    body = "".join(f"第{i}句讲预算执行情况和绩效目标完成情况，资金{i}.5万元。" for i in range(40))
    doc = SourceDoc(path=None, rel="x.txt", name="x.txt", text="（一）执行情况\n" + body, title="x",
                    kind="report")
    chunks = chunk_document(doc, ChunkConfig(target_chars=150, max_chars=200, min_chars=40, overlap_chars=40))
    assert len(chunks) > 3
    for c in chunks[:-1]:
        assert c.text.endswith("。")
    for a, b in zip(chunks, chunks[1:]):
        assert 0 < a.end - b.start <= 40  # small overlap of whole sentences


# --- loaders -----------------------------------------------------------------------------------

def test_docx_headings_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("2024年度某局部门整体支出绩效自评报告", level=0)
    d.add_heading("一、部门基本情况", level=1)
    d.add_paragraph("2024年部门预算安排资金1000.00万元，实际支出950.00万元，执行率为95.00%。")
    d.add_heading("二、绩效指标完成情况", level=1)
    t = d.add_table(rows=3, cols=4)
    for r, row in enumerate([["一级指标", "三级指标", "年度指标值", "实际完成值"],
                             ["产出指标", "培训场次", "≥12场", "16场"],
                             ["满意度指标", "服务对象满意度", "≥90%", "96%"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    path = tmp_path / "report.docx"
    d.save(path)
    doc = load_document(path)
    assert doc.title == "2024年度某局部门整体支出绩效自评报告" and doc.year == 2024
    assert "## 一、部门基本情况" in doc.text
    assert "产出指标\t培训场次\t≥12场\t16场" in doc.text
    chunks = chunk_document(doc)
    table_chunk = next(c for c in chunks if "培训场次" in c.text)
    assert "二、绩效指标完成情况" in table_chunk.section
    assert doc.text[table_chunk.start:table_chunk.end].count("\t") >= 6


def test_pdf_text_layer_with_pages(tmp_path):
    path = make_pdf(tmp_path / "r.pdf", [["一、部门基本情况", "2023年部门预算安排资金2122.43万元。"],
                                         ["二、绩效自评情况", "自评得分99.97分，自评结果为优。"]])
    doc = load_document(path)
    assert "2122.43万元" in doc.text and "自评得分99.97分" in doc.text
    chunks = chunk_document(doc, ChunkConfig(target_chars=30, max_chars=40, min_chars=10))
    by_text = {c.location for c in chunks if "99.97" in c.text}
    assert by_text == {"第2页"}
    assert any(c.section.startswith("二、绩效自评情况") for c in chunks)


def test_xlsx_rows_as_header_value_text(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效指标"
    ws.append(["一级指标", "三级指标", "年度指标值", "实际完成值"])
    ws.append(["产出指标", "接待来宾人数", "≥800人次", "812人次"])
    ws.append(["满意度指标", "服务对象满意度", "≥85%", 0.93])
    path = tmp_path / "指标表.xlsx"
    wb.save(path)
    doc = load_document(path)
    assert doc.kind == "form"
    assert "一级指标: 产出指标；三级指标: 接待来宾人数；年度指标值: ≥800人次；实际完成值: 812人次" in doc.text
    chunks = chunk_document(doc)
    assert chunks and all(c.section.startswith("绩效指标") for c in chunks)
    assert chunks[0].location == "绩效指标 第2-3行"


def test_unsupported_file_type(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("a,b", encoding="utf-8")
    with pytest.raises(ValueError):
        load_document(p)


def test_gb18030_text_is_decoded(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes("关于2019年度部门预算绩效自评报告\n一、基本情况\n预算执行率为98.5%。".encode("gb18030"))
    doc = load_document(p)
    assert doc.title == "关于2019年度部门预算绩效自评报告" and "98.5%" in doc.text
