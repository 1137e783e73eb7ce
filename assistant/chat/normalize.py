"""What an officer typed, made readable: the one place the chat normalises a question.

`normalize_question(text, terms)`, in order:
1. full-width → half-width (NFKC: `ＴＯＰ３` → `TOP3`, `？` → `?`), spaces next to Chinese removed;
2. traditional → simplified (`assistant.text.simplified`, OpenCC t2s: `預算執行率` → `预算执行率`);
3. the domain's look-alike typos and variant forms, a data table (`data/typos.txt`: 预箅 → 预算, 节余 → 结余);
4. homophone typos of domain words (`完成律` → `完成率`, `执形` → `执行`, `指彪` → `指标`, `共养` → `供养`):
   a stretch of the question that is no common word, sounds like a domain term (toneless pinyin,
   `data/homophones.txt`) and differs from it in one character (two in terms of five or more) is
   replaced by the term. The terms are the domain vocabulary plus the words of the loaded data's
   indicator, task and budget item names, so 关注亮 becomes 关注量 only where an indicator says 关注量.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..text import simplified
from ..tokenizer import USERDICT, tokenizer

DATA = Path(__file__).resolve().parents[1] / "data"
TYPOS = DATA / "typos.txt"
HOMOPHONES = DATA / "homophones.txt"
# A stretch of text that jieba's dictionary knows at least this often is a word, not a typo.
COMMON_WORD_FREQUENCY = 50

# Words officers ask with, beyond the index's domain dictionary: what the chat must read right.
CHAT_TERMS = ("完成率", "执行率", "预算执行率", "完成值", "实际完成", "实际", "目标值", "指标值", "指标", "满意度",
              "偏差", "偏差原因", "原因", "结余", "资金来源", "资金用途", "来源", "用途", "支出", "预算", "资金", "经费",
              "总分", "得分", "多少分", "几分", "扣分", "多少", "完成", "未完成", "没完成", "达标", "等级", "排名",
              "最高", "最低", "部分", "问题", "措施", "改进措施", "存在的问题", "自评结论", "起草", "重写", "政策",
              "规定", "往年", "报告", "产出指标", "效益指标", "满意度指标", "成本指标", "执行", "评价")
_CJK = r"\u4e00-\u9fff"


@lru_cache(maxsize=1)
def _typos() -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in TYPOS.read_text(encoding="utf-8").splitlines():
        if "=>" in line and not line.lstrip().startswith("#"):
            wrong, right = (part.strip() for part in line.split("=>", 1))
            pairs.append((wrong, right))
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    readings = {}
    for line in HOMOPHONES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            reading, chars = line.split(" ", 1)
            for char in chars.strip():
                readings.setdefault(char, reading)
    return readings


def reading(text: str) -> tuple[str, ...]:
    """Toneless pinyin of each character (a character without a reading stands for itself)."""
    table = _readings()
    return tuple(table.get(char, char) for char in text)


@lru_cache(maxsize=1)
def _domain_terms() -> tuple[str, ...]:
    words = [line.split()[0] for line in USERDICT.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return tuple(dict.fromkeys(w for w in (*words, *CHAT_TERMS) if len(w) >= 2))


class Terms:
    """Domain terms by length and sound, for homophone correction."""

    def __init__(self, words: Iterable[str]):
        self.words = {w for w in words if len(w) >= 2 and re.fullmatch(f"[{_CJK}]+", w)}
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        for word in sorted(self.words):
            self.by_sound.setdefault(reading(word), []).append(word)
        self.longest = max((len(w) for w in self.words), default=0)


@lru_cache(maxsize=64)
def terms_for(names: tuple[str, ...] = ()) -> Terms:
    """The domain terms plus the words of `names` (the data's indicator, task and item names)."""
    tok = tokenizer()
    words = list(_domain_terms())
    for name in names:
        plain = re.sub(f"[^{_CJK}]+", " ", simplified(name))
        for piece in plain.split():
            pieces = tok.lcut(piece)
            words += [piece, *pieces, *(a + b for a, b in zip(pieces, pieces[1:]))]
    return Terms(words)


def half_width(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to ASCII), no spaces next to Chinese."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", text)
    return re.sub(r"\s+", " ", text)


def fix_typos(text: str) -> str:
    for wrong, right in _typos():
        text = text.replace(wrong, right)
    return text


def _is_common(word: str) -> bool:
    return (tokenizer().FREQ.get(word) or 0) >= COMMON_WORD_FREQUENCY


def _cuts_a_word(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Would the stretch start or end inside a common word of the text?"""
    for a, b in spans:
        if (a < start < b or a < end < b) and _is_common(text[a:b]):
            return True
    return False


def fix_homophones(text: str, terms: Terms) -> str:
    """Replace stretches that sound like a domain term and differ from it in a character or two."""
    if not terms.words:
        return text
    spans, position = [], 0
    for token in tokenizer().lcut(text):
        spans.append((position, position + len(token)))
        position += len(token)
    out, i = [], 0
    while i < len(text):
        replaced = False
        for length in range(min(terms.longest, len(text) - i), 1, -1):
            window = text[i:i + length]
            if window in terms.words:
                out.append(window)
                i += length
                replaced = True
                break
            candidates = terms.by_sound.get(reading(window))
            if not candidates or _is_common(window) or _cuts_a_word(text, i, i + length, spans):
                continue
            allowed = 1 if length <= 4 else 2
            best = min(candidates, key=lambda w: sum(a != b for a, b in zip(w, window)))
            if sum(a != b for a, b in zip(best, window)) <= allowed:
                out.append(best)
                i += length
                replaced = True
                break
        if not replaced:
            out.append(text[i])
            i += 1
    return "".join(out)


def normalize_question(text: str, names: Iterable[str] = ()) -> str:
    """The question as the chat reads it: half-width, simplified, typos of the domain corrected."""
    text = fix_typos(simplified(half_width(text)))
    return fix_homophones(text, terms_for(tuple(names)))
