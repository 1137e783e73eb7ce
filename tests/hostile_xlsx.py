"""Hostile .xlsx/.xlsm workbooks: far cells, bombs, broken parts, raw cells no reader expects, hidden sheets, rows and columns."""
from __future__ import annotations

import re
from pathlib import Path

from hostile_case import CaseList
from hostile_files import (
    Member,
    OLE,
    PNG,
    PROJECT_XLSX,
    SECRET,
    SST_HEAD,
    actual_cell,
    big_sheet,
    date_cell,
    deflate_bomb,
    dumped,
    members_of,
    money_cell,
    numerals,
    project,
    raw_cell,
    replaced,
    sheet_member,
    with_shared_strings,
    with_weights,
    workbook,
    write_zip,
)

CASES = CaseList()
case = CASES.case


@case("score", 0, "one value in cell XFD1048576 of the example workbook (5 GB today)", item="1",
      mentions=("XFD1048576",))
def xlsx_far_cell(folder: Path) -> Path:
    return workbook(folder, lambda book: book["绩效指标"].__setitem__("XFD1048576", "备注"))


@case("check", 0, "the XFD1048576 workbook as `check --data`", item="1")
def xlsx_far_cell_check(folder: Path) -> Path:
    return xlsx_far_cell(folder)


@case("score", 0, "one value in A200000 (15-21 s and 800 MB today)", item="1", mentions=("200000",))
def xlsx_far_row(folder: Path) -> Path:
    return workbook(folder, lambda book: book["绩效指标"].__setitem__("A200000", "产出指标"))


@case("score", 0, "a sheet that declares the dimension A1:XFD1048576 over its few cells", item="1")
def xlsx_dimension_lie(folder: Path) -> Path:
    path = workbook(folder)
    members = replaced(members_of(path), sheet_member(), lambda d: d.replace(b'<dimension ref="A1:F7"/>',
                                                                            b'<dimension ref="A1:XFD1048576"/>'))
    return write_zip(path, members)


@case("score", 2, "shared strings that inflate to 3 GiB from 3 MB", item="2", limit=True, bomb=True)
def xlsx_shared_strings_bomb(folder: Path) -> Path:
    path = workbook(folder)
    bomb = deflate_bomb("xl/sharedStrings.xml", SST_HEAD + b"<si><t>", b"A", 3 * 1024 ** 3, b"</t></si></sst>")
    return write_zip(path, with_shared_strings(members_of(path), bomb))


@case("score", 2, "a sheet that inflates to 1 GiB while its header says 4 KB", item="2", bomb=True)
def xlsx_bomb_size_lie(folder: Path) -> Path:
    path = workbook(folder)
    bomb = deflate_bomb(sheet_member(), b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b"<sheetData>", b'<row><c t="inlineStr"><is><t>x</t></is></c></row>', 1024 ** 3,
                        b"</sheetData></worksheet>")
    bomb.declared = 4096
    return write_zip(path, replaced(members_of(path), sheet_member(), bomb))


@case("score", 2, "a workbook with 10,000 extra zip members", item="2", limit=True)
def xlsx_10k_members(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, members_of(path) + [Member(f"xl/media/image{k}.png") for k in range(10_000)])


@case("score", 2, "a text file named .xlsx", item="")
def xlsx_is_text(folder: Path) -> Path:
    path = folder / "项目.xlsx"
    path.write_text(dumped(project()), encoding="utf-8")
    return path


@case("score", 2, "a PNG named .xlsx", item="")
def xlsx_is_png(folder: Path) -> Path:
    path = folder / "项目.xlsx"
    path.write_bytes(PNG)
    return path


@case("score", 2, "an empty .xlsx (0 bytes)", item="")
def xlsx_empty(folder: Path) -> Path:
    path = folder / "项目.xlsx"
    path.write_bytes(b"")
    return path


@case("score", 2, "an OLE container (an encrypted workbook or an old .xls) named .xlsx", item="")
def xlsx_ole(folder: Path) -> Path:
    path = folder / "项目.xlsx"
    path.write_bytes(OLE)
    return path


