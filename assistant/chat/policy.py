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
from ..retrieval import Passage
from ..text import quoted
from ..tokenizer import tokenizer
from .citations import citation, excerpt
from .routing import SECTION_WORDS, section_of

log = logging.getLogger(__name__)

SEARCHED = 8
WIDE = 40                    # searched when the question names a document none of the first results come from
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


def content_words(question: str, named: tuple[str, ...] = ()) -> list[str]:
    """The question's words that a passage must share; the named documents' own words left out."""
    for name in named:
        question = question.replace(name, " ")
    words = [w for w in tokenizer().lcut_for_search(question) if len(w) >= 2 and w not in QUESTION_WORDS]
    # 预决算 → 预算, 决算: a contraction the regulations write out
    if "预决算" in question:
        words += ["预算", "决算"]
    return list(dict.fromkeys(words))


def short_title(title: str) -> str:
    """`中华人民共和国预算法实施条例(2020-08-03)` → `预算法实施条例`."""
    return re.sub(r"^中华人民共和国", "", _stem(title))


def named_documents(question: str, open_index: Callable[[], Any]) -> tuple[str, ...]:
    """The short titles of indexed documents the question names (`预算法`, `青岛的条例` → 青岛市预算绩效管理条例)."""
    try:
        titles = {short_title(d.get("title") or d.get("doc") or "") for d in open_index().documents()
                  if d.get("kind") == "policy"}
    except Exception:      # an index without a document list: no document is named
        return ()
    found = [t for t in titles if t and t in question]
    for title in titles:
        place = re.match(r"^([\u4e00-\u9fff]{2,3}?)(?:省|市|自治区)", title)
        kind = re.search(r"(条例|办法|规定|细则)$", title)
        if place and kind and place.group(1) in question and kind.group(1) in question:
            found.append(title)
    # the longest names first; a name inside another named one (预算法 in 预算法实施条例) is the other
    found = sorted(set(found), key=len, reverse=True)
    return tuple(t for t in found if not any(t != other and t in other and other in question for other in found))


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


def sentence_score(sentence: str, words: list[str], weights: dict[str, float] | None = None) -> float:
    shared = sum(len(w) * (weights or {}).get(w, 1.0) for w in words if w in sentence)
    return shared + (1.5 if shared and re.search("应当|必须|不得|是指", sentence) else 0.0)


def best_of(passages: list[Passage], question: str, named: tuple[str, ...] = (),
            sections: bool = False) -> list[tuple[float, Passage, str]]:
    """(score, passage, key sentence) for each passage, best first; a document the question names first."""
    words = content_words(question, named)
    # a word most of the passages share (the unit's name in its own reports) tells them apart little
    spread = {w: sum(1 for p in passages if w in p.text) for w in words}
    weights = {w: 0.3 if sections and len(passages) >= 4 and n > len(passages) / 2 else 1.0 for w, n in spread.items()}
    scored = []
    for rank, passage in enumerate(passages):
        sentences = _sentences(passage.text)
        if not sentences:
            continue
        key = max(sentences, key=lambda s: sentence_score(s, words, weights) + _leads(s, words) + _form(question, s))
        score = sentence_score(key, words, weights) + _leads(key, words) + _form(question, key) \
            + 0.3 * sentence_score(passage.text, words, weights) / max(1, len(sentences))
        if named and short_title(passage.title) in named:
            score += 3.0
        elif "实施条例" in question and "实施条例" in passage.title:
            score += 1.5
        if sections:        # a past report's heading names what its passage is about
            score += sentence_score(passage.section or "", words, weights)
        score -= rank * (0.05 if sections else 0.6)
        scored.append((score, passage, key))
    scored.sort(key=lambda t: -t[0])
    return scored


# What the question asks for, and the sentence form that gives it: the circumstances (什么情况下 → 有下列情形之一的),
# a permission (可以…吗 → 可以…).
ASKS_CIRCUMSTANCES = re.compile(r"什么情况|哪些情况|何种情况|什么情形|哪些情形|什么条件|哪些条件|什么时候可以|在什么")
STATES_CIRCUMSTANCES = re.compile(r"下列情形|情形之一|下列情况|下列条件")
ASKS_PERMISSION = re.compile(r"可以|可不可以|能不能|能否|允许")
STATES_PERMISSION = re.compile(r"可以|不得|禁止|允许")


def _form(question: str, sentence: str) -> float:
    """A sentence in the form the question asks for (the circumstances, a permission) answers it."""
    bonus = 0.0
    if ASKS_CIRCUMSTANCES.search(question) and STATES_CIRCUMSTANCES.search(sentence):
        bonus += 4.0
    if ASKS_PERMISSION.search(question) and STATES_PERMISSION.search(sentence):
        bonus += 1.5
    return bonus


def _leads(sentence: str, words: list[str]) -> float:
    """A sentence that opens with what the question asks about states it (`绩效目标应当…`)."""
    return 2.0 if any(sentence.startswith(w) for w in words if len(w) >= 3) else 0.0


def article_heading(passage: Passage, quote: str) -> str:
    """The article a sentence sits in: the last `第N条` opening a line before it, else the section's."""
    text = passage.text or ""
    position = text.find(quote[:20]) if quote else -1
    if position >= 0:
        found = re.findall(r"(?:^|\n)\s*#*\s*(第[一二三四五六七八九十百零〇]+条)", text[:position])
        if found:
            return found[-1]
    return article_of(passage, "")


