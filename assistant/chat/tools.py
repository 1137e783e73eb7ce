"""The model writer: a chat model answers through langchain tool calling over the session's answers.

The tools are the data's answers (score, underperformers, indicator), retrieval and drafting. A
model without tool calling gets the routed answer as material instead. Whatever the model writes
streams through a `CheckedStream`; a model that fails, or keeps calling tools, is replaced by the
data's own answer.
"""
from __future__ import annotations

import logging
from typing import Iterator

from ..drafting.outline import SECTION_KEYS
from ..errors import JixiaoError
from ..llm import message_text
from ..prompts import render
from ..text import quoted
from . import answers, funds, rankings
from .handlers import HANDLERS
from .entities import indicator_matches
from .routing import Route, section_of
from .stream import Answer, CheckedStream
from .understanding import Reading
from .workspace import Workspace

log = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 4

def model_answer(session: Workspace, question: str, answer: Answer) -> Iterator[str]:
    """Stream the model's answer to `question` into `answer`, checked a line at a time."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage  # heavy: langchain

    answer.writer = getattr(session.llm, "_llm_type", type(session.llm).__name__)
    passages: list = []
    reading = session.read(question)
    r = Route("draft" if reading.intent in ("draft", "rewrite") else
              "retrieve" if reading.intent in ("policy", "past_report") else reading.intent,
              section=reading.section, whole_report=reading.whole_report,
              indicator=next((int(s.key) for s in reading.subjects if s.kind == "indicator"), None))
    answer.intent = f"model:{reading.intent}"
    tools = session_tools(session, answer, passages)
    try:
        runnable = session.llm.bind_tools(list(tools.values()))
        tool_calling = True
    except (NotImplementedError, AttributeError):
        runnable, tool_calling = session.llm, False

    facts = session.ledger.facts_block()
    system = render("chat_system", unit=session.evaluation.unit_name, year=session.evaluation.year_label(""), facts=facts)
    if not tool_calling:
        # No tool calling: do what the router says, and give the model the result as material.
        if r.intent == "draft":
            yield from session.draft_answer(question, r, answer)
            return
        if r.intent == "retrieve":
            material, found = session.retrieve_text(question, answer)
            passages += found
        else:
            material = reading_text(session, reading)
        system += "\n\n与问题相关的材料（只能使用其中的数字）：\n" + material
    messages: list = [SystemMessage(system)]
    for turn in session.history[:-1][-2 * session.history_turns:]:
        messages.append(HumanMessage(turn["content"]) if turn["role"] == "user" else AIMessage(turn["content"]))
    messages.append(HumanMessage(question))

    stream: CheckedStream | None = None
    try:
        for _round in range(MAX_TOOL_ROUNDS):
            stream = CheckedStream(session.answer_ledger(passages))
            gathered = None
            text_seen = False
            for chunk in runnable.stream(messages):
                gathered = chunk if gathered is None else gathered + chunk
                delta = _chunk_text(chunk)
                if delta and not getattr(gathered, "tool_call_chunks", None):
                    text_seen = True
                    shown = stream.feed(delta)
                    if shown:
                        yield shown
            calls = list(getattr(gathered, "tool_calls", None) or [])
            if not calls:
                tail = stream.flush()
                if tail:
                    yield tail
                break
            if text_seen:           # text before a tool call: keep what was shown
                yield stream.flush()
                answer.segments += stream.segments
            stream = None
            messages.append(AIMessage(content=_chunk_text(gathered), tool_calls=calls))
            for call in calls:
                answer.tools.append(call["name"])
                result = run_tool(tools, call)
                messages.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
        else:
            stream = CheckedStream(session.ledger)
            yield stream.feed("（模型多次调用工具仍未给出答复，以下为根据数据直接生成的回答）\n")
            for line in reading_text(session, reading).splitlines(True):
                yield stream.feed(line)
            yield stream.flush()
    except Exception as error:   # a model that fails must not end the conversation
        log.warning("chat model failed", exc_info=True)
        if stream is not None:
            yield stream.flush()
            answer.segments += stream.segments
        stream = CheckedStream(session.answer_ledger(passages))
        yield stream.feed(f"模型调用失败（{type(error).__name__}），以下为根据数据直接生成的回答：\n")
        if r.intent == "retrieve":
            material, found = session.retrieve_text(question, answer)
            stream = CheckedStream(session.answer_ledger(passages + found))
        elif r.intent == "draft":
            answer.segments += stream.segments
            drafted = Answer(question=question, intent="draft")
            yield from session.draft_answer(question, r, drafted)
            answer.segments += drafted.segments
            answer.section, answer.citations = drafted.section, answer.citations + drafted.citations
            return
        else:
            material = reading_text(session, reading)
        for line in material.splitlines(True):
            yield stream.feed(line)
        yield stream.flush()
    answer.segments += stream.segments if stream else []
    if answer.citations:
        ref = CheckedStream(session.answer_ledger(passages))
        listing = "\n\n参考资料：\n" + "\n".join(
            f"[{c['n']}] 《{c['title']}》{c.get('section') or ''}" for c in answer.citations)
        yield ref.add_trusted(listing)
        answer.segments += ref.segments


def reading_text(session: Workspace, reading) -> str:
    """The data's answer to a reading (the material a model without tools gets, and its fallback)."""
    if reading.intent in HANDLERS:
        return HANDLERS[reading.intent](session.evaluation, session.card, reading).text
    if reading.intent == "off_topic":
        return answers.off_topic_text()
    if reading.intent == "clarify":
        return answers.clarify_text(reading.options)
    return answers.help_text()


