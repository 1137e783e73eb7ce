"""Errors an officer sees: each names where the problem is (file, sheet, row, column, value).

Every message is made printable in one place, `printable()`: a lone surrogate (a file name the file
system could not decode), a control character or an invisible format character (a right-to-left
override, a zero-width space) is shown as an escape such as `\\u202e`, so the message can always be
printed and shows what is really there. `failure_kind()` says in an officer's words what an
unexpected exception means (a damaged XML part, an undecodable file, a number too large …), and
`FileFailure` wraps such an exception with the file and the step it happened in.
"""
from __future__ import annotations

import csv
import unicodedata
import zlib
from pathlib import Path

# Characters never printed as they are: controls, format characters (bidi overrides, zero-width),
# surrogates, and the line/paragraph separators. Spaces (including the ideographic space) stay.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
VALUE_SHOWN_CHARS = 200          # a longer value is cut in a message (with its length)


def printable(text: object, newlines: bool = True) -> str:
    """`text` safe to print anywhere: each unprintable character as an escape (`\\u202e`); a byte the
    file system could not decode (a surrogate escape) as `\\xff`. Newlines and tabs stay when
    `newlines` is true, else they are escaped too (for a file, sheet or value inside one line)."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" and newlines:
            out.append(ch)
        elif unicodedata.category(ch) in UNPRINTABLE_CATEGORIES:
            code = ord(ch)
            if 0xDC80 <= code <= 0xDCFF:
                out.append(f"\\x{code - 0xDC00:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def shortened(value: object, limit: int = VALUE_SHOWN_CHARS) -> str:
    """`value` as one printable line of at most `limit` characters (`……（共N字）` when cut)."""
    text = str(value)
    if len(text) <= limit:
        return printable(text, newlines=False)
    return f"{printable(text[:limit], newlines=False)}……（共{len(text)}字）"


class JixiaoError(Exception):
    """Base of every error the CLI and UI show as a message rather than a stack trace."""

    def __str__(self) -> str:
        return printable(super().__str__())


class DataError(JixiaoError):
    """Bad input data. Carries its location so the message names file, sheet, row and column."""

    def __init__(self, message: str, file: str = "", sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value: object = None, position: int | None = None):
        self.file, self.sheet, self.row, self.column, self.value = file, sheet, row, column, value
        self.position = position           # a character's place in the line of a text file (1-based)
        self.detail = message
        where = [part for part in (
            f"文件“{printable(file, newlines=False)}”" if file else "",
            f"工作表“{printable(sheet, newlines=False)}”" if sheet else "",
            (f"第{row}行" + (f"第{position}列" if position is not None else "")) if row is not None else "",
            f"“{printable(column, newlines=False)}”列" if column else "",
        ) if part]
        shown = f"（值：“{shortened(value)}”）" if value not in (None, "") else ""
        super().__init__(("，".join(where) + "：" if where else "") + message + shown)


class DataErrors(JixiaoError):
    """Several data errors found in one file: all are reported, nothing is loaded."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = [str(e) for e in errors[:20]]
        if len(errors) > 20:
            lines.append(f"……另有{len(errors) - 20}处错误")
        super().__init__(f"数据有{len(errors)}处错误，未载入：\n" + "\n".join(lines))


# --- unexpected failures ----------------------------------------------------------------------------

def _named(*names: str):
    """A test that an exception is (a subclass of) a class with one of these names: the readers'
    libraries (lxml, pypdf, python-docx, openpyxl, yaml) are not imported here."""
    wanted = set(names)
    return lambda error: any(cls.__name__ in wanted for cls in type(error).__mro__)


def _kind(*types: type[BaseException]):
    return lambda error: isinstance(error, types)


def _says(*fragments: str):
    return lambda error: any(f in str(error) for f in fragments)


def _both(*tests):
    return lambda error: all(test(error) for test in tests)


# (test, what it means), first match wins; the order puts the specific before the general.
FAILURE_KINDS: tuple[tuple[object, str], ...] = (
    (_kind(MemoryError), "内存不足（文件展开后过大）"),
    (_kind(RecursionError), "文件结构嵌套层次过深"),
    (_named("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"), "文件含有不允许的XML实体声明"),
    (_named("XMLSyntaxError", "ParseError", "ExpatError", "SAXParseException"), "文件结构损坏（XML解析失败）"),
    (_named("LimitReachedError"), "文件解压后超过上限"),
    (_named("BadZipFile", "BadZipfile", "LargeZipFile"), "压缩包损坏（不是有效的Office文件）"),
    (_named("PackageNotFoundError"), "不是有效的Word文件"),
    (_named("InvalidFileException"), "不是有效的Excel文件"),
    (_named("PdfReadError", "PdfStreamError", "PyPdfError"), "PDF文件损坏"),
    (_named("YAMLError"), "YAML格式错误"),
    (_named("JSONDecodeError"), "JSON格式错误"),
    (_kind(UnicodeError), "文件编码无法识别（请存为UTF-8或GB18030）"),
    (_kind(IsADirectoryError), "这是一个文件夹，不是文件"),
    (_kind(FileNotFoundError), "找不到文件"),
    (_kind(PermissionError), "没有读写权限"),
    (_both(_kind(ValueError), _says("digits")), "数字位数过多"),
    (_says("field larger than field limit"), "单元格内容过长"),
    (_kind(csv.Error), "CSV格式错误"),
    (_kind(OverflowError), "数值超出范围（溢出）"),
    (_named("InvalidOperation", "DecimalException"), "数值超出可计算的范围"),
    (_kind(ZeroDivisionError), "计算时除以零"),
    (_kind(zlib.error), "压缩数据损坏"),
    (_kind(OSError), "文件读写失败"),
)
UNKNOWN_FAILURE = "内部错误"       # what no test above recognises: always followed by the exception's class


def failure_kind(error: BaseException) -> str:
    """What an unexpected exception means, in an officer's words (`文件结构损坏（XML解析失败）`)."""
    for test, meaning in FAILURE_KINDS:
        if test(error):
            return meaning
    return f"{UNKNOWN_FAILURE}（{type(error).__name__}）"


# step → how the message begins; `{name}` is the file's name
STEP_MESSAGES = {
    "读取": "无法读取文件“{name}”",
    "评分": "文件“{name}”的数据无法评分",
    "核对": "核对文件“{name}”时出错",
    "复核": "复核文件“{name}”时出错",
    "起草": "依据文件“{name}”起草时出错",
    "写出": "无法写出文件“{name}”",
    "处理": "处理文件“{name}”时出错",
}


def file_label(path: str | Path) -> str:
    """How a message names a file: its name (the whole path when it has none), printable."""
    name = Path(path).name or str(path)
    return printable(name, newlines=False)


class FileFailure(JixiaoError):
    """An unexpected exception while working on a file, as a message naming the file, the step and
    what the failure means: `无法读取文件“x.xlsx”：文件结构损坏（XML解析失败）`. `error` is the original."""

    def __init__(self, file: str | Path, step: str, error: BaseException):
        self.file, self.step, self.error = str(file), step, error
        begin = STEP_MESSAGES.get(step, STEP_MESSAGES["处理"]).format(name=file_label(file))
        super().__init__(f"{begin}：{failure_kind(error)}")
