"""Hostile-input benchmark: every case of `tests/hostile.py`, its time and peak memory (a benchmark, not a test).

    python -m eval.hostile.bench [--only NAME …] [--match TEXT] [--cap-mb 2048] [--timeout 60]
                                 [--json eval/output/hostile.json]

Each case is built in a temporary folder and read by the real CLI in a subprocess under an
address-space cap (`RLIMIT_AS`, default 2 GiB, so a bomb cannot take the machine) and a timeout.
Reported per file: exit code, wall time, peak resident memory (the command's `VmHWM`, polled
every 10 ms), whether the contract holds (and how it breaks), and a flag for every run over
the targets: 10 s and 500 MB on this machine. Exit code 0 when every case holds its contract
within the targets, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))           # the generator lives beside the tests that use it

import hostile  # noqa: E402

OUTPUT = ROOT / "eval" / "output" / "hostile.json"
TIME_TARGET_S = 10.0
MEMORY_TARGET_MB = 500.0


def run(cases: list[hostile.Case], cap_mb: int, timeout: float, keep: bool = False) -> list[dict]:
    rows = []
    root = Path(tempfile.mkdtemp(prefix="jixiao-hostile-"))
    try:
        for k, case in enumerate(cases, 1):
            folder = root / case.name
            folder.mkdir()
            built = time.monotonic()
            argv, path, named = hostile.command_line(case, folder)
            built = time.monotonic() - built
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            outcome = hostile.run_cli(argv, folder, memory_cap=cap_mb * 1024 ** 2, timeout=timeout)
            problems = hostile.problems(case, outcome, folder, named)
            row = {
                "name": case.name, "command": case.command, "item": case.item, "about": case.about,
                "bomb": case.bomb, "expect": case.expect, "exit": outcome.returncode,
                "seconds": round(outcome.seconds, 2), "peak_mb": round(outcome.peak_mb, 1),
                "timed_out": outcome.timed_out, "file_kb": round(size / 1024, 1), "build_s": round(built, 2),
                "over_time": outcome.seconds > TIME_TARGET_S, "over_memory": outcome.peak_mb > MEMORY_TARGET_MB,
                "holds": not problems, "problems": problems,
                "message": hostile.last_lines(outcome.stderr.decode("utf-8", errors="replace"), 2),
            }
            rows.append(row)
            print(line(k, len(cases), row), flush=True)
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"案例文件保留在 {root}")
    return rows


def line(k: int, n: int, row: dict) -> str:
    flags = "".join((" 超过10秒" if row["over_time"] else "", " 超过500MB" if row["over_memory"] else "",
                     " 不符合约定" if not row["holds"] else ""))
    exit_code = "终止" if row["timed_out"] else row["exit"]
    return (f"[{k:3d}/{n}] {row['name']:<34} {row['command']:<10} 预期{row['expect']} 实际{exit_code!s:<3} "
            f"{row['seconds']:6.1f} s {row['peak_mb']:7.0f} MB{flags}")


def summary(rows: list[dict]) -> dict:
    def worst(key):
        top = max(rows, key=lambda r: r[key]) if rows else None
        return {"name": top["name"], key: top[key]} if top else None
    return {
        "cases": len(rows), "holding": sum(r["holds"] for r in rows),
        "over_time": [r["name"] for r in rows if r["over_time"]],
        "over_memory": [r["name"] for r in rows if r["over_memory"]],
        "timed_out": [r["name"] for r in rows if r["timed_out"]],
        "slowest": worst("seconds"), "largest": worst("peak_mb"),
        "targets": {"seconds": TIME_TARGET_S, "peak_mb": MEMORY_TARGET_MB},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.hostile.bench", description="恶意与畸形输入：逐个文件的耗时与峰值内存")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="只运行这些案例")
    parser.add_argument("--match", help="只运行名称含此文字的案例")
    parser.add_argument("--cap-mb", type=int, default=hostile.MEMORY_CAP // 1024 ** 2, help="每次运行的地址空间上限（MB，默认2048）")
    parser.add_argument("--timeout", type=float, default=hostile.TIMEOUT, help="每次运行的时限（秒，默认60）")
    parser.add_argument("--json", default=str(OUTPUT), help=f"结果JSON（默认 {OUTPUT.relative_to(ROOT)}）")
    parser.add_argument("--keep", action="store_true", help="保留生成的案例文件")
    args = parser.parse_args(argv)
    cases = hostile.CASES
    if args.only:
        known = hostile.by_name()
        unknown = [name for name in args.only if name not in known]
        if unknown:
            parser.error(f"没有这些案例：{' '.join(unknown)}")
        cases = [known[name] for name in args.only]
    if args.match:
        cases = [c for c in cases if args.match in c.name]
    started = time.monotonic()
    rows = run(cases, args.cap_mb, args.timeout, keep=args.keep)
    result = {"summary": summary(rows), "cap_mb": args.cap_mb, "timeout_s": args.timeout,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": [round(x, 2) for x in os.getloadavg()]},
              "wall_s": round(time.monotonic() - started, 1), "cases": rows}
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    s = result["summary"]
    print(f"\n{s['cases']} 个案例，{s['holding']} 个符合约定；超过 {TIME_TARGET_S:g} 秒：{len(s['over_time'])} 个，"
          f"超过 {MEMORY_TARGET_MB:g} MB：{len(s['over_memory'])} 个，超时被终止：{len(s['timed_out'])} 个。"
          f"最慢：{s['slowest']}；内存最大：{s['largest']}。结果写入 {out}")
    ok = s["holding"] == s["cases"] and not s["over_time"] and not s["over_memory"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
