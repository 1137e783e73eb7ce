"""Writing hostile files of every format jixiao reads: hand-made zips (members that are bombs, lie
about their size or have any name), deflate bombs, minimal Word and PDF files, and the example
data (seed 003's project, seed 004's 申报表) as YAML, JSON, CSV and XLSX to change one cell of.
Nothing here decides what a file should give: the case modules do (see `hostile.py`)."""
from __future__ import annotations

import csv
import io
import json
import random
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROJECT_YAML = EXAMPLES / "2023_商协会服务集聚区_项目.yaml"
PROJECT_XLSX = EXAMPLES / "2023_商协会服务集聚区_项目.xlsx"
DEPT_YAML = EXAMPLES / "2023_港澳办_部门整体.yaml"
DECLARATION_TXT = EXAMPLES / "2024_港澳办_申报表.txt"
SECRET = "HOSTILE-SECRET-16"              # the content of a file an XML entity points at
NUMERALS = "一二三四五六七八九十"


# --- zips and bombs -------------------------------------------------------------------------------

@dataclass
class Member:
    """One zip member: `data` compressed here, or `deflated` already (a raw deflate stream of `size`
    bytes with `crc`). `declared` is the uncompressed size the headers state (a lie when it differs)."""
    name: str
    data: bytes = b""
    deflated: bytes | None = None
    size: int = 0
    crc: int = 0
    declared: int | None = None


def write_zip(path: Path, members: list[Member]) -> Path:
    """A zip written by hand, so that members can be bombs, lie about their size or have any name."""
    central = []
    with open(path, "wb") as out:
        for m in members:
            if m.deflated is None:
                packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                body, size, crc = packer.compress(m.data) + packer.flush(), len(m.data), zlib.crc32(m.data)
            else:
                body, size, crc = m.deflated, m.size, m.crc
            shown = size if m.declared is None else m.declared
            name = m.name.encode("utf-8")
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, 0, 0x21, crc, len(body), shown,
                                  len(name), 0) + name)
            out.write(body)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, 0, 0x21, crc,
                                       len(body), shown, len(name), 0, 0, 0, 0, 0, offset) + name)
        start = out.tell()
        out.write(b"".join(central))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start,
                              start, 0))
    return path


def members_of(path: Path) -> list[Member]:
    with zipfile.ZipFile(path) as z:
        return [Member(i.filename, z.read(i.filename)) for i in z.infolist()]


def replaced(members: list[Member], name: str, change: Callable[[bytes], bytes] | bytes | Member) -> list[Member]:
    """`members` with member `name` changed (a function of its bytes, new bytes, or a new Member)."""
    out = []
    for m in members:
        if m.name == name:
            if isinstance(change, Member):
                m = change
            else:
                m = Member(name, change(m.data) if callable(change) else change)
        out.append(m)
    assert any(m.name == name for m in out), name
    return out


BOMB_SEGMENT = 1 << 24                   # 16 MiB of filler, deflated once and repeated


