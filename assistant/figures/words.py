"""A checked text's words: jieba tokens (through `assistant.tokenizer`) with their offsets.

Role, hedge and filler words are read as words, never as characters inside other words: 签约 is
not the hedge 约, 每一分钱 holds no 一分, 完成率 is one word, and 未支出 is 未 + 支出 (a negated
支出). `Words(plain)` tokenises a whole text once; `is_word(start, end)` says whether a span starts
and ends on token boundaries; `cut(text)` tokenises a short phrase (cached).
"""
from __future__ import annotations

import bisect
from functools import cached_property, lru_cache

from ..tokenizer import tokenizer

# Words the checker reads as one token whatever the dictionary says.
ATOMIC_WORDS = ("完成率", "执行率", "预算执行率", "目标值", "年度指标值", "指标值", "个百分点", "百分点",
                "自评表", "自评得分", "实际完成值", "实际完成", "实际支出", "达成率", "到位率", "合格率",
                "满意度", "超出", "高出", "多出", "相差", "尚差", "差距", "结余", "分值", "得分")


def _tokenizer():
    return tokenizer(ATOMIC_WORDS)


@lru_cache(maxsize=16384)
def cut(text: str) -> tuple[str, ...]:
    """The jieba words of a short phrase, without HMM guesses (deterministic, dictionary words)."""
    return tuple(_tokenizer().cut(text, HMM=False))


class Words:
    """The tokens of a whole text with their spans."""

    def __init__(self, plain: str):
        self.plain = plain

    @cached_property
    def tokens(self) -> list[tuple[str, int, int]]:
        return list(_tokenizer().tokenize(self.plain, HMM=False))

    @cached_property
    def starts(self) -> list[int]:
        return [start for _, start, _ in self.tokens]

    @cached_property
    def _boundaries(self) -> frozenset[int]:
        return frozenset(s for _, s, _ in self.tokens) | frozenset(e for _, _, e in self.tokens)

    def is_word(self, start: int, end: int) -> bool:
        """Does [start, end) start and end on word boundaries?"""
        return start in self._boundaries and end in self._boundaries

    def token_at(self, offset: int) -> tuple[str, int, int] | None:
        k = bisect.bisect_right(self.starts, offset) - 1
        if k < 0:
            return None
        token = self.tokens[k]
        return token if token[1] <= offset < token[2] else None

    def word_before(self, offset: int) -> str:
        """The token that ends at `offset` (spaces skipped), or ""."""
        k = bisect.bisect_left(self.starts, offset) - 1
        while k >= 0 and not self.tokens[k][0].strip():
            k -= 1
        return self.tokens[k][0] if k >= 0 and self.tokens[k][2] <= offset else ""


__all__ = ["Words", "cut", "ATOMIC_WORDS"]
