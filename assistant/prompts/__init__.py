"""The prompts (Chinese Markdown files beside this module, shipped as package data) and how their
`{placeholders}` are filled.

`load(name)` reads `name.md` with `importlib.resources`, so an installed wheel drafts with the same
prompts as a checkout; `JIXIAO_PROMPTS` may name a folder of replacements. `render(name, **values)`
replaces placeholders by name only (`{facts}`, `{section_title}` …); any other brace in a template
or a value is left alone, so facts and passages may contain anything.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@lru_cache(maxsize=None)
def load(name: str) -> str:
    override = os.environ.get("JIXIAO_PROMPTS")
    if override and (Path(override) / f"{name}.md").is_file():
        return (Path(override) / f"{name}.md").read_text(encoding="utf-8").strip()
    return resources.files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8").strip()


def render(name: str, **values: object) -> str:
    template = load(name)
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
