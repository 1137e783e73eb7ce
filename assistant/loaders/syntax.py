"""A YAML or JSON syntax error in an officer's words: the file, line and column, and what is wrong.

libyaml, PyYAML's own parser and `json` say what is wrong in English (`while parsing a block
mapping … did not find expected key`). `yaml_syntax_error` and `json_syntax_error` turn one into a
`DataError` naming the file, the line and the column where the parser stopped, with a Chinese reason
taken from a table (the first rule whose pattern is found in the parser's text wins) and the line as
it is written; the English text is not shown. A problem no rule knows is reported as a syntax error
at that place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import DataError, printable, shortened

LINE_SHOWN_CHARS = 60          # characters of the offending line shown (a longer one: around the column)


@dataclass(frozen=True)
class Rule:
    pattern: str               # a regular expression searched in the parser's own text
    reason: str                # the Chinese reason; `{line}` is the line where the construct began,
                               # `{char}` the character the parser stopped at
    at_start: bool = False     # locate the error where the construct began (the parser noticed later)


# PyYAML and libyaml word the same problem differently: a rule's pattern matches both.
YAML_RULES: tuple[Rule, ...] = (
    Rule(r"expected a single document", "文件中有多个文档（以“---”分隔），一个数据文件只能有一个"),
    Rule(r"end of stream.*quoted scalar|quoted scalar.*end of stream",
         "第{line}行开始的引号直到文件末尾都没有闭合", at_start=True),
    Rule(r"unknown escape character", "双引号中有无法识别的转义符（反斜杠“\\”后的字符；含反斜杠的文字请改用单引号）"),
    Rule(r"tab character|'\\t'", "用制表符（Tab）缩进了：YAML只能用空格缩进"),
    Rule(r"mapping values are not allowed",
         "此处的冒号无法识别：这一行的缩进与上一行不一致，或值里含有“: ”（含冒号的值请加引号）"),
    Rule(r"could not find expected ':'", "第{line}行缺少冒号：每个字段应写成“字段: 值”", at_start=True),
    Rule(r"expected ',' or '\]'|expected ',' or ']'",
         "第{line}行开始的方括号列表“[…]”没有闭合，或列表项之间缺少逗号"),
    Rule(r"expected ',' or '\}'|expected ',' or '}'",
         "第{line}行开始的花括号映射“{…}”没有闭合，或各项之间缺少逗号"),
    Rule(r"block mapping.*(expected key|block end)|(expected key|block end).*block mapping",
         "缩进与上文不一致：这一行与第{line}行开始的字段对不上（同一层的字段须左对齐，列表项以“- ”开头）"),
    Rule(r"block (collection|sequence).*('-' indicator|block end)|('-' indicator|block end).*block (collection|sequence)",
         "缩进与上文不一致：这一行与第{line}行开始的列表对不上（同一列表的各项须以“- ”开头并左对齐）"),
    Rule(r"block end|expected key|'-' indicator", "缩进与上文不一致（同一层的字段须左对齐，列表项以“- ”开头）"),
    Rule(r"node content", "此处缺少值，或值以“}”“]”“,”等符号开头（这样的值请加引号）"),
    Rule(r"undefined alias", "别名（“*名称”）没有对应的锚点（“&名称”）"),
    Rule(r"duplicate anchor", "锚点（“&名称”）重复定义，第一次在第{line}行"),
    Rule(r"(anchor|alias).*alphabetic or numeric|alphabetic or numeric.*(anchor|alias)",
         "“&”或“*”后应紧跟锚点名称（以&或*开头的值请加引号）"),
    Rule(r"constructor for the tag", "含有不支持的标签（以“!”开头）：数据文件只能写文字、数字、列表和映射"),
    Rule(r"unhashable key", "字段名不能是列表或映射"),
    Rule(r"block scalar", "“|”或“>”后的写法无法识别（多行文字的“|”后应直接换行）"),
    Rule(r"directive|document start|incompatible YAML", "以“%”开头的指令无法识别（数据文件不需要指令）"),
    Rule(r"cannot start any token", "字符“{char}”不能出现在此处（以 @、`、% 等符号开头的值请加引号）"),
    Rule(r"special characters are not allowed|unacceptable character", "含有不允许的控制字符"),
)

JSON_RULES: tuple[Rule, ...] = (
    Rule(r"^Expecting property name",
         "此处应为英文双引号括起的字段名（JSON的字段名须用英文双引号，最后一项后不能有逗号）"),
    Rule(r"^Expecting ':'", "字段名后缺少冒号“:”"),
    Rule(r"^Expecting ','", "缺少逗号“,”，或括号没有闭合"),
    Rule(r"^Expecting value", "此处缺少值，或值的写法无法识别（文字须加英文双引号，true、false、null 须小写）"),
    Rule(r"^Extra data", "完整的JSON内容之后还有多余的内容"),
    Rule(r"^Unterminated string", "引号没有闭合"),
    Rule(r"^Invalid control character", "引号中有换行符或控制字符（换行请写作\\n）"),
    Rule(r"^Invalid \\u|^Invalid \\escape", "引号中有无法识别的转义符（反斜杠“\\”后的字符）"),
    Rule(r"BOM", "文件开头有字节顺序标记（BOM）"),
)

UNKNOWN_REASON = "此处的写法无法解析"


def _reason(rules: tuple[Rule, ...], said: str) -> Rule | None:
    return next((rule for rule in rules if re.search(rule.pattern, said, re.DOTALL)), None)


# what each parser counts as a line break (YAML 1.1 also NEL and the Unicode separators; JSON only \n)
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
JSON_BREAKS = re.compile("\n")


def _located(kind: str, reason: str, file: str, lines: list[str], line: int | None, column: int | None) -> DataError:
    """`DataError` at 1-based `line`/`column`, the line as written after the reason."""
    shown = ""
    if line is not None and 1 <= line <= len(lines) and lines[line - 1].strip():
        shown = f"（该行：“{_around(lines[line - 1].rstrip(), column)}”）"
    return DataError(f"{kind}格式错误：{reason}{shown}", file, row=line, position=column)


def _around(line: str, column: int | None) -> str:
    """`line` printable, or the part of a long line around `column` (a JSON file is often one line)."""
    if len(line) <= LINE_SHOWN_CHARS:
        return printable(line, newlines=False)
    half = LINE_SHOWN_CHARS // 2
    start = max(0, min((column or 1) - 1 - half, len(line) - LINE_SHOWN_CHARS))
    part = printable(line[start: start + LINE_SHOWN_CHARS], newlines=False)
    return ("……" if start > 0 else "") + part + ("……" if start + LINE_SHOWN_CHARS < len(line) else "")


def yaml_syntax_error(error: Exception, text: str, file: str) -> DataError:
    """A PyYAML/libyaml `MarkedYAMLError` (or any `YAMLError`) on `text` as a located Chinese `DataError`."""
    problem, context = getattr(error, "problem", None) or "", getattr(error, "context", None) or ""
    mark, start = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    lines = YAML_BREAKS.split(text)
    char = _char_at(lines, mark)
    said = f"{context} {problem}" if context or problem else str(error)
    if char == "\t":     # libyaml does not say which character it could not read
        said += " tab character"
    rule = _reason(YAML_RULES, said)
    where = start if rule and rule.at_start and start is not None else mark
    line = where.line + 1 if where is not None else None
    column = where.column + 1 if where is not None else None
    began = start.line + 1 if start is not None else line
    reason = rule.reason.replace("{line}", str(began)).replace("{char}", shortened(char)) if rule else UNKNOWN_REASON
    return _located("YAML", reason, file, lines, line, column)


def json_syntax_error(error, text: str, file: str) -> DataError:
    """A `json.JSONDecodeError` on `text` as a located Chinese `DataError`."""
    rule = _reason(JSON_RULES, error.msg)
    reason = "文件是空的" if not text.strip() else (rule.reason if rule else UNKNOWN_REASON)
    return _located("JSON", reason, file, JSON_BREAKS.split(text), error.lineno, error.colno)


def _char_at(lines: list[str], mark) -> str:
    """The character a parser's mark points at (`?` when it points past the text)."""
    if mark is not None and 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return "?"
