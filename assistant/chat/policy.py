"""Answers from the corpus that answer: policy questions and how past reports wrote something.

A policy answer leads with one or two sentences built from the best passage (`根据《政府采购法》
第四十一条，采购人……[1]。`), quoting its key sentence, then lists the numbered sources; each
citation carries its passage's full text (document, article, text) for the UI to open. The best
passage is chosen among the retrieved ones by the sentence that shares most of the question's
content words (a normative `应当…` sentence ranks higher; a document the question names is
preferred). When no passage shares enough of the question, the answer says so.

A past-report answer searches past reports only (`kind="report"`) and shows how each wrote the
point asked, with citations; it never re-drafts the officer's own section.
"""
from __future__ import annotations

import logging
import re
from types import SimpleNamespace
from typing import Any, Callable

from ..drafting.context import article_of, document_title
from ..errors import JixiaoError
from ..index import Passage
from ..text import quoted
from ..tokenizer import tokenizer
from .citations import citation, excerpt
from .routing import SECTION_WORDS, section_of

log = logging.getLogger(__name__)

SEARCHED = 8
# Question words that carry no content (what a sentence must share with the question is the rest).
QUESTION_WORDS = {"什么", "怎么", "怎样", "如何", "哪些", "哪个", "哪一条", "哪条", "第几条", "规定", "要求", "有没有",
                  "是否", "需要", "要不要", "应该", "应当", "多少", "几个", "可以", "一下", "问题", "政策", "法规",
                  "条例", "法律", "文件", "依据", "意思", "相关", "关于", "进行", "开展", "说", "对", "的", "了", "吗",
                  "呢", "里", "中", "上", "和", "与", "及", "或", "要", "会", "有", "是", "在", "哪", "吧", "啊"}
PAST_WORDS = re.compile(r"往年|以前的?|以往|过去的?|过往|历年|往期|去年的?|前几年|别人的?|别的单位的?|其他单位的?|其他部门的?|"
                        r"别的部门的?|范文|样板|参考|看看|报告[里中]?|一般|是?怎么写的?|怎么描述|怎么表述|是怎么|写法|"
                        r"有没有|写了?|提到|的$|[?？]")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
# A sentence must share at least this many characters of content words to answer.
ANSWERS_AT = 4


def content_words(question: str) -> list[str]:
    words = [w for w in tokenizer().lcut_for_search(question) if len(w) >= 2 and w not in QUESTION_WORDS]
    return list(dict.fromkeys(words))


def _stem(title: str) -> str:
    """`政府采购法(2014-08-31)` → `政府采购法`."""
    return document_title(SimpleNamespace(title=title, doc=title)).strip("《》")


def _sentences(text: str) -> list[str]:
    out = []
    for match in _SENTENCE.finditer(re.sub(r"(^|\n)#+\s*", r"\1", text)):
        sentence = re.sub(r"^第[一二三四五六七八九十百零〇]+条\s*", "", match.group(0).strip())
        if len(sentence) >= 6:
            out.append(sentence)
    return out


def sentence_score(sentence: str, words: list[str]) -> float:
    shared = sum(len(w) for w in words if w in sentence)
    return shared + (1.5 if shared and re.search("应当|必须|不得|是指", sentence) else 0.0)


def best_of(passages: list[Passage], question: str) -> list[tuple[float, Passage, str]]:
    """(score, passage, key sentence) for each passage, best first; the question's named document first."""
    words = content_words(question)
    scored = []
    for rank, passage in enumerate(passages):
        sentences = _sentences(passage.text)
        if not sentences:
            continue
        key = max(sentences, key=lambda s: sentence_score(s, words))
        score = sentence_score(key, words) + 0.3 * sentence_score(passage.text, words) / max(1, len(sentences))
        stem = _stem(passage.title)
        if stem and stem in question:
            score += 3.0 + len(stem) / 10      # 政府采购法实施条例 named: it, before the law itself
        score -= rank * 0.2
        scored.append((score, passage, key))
    scored.sort(key=lambda t: -t[0])
    return scored


