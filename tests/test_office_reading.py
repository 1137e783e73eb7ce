"""Reading Office and text files within stated limits: the archive check before any parsing, worksheets
by the cells present, Word bodies streamed with nested tables and merges, text files that are no text,
and the index build's reasons. Real files (written by openpyxl or by hand as zips), real parsers."""
from __future__ import annotations

import zipfile

import pytest
from pypdf.errors import LimitReachedError

import hostile_files as files
from assistant.actuals import load
from assistant.archives import open_archive
from assistant.documents import decoded_text, read_document
from assistant.errors import DataError, DataErrors
from assistant.limits import ARCHIVE, DOCUMENT, SHEET
from assistant.loaders import read_raw
from assistant.loaders.declaration import grid_of
from assistant.retrieval.build import failure_reason
from assistant.sheets import open_book
from assistant.word import read_word


def message(error: pytest.ExceptionInfo) -> str:
    return str(error.value)


# --- the archive ---------------------------------------------------------------------------------

def test_too_many_parts_are_refused_from_the_directory(tmp_path):
    path = files.workbook(tmp_path)
    files.write_zip(path, files.members_of(path) + [files.Member(f"xl/media/{k}.png") for k in range(ARCHIVE.members)])
    with pytest.raises(DataErrors) as error:
        open_archive(path, "Excel")
    assert f"超过部件数上限（{ARCHIVE.members}个）" in message(error) and "项目.xlsx" in message(error)


def test_a_bomb_is_refused_by_its_stated_size_before_it_is_inflated(tmp_path):
    path = files.workbook(tmp_path)
    bomb = files.deflate_bomb("xl/sharedStrings.xml", files.SST_HEAD + b"<si><t>", b"A", 256 * 1024 ** 2,
                              b"</t></si></sst>")
    files.write_zip(path, files.with_shared_strings(files.members_of(path), bomb))
    with pytest.raises(DataErrors) as error:
        load(path)
    assert "部件“xl/sharedStrings.xml”解压后256.0MB，超过单个部件的大小上限（64.0MB）" in message(error)


def test_a_part_that_lies_about_its_size_fails_when_read(tmp_path):
    path = files.workbook(tmp_path)
    lying = files.Member(files.sheet_member(), b"<worksheet>" + b" " * 9000 + b"</worksheet>", declared=64)
    files.write_zip(path, files.replaced(files.members_of(path), files.sheet_member(), lying))
    with pytest.raises(DataErrors) as error:
        load(path)
    assert "工作表“绩效指标”" in message(error) and "压缩数据损坏" in message(error)


# --- worksheets ----------------------------------------------------------------------------------

def test_a_far_cell_is_a_stray_named_in_a_warning_and_the_table_reads_as_it_is(tmp_path):
    path = files.workbook(tmp_path, lambda book: book["绩效指标"].__setitem__("XFD1048576", "备注"))
    sheet = open_book(path)["绩效指标"]
    assert [number for number, _ in sheet.rows] == list(range(1, 8)) and len(sheet.rows[0][1]) == 6
    assert sheet.stray == ["XFD1048576"]
    raw = read_raw(path)
    assert any("XFD1048576" in w and f"超过{SHEET.stray_gap}个空行或空列" in w for w in raw.warnings)
    assert len(raw.indicators) == 6


def test_the_declared_dimension_is_never_read(tmp_path):
    path = files.workbook(tmp_path)
    files.write_zip(path, files.replaced(files.members_of(path), files.sheet_member(), lambda d: d.replace(
        b'<dimension ref="A1:F7"/>', b'<dimension ref="A1:XFD1048576"/>')))
    assert len(open_book(path)["绩效指标"].rows) == 7


def test_hidden_sheets_rows_and_columns_are_read_with_a_warning(tmp_path):
    def hide(book):
        book["资金明细"].sheet_state = "hidden"
        book["绩效指标"].row_dimensions[4].hidden = True
        book["绩效指标"].column_dimensions["E"].hidden = True
    raw = read_raw(files.workbook(tmp_path, hide))
    warnings = "\n".join(raw.warnings)
    assert "工作表“资金明细”是隐藏的工作表，已照常读取" in warnings
    assert "工作表“绩效指标”的第4行是隐藏行" in warnings and "工作表“绩效指标”的E列是隐藏列" in warnings
    assert len(raw.indicators) == 6 and raw.by_item


@pytest.mark.parametrize("xml, reason", [
    ('t="s"><v>99999</v>', "共享字符串（序号99999）在文件中不存在"),
    ('t="n"><v>abc</v>', "存为数字，但内容不是数字"),
])
def test_a_cell_the_xml_breaks_is_a_review_item_naming_the_cell(tmp_path, xml, reason):
    path = files.raw_cell(tmp_path, files.actual_cell(), xml)
    evaluation = load(path)
    items = [item for indicator in evaluation.indicators for item in indicator.review]
    assert any(item.column == "实际完成值" and reason in item.reason and "单元格E2" in item.reason for item in items)


def test_a_date_serial_no_calendar_has_is_a_review_item(tmp_path):
    evaluation = load(files.date_cell(tmp_path, "1e10"))
    items = [item for indicator in evaluation.indicators for item in indicator.review]
    assert any("日期序号1e10不对应任何日期" in item.reason for item in items)


def test_a_sheet_over_the_row_and_column_limits_is_refused_naming_the_limit(tmp_path):
    path = files.workbook(tmp_path)
    files.write_zip(path, files.replaced(files.members_of(path), files.sheet_member(), files.big_sheet(3, SHEET.columns + 1)))
    with pytest.raises(DataErrors) as error:
        load(path)
    assert f"工作表“绩效指标”：第1行有{SHEET.columns + 1}列，超过列数上限（{SHEET.columns}列）" in message(error)


