"""A deterministic scripted chat model for tests, which lies on purpose.

`ScriptedChatModel(responses=[...])` answers call k with responses[k] (the last one repeats); a
response may be a string or a function of the prompt. Every prompt it receives is kept in
`.prompts`, so a test can assert what a re-ask said.

`lying_response` is the default script: it takes the figures it finds in the prompt (the facts
block) and writes fluent 公文 sentences with each figure changed, plus figures nobody gave it,
so drafting must catch every one of them.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Union

from langchain_core.language_models.chat_models import SimpleChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

Response = Union[str, Callable[[str], str]]

_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(万元|%|人次|批次|场次|场|次|项|家|条|个|分)")


def _shifted(number: str) -> str:
    """A different number printed the same way: 16 → 19, 99.66 → 96.66 (never equal to the input)."""
    decimals = len(number.split(".")[1]) if "." in number else 0
    value = float(number)
    changed = value + 3 if value < 50 else value * 0.97 if value < 1000 else value * 1.08
    return f"{changed:.{decimals}f}"


def lying_response(prompt: str) -> str:
    """Sentences built from the prompt's figures, every one of them wrong, and two invented ones."""
    seen: list[tuple[str, str]] = []
    for number, unit in _FIGURE.findall(prompt):
        if (number, unit) not in seen and not number.startswith("20"):
            seen.append((number, unit))
    lines = ["本年度各项工作扎实推进，重点任务完成情况良好。"]
    for number, unit in seen[:4]:
        lines.append(f"经统计，相关指标实际完成{_shifted(number)}{unit}，较上年明显提升。")
    lines.append("全年累计带动就业325人，惠及群众1.8万人次，资金使用效益达到117%。")
    return "".join(lines)


class ScriptedChatModel(SimpleChatModel):
    """Answers from a script, records every prompt."""

    responses: list[Any] = Field(default_factory=lambda: [lying_response])
    prompts: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake"

    def _call(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
              **kwargs: Any) -> str:
        prompt = "\n\n".join(str(m.content) for m in messages)
        index = min(len(self.prompts), len(self.responses) - 1)
        self.prompts.append(prompt)
        response = self.responses[index]
        return response(prompt) if callable(response) else str(response)


def chat_model(responses: list[Response] | None = None, **_ignored) -> ScriptedChatModel:
    """The scripted model; by default it lies on every call."""
    return ScriptedChatModel(responses=list(responses) if responses else [lying_response])
