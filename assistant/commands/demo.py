"""`jixiao demo`: what `make run` runs — the UI with the example department data loaded."""
from __future__ import annotations

from pathlib import Path

from .. import paths
from ..errors import JixiaoError
from .serve import add_arguments, handle as serve

EXAMPLE = "2023_港澳办_部门整体.yaml"


def example_path() -> Path:
    folder = paths.examples_dir()
    if folder is not None and (folder / EXAMPLE).is_file():
        return folder / EXAMPLE
    raise JixiaoError(f"找不到示例数据 examples/{EXAMPLE}")


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="启动界面并载入示例数据（make run）",
                                   description=f"启动绩效报告助手的浏览器界面，预先载入 examples/{EXAMPLE}，并打印地址。")
    add_arguments(parser)
    parser.set_defaults(func=handle)


def handle(args) -> int:
    if not args.data:
        args.data = str(example_path())
    return serve(args)
