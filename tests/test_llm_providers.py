"""The chat-model factory and its providers: scripted fake, OpenAI-compatible HTTP, local GGUF."""
from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.errors import JixiaoError
from assistant.llm import chat_model, default_provider, message_text
from assistant.providers.fake import ScriptedChatModel, lying_response
from assistant.providers.llamacpp import gemma_messages

from drafting_fixtures import OpenAICompatibleServer


def test_unknown_provider_is_an_officer_facing_error():
    with pytest.raises(JixiaoError, match="未知的模型提供方"):
        chat_model("nonsense")


def test_default_provider_follows_environment(monkeypatch):
    monkeypatch.delenv("JIXIAO_LLM_PROVIDER", raising=False)
    monkeypatch.delenv("JIXIAO_LLM_BASE_URL", raising=False)
    assert default_provider() == "llamacpp"
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    assert default_provider() == "openai"
    monkeypatch.setenv("JIXIAO_LLM_PROVIDER", "fake")
    assert default_provider() == "fake"
    assert isinstance(chat_model(), ScriptedChatModel)


def test_scripted_model_follows_its_script_and_records_prompts():
    model = chat_model("fake", responses=["第一稿", lambda prompt: "收到：" + prompt[-4:]])
    assert model.invoke("甲").content == "第一稿"
    assert model.invoke("乙丙丁戊").content == "收到：乙丙丁戊"
    assert model.invoke("己").content == "收到：己"          # the last response repeats
    assert model.prompts == ["甲", "乙丙丁戊", "己"]


def test_lying_model_changes_every_figure_it_is_given():
    prompt = "[F1] 预算安排：2122.43万元\n[F2] 实际完成：16场\n[F3] 完成率：133%"
    reply = lying_response(prompt)
    for figure in ("2122.43万元", "16场", "133%"):
        assert figure not in reply
    assert "325人" in reply                                 # and it invents some of its own


def test_gemma_has_no_system_role_so_it_is_folded_into_the_first_turn():
    turns = gemma_messages([SystemMessage(content="规则"), HumanMessage(content="问题")])
    assert turns == [{"role": "user", "content": "规则\n\n问题"}]


def test_openai_provider_needs_an_endpoint(monkeypatch):
    for name in ("JIXIAO_LLM_BASE_URL", "JIXIAO_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(JixiaoError, match="JIXIAO_LLM_BASE_URL"):
        chat_model("openai")


def test_openai_provider_talks_to_a_compatible_server_configured_by_environment(monkeypatch):
    with OpenAICompatibleServer(lambda messages, body: "收到" + messages[-1]["content"]) as server:
        monkeypatch.setenv("JIXIAO_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("JIXIAO_LLM_MODEL", "qwen2.5-7b-instruct")
        monkeypatch.setenv("JIXIAO_LLM_API_KEY", "sk-local")
        model = chat_model("openai", max_tokens=64)
        reply = model.invoke([SystemMessage(content="规则"), HumanMessage(content="你好")])
    assert message_text(reply) == "收到你好"
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "qwen2.5-7b-instruct" and request["auth"] == "Bearer sk-local"
    assert [m["role"] for m in request["messages"]] == ["system", "user"]


@pytest.mark.slow
def test_llamacpp_provider_runs_the_bundled_gemma_locally():
    pytest.importorskip("llama_cpp")
    model = chat_model("llamacpp", max_tokens=24)
    reply = model.invoke([SystemMessage(content="只输出一句话。"), HumanMessage(content="预算执行率是什么？")])
    assert isinstance(message_text(reply), str) and message_text(reply).strip()
