"""The chat engine without a browser: routing, answers from the data, checked streaming, drafting in
chat, retrieval with citations, and models that lie (a scripted fake, a tool-calling fake, and the
real ChatOpenAI client against a loopback OpenAI-compatible server that streams tool calls)."""
from __future__ import annotations

import re

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.actuals import load
from assistant.chat import ChatSession, CheckedStream, excerpt, understand
from assistant.text import quoted
from drafting_fixtures import DEPT, PROJECT, OpenAICompatibleServer, unmarked
from drafting_fixtures import assert_no_unverified_figure_unmarked as assert_no_leak

UNMET = "“港澳商协汇”公众号关注量"
SHOWN = quoted(UNMET)             # as answers print it: “‘港澳商协汇’公众号关注量”


# --- reading the question -------------------------------------------------------------------------

@pytest.mark.parametrize("question, intent", [
    ("哪些指标没有完成？", "underperformers"),
    ("有没有未完成的指标", "underperformers"),
    ("总分是怎么算的？", "score"),
    ("评价等级是什么", "score"),
    ("预算执行率是多少", "budget"),
    ("数据有没有填报错误？", "findings"),
    ("政府采购法对采购方式有什么规定？", "policy"),
    ("往年报告里存在的问题是怎么写的", "past_report"),
    ("起草存在的问题部分", "draft"),
    ("你好", "small_talk"),
    ("你能做什么", "help"),
])
def test_reading_by_intent(question, intent, dept):
    assert understand(question, dept).intent == intent


def test_reading_names_the_section_and_the_indicator(dept):
    assert understand("起草存在的问题部分", dept).section == "problems"
    assert understand("写一下自评结论", dept).section == "conclusion"
    assert understand("起草报告全文", dept).whole_report
    assert understand("重写下一步改进措施", dept, drafted=True).intent == "rewrite"
    r = understand("媒体报道次数的实际完成值是多少", dept)
    assert r.intent == "indicator"
    assert [s.name for s in r.subjects] == ["亚洲青年领袖论坛相关媒体报道次数"]


# --- answers from the data -------------------------------------------------------------------------

def test_unmet_indicators_with_gap_and_reason(project):
    session = ChatSession(project)
    answer = session.answer("哪些指标没有完成？")
    assert answer.intent == "underperformers"
    listed = re.findall(r"^\d+\. (.+?)：", answer.text, flags=re.M)
    assert listed == [SHOWN]
    assert "““" not in answer.text and "””" not in answer.text
    assert "实际完成386人次" in answer.text and "差64人次" in answer.text and "偏差原因：公众号于2023年新开设" in answer.text
    assert answer.ok, [(f.text, f.reason) for f in answer.problems]
    # "why?" follows up on the indicator just discussed
    why = session.answer("为什么？")
    assert SHOWN in why.text and "偏差原因" in why.text


def test_none_unmet_in_seed_000_but_the_printed_100_percent_is_reported(dept):
    answer = ChatSession(dept).answer("哪些指标没有完成？")
    assert "没有未完成的指标" in answer.text
    assert re.search(r"接待涉港澳、涉外事团组人次”(自评表)?填报完成率.*100%.*2014人次.*1500.*134%", answer.text)
    assert_no_leak(answer, ChatSession(dept).ledger)


@pytest.mark.parametrize("path", [DEPT, PROJECT])
def test_score_answer_shows_how_it_was_computed(path):
    session = ChatSession(load(path))
    card = session.card
    answer = session.answer("总分是怎么算的？")
    total = f"{card.total:.2f}".rstrip("0").rstrip(".")
    assert f"自评总分{total}分" in answer.text and f"“{card.grade}”" in answer.text
    assert "预算执行率 = 实际支出" in answer.text and " ÷ " in answer.text
    assert len(re.findall(r"^\d+\. “", answer.text, flags=re.M)) == len(card.indicators)
    assert_no_leak(answer, session.ledger)


