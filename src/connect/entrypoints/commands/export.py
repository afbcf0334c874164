"""``connect export csv|json|ics``: the same bytes as the HTTP export routes."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from connect.domain.exports import ExportFormat
from connect.domain.keys import parse_mode
from connect.entrypoints.commands.common import add_db_flag, open_connect


class ProgressLine:
    """``exporting submissions.csv: 45,000 / 100,000 submissions (45%)`` on one
    terminal line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, label: str, total: int) -> None:
        self._stream = stream
        self._label = label
        self._total = total
        self._drawn_at = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self._drawn_at < 0.1 and done < self._total:
            return
        self._drawn_at = now
        percent = f" ({100 * done // self._total}%)" if self._total else ""
        self._stream.write(
            f"\rexporting {self._label}: {done:,} / {self._total:,} submissions{percent}"
        )
        self._stream.flush()

    def finish(self) -> None:
        self._stream.write("\n")
        self._stream.flush()


def _to_stdout(chunks: Iterator[bytes], out: TextIO) -> None:
    binary: BinaryIO | None = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
        binary.writelines(chunks)
        binary.flush()
        return
    # A text-only stream (an embedding caller's StringIO): the same text, decoded.
    out.writelines(chunk.decode("utf-8") for chunk in chunks)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    format = ExportFormat(args.format)
    mode = parse_mode(args.mode, "--mode")
    if format is ExportFormat.ICS and (args.since or args.status):
        print("connect: error: --since and --status apply to csv and json only", file=sys.stderr)
        return 2
    with open_connect(args) as connect:
        export = connect.exports.prepare(format, mode=mode, since=args.since, status=args.status)
        if args.output in (None, "-"):
            _to_stdout(export.chunks(), out)
            return 0
        target = Path(args.output)
        progress = (
            ProgressLine(sys.stderr, target.name, export.count) if sys.stderr.isatty() else None
        )
        # NOTE: written beside the target and renamed at the end, so a failed or
        # interrupted export never leaves a truncated file under the real name.
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as file:
                file.writelines(export.chunks(progress))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
            if progress is not None:
                progress.finish()
    what = "scheduled talks" if format is ExportFormat.ICS else "submissions"
    print(f"wrote {export.count:,} {what} to {target}", file=sys.stderr)
    return 0


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="write submissions as csv or json, or the talk calendar as ics"
    )
    export.add_argument("format", choices=[f.value for f in ExportFormat])
    export.add_argument("-o", "--output", metavar="FILE", help="write here (default stdout)")
    export.add_argument("--since", help="csv/json: created at or after this ISO date or datetime")
    export.add_argument("--status", help="csv/json: pending, scheduled or all (default)")
    export.add_argument("--mode", default="live", help="live (default) or test data")
    add_db_flag(export)
    export.set_defaults(handler=cmd_export)
