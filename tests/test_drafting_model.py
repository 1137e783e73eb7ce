"""Model writers: a lying scripted model is re-asked, then marked; a model that corrects itself
passes; the same holds through a real OpenAI-compatible HTTP server and the real Gemma 3 270M."""
from __future__ import annotations

import re
import time

import pytest

from assistant.export import to_markdown
from assistant.actuals import load
from assistant.drafting import draft_report, draft_section
from assistant.drafting.model_writer import MAX_RETRIES
from assistant.llm import chat_model
from assistant.providers.fake import lying_response

from drafting_fixtures import MARKER, PROJECT, OpenAICompatibleServer, assert_no_unverified_figure_unmarked, unmarked

GOOD_CONCLUSION = ("2023年度财政资金整体支出绩效自评方案设置指标分值共计100分，自评得分99.97分，自评结果为“优”。"
                   "全年预算执行率为99.66%。")


def test_a_lying_model_is_re_asked_with_its_wrong_figures_then_marked(dept):
    liar = chat_model("fake")
    section = draft_section(dept, "indicators", llm=liar)
    assert len(liar.prompts) == 1 + MAX_RETRIES and section.rounds == MAX_RETRIES
    first_reply = lying_response(liar.prompts[0])
    # the re-ask lists the wrong figures of the previous reply and the allowed facts
    retry = liar.prompts[1]
    assert "无法与数据核对一致" in retry and "可用事实" in retry
    feedback, facts = retry.split("# 可用事实")[-2:]
    for lie in ("325人", "1.8万人次", "117%"):
        assert lie in first_reply and f"“{lie}”" in feedback
    assert "[F" in facts and "16场" in facts                 # the facts block, with ledger ids
    # never passed: marked, and nothing unverified outside the markers
    assert section.status == "marked" and not section.check.ok
    assert len(MARKER.findall(section.text)) == len(section.check.problems())
    for lie in ("325人", "117%"):
        assert lie not in unmarked(section.text)
    assert_no_unverified_figure_unmarked(section, section.ledger)


def test_a_model_that_corrects_itself_after_feedback_passes(dept):
    model = chat_model("fake", responses=[lying_response, GOOD_CONCLUSION])
    section = draft_section(dept, "conclusion", llm=model)
    assert section.rounds == 1 and len(model.prompts) == 2
    assert section.status == "verified" and section.text == GOOD_CONCLUSION


def test_a_verified_first_reply_is_not_re_asked(dept):
    model = chat_model("fake", responses=[GOOD_CONCLUSION])
    section = draft_section(dept, "conclusion", llm=model)
    assert (section.rounds, len(model.prompts), section.status) == (0, 1, "verified")


def test_the_prompt_holds_facts_outline_style_and_base_draft(dept):
    model = chat_model("fake", responses=[GOOD_CONCLUSION])
    draft_section(dept, "problems", llm=model)
    prompt = model.prompts[0]
    for part in ("可用事实", "评分发现的问题", "基础稿", "公文", "三、存在的主要问题", "只能使用"):
        assert part in prompt
    assert "[F" in prompt and "完成率应为134%" in prompt


def test_an_empty_reply_falls_back_to_the_template_text(dept):
    section = draft_section(dept, "conclusion", llm=chat_model("fake", responses=["   "]))
    assert section.status == "verified" and "fallback" in section.writer and "99.97分" in section.text


def test_whole_report_by_a_liar_never_outputs_an_unverified_figure():
    draft = draft_report(load(PROJECT), llm=chat_model("fake"))
    assert not draft.ok
    for section in draft.sections:
        assert section.status == "marked"
        assert_no_unverified_figure_unmarked(section, draft.ledger)
    assert draft.to_json()["ok"] is False


