"""Names in Chinese quotation marks, the way every output prints them.

Also the page furniture of printed documents (`PAGE_NUMBER`, `PAGE_OF`), which readers, the
audit and the figure checker all skip, and `simplified(text)`: traditional characters as simplified
(OpenCC `t2s`), for reading what officers type or paste from converter mirrors.

`quoted("亚洲青年领袖论坛场次")` → `“亚洲青年领袖论坛场次”`. A name that carries quotes of its own
(`“港澳商协汇”公众号关注量`) keeps them as the inner, single quotes (GB/T 15834: 引号里面还要用引号时，
外面一层用双引号，里面一层用单引号), `“‘港澳商协汇’公众号关注量”`, never the doubled
`““港澳商协汇”公众号关注量”`; a name that is one quotation already is printed as it is. The figure
checker reads ‘’ as “” (`figures.text.to_plain`), so it finds the name in either form.
"""
from __future__ import annotations

from functools import lru_cache

import opencc

_INNER = str.maketrans({"“": "‘", "”": "’"})

# A page number as 公文 print it (`— 2 —`), and `第2页共9页`: page furniture, never content.
PAGE_NUMBER = r"[—–－-]+[ \t]*\d+[ \t]*[—–－-]+"
PAGE_OF = r"第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"


def quoted(name: str) -> str:
    """`name` in “”, its own double quotes turned into the inner single ones."""
    name = name.strip()
    if name.startswith("“") and name.endswith("”") and name.count("“") == 1 and name.count("”") == 1:
        return name
    return f"“{name.translate(_INNER)}”"


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`預算執行率` → `预算执行率`; simplified text is returned unchanged."""
    return _t2s().convert(text)
