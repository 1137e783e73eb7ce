"""A draft as Markdown: `#` title, `##` for 一、, `###` for （一）, tables as Markdown tables."""
from __future__ import annotations

from .blocks import blocks


def to_markdown(draft) -> str:
    lines: list[str] = []
    for block in blocks(draft):
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += ["#" * (block.level + 1) + " " + block.text, ""]
        elif block.kind == "table":
            lines += [f"**{block.table.caption}**", "", *block.table.markdown_lines(), ""]
        elif block.kind == "citation":
            lines.append(block.text)
        else:
            lines += [block.text, ""]
    return "\n".join(lines).rstrip() + "\n"
