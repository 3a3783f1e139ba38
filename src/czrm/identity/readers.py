"""Reading departmental extracts: CSV, JSON Lines or Parquet, one row at a time.

Each reader yields ``(line, row)`` where ``line`` is what a person would look
up in the file (the CSV line, the JSON Lines line, the Parquet row number) or
``(line, RowProblem)`` for a row that could not even be parsed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from czrm.identity.exceptions import UnreadableFile

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class RowProblem:
    reason: str


Row = dict[str, Any] | RowProblem


def detect_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(f"{path.name}: use a .csv, .jsonl or .parquet file")
    return fmt


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist")
    fmt = detect_format(path)
    if fmt == "csv":
        return _csv(path)
    if fmt == "jsonl":
        return _jsonl(path)
    return _parquet(path)


def count_rows(path: Path) -> int | None:
    """A quick row count for the progress bar (None when it would cost a full read)."""
    if detect_format(path) == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return max(lines - (1 if detect_format(path) == "csv" else 0), 0)


def _csv(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, restval=None)
        if not reader.fieldnames:
            return
        width = len(reader.fieldnames)
        for row in reader:
            line = reader.line_num
            extra = row.pop(None, None)
            if extra:
                yield line, RowProblem(f"has {width + len(extra)} columns, the header has {width}")
            elif any(value is None for value in row.values()):
                given = sum(value is not None for value in row.values())
                yield line, RowProblem(f"has {given} columns, the header has {width}")
            else:
                yield line, dict(row)


def _jsonl(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                yield line, RowProblem(f"is not valid JSON ({exc.msg})")
                continue
            if not isinstance(value, dict):
                yield line, RowProblem("is not a JSON object")
                continue
            yield line, value


def _parquet(path: Path) -> Iterator[tuple[int, Row]]:
    import pyarrow.parquet as pq

    line = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            line += 1
            yield line, row
