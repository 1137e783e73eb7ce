"""Writers by name: `template` (deterministic 公文 Chinese from the data, the default) and one model
writer per chat-model provider (`openai`, `llamacpp`, `fake` …, see `assistant.providers`).

`write(ctx, key, writer, llm)` drafts one section with the named writer; a chat model passed as
`llm` is used whatever the name. Every writer's text leaves through `sections.verified_section`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import JixiaoError
from ..llm import chat_model, check_provider, provider_names
from . import model_writer, template_writer
from .context import DraftContext
from .outline import SECTION_KEYS
from .sections import TEMPLATE, DraftSection, verified_section

if TYPE_CHECKING:       # annotations only: langchain loads with the provider that needs it
    from langchain_core.language_models import BaseChatModel


def writer_names() -> tuple[str, ...]:
    """Every writer a draft can be asked for: the template writer, then each model provider."""
    return (TEMPLATE, *provider_names())


def check_writer(name: str) -> str:
    """The writer's name, normalised; an unknown one is an error listing the known ones."""
    name = (name or TEMPLATE).strip().lower()
    if name != TEMPLATE and name not in provider_names():
        raise JixiaoError(f"未知的写作方式“{name}”，可选：{'、'.join(writer_names())}")
    return name


def model_for(writer: str, llm: BaseChatModel | None = None) -> BaseChatModel | None:
    """The chat model a writer drafts with: the given one, else the writer's provider; None for the template."""
    writer = check_writer(writer)
    if llm is not None or writer == TEMPLATE:
        return llm
    return chat_model(check_provider(writer))


def write(ctx: DraftContext, key: str, writer: str = TEMPLATE, llm: BaseChatModel | None = None,
          instruction: str = "") -> DraftSection:
    """Section `key` of the draft, written by `writer` (or by `llm` when given) and checked."""
    if key not in SECTION_KEYS:
        raise JixiaoError(f"未知的章节“{key}”，可选：{'、'.join(SECTION_KEYS)}")
    model = model_for(writer, llm)
    if model is None:
        text, used = template_writer.write_section(ctx, key)
        return verified_section(ctx, key, text, used)
    return model_writer.write_section(ctx, key, llm=model, provider=None if writer == TEMPLATE else writer,
                                      instruction=instruction)
