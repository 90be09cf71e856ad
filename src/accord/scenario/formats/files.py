"""Reading and writing files safely: clear errors on bad bytes, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from accord.scenario.errors import InputError

MAX_BYTES = 50_000_000


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, turning every way it can fail into an :class:`InputError`."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path, accepted="the path of an existing file")
    if path.is_dir():
        raise InputError("this is a directory, not a file", path,
                         accepted="the path of a scenario file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"file is too large ({len(data):,} bytes)", path,
                         accepted=f"at most {MAX_BYTES:,} bytes")
    return decode(data, path)


def decode(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (a BOM is allowed); name the line and byte of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            path, line, accepted="UTF-8 text (re-save the file as UTF-8)",
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("the file contains a NUL byte; it looks binary", path, line,
                         accepted="a text file")
    if not text.strip():
        raise InputError("the file is empty", path, accepted="a scenario with actors and issues")
    return text


def atomic_write(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one."""
    path = Path(path)
    if path.is_dir():
        raise InputError("this is a directory, not a file", path, accepted="a file path to write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("the folder does not exist", path, accepted="a path in an existing folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    os.chmod(tmp, _mode_for(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