def _search(open_index: Callable[[], Any], query: str, kind: str,
            named: tuple[str, ...] = ()) -> tuple[list[Passage], str | None]:
    try:
        passages = open_index().search(query, k=SEARCHED, kind=kind)
        if named and not any(short_title(p.title) in named for p in passages):
            wide = open_index().search(query + " " + " ".join(named), k=WIDE, kind=kind)
            passages = [p for p in wide if short_title(p.title) in named][:SEARCHED] or passages
        return passages, None
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
                             "article": article_heading(passage, quote)})
    return n


def _source_lines(answer) -> list[str]:
    lines = ["依据（点开可看原文）："]
    for c in answer.citations:
        where = c.get("article") or c.get("section") or ""
        lines.append(f"[{c['n']}] 《{_stem(c['title'])}》{where}")
    return lines


def policy_text(open_index: Callable[[], Any], question: str, answer) -> tuple[str, list[Passage]]:
    """A policy answer: the answering sentence of the best passage, then the numbered sources."""
    named = named_documents(question, open_index)
    passages, error = _search(open_index, question, "policy", named)
    if error:
        return error, []
    ranked = best_of(passages, question, named)
    if not ranked or sentence_score(ranked[0][2], content_words(question, named)) < ANSWERS_AT:
        text = "资料库的政策法规中没有找到能直接回答这个问题的条文。"
        if ranked:
            _, passage, key = ranked[0]
            n = _cite(answer, passage, key)
            text += f"最接近的是{document_title(passage)}{article_heading(passage, key)}[{n}]，请核对原文是否适用。"
        return "\n".join([text, *_source_lines(answer)]) if answer.citations else text, list(answer.passages)
    score, passage, key = ranked[0]
    n = _cite(answer, passage, key)
    lines = [f"根据{document_title(passage)}{article_heading(passage, key)}，{key.rstrip('。；;:：')}"
             + (f"：{items}" if (items := listed_items(passage.text, key)) else "") + f"[{n}]。"]
    for other_score, other, other_key in ranked[1:3]:
        if other_score >= max(ANSWERS_AT, score * 0.8) and other.doc != passage.doc:
            m = _cite(answer, other, other_key)
            lines.append(f"另据{document_title(other)}{article_heading(other, other_key)}，{other_key.rstrip('。；;')}[{m}]。")
            break
    return "\n".join(lines + [""] + _source_lines(answer)), list(answer.passages)


ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
ITEMS_SHOWN = 240            # characters of a list quoted after the sentence that opens it


def listed_items(text: str, key: str) -> str:
    """The items after a sentence that opens a list (`符合下列情形之一的…:` → `（一）…；（二）…`), shortened."""
    if not key.rstrip().endswith((":", "：")):
        return ""
    at = text.find(key[:20])
    if at < 0:
        return ""
    items = []
    for line in text[at + len(key):].splitlines():
        if not line.strip():
            continue
        if not ITEM.match(line):
            break
        items.append(line.strip().rstrip("。；;"))
    joined = "；".join(items)
    return joined if len(joined) <= ITEMS_SHOWN else joined[:ITEMS_SHOWN].rstrip("；，,") + "……"


def _from_sentence(text: str, key: str) -> str:
    """The passage from the sentence before its key sentence on (the part that answers)."""
    at = text.find(key[:20])
    if at <= 0:
        return text
    before = max(text.rfind(mark, 0, max(0, at - 1)) for mark in "。！？；\n")
    return text[before + 1:] if before >= 0 else text


def past_topic(question: str) -> str:
    """What a past-report question asks about: `往年报告里问题部分一般怎么写` → `问题部分`."""
    topic = re.sub(r"[\u4e00-\u9fff]{0,8}?的?(?:评价|自评)?报告", " ", question)      # whose report: not the topic
    topic = PAST_WORDS.sub(" ", topic)
    topic = re.sub(r"\s+", " ", topic).strip(" ，,、的里中")
    section = section_of(topic)
    rest = topic
    for word in SECTION_WORDS.get(section, ()):
        rest = rest.replace(word, "")
    if section and len(re.sub(r"部分|章节|一节|那部分|这部分|\s", "", rest)) <= 1:   # the topic is a section
        topic += " " + SECTION_WORDS[section][0]
    return topic or question


def past_report_text(open_index: Callable[[], Any], question: str, answer) -> tuple[str, list[Passage]]:
    """How past reports wrote the point asked: the best passages of past reports, quoted and cited."""
    topic = past_topic(question)
    try:        # past reports are few: search wide, then rank by what the officer asked about
        passages, error = open_index().search(topic, k=WIDE, kind="report"), None
    except Exception:
        passages, error = _search(open_index, topic, "report")
    if error:
        return error, []
    ranked = best_of(passages, topic, sections=True)
    if not ranked:
        return "资料库中没有往年报告。可在“资料库”页添加往年的绩效评价报告。", []
    lines = ["往年报告中的写法（供参考，未改动您的草稿）："]
    shown = 0
    for score, passage, key in ranked:
        if shown and score < ANSWERS_AT:
            break
        n = _cite(answer, passage, key)
        where = quoted(passage.section.split(" > ")[-1]) if passage.section else ""
        lines.append(f"{document_title(passage)}{where}写道：“{excerpt(_from_sentence(passage.text, key), 220)}”[{n}]")
        shown += 1
        if shown == 2:
            break
    return "\n".join(lines + [""] + _source_lines(answer)), list(answer.passages)