def test_openai_writer_through_a_compatible_server_is_checked_and_re_asked(monkeypatch, dept):
    replies = [lying_response, lambda prompt: GOOD_CONCLUSION]

    calls = []

    def respond(messages, body):
        calls.append(body)
        return replies[min(len(calls) - 1, len(replies) - 1)]("\n\n".join(m["content"] for m in messages))

    with OpenAICompatibleServer(respond) as server:
        monkeypatch.setenv("JIXIAO_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("JIXIAO_LLM_MODEL", "deepseek-chat")
        section = draft_section(dept, "conclusion", writer="openai")
    assert len(server.requests) == 2 and section.rounds == 1
    second = server.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert "“325人”" in second[-1]["content"]
    assert section.status == "verified" and section.writer == "openai"


@pytest.mark.slow
def test_real_gemma_drafts_a_section_and_every_invented_figure_is_caught(dept):
    pytest.importorskip("llama_cpp")
    model = chat_model("llamacpp", max_tokens=150)
    started = time.perf_counter()
    section = draft_section(dept, "conclusion", llm=model)
    elapsed = time.perf_counter() - started
    assert section.text.strip() and section.writer == "llamacpp"
    assert 0 <= section.rounds <= MAX_RETRIES
    # every figure the model wrote is verified or marked; nothing unverified is left outside a marker
    assert len(MARKER.findall(section.text)) == len(section.check.problems())
    assert section.status == ("verified" if section.check.ok else "marked")
    assert_no_unverified_figure_unmarked(section, section.ledger)
    print(f"\nGemma 3 270M, {section.rounds} re-asks, {elapsed:.1f}s, "
          f"{len(section.check.figures)} figures, {len(section.check.problems())} marked:\n{section.text}")


@pytest.mark.parametrize("writer", ["template", "fake", "openai"])
def test_no_writer_outputs_an_unverified_figure_unmarked(monkeypatch, writer):
    """For every writer, whatever leaves drafting (text, Markdown, JSON) has each figure verified or marked."""
    evaluation = load(PROJECT)
    with OpenAICompatibleServer(lambda messages, body: lying_response(messages[-1]["content"])) as server:
        monkeypatch.setenv("JIXIAO_LLM_BASE_URL", server.base_url)
        draft = draft_report(evaluation, writer=writer, sections=["background", "conclusion", "problems"])
    markdown, data = to_markdown(draft), draft.to_json()
    for section, shown in zip(draft.sections, data["sections"]):
        assert shown["text"] == section.text
        assert all(line in markdown for line in section.text.splitlines())
        assert_no_unverified_figure_unmarked(section, draft.ledger)
        assert len(MARKER.findall(section.text)) == len(section.check.problems())
    assert data["ok"] == (writer == "template")


def _cites_facts(prompt: str) -> str:
    """A model that cites the facts block's ids instead of typing figures."""
    ids = {label: fid for fid, label in re.findall(r"\[(F\d+)\] ([^：\n]+)：", prompt)}
    return (f"本年度自评得分{{{ids['自评得分（总分）']}}}。全年预算安排{{{ids['预算安排']}}}，"
            f"实际支出{{{ids['实际支出']}}}，预算执行率为{{{ids['预算执行率']}}}。")


def test_a_model_writing_fact_ids_gets_the_ledgers_printing(dept):
    model = chat_model("fake", responses=[_cites_facts])
    section = draft_section(dept, "conclusion", llm=model)
    assert "{F" in _cites_facts(model.prompts[0])
    assert section.text == "本年度自评得分99.97分。全年预算安排2122.43万元，实际支出2115.30万元，预算执行率为99.66%。"
    assert section.status == "verified" and section.rounds == 0
    assert "{F12}" in model.prompts[0] or "{F" in model.prompts[0]      # the prompt offers citing by id


def test_a_fact_id_the_ledger_does_not_hold_is_marked_never_shown_raw(dept):
    model = chat_model("fake", responses=["全年预算执行率为{F99999}。"] * (1 + MAX_RETRIES))
    section = draft_section(dept, "conclusion", llm=model)
    assert "{F99999}" not in unmarked(section.text) and "F99999" in section.text and "【待核实" in section.text
    assert section.status == "marked" and section.rounds == MAX_RETRIES
    assert "可用事实中没有编号F99999" in model.prompts[1]         # re-asked with the unknown id
