"""Answers from the index: retrieved passages listed as numbered citations [n] to document and section."""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

from ..errors import JixiaoError
from ..text import quoted

log = logging.getLogger(__name__)


def retrieved_text(open_index: Callable[[], Any], question: str, answer, k: int = 4) -> tuple[str, list]:
    """The passages the index finds for `question`, numbered after the answer's earlier citations.

    The passages and their citations are added to `answer`; an index that cannot be opened gives a
    message, never an exception.
    """
    try:
        index = open_index()
        passages = index.search(question, k=k)
    except JixiaoError as error:
        return f"资料库暂不可用：{error}", []
    except Exception as error:  # an index that cannot be opened must not end the conversation
        log.exception("retrieval failed")
        return f"资料库暂不可用（{type(error).__name__}），请稍后再试或在“资料库”页重建索引。", []
    if not passages:
        return "资料库中没有找到相关内容。可在“资料库”页添加政策文件或往年报告。", []
    answer.passages += passages
    lines = ["资料库中与问题最相关的内容如下（原文摘录，请以原文为准）："]
    for n, passage in enumerate(passages, len(answer.citations) + 1):
        answer.citations.append(citation(n, passage))
        section = quoted(passage.section) if passage.section else ""
        lines.append(f"[{n}] 《{passage.title}》{section}：{excerpt(passage.text)}")
    return "\n".join(lines), passages


def citation(n: int, passage) -> dict:
    return {"n": n, "doc": passage.doc, "title": passage.title, "section": passage.section,
            "chunk_id": passage.chunk_id, "kind": passage.kind, "year": passage.year,
            "quote": excerpt(passage.text)}


def excerpt(text: str, limit: int = 160) -> str:
    """The passage's opening, cut near `limit` at a sentence end, else a clause end; never inside a figure."""
    text = re.sub(r"(^|\s)#{1,6}\s+", r"\1", text)          # Markdown heading marks of the source
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    for marks in ("。；！？", "，、："):
        cut = max(text.rfind(mark, 0, limit) for mark in marks)
        if cut >= limit // 3:
            return text[:cut + 1] + ("" if marks == "。；！？" else "……")
    cut = limit
    while cut < len(text) and re.match(r"[\d.,%％万亿元]", text[cut]):
        cut += 1
    return text[:cut].rstrip() + "……"
