"""Crash-safe file writes: a temporary name, fsync, rename, fsync of the folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in this folder durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path: Path, writer: Callable[[BinaryIO], None]) -> Path:
    """Write a file whole or not at all: writer fills a temporary file, which is fsynced and renamed."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # runtime files are private whatever the process umask (analytics.store.permissions)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
        writer(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Atomically replace path with data."""
    return write(path, lambda fh: fh.write(data))


def rename(src: Path, dst: Path) -> Path:
    """Durably rename src to dst (same file system)."""
    dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(src, dst)
    fsync_dir(dst.parent)
    if src.parent != dst.parent:
        fsync_dir(src.parent)
    return dst


def remove(path: Path) -> None:
    """Durably remove a file if it exists."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    fsync_dir(path.parent)