def test_a_long_cell_is_refused_naming_its_sheet_row_and_header(tmp_path):
    path = files.workbook(tmp_path, lambda book: setattr(files.actual_cell()(book), "value", "场" * (SHEET.cell_chars + 1)))
    with pytest.raises(DataErrors) as error:
        load(path)
    assert f"工作表“绩效指标”，第2行，“实际完成值”列：单元格E2有{SHEET.cell_chars + 1}字，超过单元格字数上限" in message(error)


def test_a_dtd_in_a_sheet_is_refused_naming_the_sheet(tmp_path):
    path = files.workbook(tmp_path)
    files.write_zip(path, files.replaced(files.members_of(path), files.sheet_member(),
                                         lambda d: b'<?xml version="1.0"?><!DOCTYPE worksheet []>' + d.split(b"?>", 1)[-1]))
    with pytest.raises(DataErrors) as error:
        load(path)
    assert "工作表“绩效指标”：工作表含有DTD或实体声明" in message(error)


# --- Word ----------------------------------------------------------------------------------------

def test_a_table_nested_in_a_layout_table_is_read(tmp_path):
    title, _ = files.declaration_grid()
    path = files.write_docx(tmp_path, files.paragraph(title) + files.table([[files.cell(inner=files.declaration_table())]], 1))
    document = read_word(path)
    outer, inner = document.tables()
    assert (outer.depth, inner.depth) == (1, 2) and outer.rows[0][0].tables == [inner]
    assert any("接待来宾人数" in cell.text for row in inner.rows for cell in row)
    assert any("接待来宾人数" in line for line in read_document(path).text.splitlines())


def test_chained_vertical_merges_read_blank_in_the_grid_and_repeated_in_the_text(tmp_path):
    path = files.write_docx(tmp_path, files.declaration_body(files.declaration_table(files.vmerge_rows(3000))))
    grid = grid_of(path)
    merged = [cells for _, cells in grid.rows if cells[3].startswith("合并指标")]
    assert len(merged) == 3000 and merged[0][1] == "产出指标" and all(cells[1] == "" for cells in merged[1:])
    lines = [line for line in read_document(path).text.splitlines() if "合并指标" in line]
    assert len(lines) == 3000 and all(line.split("\t")[1] == "产出指标" for line in lines)


def test_word_limits_name_themselves(tmp_path):
    deep = files.write_docx(tmp_path, files.nested_tables(DOCUMENT.table_nesting), name="深.docx")
    with pytest.raises(DataErrors) as error:
        read_word(deep)
    assert f"表格套表格超过嵌套层数上限（{DOCUMENT.table_nesting}层）" in message(error)
    wide = [[files.cell("跨列", span=SHEET.columns + 1)]]
    with pytest.raises(DataErrors) as error:
        read_word(files.write_docx(tmp_path, files.table(wide, 1), name="宽.docx"))
    assert f"超过列数上限（{SHEET.columns}列）" in message(error)
    long = [[files.cell(f"{k}")] for k in range(DOCUMENT.table_rows + 1)]
    with pytest.raises(DataErrors) as error:
        read_word(files.write_docx(tmp_path, files.table(long, 1), name="长.docx"))
    assert f"表格超过行数上限（{DOCUMENT.table_rows}行）" in message(error)


def test_headings_and_the_reading_order_of_a_word_file():
    text = read_document(files.EXAMPLES / "2024_港澳办_申报表.docx").text
    assert text.index("部门名称") < text.index("绩效指标") and "\t" in text


# --- text files ----------------------------------------------------------------------------------

def test_binary_utf16_and_mixed_encodings_are_refused_naming_the_line(tmp_path):
    cases = {
        "二进制.txt": (b"line one\nline two\x00\x01\x02\n", "第2行：文件含有控制字符"),
        "utf16.txt": ("预算执行率99.66%".encode("utf-16"), "文件是UTF-16编码"),
        "混合.txt": ("第一行\n第二行\n".encode("utf-8") + "第三行".encode("gb18030") + b"\n", "第3行：该行不是UTF-8编码"),
    }
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DataErrors) as error:
            decoded_text(path)
        assert expected in message(error) and name in message(error)
    gb = tmp_path / "gb.txt"
    gb.write_bytes("预算执行率99.66%\n".encode("gb18030"))
    assert decoded_text(gb) == "预算执行率99.66%\n"


def test_a_declaration_line_over_the_cell_limit_is_refused_naming_the_line(tmp_path):
    lines = files.declaration_lines()
    k = files.declaration_line("部门名称")
    lines[k - 1] += "\t" + "名" * (SHEET.cell_chars + 1)
    column = lines[k - 1].count("\t") + 1
    with pytest.raises(DataErrors) as error:
        load(files.write_declaration_txt(tmp_path, lines))
    assert f"第{k}行，“第{column}列”列：单元格有{SHEET.cell_chars + 1}字，超过单元格字数上限" in message(error)


# --- the index build's reasons -------------------------------------------------------------------

def test_index_failures_say_why_in_chinese():
    assert failure_reason(LimitReachedError("Limit reached while decompressing")) == "文件解压后超过上限"
    refused = DataErrors([DataError("部件“word/document.xml”解压后1024.0MB，超过单个部件的大小上限（64.0MB）", "x.docx")])
    assert failure_reason(refused) == "部件“word/document.xml”解压后1024.0MB，超过单个部件的大小上限（64.0MB）"
    located = DataErrors([DataError("有值的行超过行数上限（50000行）", "x.xlsx", sheet="明细")])
    assert failure_reason(located) == "工作表“明细”：有值的行超过行数上限（50000行）"
    assert failure_reason(zipfile.BadZipFile("File is not a zip file")) == "压缩包损坏（不是有效的Office文件）"
