"""`jixiao demo`: what `make run` runs — the UI with the example department data loaded."""
from __future__ import annotations

from pathlib import Path

EXAMPLE = "2023_港澳办_部门整体.yaml"


def example_path() -> Path:
    for folder in (Path("examples"), Path(__file__).resolve().parents[2] / "examples"):
        if (folder / EXAMPLE).is_file():
            return folder / EXAMPLE
    from ..errors import JixiaoError
    raise JixiaoError(f"找不到示例数据 examples/{EXAMPLE}")


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="启动界面并载入示例数据（make run）",
                                   description=f"启动绩效报告助手的浏览器界面，预先载入 examples/{EXAMPLE}，并打印地址。")
    from .serve import add_arguments
    add_arguments(parser)
    parser.set_defaults(func=handle)


def handle(args) -> int:
    from .serve import handle as serve

    if not args.data:
        args.data = str(example_path())
    return serve(args)
