"""What a conversation remembers between turns, and what an answer leaves behind.

`Subject` is what an answer was about (an indicator, a budget item, a level, the budget …);
`Reply` is a data answer's text with its subject and the list it showed, so that the next
question can say 第二个, 它 or 为什么 (`Context`). `Option` is a reading offered back as a button.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Subject:
    """What an answer was about: `kind` indicator | item | source | task | level | budget | score."""
    kind: str
    key: str | int
    name: str = ""


@dataclass(frozen=True)
class Option:
    """A likely reading offered back: the button's label and the question it asks."""
    label: str
    question: str


@dataclass
class Context:
    """The conversation so far, as far as follow-ups need it."""
    intent: str | None = None
    subject: Subject | None = None
    listed: list[Subject] = field(default_factory=list)
    section: str | None = None          # the section last drafted
    level: str | None = None


@dataclass
class Reply:
    """A data answer: its text, the subject it was about and the list it showed (in order)."""
    text: str
    subject: Subject | None = None
    listed: list[Subject] = field(default_factory=list)
