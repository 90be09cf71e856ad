"""Reading and writing files safely: clear errors on bad bytes, bounded reads, atomic writes.

A path that is not a regular file (a directory, a FIFO, ``/dev/zero``, a socket) is refused
before a byte is read, and a regular file is read only up to the size limit
(:mod:`accord.scenario.limits`), so no input can make a command hang or exhaust memory.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from accord.scenario import limits
from accord.scenario.errors import InputError

KINDS = {stat.S_ISDIR: "a directory", stat.S_ISFIFO: "a named pipe (FIFO)",
         stat.S_ISCHR: "a character device (such as /dev/zero)", stat.S_ISBLK: "a block device",
         stat.S_ISSOCK: "a socket"}
BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
# C0 controls other than tab, newline, vertical tab, form feed and carriage return; DEL; C1.
CONTROLS = ({c for c in range(0x20) if c not in (9, 10, 11, 12, 13)} | {0x7F}
            | set(range(0x80, 0xA0)))
_CONTROL_TABLE = {c: None for c in CONTROLS}


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, turning every way it can fail into an :class:`InputError`."""
    return decode(read_bytes(path), path)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file, at most ``ACCORD_MAX_BYTES`` of them."""
    path = Path(path)
    cap = limits.limit("bytes")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise InputError("the path contains a NUL byte", repr(str(path)),
                         accepted="the path of an existing file") from None
    except OSError as exc:
        raise _open_error(exc, path) from None
    try:
        kind = os.fstat(fd)
        for test, name in KINDS.items():
            if test(kind.st_mode):
                what = "this is a directory, not a file" if test is stat.S_ISDIR else \
                    f"not a regular file: this is {name}"
                raise InputError(what, path, accepted="the path of a regular file")
        if kind.st_size > cap:
            raise limits.exceeded("bytes", kind.st_size, "bytes", path)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path) from None
    finally:
        os.close(fd)
    if len(data) > cap:
        raise limits.exceeded("bytes", len(data), "bytes", path)
    return data


def _open_error(exc: OSError, path: Path) -> InputError:
    if exc.errno == errno.ENOENT:
        dangling = path.is_symlink()
        return InputError("a symbolic link to a missing file" if dangling else "no such file",
                          path, accepted="the path of an existing file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError("permission denied", path, accepted="a file you may read")
    if exc.errno == errno.ELOOP:
        return InputError("a loop of symbolic links", path, accepted="the path of a regular file")
    return InputError(f"cannot open the file ({exc.strerror or exc})", path,
                      accepted="the path of a readable file")


def decode(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (a BOM is allowed); name the line and byte of the first bad byte, and refuse
    UTF-16/32, binary data and terminal control characters."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            raise InputError(f"the file is {encoding} text (it starts with a {encoding} byte-order "
                             "mark)", path, 1, accepted="UTF-8 text (re-save the file as UTF-8)")
    if b"\x00" in data:
        at = data.index(b"\x00")
        looks = "UTF-16 text without a byte-order mark" if _utf16_like(data) else "binary"
        raise InputError(f"the file contains a NUL byte; it looks {looks}", path,
                         data.count(b"\n", 0, at) + 1, accepted="a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            path, line, accepted="UTF-8 text (re-save the file as UTF-8)",
        ) from None
    if len(text.translate(_CONTROL_TABLE)) != len(text):
        at = next(i for i, ch in enumerate(text) if ord(ch) in CONTROLS)
        line = text.count("\n", 0, at) + 1
        raise InputError(f"the file contains the control character U+{ord(text[at]):04X}", path,
                         line, accepted="text without terminal control characters")
    if not text.strip():
        raise InputError("the file is empty", path, accepted="a scenario with actors and issues")
    return text


def _utf16_like(data: bytes) -> bool:
    """Most odd (or most even) bytes are NUL: ASCII text saved as UTF-16."""
    if len(data) < 4:
        return False
    return max(data[0::2].count(0), data[1::2].count(0)) > 0.4 * len(data)


def format_from_name(path: str | Path, fmt: str | None, suffixes: dict[str, str]) -> str:
    """The output format: ``fmt`` if given (one of ``suffixes``' values), else the one the file
    name's extension stands for; an unknown extension without ``fmt`` is an error, never a guess."""
    accepted = sorted(set(suffixes.values()))
    if fmt is not None:
        if fmt not in accepted:
            raise InputError("unknown format", None, None, "--format", fmt, " or ".join(accepted))
        return fmt
    suffix = Path(str(path)).suffix.lower()
    if suffix not in suffixes:
        names = ", ".join(f"{s} ({f})" for s, f in suffixes.items())
        raise InputError(f"cannot tell the format from the name's extension '{suffix}'", path,
                         accepted=f"a name ending in {names}, or --format "
                         f"{' or '.join(accepted)}")
    return suffixes[suffix]


def atomic_write(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` so that a crash leaves either the old file or the
    new one."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError("this is a directory, not a file", path,
                             accepted="a file path to write")
        if path.exists() and not path.is_file():
            raise InputError("not a regular file", path, accepted="a file path to write")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise InputError("the folder does not exist", path,
                             accepted="a path in an existing folder")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _write_error(exc, path) from None
    try:
        os.chmod(tmp, _mode_for(path))
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _write_error(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_error(exc: OSError, path: Path) -> InputError:
    return InputError(f"cannot write the file ({exc.strerror or exc})", path,
                      accepted="a path in a folder you may write to, on a disk with room")


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
