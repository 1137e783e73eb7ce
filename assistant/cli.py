"""`jixiao …`: every job the UI does, from the shell.

Each module in `assistant/commands/` adds its own subcommand through `register(subparsers)` and
sets `func=handler` (handler(args) -> exit code), so a new command is a new file.

Exit codes, the same for every command:

| code | meaning |
|---|---|
| 0 | done, and the result is ok |
| 1 | done, but the result is "not ok": `check` found figures it could not verify, `audit` found statements that do not hold |
| 2 | input refused or the command failed: bad data, a file that cannot be read, a wrong option; one Chinese message on stderr beginning `错误：` |
| 130 | interrupted (Ctrl-C) |

This is the last line of defence: no traceback reaches the officer. A `JixiaoError` prints its own
message; any other exception prints what it means and the file the command was working on
(`错误：无法读取文件“x.xlsx”：文件结构损坏（XML解析失败）`). The traceback is printed only with
`jixiao --debug …` or `JIXIAO_DEBUG=1`, which also shows what the readers' libraries (pypdf,
openpyxl, python-docx) log and warn about a damaged file. Every message goes through
`errors.printable`.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
import traceback
import warnings

from . import commands
from .errors import FileFailure, JixiaoError, failure_kind, printable

EXIT_OK, EXIT_NOT_OK, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
# the arguments that name the file a command reads, in the order a message would name them
INPUT_ARGUMENTS = ("data", "report", "text", "batch", "corpus")
# the readers' libraries, which log or warn about every quirk of a damaged file (shown with --debug)
CHATTY_LIBRARIES = ("pypdf", "openpyxl", "docx")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or, when `argv` names one (`jixiao score …`), with that one only:
    a command's modules are imported only when it runs (each command module is named as its command)."""
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效报告助手：评分、核数、检索、起草绩效自评报告",
                                     epilog="退出码：0 完成；1 完成但结果不通过（如有未核实的数字）；2 输入被拒绝或命令失败。")
    parser.add_argument("--debug", action="store_true", help="出错时打印完整的调用栈（也可设 JIXIAO_DEBUG=1）")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    asked = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    for name in [asked] if asked in names else names:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_REFUSED
    debug = args.debug or os.environ.get("JIXIAO_DEBUG") == "1"
    if not debug:
        _quiet_libraries()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_INTERRUPTED
    except JixiaoError as error:
        _report(str(error), error, debug)
        return EXIT_REFUSED
    except Exception as error:      # the last line of defence: a message, never a traceback
        _report(str(unexpected(error, args)), error, debug)
        return EXIT_REFUSED


def unexpected(error: Exception, args: argparse.Namespace) -> JixiaoError:
    """An exception no command turned into a message: named by the file the command reads."""
    for name in INPUT_ARGUMENTS:
        path = getattr(args, name, None)
        if isinstance(path, str) and path:
            return FileFailure(path, "处理", error)
    return JixiaoError(f"运行出错：{failure_kind(error)}")


def _quiet_libraries() -> None:
    """Keep the readers' own log lines and warnings off the officer's screen: what matters of a
    damaged file reaches them as the command's one message."""
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        warnings.filterwarnings("ignore", module=rf"{name}(\.|$)")


def _report(message: str, error: BaseException, debug: bool) -> None:
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    print(f"错误：{printable(message)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
