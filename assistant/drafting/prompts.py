"""Prompt files (`prompts/*.md`, Chinese) and how their `{placeholders}` are filled.

Placeholders are replaced by name only (`{facts}`, `{section_title}` …); any other brace in a
template or a value is left alone, so facts and passages may contain anything.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(os.environ.get("JIXIAO_PROMPTS") or Path(__file__).resolve().parents[2] / "prompts")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@lru_cache(maxsize=None)
def load(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.md"
    return path.read_text(encoding="utf-8").strip()


def render(name: str, **values: object) -> str:
    template = load(name)
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
