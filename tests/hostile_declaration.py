"""Hostile 申报表 (.txt/.tsv/.docx): encodings, huge lines and tables, chained merges, nested tables, broken Word files."""
from __future__ import annotations

from pathlib import Path

from hostile_case import CaseList
from hostile_files import (
    Member,
    PNG,
    SECRET,
    binary_bytes,
    cell,
    declaration_body,
    declaration_grid,
    declaration_line,
    declaration_lines,
    declaration_table,
    document_xml,
    docx_text_bomb,
    dumped,
    nested_tables,
    numerals,
    paragraph,
    project,
    table,
    vmerge_rows,
    write_declaration_txt,
    write_docx,
)

CASES = CaseList()
case = CASES.case


@case("score", 2, "random bytes named .txt (a 申报表)", item="6")
def txt_binary(folder: Path) -> Path:
    path = folder / "2024_申报表.txt"
    path.write_bytes(binary_bytes())
    return path


@case("score", 2, "the 申报表 in UTF-16 (Notepad's 'Unicode')", item="6")
def txt_utf16(folder: Path) -> Path:
    return write_declaration_txt(folder, encoding="utf-16")


@case("score", 0, "the 申报表 with CR-only line ends", item="6")
def txt_cr_only(folder: Path) -> Path:
    return write_declaration_txt(folder, newline="\r")


@case("score", 0, "the 申报表 in GB18030: legal", item="")
def txt_gb18030(folder: Path) -> Path:
    return write_declaration_txt(folder, encoding="gb18030")


@case("score", 2, "an empty 申报表 .txt", item="")
def txt_empty(folder: Path) -> Path:
    path = folder / "2024_申报表.txt"
    path.write_bytes(b"")
    return path


@case("score", 2, "one 5 MB line in the 申报表", item="", limit=True, where=(f"第{declaration_line('部门名称')}行",))
def txt_line_5mb(folder: Path) -> Path:
    lines = declaration_lines()
    k = declaration_line("部门名称") - 1
    lines[k] = lines[k] + "\t" + "名" * 1_700_000
    return write_declaration_txt(folder, lines)


@case("score", 2, "a .tsv 申报表 row of 20,000 columns", item="", limit=True)
def tsv_20k_columns(folder: Path) -> Path:
    lines = declaration_lines()
    k = declaration_line("接待来宾人数") - 1
    lines[k] = lines[k] + "\t" * 20_000 + "备注"
    return write_declaration_txt(folder, lines, name="2024_申报表.tsv")


@case("score", 2, "a directory named 2024_申报表.txt", item="6")
def dir_named_txt(folder: Path) -> Path:
    path = folder / "2024_申报表.txt"
    path.mkdir()
    return path


@case("score", 2, "the 申报表 in UTF-8 with its 部门名称 line in GB18030", item="",
      where=(f"第{declaration_line('部门名称')}行",))
def txt_mixed_encoding(folder: Path) -> Path:
    lines = [line.encode("utf-8") for line in declaration_lines()]
    k = declaration_line("部门名称") - 1
    lines[k] = declaration_lines()[k].encode("gb18030")
    path = folder / "2024_申报表.txt"
    path.write_bytes(b"\n".join(lines))
    return path


@case("score", 2, "a 申报表 target of 56,000 Chinese numerals (156 s today)", item="3", limit=True,
      where=(f"第{declaration_line('接待来宾人数')}行",))
def txt_numerals_56k(folder: Path) -> Path:
    lines = declaration_lines()
    k = declaration_line("接待来宾人数") - 1
    lines[k] = lines[k].replace("≥800人次\t≥800人次", "≥800人次\t≥" + numerals(56_000) + "人次")
    return write_declaration_txt(folder, lines)


@case("score", 2, "a YAML file named .txt (no 申报表 in it)", item="")
def txt_is_yaml(folder: Path) -> Path:
    path = folder / "2024_申报表.txt"
    path.write_text(dumped(project()), encoding="utf-8")
    return path


@case("score", 2, "a PNG named .docx", item="")
def docx_is_png(folder: Path) -> Path:
    path = folder / "2024_申报表.docx"
    path.write_bytes(PNG)
    return path


@case("score", 2, "a text file named .docx", item="")
def docx_is_text(folder: Path) -> Path:
    path = folder / "2024_申报表.docx"
    path.write_text("\n".join(declaration_lines()), encoding="utf-8")
    return path


