"""Command line: python -m engagement_radar.datagen --customers N --months M --seed S --out DIR."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from .generate import GeneratorConfig, append_day, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engagement_radar.datagen",
        description="Write a demo data set (customers, orders, engagement_events, campaigns, plan_changes) that "
                    "follows the input contract, with the planted truths in OUT/_truth/.",
    )
    parser.add_argument("--customers", type=int, default=20_000, help="number of customers (default 20000)")
    parser.add_argument("--months", type=int, default=18, help="months of history (default 18)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    parser.add_argument("--format", dest="file_format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--dirty", action="store_true",
                        help="inject every class of bad input at known counts (recorded in OUT/_truth/)")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=dt.date(2026, 6, 30),
                        help="last day of the data (default 2026-06-30)")
    parser.add_argument("--hold-back-days", type=int, default=0,
                        help="keep the rows that arrive in the last N days out of the files, in OUT/_pending/, "
                             "to be appended a day at a time with --append-day")
    parser.add_argument("--append-day", action="store_true",
                        help="append the next pending day to the files in OUT (no generation)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.append_day:
        started = time.perf_counter()
        try:
            result = append_day(args.out)
        except FileNotFoundError as error:
            parser.error(str(error))
        print(json.dumps({**result, "seconds": round(time.perf_counter() - started, 1)}), file=sys.stdout)
        return 0
    try:
        config = GeneratorConfig(out=args.out, customers=args.customers, months=args.months, seed=args.seed,
                                 file_format=args.file_format, dirty=args.dirty, end_date=args.end_date,
                                 progress=not args.quiet, hold_back_days=args.hold_back_days)
    except ValueError as error:
        parser.error(str(error))
    started = time.perf_counter()
    manifest = generate(config)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": manifest["rows"], "seconds": round(seconds, 1), "out": str(args.out)}),
          file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
