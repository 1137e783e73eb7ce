"""Hostile corpus documents for `jixiao audit`, `jixiao check TEXT` and `jixiao index build`: .md/.txt/.pdf/.docx/.xlsx."""
from __future__ import annotations

from pathlib import Path

from hostile_case import CaseList
from hostile_files import (
    HELLO,
    SST_HEAD,
    binary_bytes,
    cell,
    declaration_body,
    declaration_table,
    deflate_bomb,
    document_xml,
    docx_text_bomb,
    members_of,
    nested_tables,
    numerals,
    paragraph,
    pdf,
    pdf_page,
    replaced,
    sheet_member,
    table,
    vmerge_rows,
    with_shared_strings,
    workbook,
    write_bytes,
    write_docx,
    write_zip,
)

CASES = CaseList()
case = CASES.case


@case("audit", 0, "a report line of 56,000 Chinese numerals with a measure word (156 s in the parser today)",
      item="3")
def audit_numerals_md(folder: Path) -> Path:
    path = folder / "报告.md"
    path.write_text("# 自评报告\n\n实际完成" + numerals(56_000) + "场。\n", encoding="utf-8")
    return path


@case("audit", 0, "10,000 seed-000-style indicator lines that all hold", item="3")
def audit_10k_statements(folder: Path) -> Path:
    line = "对应产出指标为“亚洲青年领袖设置各类会议场次≥12场”，实际完成16场，完成率133%。\n"
    path = folder / "报告.txt"
    path.write_text("# 自评报告\n\n" + line * 10_000, encoding="utf-8")
    return path


@case("audit", 2, "a text file named .pdf", item="")
def audit_pdf_is_text(folder: Path) -> Path:
    return write_bytes(folder, "报告.pdf", "这不是PDF".encode("utf-8"))