def test_indicator_figures_with_formula(dept):
    answer = ChatSession(dept).answer("媒体报道次数的实际完成值是多少？")
    assert "年度指标值≥150次，实际完成203次，完成率135%（203 ÷ 150 = 135%）" in answer.text
    assert answer.ok
    assert all(f.source for f in answer.figures if f.status == "verified")


@pytest.mark.parametrize("path", [DEPT, PROJECT])
@pytest.mark.parametrize("question", ["预算执行率是多少？", "数据有没有填报错误？", "你好", "随便说点什么"])
def test_every_template_answer_passes_the_checker(path, question):
    session = ChatSession(load(path))
    answer = session.answer(question)
    assert answer.text
    assert_no_leak(answer, session.ledger)
    if question == "你好":
        assert answer.ok and answer.intent == "small_talk" and "绩效报告助手" in answer.text
    if question == "随便说点什么":
        assert answer.ok and answer.intent == "off_topic" and "我无法回答" in answer.text


def test_answers_stream_in_checked_chunks(dept):
    session = ChatSession(dept)
    chunks = list(session.ask("总分是怎么算的？"))
    assert len(chunks) > 5
    assert "".join(chunks) == session.answers[-1].text


def test_checked_stream_marks_an_invented_figure_and_keeps_offsets(dept):
    session = ChatSession(dept)
    stream = CheckedStream(session.ledger)
    shown = stream.feed("“亚洲青年领袖论坛相关媒体报道次数”实际完成203次。\n全年举办培训")
    shown += stream.feed("37场。")
    shown += stream.flush()
    assert "203次" in unmarked(shown)
    assert "【待核实：原文“37场”" in shown
    raw = "".join(s.raw for s in stream.segments)
    for segment in stream.segments:
        for figure in segment.check.figures:
            assert segment.raw[figure.start:figure.end] == figure.text
    assert raw.endswith("37场。")


def test_no_data_yet():
    answer = ChatSession().answer("哪些指标没有完成？")
    assert answer.intent == "no_data" and "尚未载入数据" in answer.text


def test_sessions_are_isolated(dept, project):
    a, b = ChatSession(dept), ChatSession(project)
    a.answer("哪些指标没有完成？")
    b.answer("起草存在的问题部分")
    assert len(a.history) == 2 and len(b.history) == 2
    assert "problems" in b.sections and not a.sections
    assert a.ledger is not b.ledger
    assert SHOWN not in a.answers[-1].text and UNMET not in a.answers[-1].text


def test_excerpt_never_cuts_inside_a_figure():
    text = "前言" * 70 + "预算安排2122.43万元" + "后文" * 30
    cut = excerpt(text, limit=150)
    assert "2122.43万元" in cut or "2122" not in cut


# --- drafting in the chat --------------------------------------------------------------------------

def test_draft_request_lands_in_chat_and_draft(project):
    session = ChatSession(project)
    answer = session.answer("起草存在的问题部分")
    assert answer.intent == "draft" and answer.section is not None
    assert answer.section.key == "problems"
    assert answer.section.text in answer.text
    draft = session.draft()
    assert [s.key for s in draft.sections] == ["problems"]
    assert SHOWN in draft.sections[0].text
    rewritten = session.answer("重写改进措施")
    assert rewritten.section.key == "measures"
    assert [s.key for s in session.draft().sections] == ["problems", "measures"]
    assert_no_leak(answer, session.ledger)


def test_draft_request_without_a_section_asks_which(dept):
    answer = ChatSession(dept).answer("帮我写一下")
    assert "请说明要起草哪个部分" in answer.text


# --- models that lie -------------------------------------------------------------------------------

def test_scripted_lying_model_is_caught(project):
    """The fake provider changes every figure it is given and invents more: all of it is marked."""
    from assistant.llm import chat_model

    liar = chat_model("fake")
    session = ChatSession(project, llm=liar)
    answer = session.answer("哪些指标没有完成？")
    assert liar.prompts, "the model was asked"
    assert "386人次" in liar.prompts[0]           # it was given the data's answer as material
    assert answer.problems
    shown = unmarked(answer.text)
    for invented in ("325人", "1.8万人次", "117%"):
        assert invented not in shown
        assert f"原文“{invented}" in answer.text
    assert_no_leak(answer, session.ledger)