@case("score", 2, "an empty .docx (0 bytes)", item="")
def docx_empty(folder: Path) -> Path:
    path = folder / "2024_申报表.docx"
    path.write_bytes(b"")
    return path


@case("score", 2, "a document.xml that inflates to 2 GiB from 2 MB (3.1 GB today)", item="2", limit=True, bomb=True)
def docx_document_bomb(folder: Path) -> Path:
    return write_docx(folder, docx_text_bomb(2 * 1024 ** 3))


@case("score", 2, "document.xml cut in half", item="6")
def docx_malformed_xml(folder: Path) -> Path:
    data = document_xml(declaration_body())
    return write_docx(folder, data[: len(data) // 2])


@case("score", 2, "an external entity (XXE) in document.xml pointing at a local file", item="")
def docx_xxe(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    dtd = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = document_xml(declaration_body()).decode().split("?>", 1)[1].replace("广州南沙经济技术开发区港澳合作事务办公室",
                                                                               "&xxe;", 1)
    return write_docx(folder, (dtd + body).encode())


@case("score", 2, "billion laughs in document.xml", item="2", bomb=True)
def docx_billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{k} "{("&l%d;" % (k - 1)) * 10}">' for k in range(1, 10))
    body = document_xml(declaration_body()).decode().split("?>", 1)[1].replace("广州南沙经济技术开发区港澳合作事务办公室",
                                                                               "&l9;", 1)
    return write_docx(folder, (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + body).encode())


@case("score", 0, "a 申报表 with 3000 rows under three chained vertical merges (RecursionError today)", item="3")
def docx_3000_vmerge(folder: Path) -> Path:
    return write_docx(folder, declaration_body(declaration_table(vmerge_rows(3000))))


@case("check", 0, "the 3000-merge 申报表 as `check --data`", item="3")
def docx_3000_vmerge_check(folder: Path) -> Path:
    return docx_3000_vmerge(folder)


@case("score", 0, "the 申报表 table nested inside a layout table (read, not dropped)", item="10",
      mentions=("接待来宾人数",))
def docx_nested_declaration(folder: Path) -> Path:
    title, _ = declaration_grid()
    outer = table([[cell(inner=declaration_table())]], 1)
    return write_docx(folder, paragraph(title) + outer)


@case("score", 2, "tables nested 500 deep", item="", limit=True)
def docx_nested_500(folder: Path) -> Path:
    return write_docx(folder, declaration_body() + nested_tables(500))


@case("score", 2, "a .docx with 10,000 extra zip members", item="2", limit=True)
def docx_10k_members(folder: Path) -> Path:
    return write_docx(folder, declaration_body(), extra=[Member(f"word/media/image{k}.png") for k in range(10_000)])


@case("score", 2, "document.xml is a 0-byte member", item="6")
def docx_zero_byte_document(folder: Path) -> Path:
    return write_docx(folder, b"")


@case("score", 2, "a .docx with paragraphs and no table", item="")
def docx_no_table(folder: Path) -> Path:
    return write_docx(folder, "".join(paragraph(line) for line in declaration_lines() if line.strip()))


@case("score", 2, "a 申报表 table of 100,000 rows", item="", limit=True)
def docx_100k_rows(folder: Path) -> Path:
    rows = [[cell(""), cell(""), cell(""), cell(f"指标{k}"), cell("≥1次"), cell("≥1次")] for k in range(100_000)]
    return write_docx(folder, declaration_body(declaration_table(rows)))


@case("score", 2, "a 申报表 cell spanning 100,000 grid columns", item="", limit=True)
def docx_gridspan_huge(folder: Path) -> Path:
    rows = [[cell(""), cell("产出指标"), cell("数量指标"), cell("跨列指标", span=100_000), cell("≥1次"), cell("≥1次")]]
    return write_docx(folder, declaration_body(declaration_table(rows)))


@case("score", 0, "申报表 cells with bidi overrides and zero-width spaces: printable output", item="")
def docx_bidi_zero_width(folder: Path) -> Path:
    rows = [[cell(""), cell(""), cell(""), cell("\u202e媒体\u200b报道次数\u2066"), cell("≥1次"), cell("≥1次")]]
    return write_docx(folder, declaration_body(declaration_table(rows)))