def session_tools(session: Workspace, answer: Answer, passages: list) -> dict:
    """The tools a model may call, by name: each answers from this session and adds to `answer`."""
    from langchain_core.tools import StructuredTool  # heavy: langchain

    def score_summary() -> str:
        """自评总分、评价等级、预算执行率和各项指标得分，以及计算方法。"""
        return answers.score_text(session.evaluation, session.card)

    def underperformers() -> str:
        """未完成年度指标值的指标，含目标值、实际完成值、完成率、差距和偏差原因；以及数据中的不一致。"""
        reply = HANDLERS["underperformers"](session.evaluation, session.card,
                                             Reading("underperformers", 1.0, ""))
        session.context.subject = reply.subject or session.context.subject
        session.context.listed = reply.listed or session.context.listed
        return reply.text

    def indicator_figures(name: str) -> str:
        """某一项指标的目标值、实际完成值、完成率、得分和偏差原因。name：指标名称或其中的关键词。"""
        found = indicator_matches(name, session.evaluation)
        if not found.found:
            return answers.indicator_list_text(session.evaluation)
        return "\n".join(answers.indicator_text(session.evaluation, session.card, m.key) for m in found.tied[:4])

    def retrieve(query: str) -> str:
        """在政策法规和往年报告资料库中检索，返回带编号[n]的原文摘录。query：检索词。"""
        text, found = session.retrieve_text(query, answer)   # numbered after earlier citations
        passages.extend(found)
        return text

    def draft_section(section: str, instruction: str = "") -> str:
        """起草或重写报告的某一部分并放入草稿。section：background/indicators/conclusion/problems/measures
        或中文名称（如“存在的问题”）；instruction：修改要求。"""
        key = section if section in SECTION_KEYS else section_of(section) or "problems"
        drafted = session.draft_section(key, instruction=instruction)
        answer.section = drafted
        answer.citations += [c for c in drafted.citations if c not in answer.citations]
        return f"{drafted.title}\n{drafted.text}"

    def ranking(order: str = "high", count: int = 0) -> str:
        """按完成率给指标排名（上限类指标不参与）。order：high（最高在前）或 low（最低在前）；count：前几名，0为全部。"""
        return rankings.ranking_text(session.evaluation, session.card, count or None, order == "low").text

    def points_lost(name: str = "") -> str:
        """扣分情况：各项指标及预算执行率的分值、得分和扣分，合计扣分。name：只看某一项指标时给出其名称或关键词。"""
        found = indicator_matches(name, session.evaluation) if name else None
        only = [m.key for m in found.tied[:4]] if found and found.found else None
        return rankings.points_lost_text(session.evaluation, session.card, only=only).text

    def budget_items(breakdown: str = "用途") -> str:
        """资金明细：breakdown 为“用途”（资金用途）、“来源”（资金来源）或“任务”（重点任务资金），以及结余。"""
        card = session.card
        listed = funds.spending_text(session.evaluation, card, breakdown).text
        return listed + "\n" + funds.balance_text(session.evaluation, card).text

    def rewrite_section(section: str, request: str = "重写") -> str:
        """按要求改写已起草的某一部分（简要、详细、针对某指标、加上或去掉政策依据、换个说法），改写结果经核数后替换草稿。
        section：background/indicators/conclusion/problems/measures 或中文名称；request：改写要求。"""
        key = section if section in SECTION_KEYS else section_of(section) or "problems"
        drafted = Answer(question=request, intent="rewrite")
        for _ in session.rewrite_answer(request, key, [], drafted):
            pass
        answer.section = drafted.section
        if drafted.section is None:
            return drafted.text
        answer.citations += [c for c in drafted.section.citations if c not in answer.citations]
        return f"{drafted.section.title}\n{drafted.section.text}"

    funcs = [score_summary, underperformers, indicator_figures, ranking, points_lost, budget_items, retrieve,
             draft_section, rewrite_section]
    return {f.__name__: StructuredTool.from_function(f) for f in funcs}


def run_tool(tools: dict, call: dict) -> str:
    tool = tools.get(call["name"])
    if tool is None:
        return f"没有名为{quoted(call['name'])}的工具。"
    try:
        return str(tool.invoke(call.get("args") or {}))
    except JixiaoError as error:
        return f"工具出错：{error}"
    except Exception as error:
        log.warning("tool %s failed", call["name"], exc_info=True)
        return f"工具出错：{type(error).__name__}"


def _chunk_text(chunk) -> str:
    return message_text(chunk)
