"""Export: Markdown in outline order, and a .docx in 公文 layout opened back with python-docx (the
rendering through LibreOffice is measured in test_export_render.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.actuals import load
from assistant.drafting import draft_report
from assistant.drafting.report import Draft
from assistant.errors import JixiaoError
from assistant.export import to_docx, to_markdown, to_pdf
from assistant.export.page import GRID

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEPT = EXAMPLES / "2023_港澳办_部门整体.yaml"
PROJECT = EXAMPLES / "2023_商协会服务集聚区_项目.yaml"


@pytest.fixture(scope="module")
def dept_draft() -> Draft:
    return draft_report(load(DEPT))


@pytest.fixture(scope="module")
def project_evaluation():
    return load(PROJECT)


@pytest.fixture(scope="module")
def docx_file(dept_draft, tmp_path_factory) -> Path:
    return to_docx(dept_draft, tmp_path_factory.mktemp("export") / "报告.docx")


def _east_asian(run_or_style_element) -> str | None:
    r_pr = run_or_style_element.find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_markdown_follows_the_department_outline(dept_draft):
    markdown = to_markdown(dept_draft)
    assert markdown.startswith("# 2023年度广州南沙经济技术开发区港澳合作事务办公室部门整体支出绩效自评报告")
    order = ["## 一、部门基本情况", "## 二、绩效自评情况", "### （一）自评结论", "### （二）履职效能分析",
             "### （三）管理效率分析", "## 三、存在的主要问题", "## 四、下一步改进措施"]
    positions = [markdown.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert markdown.count("## 二、绩效自评情况") == 1


def test_markdown_follows_the_project_outline():
    markdown = to_markdown(draft_report(load(PROJECT)))
    order = ["## 一、评价项目概述", "## 二、项目绩效目标和绩效指标设定情况", "## 三、绩效评价组织情况",
             "## 四、绩效评价指标分析情况", "## 五、综合评价等级和评价结论", "## 六、主要经验做法、存在的问题和建议",
             "### （一）主要经验做法", "### （二）存在的问题", "### （三）改进建议", "## 七、绩效评价结果应用"]
    positions = [markdown.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert markdown.count("六、主要经验做法、存在的问题和建议") == 1


def test_docx_page_is_a4_with_official_margins_and_grid(docx_file):
    section = Document(str(docx_file)).sections[0]
    def mm(length) -> float:          # lengths are stored in twips: compare to 0.05 mm
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    text_height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert line_pitch == 579 and text_height // line_pitch == 22          # 28.95 pt: 22 lines a page
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096            # pt, as Word and WPS read it
    assert 28 * char_pitch <= text_width / 20 < 29 * char_pitch          # 28 characters a line


def test_grid_numbers_are_derived_from_the_page():
    assert (GRID.text_width, GRID.text_height) == (8845, 12756)
    assert (GRID.line_pitch, GRID.char_space) == (579, -842)
    assert round(GRID.libreoffice_cell, 2) == 314.65                    # twips, LibreOffice's reading of −842
    assert GRID.glyph_scale == 98 and 16 * 20 * GRID.glyph_scale / 100 <= GRID.libreoffice_cell
    assert GRID.indent(2) == 628 <= 2 * GRID.libreoffice_cell


def test_docx_normal_style_is_on_the_grid_in_simplified_chinese(docx_file):
    normal = Document(str(docx_file)).styles["Normal"].element
    r_pr = normal.find(qn("w:rPr"))
    assert r_pr.find(qn("w:w")).get(qn("w:val")) == "98"
    assert r_pr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert normal.find(qn("w:pPr")).find(qn("w:widowControl")).get(qn("w:val")) == "0"
    fonts = r_pr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia")} == {"仿宋_GB2312"}


def test_docx_declares_the_official_fonts_with_substitutes(docx_file):
    document = Document(str(docx_file))
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    table = parse_xml(document.part.part_related_by(RT.FONT_TABLE).blob)
    declared = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    expected = {"方正小标宋简体": "宋体", "黑体": "SimHei", "楷体_GB2312": "楷体", "仿宋_GB2312": "仿宋", "宋体": "SimSun"}
    for name, alt in expected.items():
        font = declared[name]
        assert font.find(qn("w:altName")).get(qn("w:val")) == alt
        assert font.find(qn("w:charset")).get(qn("w:val")) == "86"          # GB2312
    children = [c.tag.split("}")[1] for c in declared["仿宋_GB2312"]]
    assert children == ["altName", "panose1", "charset", "family", "pitch"]   # the schema's order


def test_docx_fonts_by_level(docx_file):
    document = Document(str(docx_file))
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and _east_asian(normal.element) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22) and _east_asian(title.runs[0]._element) == "方正小标宋简体"

    def first_run(text_start: str):
        paragraph = next(p for p in paragraphs if p.text.startswith(text_start))
        return paragraph.runs[0]

    assert _east_asian(first_run("一、部门基本情况")._element) == "黑体"
    assert _east_asian(first_run("（一）自评结论")._element) == "楷体_GB2312"
    body = first_run("1.亚洲青年领袖论坛推进工作任务")
    assert _east_asian(body._element) == "仿宋_GB2312" and body.font.size == Pt(16)
    body_paragraph = next(p for p in paragraphs if p.text.startswith("1.亚洲青年领袖论坛推进工作任务"))
    indent = body_paragraph._p.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"                  # two characters (Word, WPS)
    assert indent.get(qn("w:firstLine")) == str(GRID.indent(2))         # two grid cells (LibreOffice)
    assert title._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"   # 2号 is wider than a grid cell


def test_docx_footer_has_a_page_field_between_dashes(docx_file):
    document = Document(str(docx_file))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        instructions = [node.text for node in paragraph._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        for run in paragraph.runs:
            if run.text:
                assert run.font.size == Pt(14) and _east_asian(run._element) == "宋体"


def test_docx_highlights_marked_figures(tmp_path, dept_draft):
    section = dept_draft.sections[0].model_copy(update={"text": "全年实际支出【待核实：原文“9999万元”，数据中没有这个数字】。",
                                                        "status": "marked"})
    draft = dept_draft.model_copy(update={"sections": [section], "ok": False})
    document = Document(str(to_docx(draft, tmp_path / "marked.docx")))
    runs = [r for p in document.paragraphs for r in p.runs if "待核实" in r.text]
    assert runs and runs[0].font.highlight_color is not None and runs[0].font.bold


# --- tables ---------------------------------------------------------------------------------------

def test_indicator_section_carries_a_checked_table_its_text_unchanged(dept_draft):
    section = next(s for s in dept_draft.sections if s.key == "indicators")
    (table,) = section.tables
    assert table.header == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "得分"]
    assert len(table.rows) == 16 and table.status == "verified"
    row = next(r for r in table.rows if r[2].startswith("亚洲青年领袖设置各类会议场次"))
    assert row[0] == "产出指标" and row[3:] == ["≥12场", "16场", "133%", "6.25"]
    assert [r[0] for r in table.rows] == sorted((r[0] for r in table.rows), key=["产出指标", "效益指标"].index)
    assert "|" not in section.text and section.check.ok           # the text the checker verified is prose


def test_a_wrong_table_cell_is_marked(dept_draft):
    from assistant.drafting.tables import verified_table

    section = next(s for s in dept_draft.sections if s.key == "indicators")
    table = section.tables[0]
    rows = [list(r) for r in table.rows]
    rows[0][4] = "17场" if rows[0][4] == "16场" else "999场"      # an actual
    rows[1][5] = "101%" if rows[1][5] != "101%" else "102%"       # a completion rate
    checked = verified_table(table.model_copy(update={"rows": rows}), dept_draft.ledger)
    assert checked.status == "marked" and "【待核实" in checked.rows[0][4] and "【待核实" in checked.rows[1][5]
    assert sum("【待核实" in cell for row in checked.rows for cell in row) == 2
    assert [r[2:4] for r in checked.rows] == [r[2:4] for r in table.rows]   # names and targets as the data has them


def test_markdown_prints_the_indicator_table(dept_draft):
    markdown = to_markdown(dept_draft)
    table_start = markdown.index("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 完成率 | 得分 |")
    assert markdown.index("### （二）履职效能分析") < table_start < markdown.index("### （三）管理效率分析")
    assert "**绩效指标完成情况表**" in markdown and "|---|---|---|---|---|---|---|" in markdown


def test_docx_indicator_table_is_a_word_table(docx_file):
    document = Document(str(docx_file))
    (table,) = document.tables
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None          # repeated on every page
    assert [c.text.replace("\n", "") for c in header.cells] == ["一级指标", "二级指标", "三级指标", "年度指标值",
                                                                 "实际完成值", "完成率", "得分"]
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == GRID.text_width and widths[2] == max(widths)   # fitted; 三级指标 the widest
    cell_run = table.rows[1].cells[2].paragraphs[0].runs[0]
    assert _east_asian(cell_run._element) == "仿宋_GB2312" and cell_run.font.size == Pt(12)
    merged = table.rows[2].cells[0]._tc.tcPr.find(qn("w:vMerge"))
    assert merged is not None                                            # 产出指标 merged down its rows
    before = [p.text for p in document.paragraphs]
    assert "绩效指标完成情况表" in before


# --- outline, headings and the citations heading --------------------------------------------------

def test_a_heading_a_writer_repeats_is_printed_once(tmp_path, dept_draft):
    conclusion = next(s for s in dept_draft.sections if s.key == "conclusion")
    echoed = conclusion.model_copy(update={"text": f"{dept_draft.title}\n二、绩效自评情况\n## （一）自评结论\n"
                                                   + conclusion.text})
    draft = dept_draft.model_copy(update={"sections": [echoed]})
    markdown = to_markdown(draft)
    assert markdown.count("二、绩效自评情况") == 1 and markdown.count("（一）自评结论") == 1
    assert markdown.count(dept_draft.title) == 1
    texts = [p.text for p in Document(str(to_docx(draft, tmp_path / "echo.docx"))).paragraphs]
    assert texts.count("二、绩效自评情况") == 1 and texts.count("（一）自评结论") == 1 and texts.count(draft.title) == 1


def test_citations_follow_a_heading(tmp_path, dept_draft):
    citation = {"n": 1, "doc": "预算法实施条例(2020-08-03).md", "title": "预算法实施条例", "section": "第五十一条"}
    draft = dept_draft.model_copy(update={"citations": [citation]})
    markdown = to_markdown(draft)
    assert "## 附：引用来源\n\n[1] 《预算法实施条例》 第五十一条（预算法实施条例(2020-08-03).md）" in markdown
    texts = [p.text for p in Document(str(to_docx(draft, tmp_path / "cited.docx"))).paragraphs]
    assert texts[texts.index("附：引用来源") + 1].startswith("[1] 《预算法实施条例》")


def test_project_title_names_the_year_once(project_evaluation):
    from assistant.drafting import report_title

    named = project_evaluation.model_copy(update={"project": f"{project_evaluation.year}年度本专科生奖助学金"})
    assert report_title(named).count(f"{project_evaluation.year}年") == 1
    assert report_title(named).endswith("本专科生奖助学金项目支出绩效评价报告")
    other = project_evaluation.model_copy(update={"project": "2021年第一批中央大气污染防治资金"})
    assert "2021年第一批中央大气污染防治资金项目支出" in report_title(other)      # another year is part of the name
    assert report_title(project_evaluation).count("年度") == 1


# --- PDF ------------------------------------------------------------------------------------------

def test_pdf_without_libreoffice_says_so_in_chinese(monkeypatch, tmp_path, dept_draft):
    import assistant.export.pdf as pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert not pdf.pdf_available()
    with pytest.raises(JixiaoError, match="未安装 LibreOffice"):
        to_pdf(dept_draft, tmp_path / "报告.pdf")
    assert not (tmp_path / "报告.pdf").exists()
