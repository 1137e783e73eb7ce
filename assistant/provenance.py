"""Where a value came from: file, sheet, row (1-based, as the spreadsheet shows it) and column.

A value the officer corrected (an override file or `jixiao score --set 第3行.实际完成值=16场`)
keeps the cell's own place and says so: `corrected_by` names the override, `original` holds what
the file printed. `describe()` is how every message cites a cell.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Provenance(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None       # the header as printed (`实际完成值`) or a field name
    corrected_by: str | None = None  # the officer's correction: `命令行 --set` or the override file's name
    original: str | None = None      # what the file printed before the correction

    def describe(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        text = "，".join(parts)
        if self.corrected_by:
            text += f"（{self.correction}）"
        return text

    @property
    def correction(self) -> str | None:
        """The officer's correction in words (`经办人更正：命令行 --set，原值“约16场”`), or None."""
        if not self.corrected_by:
            return None
        was = f"，原值“{self.original}”" if self.original not in (None, "") else "，原为空"
        return f"经办人更正：{self.corrected_by}{was}"
