"""The shape of a YAML document, measured from its event stream before anything is built.

Anchors and aliases let a few hundred bytes stand for billions of nodes ("billion laughs": nine
levels of ten aliases each), and nesting can be deep enough to overflow the stack of a recursive
reader. One pass over the parser's events, in linear time and constant stack, finds out: every
anchored node's size and depth are remembered, so an alias counts as the whole subtree it stands
for. The first limit crossed (:mod:`accord.scenario.limits`) is reported with its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from accord.scenario import limits
from accord.scenario.errors import InputError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
DIGITS = 300  # the longest number a scenario can mean; longer ones are refused, not converted
_NUMBER_LIKE = re.compile(  # YAML 1.1 ints and floats: decimal, hex, octal, binary, base 60
    r"[-+]?(?:0x[0-9a-fA-F_]+|0b[01_]+|0o?[0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)")


class _Shape:
    """Running counts: nodes (aliases expanded), aliases, and the open collections."""

    def __init__(self, path):
        self.path = path
        self.nodes, self.aliases = 0, 0
        self.max_nodes = limits.limit("yaml_nodes")
        self.max_aliases = limits.limit("yaml_aliases")
        self.max_depth = limits.limit("yaml_depth")
        self.anchors: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, depth) of its subtree
        self.stack: list[list] = []  # [anchor, nodes so far, depth below]

    def open(self, event) -> None:
        self.stack.append([event.anchor, 1, 0])
        if len(self.stack) > self.max_depth:
            raise _too("nested levels", len(self.stack), "yaml_depth", self.path, event)

    def close(self, event) -> None:
        anchor, nodes, below = self.stack.pop()
        self.add(nodes, below + 1, anchor, event)

    def alias(self, event) -> None:
        self.aliases += 1
        if self.aliases > self.max_aliases:
            raise _too("aliases", self.aliases, "yaml_aliases", self.path, event)
        if any(frame[0] == event.anchor for frame in self.stack):
            raise InputError(f"the alias *{event.anchor} refers to a node that contains it",
                             self.path, _line(event), None, None,
                             "aliases to complete nodes only (no cycles)")
        nodes, depth = self.anchors.get(event.anchor, (1, 1))
        self.add(nodes, depth, None, event)

    def add(self, nodes: int, depth: int, anchor: str | None, event) -> None:
        if anchor is not None:
            self.anchors[anchor] = (nodes, depth)
        self.nodes += nodes
        expanded = " (counting what every alias stands for)" if self.aliases else ""
        if self.nodes > self.max_nodes:
            raise _too(f"YAML nodes{expanded}", self.nodes, "yaml_nodes", self.path, event)
        if len(self.stack) + depth > self.max_depth:
            raise _too(f"nested levels{expanded}", len(self.stack) + depth, "yaml_depth",
                       self.path, event)
        if self.stack:
            top = self.stack[-1]
            top[1] += nodes
            top[2] = max(top[2], depth)


def check(text: str, path: str | Path) -> None:
    """Raise an :class:`InputError` if the document is too deep, too large once its aliases are
    expanded, or holds a number too long to convert; YAML syntax errors are left to the reader,
    which names them."""
    shape = _Shape(path)
    try:
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, _OPEN):
                shape.open(event)
            elif isinstance(event, _CLOSE):
                shape.close(event)
            elif isinstance(event, yaml.AliasEvent):
                shape.alias(event)
            elif isinstance(event, yaml.ScalarEvent):
                _check_scalar(event, path)
                shape.add(1, 1, event.anchor, event)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, met while it looks ahead
            mark = getattr(exc, "problem_mark", None)
            raise InputError(f"too many nested levels (more than {shape.max_depth})", path,
                             mark.line + 1 if mark else None, None, None,
                             f"at most {shape.max_depth} nested levels, or set "
                             f"{limits.variable('yaml_depth')} higher") from None
        return  # a syntax error: the reader names it


def _check_scalar(event, path) -> None:
    value = event.value
    if not event.style and len(value) > DIGITS and _NUMBER_LIKE.fullmatch(value):
        digits = sum(ch in "0123456789abcdefABCDEF" for ch in value.removeprefix("0x"))
        if digits > DIGITS:
            raise InputError(f"a number with {digits:,} digits", path, _line(event), None, None,
                             f"a number of at most {DIGITS} digits")


def _too(what: str, count: int, name: str, path, event) -> InputError:
    return limits.exceeded(what, count, name, path, _line(event))


def _line(event) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None
