"""`jixiao draft DATA`: a verified first draft of the report, or of some of its sections."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..drafting import draft_report, writer_names
from ..drafting.outline import SECTION_KEYS
from ..drafting.writers import TEMPLATE
from ..errors import JixiaoError
from ..export import to_docx, to_markdown, to_pdf
from ..retrieval import Index, RetrievalError, default_index
from ..llm import chat_model
from .shared import add_data_options, load_data, working_on


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "draft", help="起草绩效报告（每个数字均经核对）",
        description="根据绩效数据起草部门整体支出绩效自评报告或项目支出绩效评价报告。"
                    "每个数字都与数据核对；无法核实的数字以【待核实：…】标出。")
    parser.add_argument("data", help="绩效数据文件（.yaml/.json/.xlsx/.csv，或绩效自评表 .xlsx/.docx）")
    add_data_options(parser, required=None, help="")
    parser.add_argument("--type", dest="report_type", choices=("部门整体", "项目"),
                        help="报告类型（默认取数据中的“报告类型”）")
    parser.add_argument("--section", nargs="+", choices=SECTION_KEYS, metavar="KEY",
                        help=f"只起草这些章节：{' '.join(SECTION_KEYS)}")
    parser.add_argument("--writer", choices=writer_names(), default=TEMPLATE,
                        help="template（模板，默认，无需模型），或模型提供方：openai（OpenAI 兼容接口）、"
                             "llamacpp（本地 GGUF）等")
    parser.add_argument("--gguf", help="llamacpp 使用的 GGUF 文件（默认 JIXIAO_LLM_GGUF 或内置 Gemma 3 270M）")
    parser.add_argument("--max-tokens", type=int, default=None, help="模型每节最多生成的 token 数")
    parser.add_argument("--instruction", default="", help="给模型的补充要求")
    parser.add_argument("--index", dest="index_dir", help="检索索引目录（默认 ./index 或 $JIXIAO_INDEX）")
    parser.add_argument("--no-index", action="store_true", help="不检索往年报告和政策（不生成引用）")
    parser.add_argument("--out", help="输出文件：.md、.docx（公文格式）或 .pdf（公文格式，需安装 LibreOffice）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.set_defaults(func=run)


def _model(args):
    if args.writer == TEMPLATE:
        return None
    settings = {}
    if args.max_tokens:
        settings["max_tokens"] = args.max_tokens
    if args.writer == "llamacpp" and args.gguf:
        settings["model_path"] = args.gguf
    return chat_model(args.writer, **settings)


def _index(args) -> Index | None:
    """The index to cite from, or None (`--no-index`, or none to be had: the draft then has no citations)."""
    if args.no_index:
        return None
    try:
        return default_index(args.index_dir)
    except RetrievalError as error:
        print(f"提示：未使用资料库（{error}），草稿不含引用。", file=sys.stderr)
        return None


def run(args) -> int:
    evaluation = load_data(args)
    index, llm = _index(args), _model(args)
    with working_on(args.data, "起草"):
        draft = draft_report(evaluation, report_type=args.report_type, sections=args.section,
                             writer=args.writer, index=index, llm=llm, instruction=args.instruction)
    if args.out:
        out = Path(args.out)
        with working_on(out, "写出"):
            if out.suffix.lower() == ".docx":
                to_docx(draft, out)
            elif out.suffix.lower() == ".pdf":
                to_pdf(draft, out)
            elif out.suffix.lower() in (".md", ".markdown", ".txt"):
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(to_markdown(draft), encoding="utf-8")
            else:
                raise JixiaoError(f"不支持的输出格式“{out.suffix}”：请用 .md、.docx 或 .pdf")
    if args.json:
        print(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
    elif not args.out:
        print(to_markdown(draft))
    for warning in draft.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    marked = [s for s in draft.sections if s.status == "marked"]
    if args.out:
        print(f"已写入 {args.out}", file=sys.stderr)
    if marked:
        count = sum(len(s.check.problems()) for s in marked)
        print(f"注意：{count}处数字未能核实，已标注【待核实】（章节：{'、'.join(s.title for s in marked)}）",
              file=sys.stderr)
    return 0
