"""One small factory for chat models: `chat_model("openai" | "llamacpp" | "fake", **settings)`.

Drafting and chat code ask this module for a langchain `BaseChatModel` and never import a
provider directly, so a new provider is a new file in `assistant/providers/`.

Environment (each overridable by a keyword setting):
  JIXIAO_LLM_PROVIDER  openai | llamacpp | fake (default: openai when JIXIAO_LLM_BASE_URL is set,
                       else llamacpp)
  JIXIAO_LLM_BASE_URL  an OpenAI-compatible endpoint: vLLM, Ollama (http://localhost:11434/v1),
                       Qwen (DashScope compatible mode), DeepSeek …
  JIXIAO_LLM_MODEL     the model name that server expects
  JIXIAO_LLM_API_KEY   its key (local servers accept any)
  JIXIAO_LLM_GGUF      a local GGUF file for llama-cpp-python (default: the bundled Gemma 3 270M)
"""
from __future__ import annotations

import os

from langchain_core.language_models import BaseChatModel

from .errors import JixiaoError

PROVIDERS = ("openai", "llamacpp", "fake")


def default_provider() -> str:
    configured = os.environ.get("JIXIAO_LLM_PROVIDER", "").strip().lower()
    if configured:
        return configured
    return "openai" if os.environ.get("JIXIAO_LLM_BASE_URL") else "llamacpp"


def chat_model(provider: str | None = None, **settings) -> BaseChatModel:
    """A langchain chat model for `provider`; settings are passed to that provider's factory."""
    name = (provider or default_provider()).strip().lower()
    if name == "openai":
        from .providers.openai import openai_chat_model
        return openai_chat_model(**settings)
    if name == "llamacpp":
        from .providers.llamacpp import llamacpp_chat_model
        return llamacpp_chat_model(**settings)
    if name == "fake":
        from .providers.fake import fake_chat_model
        return fake_chat_model(**settings)
    raise JixiaoError(f"未知的模型提供方“{name}”，可选：{'、'.join(PROVIDERS)}")


def message_text(message) -> str:
    """The text of a chat model's reply, whatever content shape the provider returns."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    parts = []
    for part in content or []:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and part.get("type") == "text":
            parts.append(part.get("text", ""))
    return "".join(parts)
