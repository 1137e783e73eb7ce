"""Chat model providers, one file each, looked up by name in `PROVIDERS`.

Each provider module defines `chat_model(**settings)` returning a langchain chat model. The
table maps a provider's name to its module, which is imported only when that provider is asked
for (so `jixiao score` never loads langchain-openai or llama.cpp). Adding a provider is one new
file here and one line in `PROVIDERS`.
"""
from __future__ import annotations

PROVIDERS: dict[str, str] = {
    "openai": "assistant.providers.openai",       # any OpenAI-compatible endpoint (vLLM, Ollama, DeepSeek …)
    "llamacpp": "assistant.providers.llamacpp",   # a local GGUF (default: the bundled Gemma 3 270M)
    "fake": "assistant.providers.fake",           # scripted, lies on purpose: the checker's adversary in tests
}