@case("audit", 2, "a PDF cut in half", item="6")
def audit_pdf_truncated(folder: Path) -> Path:
    data = pdf_page(HELLO)
    return write_bytes(folder, "报告.pdf", data[: len(data) // 2])


@case("audit", 2, "a PDF content stream that inflates to 1 GiB", item="2", limit=True, bomb=True)
def audit_pdf_flate_bomb(folder: Path) -> Path:
    stream = deflate_bomb("", b"BT /F1 12 Tf 72 720 Td (", b"A", 1024 ** 3, b") Tj ET", zlib_wrapped=True)
    return write_bytes(folder, "报告.pdf", pdf_page(stream, filtered=True))


@case("audit", 0, "a PDF resource dictionary nested 100,000 arrays deep: the page's text is still read", item="6")
def audit_pdf_deep_arrays(folder: Path) -> Path:
    return write_bytes(folder, "报告.pdf", pdf_page(HELLO, resources=b"<< /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>"))


@case("audit", 2, "a PDF page tree whose Pages node is its own kid", item="")
def audit_pdf_page_loop(folder: Path) -> Path:
    return write_bytes(folder, "报告.pdf", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))


@case("audit", 2, "a report .docx whose document.xml inflates to 1 GiB", item="2", limit=True, bomb=True)
def audit_docx_bomb(folder: Path) -> Path:
    return write_docx(folder, docx_text_bomb(1024 ** 3), name="报告.docx")


@case("audit", 0, "a report .docx with 3000 rows under vertical merges", item="3")
def audit_docx_3000_vmerge(folder: Path) -> Path:
    return write_docx(folder, declaration_body(declaration_table(vmerge_rows(3000))), name="报告.docx")


@case("audit", 2, "a report .docx with tables nested 500 deep", item="", limit=True)
def audit_docx_nested_500(folder: Path) -> Path:
    return write_docx(folder, paragraph("自评报告") + nested_tables(500), name="报告.docx")


@case("audit", 0, "a report .docx with a table nested in a table: read", item="10")
def audit_docx_nested_table(folder: Path) -> Path:
    return write_docx(folder, paragraph("自评报告") + table([[cell(inner=declaration_table())]], 1), name="报告.docx")


@case("audit", 0, "a report .xlsx with one value in XFD1048576", item="1")
def audit_xlsx_far_cell(folder: Path) -> Path:
    return workbook(folder, lambda book: book["绩效指标"].__setitem__("XFD1048576", "备注"), name="报告.xlsx")


@case("audit", 0, "a report .xlsx declaring dimension A1:XFD1048576", item="1")
def audit_xlsx_dimension_lie(folder: Path) -> Path:
    path = workbook(folder, name="报告.xlsx")
    return write_zip(path, replaced(members_of(path), sheet_member(), lambda d: d.replace(
        b'<dimension ref="A1:F7"/>', b'<dimension ref="A1:XFD1048576"/>')))


@case("audit", 2, "a report .xlsx whose shared strings inflate to 1 GiB", item="2", limit=True, bomb=True)
def audit_xlsx_shared_strings_bomb(folder: Path) -> Path:
    path = workbook(folder, name="报告.xlsx")
    bomb = deflate_bomb("xl/sharedStrings.xml", SST_HEAD + b"<si><t>", b"A", 1024 ** 3, b"</t></si></sst>")
    return write_zip(path, with_shared_strings(members_of(path), bomb))


@case("audit", 2, "random bytes named .md", item="")
def audit_md_binary(folder: Path) -> Path:
    return write_bytes(folder, "报告.md", binary_bytes())


@case("audit", 2, "a report .md in UTF-16", item="")
def audit_md_utf16(folder: Path) -> Path:
    return write_bytes(folder, "报告.md", "# 自评报告\n\n预算执行率99.66%。\n".encode("utf-16"))


@case("audit", 0, "an empty report .md: nothing to audit", item="")
def audit_md_empty(folder: Path) -> Path:
    return write_bytes(folder, "报告.md", b"")


@case("audit", 2, "a directory named 报告.md", item="6")
def audit_dir_named_md(folder: Path) -> Path:
    path = folder / "报告.md"
    path.mkdir()
    return path


@case("check-text", 2, "random bytes as the text to check", item="6")
def check_text_binary(folder: Path) -> Path:
    return write_bytes(folder, "草稿.txt", binary_bytes())


@case("check-text", 2, "the text to check in UTF-16", item="6")
def check_text_utf16(folder: Path) -> Path:
    return write_bytes(folder, "草稿.txt", "本单位预算执行率99.66%。".encode("utf-16"))


@case("check-text", 0, "56,000 Chinese numerals with no measure word: no figure, nothing to flag", item="3")
def check_text_numerals(folder: Path) -> Path:
    path = folder / "草稿.txt"
    path.write_text("本单位按计划开展工作。" + numerals(56_000) + "。\n", encoding="utf-8")
    return path


@case("index", 2, "a corpus .docx whose document.xml inflates to 1 GiB", item="2", limit=True, bomb=True)
def index_docx_bomb(folder: Path) -> Path:
    return write_docx(folder, docx_text_bomb(1024 ** 3), name="往年报告.docx")


@case("index", 2, "a corpus PDF whose content stream inflates to 1 GiB", item="2", limit=True, bomb=True)
def index_pdf_bomb(folder: Path) -> Path:
    stream = deflate_bomb("", b"BT /F1 12 Tf 72 720 Td (", b"A", 1024 ** 3, b") Tj ET", zlib_wrapped=True)
    return write_bytes(folder, "政策.pdf", pdf_page(stream, filtered=True))


@case("index", 0, "a corpus .xlsx with one value in XFD1048576", item="1")
def index_xlsx_far_cell(folder: Path) -> Path:
    return workbook(folder, lambda book: book["绩效指标"].__setitem__("XFD1048576", "备注"), name="往年指标.xlsx")


@case("index", 0, "a corpus .xlsx declaring dimension A1:XFD1048576", item="1")
def index_xlsx_dimension_lie(folder: Path) -> Path:
    return audit_xlsx_dimension_lie(folder)


@case("index", 2, "random bytes named .md in the corpus", item="")
def index_md_binary(folder: Path) -> Path:
    return write_bytes(folder, "政策.md", binary_bytes())


@case("index", 2, "a corpus .docx with document.xml cut in half", item="6")
def index_docx_malformed(folder: Path) -> Path:
    data = document_xml(paragraph("某办法") + paragraph("第一条 本办法适用于预算绩效管理。"))
    return write_docx(folder, data[: len(data) // 2], name="办法.docx")


@case("index", 0, "corpus files with path-like names (spaces, .., a leading dash, bidi, a newline)", item="")
def index_path_like_names(folder: Path) -> Path:
    text = "# 某办法\n\n第一条 本办法适用于预算绩效管理。\n"
    (folder / "a b").mkdir()
    for name in ("a b/政策 一.md", "..政策.md", "-rf.md", "\u202e政策dm.md", "换\n行.md"):
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "a b" / "政策 一.md"


@case("index", 0, "a corpus report of 56,000 Chinese numerals", item="3")
def index_numerals_md(folder: Path) -> Path:
    path = folder / "报告.md"
    path.write_text("# 自评报告\n\n" + numerals(56_000) + "\n", encoding="utf-8")
    return path


@case("index", 2, "a corpus report over the index's character limit (400,000): refused before anything is embedded",
      item="3", limit=True)
def index_text_over_limit(folder: Path) -> Path:
    path = folder / "汇编.md"
    line = "本单位按照预算绩效管理要求开展工作，完成年度目标任务。\n"
    path.write_text("# 政策汇编\n\n" + line * (400_000 // len(line) + 1), encoding="utf-8")
    return path
