"""Errors an officer sees: each names where the problem is (file, sheet, row, column, value)."""
from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error the CLI and UI show as a message rather than a stack trace."""


class DataError(JixiaoError):
    """Bad input data. Carries its location so the message names file, sheet, row and column."""

    def __init__(self, message: str, file: str = "", sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value: object = None):
        self.file, self.sheet, self.row, self.column, self.value = file, sheet, row, column, value
        self.detail = message
        where = [part for part in (
            f"文件“{file}”" if file else "",
            f"工作表“{sheet}”" if sheet else "",
            f"第{row}行" if row is not None else "",
            f"“{column}”列" if column else "",
        ) if part]
        shown = f"（值：“{value}”）" if value not in (None, "") else ""
        super().__init__(("，".join(where) + "：" if where else "") + message + shown)


class DataErrors(JixiaoError):
    """Several data errors found in one file: all are reported, nothing is loaded."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = [str(e) for e in errors[:20]]
        if len(errors) > 20:
            lines.append(f"……另有{len(errors) - 20}处错误")
        super().__init__(f"数据有{len(errors)}处错误，未载入：\n" + "\n".join(lines))