def _search(open_index: Callable[[], Any], query: str, kind: str) -> tuple[list[Passage], str | None]:
    try:
        return open_index().search(query, k=SEARCHED, kind=kind), None
    except JixiaoError as error:
        return [], f"资料库暂不可用：{error}"
    except Exception as error:   # an index that cannot be opened must not end the conversation
        log.exception("retrieval failed")
        return [], f"资料库暂不可用（{type(error).__name__}），请稍后再试或在“资料库”页重建索引。"


def _cite(answer, passage: Passage, quote: str) -> int:
    for c in answer.citations:
        if c["chunk_id"] == passage.chunk_id:
            return c["n"]
    n = len(answer.citations) + 1
    answer.passages.append(passage)
    answer.citations.append({**citation(n, passage), "quote": quote, "text": passage.text,
                             "article": article_of(passage, quote)})
    return n


def _source_lines(answer) -> list[str]:
    lines = ["依据（点开可看原文）："]
    for c in answer.citations:
        where = c.get("article") or c.get("section") or ""
        lines.append(f"[{c['n']}] 《{_stem(c['title'])}》{where}")
    return lines


def policy_text(open_index: Callable[[], Any], question: str, answer) -> tuple[str, list[Passage]]:
    """A policy answer: the answering sentence of the best passage, then the numbered sources."""
    passages, error = _search(open_index, question, "policy")
    if error:
        return error, []
    ranked = best_of(passages, question)
    if not ranked or sentence_score(ranked[0][2], content_words(question)) < ANSWERS_AT:
        text = "资料库的政策法规中没有找到能直接回答这个问题的条文。"
        if ranked:
            _, passage, key = ranked[0]
            n = _cite(answer, passage, key)
            text += f"最接近的是{document_title(passage)}{article_of(passage, key)}[{n}]，请核对原文是否适用。"
        return "\n".join([text, *_source_lines(answer)]) if answer.citations else text, list(answer.passages)
    score, passage, key = ranked[0]
    n = _cite(answer, passage, key)
    lines = [f"根据{document_title(passage)}{article_of(passage, key)}，{key.rstrip('。；;')}[{n}]。"]
    for other_score, other, other_key in ranked[1:3]:
        if other_score >= max(ANSWERS_AT, score * 0.8) and other.doc != passage.doc:
            m = _cite(answer, other, other_key)
            lines.append(f"另据{document_title(other)}{article_of(other, other_key)}，{other_key.rstrip('。；;')}[{m}]。")
            break
    return "\n".join(lines + [""] + _source_lines(answer)), list(answer.passages)


def past_topic(question: str) -> str:
    """What a past-report question asks about: `往年报告里问题部分一般怎么写` → `问题部分`."""
    topic = PAST_WORDS.sub(" ", question)
    topic = re.sub(r"\s+", " ", topic).strip(" ，,、的里中")
    section = section_of(topic)
    if section:
        topic += " " + SECTION_WORDS[section][0]
    return topic or question


def past_report_text(open_index: Callable[[], Any], question: str, answer) -> tuple[str, list[Passage]]:
    """How past reports wrote the point asked: the best passages of past reports, quoted and cited."""
    topic = past_topic(question)
    passages, error = _search(open_index, topic, "report")
    if error:
        return error, []
    ranked = best_of(passages, topic)
    if not ranked:
        return "资料库中没有往年报告。可在“资料库”页添加往年的绩效评价报告。", []
    lines = ["往年报告中的写法（供参考，未改动您的草稿）："]
    shown = 0
    for score, passage, key in ranked:
        if shown and score < ANSWERS_AT:
            break
        n = _cite(answer, passage, key)
        where = quoted(passage.section.split(" > ")[-1]) if passage.section else ""
        lines.append(f"{document_title(passage)}{where}写道：“{excerpt(passage.text, 220)}”[{n}]")
        shown += 1
        if shown == 2:
            break
    return "\n".join(lines + [""] + _source_lines(answer)), list(answer.passages)