def deflate_bomb(name: str, prefix: bytes, filler: bytes, size: int, suffix: bytes, *, zlib_wrapped: bool = False):
    """A member (or, with `zlib_wrapped`, a zlib stream for a PDF) that inflates to `prefix`,
    `size` bytes of `filler` repeated, then `suffix`, at about 1000:1. The filler segment is
    deflated once after a full flush and repeated: each copy decodes on its own."""
    block = filler * (BOMB_SEGMENT // len(filler))
    count = max(1, size // len(block))

    def deflated(data: bytes, final: bool) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)
    body = deflated(prefix, False) + deflated(block, False) * count + deflated(suffix, True)
    crc, adler = zlib.crc32(prefix), zlib.adler32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
        if zlib_wrapped:
            adler = zlib.adler32(block, adler)
    crc, adler = zlib.crc32(suffix, crc), zlib.adler32(suffix, adler)
    total = len(prefix) + count * len(block) + len(suffix)
    if zlib_wrapped:
        return b"\x78\xda" + body + struct.pack(">I", adler)
    return Member(name, deflated=body, size=total, crc=crc)


def rng() -> random.Random:
    return random.Random(16)


def binary_bytes(n: int = 4096) -> bytes:
    """`n` random bytes (one generator: a new one per byte repeated a single byte, valid GB18030 text)."""
    generator = rng()
    return bytes(generator.randrange(256) for _ in range(n))


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088       # an encrypted workbook, or an old .xls


def numerals(count: int) -> str:
    """`count` Chinese numerals in a row (the quantity parser's quadratic case)."""
    return (NUMERALS * (count // len(NUMERALS) + 1))[:count]


# --- YAML, JSON and CSV ---------------------------------------------------------------------------

def project() -> dict:
    """The project example (seed 003) as a mapping: 6 indicators, budget 152.50 万元."""
    return yaml.safe_load(PROJECT_YAML.read_text(encoding="utf-8"))


def weighted() -> dict:
    """The project example with 分值 15 on each of its 6 indicators (90 + the budget's 10)."""
    data = project()
    for indicator in data["绩效指标"]:
        indicator["分值"] = 15
    return data


def dumped(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write_yaml(folder: Path, data: dict, name: str = "项目.yaml", raw: dict[str, str] | None = None) -> Path:
    """`data` as YAML; each `raw` placeholder value is then replaced by its literal YAML text."""
    text = dumped(data)
    for placeholder, literal in (raw or {}).items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, literal)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_json(folder: Path, data: dict, name: str = "项目.json", raw: dict[str, str] | None = None) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for placeholder, literal in (raw or {}).items():
        assert f'"{placeholder}"' in text, placeholder
        text = text.replace(f'"{placeholder}"', literal)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def with_indicator(data: dict, row: int, **cells) -> dict:
    """`data` with the `row`-th indicator (1-based) changed."""
    data["绩效指标"][row - 1].update(cells)
    return data


ALIAS_BOMB = "".join([
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
    *(f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n" for a, b in zip("abcdefgh", "bcdefghi")),
])


CSV_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因")


def write_csv(folder: Path, rows: list[list[str]] | None = None, *, columns=CSV_COLUMNS, encoding: str = "utf-8",
              profile: dict | None = None, name: str = "指标") -> Path:
    """`X.csv` (the project's indicators, or `rows`) and its profile `X.yaml` beside it."""
    data = project()
    if rows is None:
        rows = [[str(i.get(c, "")) for c in columns] for i in data["绩效指标"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path = folder / f"{name}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    profile_data = profile if profile is not None else {k: v for k, v in data.items() if k != "绩效指标"}
    (folder / f"{name}.yaml").write_text(dumped(profile_data), encoding="utf-8")
    return path


def csv_rows() -> list[list[str]]:
    return [[str(i.get(c, "")) for c in CSV_COLUMNS] for i in project()["绩效指标"]]


# --- XLSX -----------------------------------------------------------------------------------------

MARK = 987654321.125          # a number written by openpyxl, then replaced by raw cell XML


def workbook(folder: Path, edit: Callable | None = None, name: str = "项目.xlsx") -> Path:
    """The project example workbook, changed by `edit(book)` through openpyxl, saved in `folder`."""
    book = openpyxl.load_workbook(PROJECT_XLSX)
    if edit is not None:
        edit(book)
    path = folder / name
    book.save(path)
    return path


def indicator_column(sheet, header: str) -> str:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column_letter
    raise KeyError(header)


def profile_cell(sheet, label: str):
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[1]
    raise KeyError(label)


def raw_cell(folder: Path, place: Callable, xml: str, *, number_format: str | None = None,
             name: str = "项目.xlsx") -> Path:
    """The example workbook with one cell (`place(book)` gives it) written as raw XML: `xml` is the
    cell's content and type, e.g. `t="n"><v>NaN</v>` (the cell's own attributes are kept)."""
    def edit(book):
        cell = place(book)
        cell.value = MARK
        if number_format:
            cell.number_format = number_format
    path = workbook(folder, edit, name)
    members = members_of(path)
    pattern = re.compile(rf'<c r="([A-Z]+[0-9]+)"([^>]*)><v>{re.escape(repr(MARK))}</v></c>')

    def rewritten(match: re.Match) -> str:
        attributes = re.sub(r' t="[^"]*"', "", match.group(2))         # the new content brings its own type
        return f'<c r="{match.group(1)}"{attributes} {xml}</c>'
    found = 0
    for m in members:
        if m.name.startswith("xl/worksheets/"):
            text, n = pattern.subn(rewritten, m.data.decode())
            m.data, found = text.encode(), found + n
    assert found == 1, found
    return write_zip(path, members)


def actual_cell(row: int = 2):
    return lambda book: book["绩效指标"][f"{indicator_column(book['绩效指标'], '实际完成值')}{row}"]


def money_cell(label: str):
    return lambda book: profile_cell(book["基本信息"], label)


def with_weights(book, weights=(15,) * 6) -> None:
    sheet = book["绩效指标"]
    sheet["G1"] = "分值"
    for row, weight in enumerate(weights, start=2):
        sheet[f"G{row}"] = weight


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'


def with_shared_strings(members: list[Member], sst: Member) -> list[Member]:
    """`members` with a shared-string part (`sst`, named xl/sharedStrings.xml) wired in."""
    members = replaced(members, "[Content_Types].xml", lambda d: d.replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode()))
    members = replaced(members, "xl/_rels/workbook.xml.rels", lambda d: d.replace(
        b"</Relationships>", f'<Relationship Type="{SST_REL}" Target="sharedStrings.xml" Id="rIdSST"/>'
                             "</Relationships>".encode()))
    return members + [sst]


def sheet_member(name: str = "绩效指标") -> str:
    return {"基本信息": "xl/worksheets/sheet1.xml", "绩效指标": "xl/worksheets/sheet2.xml",
            "资金明细": "xl/worksheets/sheet3.xml"}[name]


def big_sheet(rows: int, columns: int) -> bytes:
    """A 绩效指标 sheet of inline strings: the header, then `rows` rows, each `columns` wide."""
    header = list(CSV_COLUMNS) + [f"备注{k}" for k in range(columns - len(CSV_COLUMNS))]
    head = "".join(f'<c r="{openpyxl.utils.get_column_letter(k + 1)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                   for k, h in enumerate(header[:columns]))
    body = [f'<row r="1">{head}</row>']
    for r in range(2, rows + 2):
        cells = ("产出指标", "数量指标", f"指标{r}", "≥1场", "1场")[:columns]
        body.append(f'<row r="{r}">' + "".join(f'<c r="{"ABCDE"[k]}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                               for k, v in enumerate(cells)) + "</row>")
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(body) + "</sheetData></worksheet>").encode()


def date_cell(folder: Path, serial: str) -> Path:
    """The workbook with a deadline target (2023年12月前) and a date-formatted actual of raw `serial`."""
    def place(book):
        book["绩效指标"]["D2"] = "2023年12月前"
        return actual_cell()(book)
    return raw_cell(folder, place, f't="n"><v>{serial}</v>', number_format="yyyy-mm-dd")


# --- the 申报表 and Word files --------------------------------------------------------------------

def declaration_lines() -> list[str]:
    return DECLARATION_TXT.read_text(encoding="utf-8-sig").split("\n")


def declaration_line(text: str) -> int:
    """The 1-based line of the seed's 申报表 that contains `text`."""
    return next(k for k, line in enumerate(declaration_lines(), start=1) if text in line)


def write_declaration_txt(folder: Path, lines: list[str] | None = None, *, encoding: str = "utf-8",
                          name: str = "2024_申报表.txt", newline: str = "\n") -> Path:
    path = folder / name
    path.write_bytes(newline.join(declaration_lines() if lines is None else lines).encode(encoding))
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
              '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
              'document.main+xml"/></Types>')


DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r></w:p>'


def cell(text: str = "", *, vmerge: str | None = None, span: int | None = None, inner: str = "") -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span else "") + \
        ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else "")
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{inner}{paragraph(text)}</w:tc>"


def table(rows: list[list[str]], columns: int) -> str:
    grid = "".join('<w:gridCol w:w="1400"/>' for _ in range(columns))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>" + "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows) + "</w:tbl>"


def document_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()


def write_docx(folder: Path, body: str | bytes | Member, name: str = "2024_申报表.docx",
               extra: list[Member] | None = None) -> Path:
    """A minimal Word file: content types, the package relationship and word/document.xml."""
    document = body if isinstance(body, Member) else Member(
        "word/document.xml", body if isinstance(body, bytes) else document_xml(body))
    return write_zip(folder / name, [Member("[Content_Types].xml", DOCX_TYPES.encode()),
                                     Member("_rels/.rels", DOCX_RELS.encode()), document] + (extra or []))


def declaration_grid() -> tuple[str, list[list[str]]]:
    """The seed 申报表: its title and its rows (6 cells each)."""
    lines = declaration_lines()
    first = next(k for k, line in enumerate(lines) if "\t" in line)
    title = next(line.strip() for line in lines[:first] if line.strip())
    rows = [(line.split("\t") + [""] * 6)[:6] for line in lines[first:] if line.strip()]
    return title, rows


def declaration_table(extra_rows: list[list[str]] | None = None) -> str:
    _, rows = declaration_grid()
    return table([[cell(text) for text in row] for row in rows] + (extra_rows or []), 6)


def declaration_body(table_xml: str | None = None) -> str:
    title, _ = declaration_grid()
    return paragraph(title) + (table_xml or declaration_table())


def docx_text_bomb(size: int) -> Member:
    return deflate_bomb("word/document.xml", f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode(), b"A",
                        size, b"</w:t></w:r></w:p></w:body></w:document>")


def vmerge_rows(count: int) -> list[list[str]]:
    """`count` indicator rows whose first three columns are each one vertical merge down all of them."""
    rows = []
    for k in range(count):
        merge = "restart" if k == 0 else "continue"
        rows.append([cell("", vmerge=merge), cell("产出指标" if k == 0 else "", vmerge=merge),
                     cell("数量指标" if k == 0 else "", vmerge=merge), cell(f"合并指标{k + 1}"), cell("≥1次"), cell("≥1次")])
    return rows


def nested_tables(depth: int) -> str:
    inner = table([[cell("最里层")]], 1)
    for _ in range(depth):
        inner = table([[cell(inner=inner)]], 1)
    return inner


# --- PDF ------------------------------------------------------------------------------------------

def pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1 is the catalog), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_page(contents: bytes, filtered: bool = False, resources: bytes = b"<< /Font << /F1 5 0 R >> >>") -> bytes:
    stream = b"<< /Length %d%s >>\nstream\n" % (len(contents), b" /Filter /FlateDecode" if filtered else b"") + \
        contents + b"\nendstream"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
                stream, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


HELLO = b"BT /F1 12 Tf 72 720 Td (Budget execution 99.66%) Tj ET"


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
