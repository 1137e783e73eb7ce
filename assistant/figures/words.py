"""A checked text's words: jieba tokens (through `assistant.tokenizer`) with their offsets.

Role, hedge and filler words are read as words, never as characters inside other words: 签约 is
not the hedge 约, 每一分钱 holds no 一分, 完成率 is one word, and 未支出 is 未 + 支出 (a negated
支出). `Words(plain)` answers for a whole text; `is_word(start, end)` says whether a span starts and
ends on token boundaries; `cut(text)` tokenises a short phrase (cached).

jieba cuts a text block by block (runs of Chinese characters, letters, digits and `+#&._%-`; any
other character ends a block), so a block is tokenised on its own, once, and the result is cached
across texts: checking a draft again after an edit re-tokenises only the blocks that changed.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..tokenizer import phrase_tokenizer

# Words the checker reads as one token whatever the dictionary says.
ATOMIC_WORDS = ("完成率", "执行率", "预算执行率", "目标值", "年度指标值", "指标值", "个百分点", "百分点",
                "自评表", "自评得分", "实际完成值", "实际完成", "实际支出", "达成率", "到位率", "合格率",
                "满意度", "超出", "高出", "多出", "相差", "尚差", "差距", "结余", "分值", "得分")
_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")


def _tokenizer():
    return phrase_tokenizer(ATOMIC_WORDS)


@lru_cache(maxsize=16384)
def cut(text: str) -> tuple[str, ...]:
    """The jieba words of a short phrase, without HMM guesses (deterministic, dictionary words)."""
    return tuple(_tokenizer().cut(text, HMM=False))


@lru_cache(maxsize=16384)
def _block_boundaries(block: str) -> tuple[int, ...]:
    """Offsets inside a block where a token starts or ends."""
    offsets, k = [0], 0
    for word in cut(block):
        k += len(word)
        offsets.append(k)
    return tuple(offsets)


class Words:
    """Token boundaries of a whole text, block by block."""

    def __init__(self, plain: str):
        self.plain = plain
        self._blocks = [(m.start(), m.end()) for m in _BLOCK.finditer(plain)]
        self._starts = [s for s, _ in self._blocks]

    def _block(self, offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self._starts, offset) - 1
        if k < 0:
            return None
        start, end = self._blocks[k]
        return (start, end) if start <= offset <= end else None

    def _boundaries(self, offset: int) -> tuple[int, tuple[int, ...]] | None:
        block = self._block(offset)
        if block is None:
            return None
        start, end = block
        return start, _block_boundaries(self.plain[start:end])

    def is_boundary(self, offset: int) -> bool:
        found = self._boundaries(offset)
        if found is None:
            return True           # outside any block (punctuation, spaces): always a boundary
        start, bounds = found
        return offset - start in bounds

    def is_word(self, start: int, end: int) -> bool:
        """Does [start, end) start and end on word boundaries?"""
        return self.is_boundary(start) and self.is_boundary(end)

    def token_at(self, offset: int) -> tuple[str, int, int] | None:
        found = self._boundaries(offset)
        if found is None:
            return None
        start, bounds = found
        k = bisect.bisect_right(bounds, offset - start) - 1
        if k < 0 or k + 1 >= len(bounds):
            return None
        a, b = start + bounds[k], start + bounds[k + 1]
        return self.plain[a:b], a, b

    def word_before(self, offset: int) -> str:
        """The token that ends at `offset` (spaces skipped), or ""."""
        k = offset
        while k > 0 and self.plain[k - 1].isspace():
            k -= 1
        if k == 0:
            return ""
        token = self.token_at(k - 1)
        if token is None:
            return self.plain[k - 1]
        return token[0] if token[2] == k else ""


__all__ = ["Words", "cut", "ATOMIC_WORDS"]
