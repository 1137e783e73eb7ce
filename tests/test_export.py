"""Export: Markdown in outline order, and a .docx in 公文 layout opened back with python-docx."""
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
from assistant.export import to_docx, to_markdown

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEPT = EXAMPLES / "2023_港澳办_部门整体.yaml"
PROJECT = EXAMPLES / "2023_商协会服务集聚区_项目.yaml"


@pytest.fixture(scope="module")
def dept_draft() -> Draft:
    return draft_report(load(DEPT))


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
    assert grid.get(qn("w:linePitch")) == "579"                  # 28.95 pt: 22 lines a page
    text_width = (section.page_width - section.left_margin - section.right_margin) / 12700
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert round(text_width / char_pitch) == 28                  # 28 characters a line


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
    assert body_paragraph.paragraph_format.first_line_indent == Pt(32)


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