class ToolScript(BaseChatModel):
    """A tool-calling fake: returns scripted AIMessages (tool calls, then text), records the messages."""

    script: list = []
    seen: list = []

    @property
    def _llm_type(self) -> str:
        return "tool-script"

    def bind_tools(self, tools, **kwargs):
        self.seen.append(("tools", [t.name for t in tools]))
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.seen.append(("messages", list(messages)))
        turn = sum(1 for kind, _ in self.seen if kind == "messages") - 1
        reply = self.script[min(turn, len(self.script) - 1)]
        return ChatResult(generations=[ChatGeneration(message=reply)])


def test_tool_calling_model_uses_the_data_and_its_lie_is_marked(project):
    model = ToolScript(script=[
        AIMessage(content="", tool_calls=[{"name": "underperformers", "args": {}, "id": "call_1"}]),
        AIMessage(content=f"未完成的是{UNMET}：实际完成386人次，差64人次。\n另外关注量已达到999人次。"),
    ], seen=[])
    session = ChatSession(project, llm=model)
    answer = session.answer("哪些指标没有完成？")
    assert answer.tools == ["underperformers"]
    tool_names = next(names for kind, names in model.seen if kind == "tools")
    assert set(tool_names) == {"score_summary", "underperformers", "indicator_figures", "ranking", "points_lost",
                               "budget_items", "retrieve", "draft_section", "rewrite_section"}
    second_call = [m for kind, m in model.seen if kind == "messages"][1]
    tool_result = [m for m in second_call if isinstance(m, ToolMessage)][0]
    assert "386人次" in tool_result.content and "偏差原因" in tool_result.content
    statuses = {f.text: f.status for f in answer.figures}
    assert statuses.get("386人次") == "verified"
    assert "【待核实：原文“999人次”" in answer.text
    assert_no_leak(answer, session.ledger)


def test_tool_calling_model_drafts_a_section_into_the_draft(project):
    model = ToolScript(script=[
        AIMessage(content="", tool_calls=[{"name": "draft_section", "args": {"section": "存在的问题"}, "id": "c1"}]),
        AIMessage(content="已按要求起草“存在的问题”部分，请在草稿中查看。"),
    ], seen=[])
    session = ChatSession(project, llm=model)
    answer = session.answer("帮我起草存在的问题")
    assert answer.tools == ["draft_section"]
    assert "problems" in session.sections and answer.section.key == "problems"


def test_a_failing_model_falls_back_to_the_data(project):
    class Broken(ToolScript):
        def _generate(self, *args, **kwargs):
            raise ConnectionError("模型服务不可用")

    session = ChatSession(project, llm=Broken(script=[], seen=[]))
    answer = session.answer("哪些指标没有完成？")
    assert "模型调用失败" in answer.text and SHOWN in answer.text
    assert_no_leak(answer, session.ledger)


# --- the real OpenAI client, streaming tool calls from a loopback server ----------------------------

def test_openai_client_streams_tool_calls_and_the_checker_marks_its_lie(project):
    from assistant.llm import chat_model

    script = [{"tool": "indicator_figures", "args": {"name": "公众号关注量"}},
              f"{UNMET}年度指标值≥450人次，实际完成386人次，完成率86%。\n预计明年可达到600人次。"]
    with OpenAICompatibleServer.scripted(script) as server:
        session = ChatSession(project, llm=chat_model("openai", base_url=server.base_url, model="m"))
        chunks = list(session.ask("公众号关注量完成得怎么样？"))
    answer = session.answers[-1]
    assert len(server.requests) == 2 and server.requests[0]["stream"] is True
    assert {t["function"]["name"] for t in server.requests[0]["tools"]} >= {"underperformers", "retrieve"}
    tool_reply = [m for m in server.requests[1]["messages"] if m["role"] == "tool"][0]["content"]
    assert "386人次" in tool_reply
    assert answer.tools == ["indicator_figures"]
    assert "".join(chunks) == answer.text
    assert "实际完成386人次" in unmarked(answer.text)
    assert "【待核实：原文“600人次”" in answer.text
    assert_no_leak(answer, session.ledger)


