"""Chat models by provider name: `chat_model("openai" | "llamacpp" | "fake", **settings)`.

Drafting and chat code ask this module for a langchain `BaseChatModel` and never import a
provider directly; providers are looked up in `assistant.providers.PROVIDERS`, so a new provider
is a new file in `assistant/providers/` and one line there.

Environment (each overridable by a keyword setting):
  JIXIAO_LLM_PROVIDER  a provider name (default: openai when JIXIAO_LLM_BASE_URL is set, else llamacpp)
  JIXIAO_LLM_BASE_URL  an OpenAI-compatible endpoint: vLLM, Ollama (http://localhost:11434/v1),
                       Qwen (DashScope compatible mode), DeepSeek …
  JIXIAO_LLM_MODEL     the model name that server expects
  JIXIAO_LLM_API_KEY   its key (local servers accept any)
  JIXIAO_LLM_GGUF      a local GGUF file for llama-cpp-python (default: the bundled Gemma 3 270M)
"""
from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from .errors import JixiaoError
from .providers import PROVIDERS

if TYPE_CHECKING:       # annotations only: langchain loads with the provider that needs it
    from langchain_core.language_models import BaseChatModel


def provider_names() -> tuple[str, ...]:
    return tuple(PROVIDERS)


def default_provider() -> str:
    configured = os.environ.get("JIXIAO_LLM_PROVIDER", "").strip().lower()
    if configured:
        return configured
    return "openai" if os.environ.get("JIXIAO_LLM_BASE_URL") else "llamacpp"


def check_provider(name: str) -> str:
    """The provider's name, normalised; an unknown one is an error listing the known ones."""
    name = name.strip().lower()
    if name not in PROVIDERS:
        raise JixiaoError(f"未知的模型提供方“{name}”，可选：{'、'.join(PROVIDERS)}")
    return name


def chat_model(provider: str | None = None, **settings) -> BaseChatModel:
    """A langchain chat model for `provider`; settings are passed to that provider's `chat_model`."""
    name = check_provider(provider or default_provider())
    return importlib.import_module(PROVIDERS[name]).chat_model(**settings)


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
