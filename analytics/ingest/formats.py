"""Source formats as data: one TOML file per format in data/formats/ maps header spellings to fields.

A file's format is detected from its header row (which may sit below report title rows), or named by
the user (`--format` on the command line, a choice on the Data page). See data/formats/README.md.
"""

from __future__ import annotations

import functools
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analytics import config
from analytics.domain import normalise_header
from analytics.ingest.tabular import HEADER_SCAN_ROWS

FORMATS_DIR = config.ROOT / "data" / "formats"


@dataclass(frozen=True)
class Format:
    """One source format: its fields and their header spellings, and how to recognise it."""

    name: str
    kind: str  # the import kind it feeds: 'registri' or 'verval'
    sumber: str  # the registry it comes from: 'p3ke', 'dtsen' or 'dinsos'
    label: str
    anchor: str
    required: tuple[str, ...]
    detect: tuple[str, ...]
    priority: int
    fields: dict[str, tuple[str, ...]]  # field -> (header as written, aliases...)
    exclude: tuple[str, ...] = ()  # headers that rule this format out (another source's own columns)

    def header(self, key: str) -> str:
        """The field's header as the source writes it (for messages and templates)."""
        return self.fields[key][0] if key in self.fields else key

    def columns(self) -> dict[str, set[str]]:
        """Field -> the folded header texts that mean it (tabular.read_table's `columns`)."""
        return {key: {normalise_header(h) for h in spellings} for key, spellings in self.fields.items()}

    def lookup(self) -> dict[str, str]:
        """Folded header text -> field."""
        return {alias: key for key, aliases in self.columns().items() for alias in aliases}

    def excluded(self, row: tuple) -> bool:
        """Whether the row holds a header that only another source writes."""
        banned = {normalise_header(h) for h in self.exclude}
        return any(normalise_header(c) in banned for c in row)

    def matched(self, row: tuple) -> set[str]:
        """The fields whose header appears in a row of cells."""
        lookup = self.lookup()
        return {lookup[h] for h in (normalise_header(c) for c in row) if h in lookup}


def _load(path: Path) -> Format:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    fields = {key: tuple(str(h) for h in spellings) for key, spellings in spec["fields"].items()}
    for key in (spec["anchor"], *spec["required"], *spec["detect"]):
        if key not in fields:
            raise ValueError(f"{path.name}: field '{key}' has no headers in [fields]")
    return Format(
        name=spec["name"],
        kind=spec["kind"],
        sumber=spec["sumber"],
        label=spec["label"],
        anchor=spec["anchor"],
        required=tuple(spec["required"]),
        detect=tuple(spec["detect"]),
        priority=int(spec.get("priority", 0)),
        fields=fields,
        exclude=tuple(str(h) for h in spec.get("exclude", ())),
    )


@functools.cache
def all_formats(directory: Path = FORMATS_DIR) -> dict[str, Format]:
    """Every format in the folder, by name (read once per process)."""
    found = {}
    for path in sorted(directory.glob("*.toml")):
        fmt = _load(path)
        if fmt.name in found:
            raise ValueError(f"{path.name}: format '{fmt.name}' is defined twice")
        found[fmt.name] = fmt
    return found


def get(name: str) -> Format:
    """A format by name; KeyError names the known ones."""
    formats = all_formats()
    if name not in formats:
        raise KeyError(f"format '{name}' tidak dikenal; yang ada: {', '.join(sorted(formats))}")
    return formats[name]


def of_kind(kind: str) -> dict[str, Format]:
    """The formats that feed an import kind, by name."""
    return {name: f for name, f in all_formats().items() if f.kind == kind}


def head_rows(data: bytes, file_name: str, n: int = HEADER_SCAN_ROWS) -> list[tuple]:
    """The first n rows of a .xlsx or .csv file as cells (empty list when it cannot be read: the
    importer's reader then refuses the file with its own message)."""
    suffix = Path(file_name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from python_calamine import CalamineWorkbook

            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            return [tuple(r) for r in sheet.to_python(skip_empty_area=False, nrows=n)]
        if suffix in (".csv", ".txt"):
            from analytics.ingest.tabular import _csv_rows

            head = data[:65536]
            cut = head.rfind(b"\n")
            return _csv_rows(head if cut < 0 or len(data) <= len(head) else head[:cut], file_name)[:n]
    except Exception:  # noqa: BLE001 - unreadable: the reader that follows says why
        return []
    return []


def detect(data: bytes, file_name: str, kind: str | None = None) -> Format | None:
    """The format whose `detect` headers all appear in one of the file's first rows (the highest
    priority when several do), among the formats of `kind` (all when None); None if none fits."""
    candidates = list(of_kind(kind).values() if kind else all_formats().values())
    best: Format | None = None
    for row in head_rows(data, file_name):
        for fmt in candidates:
            fits = set(fmt.detect) <= fmt.matched(row) and not fmt.excluded(row)
            if fits and (best is None or fmt.priority > best.priority):
                best = fmt
    return best
