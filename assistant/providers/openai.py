"""Any OpenAI-compatible chat endpoint (vLLM, Ollama, Qwen/DashScope, DeepSeek, OpenAI itself)."""
from __future__ import annotations

import os

from langchain_openai import ChatOpenAI

from ..errors import JixiaoError

DEFAULT_MODEL = "qwen2.5-7b-instruct"


def chat_model(base_url: str | None = None, model: str | None = None, api_key: str | None = None,
                      temperature: float = 0.2, max_tokens: int = 1200, timeout: float = 120.0,
                      max_retries: int = 1, **extra) -> ChatOpenAI:
    base_url = base_url or os.environ.get("JIXIAO_LLM_BASE_URL") or None
    api_key = api_key or os.environ.get("JIXIAO_LLM_API_KEY") or None
    if not base_url and not api_key:
        raise JixiaoError("未配置模型服务：请设置 JIXIAO_LLM_BASE_URL（OpenAI 兼容接口地址，如 vLLM、Ollama）"
                          "及 JIXIAO_LLM_MODEL、JIXIAO_LLM_API_KEY")
    return ChatOpenAI(
        base_url=base_url,
        model=model or os.environ.get("JIXIAO_LLM_MODEL") or DEFAULT_MODEL,
        api_key=api_key or "EMPTY",          # local servers ignore the key but the client needs one
        temperature=temperature,
        max_tokens=max_tokens,
        timeout=timeout,
        max_retries=max_retries,
        **extra,
    )