# --- retrieval with citations (a real index of the shipped corpus) ---------------------------------

@pytest.mark.slow
def test_policy_question_answered_with_numbered_citations(dept, small_index):
    session = ChatSession(dept, index_provider=lambda: small_index)
    answer = session.answer("政府采购有哪些采购方式？")
    assert answer.intent == "policy"
    assert answer.citations and [c["n"] for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert any("政府采购" in c["title"] for c in answer.citations)
    for c in answer.citations:
        assert f"[{c['n']}] 《" in answer.text and c["doc"] and c["section"] is not None and c["text"]
    assert_no_leak(answer, session.answer_ledger(answer.passages))


@pytest.mark.slow
def test_past_report_question_and_model_retrieval_tool(project, small_index):
    model = ToolScript(script=[
        AIMessage(content="", tool_calls=[{"name": "retrieve", "args": {"query": "商协会服务集聚区 存在的问题"}, "id": "r1"}]),
        AIMessage(content="往年报告指出了存在的问题[1]。"),
    ], seen=[])
    session = ChatSession(project, index_provider=lambda: small_index, llm=model)
    answer = session.answer("往年报告里商协会集聚区存在的问题是怎么写的？")
    assert answer.tools == ["retrieve"] and answer.citations
    assert "参考资料：" in answer.text and "[1] 《" in answer.text


def test_a_checker_failure_marks_every_number(project, monkeypatch):
    import assistant.chat.stream as stream      # the checked stream's own checker

    def broken(text, ledger):
        raise RuntimeError("checker down")

    monkeypatch.setattr(stream, "check", broken)
    answer = ChatSession(project).answer("哪些指标没有完成？")
    assert "386" not in unmarked(answer.text) and "【待核实：原文“386”" in answer.text
    assert not re.search(r"\d", unmarked(answer.text).replace("“", "").replace("”", ""))


@pytest.mark.parametrize("tool, args, lie, truth", [
    ("ranking", {"order": "high", "count": 1}, "完成率最高的是“‘倾’沙龙系列座谈场次”，完成率150%，实际完成9场。", "150%"),
    ("points_lost", {}, "共扣了5分，其中“‘港澳商协汇’公众号关注量”扣2.13分。", "2.13分"),
    ("budget_items", {"breakdown": "用途"}, "“场地租赁费”：64.50万元，结余12.20万元。", "12.20万元"),
])
def test_openai_client_calls_the_new_tools_and_its_lies_are_marked(project, tool, args, lie, truth):
    from assistant.llm import chat_model

    with OpenAICompatibleServer.scripted([{"tool": tool, "args": args}, lie]) as server:
        session = ChatSession(project, llm=chat_model("openai", base_url=server.base_url, model="m"))
        answer = session.answer("帮我看看")
    tool_reply = [m for m in server.requests[1]["messages"] if m["role"] == "tool"][0]["content"]
    assert truth in tool_reply and answer.tools == [tool]
    assert "【待核实" in answer.text and truth in unmarked(answer.text)
    assert_no_leak(answer, session.ledger)


def test_openai_client_rewrites_a_section_through_the_tool(project):
    from assistant.llm import chat_model

    script = [{"tool": "rewrite_section", "args": {"section": "problems", "request": "写短一点"}},
              "已改写，关注量只完成了300人次。"]
    with OpenAICompatibleServer.scripted(script) as server:
        session = ChatSession(project, llm=chat_model("openai", base_url=server.base_url, model="m"))
        answer = session.answer("把问题部分写短一点")
    assert answer.tools == ["rewrite_section"] and "problems" in session.sections
    assert "【待核实：原文“300人次”" in answer.text
    assert_no_leak(answer, session.ledger)
