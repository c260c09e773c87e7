"""Append-only JSONL caches of long computations (benchmark blocks, study blocks): one record
per line, written whole and flushed, so a killed run loses at most the line it was writing."""

from __future__ import annotations

import json
import os
from pathlib import Path


def read_records(path: str | os.PathLike) -> list[dict]:
    """Every complete record of the file (none if it does not exist); a line cut by a kill is
    reported and skipped, so its block is redone."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            print(f"{path.name}: line {number} is incomplete and is ignored")
    return records


def append_record(path: str | os.PathLike, record: dict) -> None:
    """Append one record as one line, never glued onto a line cut by a kill."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab+") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")
        handle.write(json.dumps(record).encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