@case("score", 2, "the 绩效指标 sheet is a 0-byte zip member", item="6", where=("绩效指标",))
def xlsx_zero_byte_sheet(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, replaced(members_of(path), sheet_member(), b""))


@case("score", 2, "the 绩效指标 sheet's XML cut in half", item="6", where=("绩效指标",))
def xlsx_malformed_sheet(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, replaced(members_of(path), sheet_member(), lambda d: d[: len(d) // 2]))


@case("score", 2, "an external entity (XXE) in the 绩效指标 sheet pointing at a local file", item="",
      where=("绩效指标",))
def xlsx_xxe(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    path = workbook(folder)
    dtd = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode()
    members = replaced(members_of(path), sheet_member(), lambda d: dtd + re.sub(
        rb'(<c r="C2" t="inlineStr"><is><t>)[^<]*(</t>)', rb"\1&xxe;\2", d))
    return write_zip(path, members)


@case("score", 2, "billion laughs in the shared strings", item="2", bomb=True)
def xlsx_billion_laughs(folder: Path) -> Path:
    path = workbook(folder)
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{k} "{("&l%d;" % (k - 1)) * 10}">' for k in range(1, 10))
    sst = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'.encode() + SST_HEAD + b"<si><t>&l9;</t></si></sst>"
    return write_zip(path, with_shared_strings(members_of(path), Member("xl/sharedStrings.xml", sst)))


@case("score", 0, "an actual cell pointing at shared string 99999 of 1", item="6", review="实际完成值")
def xlsx_bad_shared_string_index(folder: Path) -> Path:
    path = raw_cell(folder, actual_cell(), 't="s"><v>99999</v>')
    sst = Member("xl/sharedStrings.xml", SST_HEAD + "<si><t>16场</t></si></sst>".encode())
    return write_zip(path, with_shared_strings(members_of(path), sst))


@case("score", 0, "a numeric actual cell holding NaN", item="6", review="实际完成值")
def xlsx_nan_actual(folder: Path) -> Path:
    return raw_cell(folder, actual_cell(), 't="n"><v>NaN</v>')


@case("score", 0, "a numeric actual cell holding `abc`", item="6", review="实际完成值")
def xlsx_abc_in_numeric_cell(folder: Path) -> Path:
    return raw_cell(folder, actual_cell(3), 't="n"><v>abc</v>')


@case("score", 2, "a numeric budget cell holding inf", item="6", where=("基本信息", "预算安排"))
def xlsx_inf_budget(folder: Path) -> Path:
    return raw_cell(folder, money_cell("预算安排"), 't="n"><v>inf</v>')


@case("score", 2, "spending of 1e309 (overflows to infinity)", item="6", where=("基本信息", "实际支出"))
def xlsx_spent_overflow(folder: Path) -> Path:
    return raw_cell(folder, money_cell("实际支出"), 't="n"><v>1e309</v>')


@case("score", 2, "a negative budget in the workbook", item="10", where=("基本信息", "预算安排"))
def xlsx_budget_negative(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(money_cell("预算安排")(book), "value", -152.5))


@case("score", 2, "a weight of 1e308 in the workbook", item="10", where=("绩效指标", "分值", "第2行"))
def xlsx_weight_1e308(folder: Path) -> Path:
    return workbook(folder, lambda book: with_weights(book, (1e308,) + (15,) * 5))


@case("score", 2, "a 1 MB inline string as an indicator name", item="", limit=True, where=("绩效指标", "三级指标"))
def xlsx_cell_1mb(folder: Path) -> Path:
    return raw_cell(folder, lambda book: book["绩效指标"]["C3"], f't="inlineStr"><is><t>{"名" * 350_000}</t></is>')


@case("score", 2, "an actual of 14,000 Chinese numerals in the workbook", item="3", limit=True,
      where=("绩效指标", "实际完成值"))
def xlsx_numerals_14k(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(actual_cell()(book), "value", numerals(14_000) + "场"))


@case("score", 2, "200,000 indicator rows present", item="1", limit=True, where=("绩效指标",))
def xlsx_200k_rows(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, replaced(members_of(path), sheet_member(), big_sheet(200_000, 6)))


@case("score", 2, "16,384 header cells present (every column Excel has)", item="1", limit=True, where=("绩效指标",))
def xlsx_16k_columns(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, replaced(members_of(path), sheet_member(), big_sheet(3, 16_384)))


@case("score", 0, "a merge over G1:XFD1048576, beside the table (empty cells): harmless", item="1")
def xlsx_merge_whole_sheet(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, replaced(members_of(path), sheet_member(), lambda d: d.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="G1:XFD1048576"/></mergeCells>')))


@case("score", 2, "100,000 nested elements inside one cell", item="6", where=("绩效指标",))
def xlsx_deep_xml(folder: Path) -> Path:
    return raw_cell(folder, actual_cell(), 't="inlineStr"><is>' + "<r>" * 100_000 + "</r>" * 100_000 + "</is>")


@case("score", 0, "a date-formatted actual with serial 1e10 (year 27 million)", item="", review="实际完成值")
def xlsx_date_overflow(folder: Path) -> Path:
    return date_cell(folder, "1e10")


@case("score", 0, "a date-formatted actual with serial -1 (no such date in Excel)", item="", review="实际完成值")
def xlsx_date_negative(folder: Path) -> Path:
    return date_cell(folder, "-1")


@case("score", 0, "the 绩效指标 sheet hidden: read, with a warning", item="10", mentions=("隐藏",))
def xlsx_hidden_sheet(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(book["绩效指标"], "sheet_state", "hidden"))


@case("score", 0, "an indicator row hidden: read, with a warning", item="10", mentions=("隐藏",))
def xlsx_hidden_row(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(book["绩效指标"].row_dimensions[4], "hidden", True))


@case("score", 0, "the 实际完成值 column hidden: read, with a warning", item="10", mentions=("隐藏",))
def xlsx_hidden_column(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(book["绩效指标"].column_dimensions["E"], "hidden", True))


@case("score", 0, "the example workbook named .xlsm: legal", item="")
def xlsm_plain(folder: Path) -> Path:
    path = folder / "项目.xlsm"
    path.write_bytes(PROJECT_XLSX.read_bytes())
    return path


@case("score", 2, "an .xlsm whose workbook part is 0 bytes", item="")
def xlsm_zero_byte_workbook(folder: Path) -> Path:
    path = workbook(folder, name="项目.xlsm")
    return write_zip(path, replaced(members_of(path), "xl/workbook.xml", b""))


@case("score", 0, "a zip member named ../../zip_slip_written.txt: never extracted", item="7",
      leaves_no=("../../zip_slip_written.txt", "../zip_slip_written.txt"))
def xlsx_zip_slip_member(folder: Path) -> Path:
    path = workbook(folder)
    return write_zip(path, members_of(path) + [Member("../../zip_slip_written.txt", b"written")])


@case("score", 0, "a workbook without the 绩效指标 sheet: the budget is scored, the missing sheet named", item="",
      mentions=("缺少工作表“绩效指标”",))
def xlsx_missing_sheet(folder: Path) -> Path:
    return workbook(folder, lambda book: book.remove(book["绩效指标"]))


@case("score", 0, "the sheet named 绩效指标 + a zero-width space", item="")
def xlsx_zero_width_sheet_name(folder: Path) -> Path:
    return workbook(folder, lambda book: setattr(book["绩效指标"], "title", "绩效指标\u200b"))


@case("score", 0, "cells with bidi overrides and zero-width characters: printable output", item="")
def xlsx_bidi_cells(folder: Path) -> Path:
    def edit(book):
        sheet = book["绩效指标"]
        sheet["C2"] = "\u202e" + str(sheet["C2"].value)
        sheet["C3"] = str(sheet["C3"].value) + "\u200b\ufeff\u2028"
    return workbook(folder, edit)
