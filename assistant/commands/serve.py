"""`jixiao serve [--data FILE] [--host] [--port]`: the chat UI (Gradio) on 127.0.0.1 by default."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..ui import UISettings, launch


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="启动对话界面（Gradio，默认 127.0.0.1）",
        description="启动绩效报告助手的浏览器界面。地址、端口、登录和保存位置也可由环境变量 "
                    "JIXIAO_HOST、JIXIAO_PORT、JIXIAO_USER、JIXIAO_PASSWORD、JIXIAO_USERS（用户名:密码;…）、"
                    "JIXIAO_DATA_DIR 设置。")
    add_arguments(parser)
    parser.set_defaults(func=handle)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="每个新会话预先载入的指标数据文件（xlsx、csv、yaml、json、申报表）")
    parser.add_argument("--host", help="监听地址（默认 127.0.0.1；对外开放请同时设置用户名和密码）")
    parser.add_argument("--port", type=int, help="端口（默认 7860；0 表示任选空闲端口）")
    parser.add_argument("--llm", help="对话使用的模型：openai | llamacpp | fake（默认不用模型，按数据直接回答）")
    parser.add_argument("--index", help="索引目录（默认 ./index 或 $JIXIAO_INDEX）")
    parser.add_argument("--data-dir", help="保存会话（数据文件、对话、草稿）的文件夹"
                                           "（默认 $JIXIAO_DATA_DIR 或 ~/.local/share/jixiao）")
    parser.add_argument("--no-index", action="store_true", help="不使用资料库（不检索，草稿不带引用）")


def settings_from(args) -> UISettings:
    port = args.port
    if port == 0:
        port = None
    overrides = {"data": args.data, "host": args.host, "llm_provider": args.llm, "index_dir": args.index,
                 "data_dir": Path(args.data_dir) if args.data_dir else None}
    settings = UISettings.from_env(**overrides)
    if args.port is not None:
        settings.port = port
    if getattr(args, "no_index", False):
        settings.index_provider = _no_index
    return settings


def _no_index():
    return None


def handle(args) -> int:
    settings = settings_from(args)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.logins():
        print("注意：界面对本机以外开放，但未设置 JIXIAO_USER / JIXIAO_PASSWORD（或 JIXIAO_USERS）。")
    launch(settings, block=True)
    return 0
