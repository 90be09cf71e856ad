"""The native format: YAML with ``accord: 1``, validated by the pydantic scenario model."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from accord.scenario import limits
from accord.scenario.errors import InputError
from accord.scenario.formats import yaml_shape
from accord.scenario.model import Scenario
from accord.scenario.references import problems

# libyaml's safe dumper where PyYAML was built with it (ten times faster, the same text)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

NAME = "yaml"


def read(text: str, path: str | Path = "<scenario>") -> Scenario:
    """Parse and validate a YAML scenario; every problem becomes one :class:`InputError`.

    The document's shape (depth, nodes with aliases expanded, aliases) is checked first
    (:mod:`accord.scenario.formats.yaml_shape`), then it is composed once, checked for duplicate
    keys, and built from that one tree."""
    yaml_shape.check(text, path)
    root, data = _load(text, path)
    if not isinstance(data, dict):
        raise InputError("the top level must be a mapping of keys to values", path,
                         _line(root, ()), value=type(data).__name__,
                         accepted="a mapping starting with 'accord: 1'")
    lists = [data.get(key) for key in ("actors", "issues", "stances")]
    limits.check_counts(*(len(v) if isinstance(v, list) else 0 for v in lists), path)
    return validate(data, path, root)


def validate(data: dict, path: str | Path = "<scenario>", root=None) -> Scenario:
    """Validate a scenario mapping (from YAML or built in code) with located, clear errors."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc, path, root) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise InputError(f"invalid value ({exc})", path) from None
    found = list(problems(scenario))
    if found:
        first = found[0]
        more = f" ({len(found) - 1} more problems after this one)" if len(found) > 1 else ""
        raise InputError(first.message + more, path, _line(root, first.loc),
                         _dotted(first.loc), first.value, first.accepted)
    return scenario


def write(scenario: Scenario) -> str:
    """Serialise a scenario to YAML, leaving out empty optional fields."""
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data = {"accord": 1, **data}
    return yaml.dump(data, Dumper=SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=100)



def _load(text: str, path):
    """The composed node tree and the data built from it."""
    loader = yaml_shape.LOADER(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise InputError("the file holds no YAML document", path,
                             accepted="a mapping starting with 'accord: 1'")
        _check_duplicate_keys(root, path)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        kind = "YAML syntax error" if not isinstance(exc, yaml.constructor.ConstructorError) \
            else "YAML value error"
        raise InputError(f"{kind}: {exc.problem or exc.context}", path, line,
                         accepted="valid YAML (check indentation, colons and quotes)") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise InputError(f"YAML cannot hold the character {exc.character!r}", path, line,
                         accepted="printable text") from None
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:
        raise InputError(f"YAML cannot be read ({type(exc).__name__}: {exc})", path) from None
    finally:
        loader.dispose()


def _check_duplicate_keys(node, path) -> None:
    """Every mapping once, however many aliases share it."""
    stack, seen_nodes = [node], set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise InputError(f"key '{key.value}' appears twice in one mapping", path,
                                         key.start_mark.line + 1, accepted="each key once")
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _line(node, loc) -> int | None:
    """The 1-based line of the deepest node that ``loc`` reaches in the composed YAML tree."""
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if str(k.value) == str(part)), None)
            if child is None:
                key = next((k for k, _ in node.value if str(k.value) == str(part)), None)
                child = key
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _dotted(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _from_validation(exc: ValidationError, path, root) -> InputError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    more = f" ({len(errors) - 1} more problems after this one)" if len(errors) > 1 else ""
    kind = first["type"]
    message, accepted = first["msg"], _accepted(kind, loc, first)
    value = None if kind == "missing" else first.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'"
        value = None
    elif kind == "missing":
        message = f"required field '{loc[-1]}' is missing"
    if isinstance(value, (dict, list)):
        value = None
    line = _line(root, loc)
    if kind == "extra_forbidden":
        line = _key_line(root, loc) or line
    return InputError(message + more, path, line, _dotted(loc), value, accepted)


def _key_line(root, loc) -> int | None:
    parent = root
    for part in loc[:-1]:
        if isinstance(parent, yaml.MappingNode):
            parent = next((v for k, v in parent.value if str(k.value) == str(part)), None)
        elif isinstance(parent, yaml.SequenceNode) and isinstance(part, int):
            parent = parent.value[part] if part < len(parent.value) else None
        if parent is None:
            return None
    if isinstance(parent, yaml.MappingNode):
        key = next((k for k, _ in parent.value if str(k.value) == str(loc[-1])), None)
        return key.start_mark.line + 1 if key else None
    return None


def _accepted(kind: str, loc, error) -> str | None:
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        return "the keys " + ", ".join(model.model_fields) if model else None
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bounds = _bounds(loc)
        if bounds:
            return bounds
    simple = {
        "greater_than": f"a number greater than {ctx.get('gt')}",
        "greater_than_equal": f"a number of at least {ctx.get('ge')}",
        "less_than_equal": f"a number of at most {ctx.get('le')}",
        "finite_number": "a finite number",
        "float_parsing": "a number",
        "float_type": "a number",
        "string_type": "text",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping of keys to values",
        "date_from_datetime_parsing": "a date as YYYY-MM-DD",
        "date_parsing": "a date as YYYY-MM-DD",
        "date_type": "a date as YYYY-MM-DD",
        "string_pattern_mismatch": "letters, digits, '_', '-' and '.', starting with a letter or digit",
        "string_too_short": "a non-empty value",
        "too_short": "at least one entry",
        "missing": "the field, with a value",
    }
    if kind == "greater_than_equal" and "le" in ctx:
        return f"a number from {ctx['ge']} to {ctx['le']}"
    if kind in ("literal_error", "enum"):
        return f"one of {ctx.get('expected')}"
    if kind == "value_error":
        return None
    return simple.get(kind)


def _bounds(loc) -> str | None:
    """'a number from 0 to 1' for a field whose declaration has both bounds."""
    model = _model_at(loc[:-1])
    field = model.model_fields.get(str(loc[-1])) if model else None
    if field is None:
        return None
    found = {}
    for meta in _metadata(field.annotation) + list(field.metadata):
        for name in ("ge", "gt", "le", "lt"):
            if getattr(meta, name, None) is not None:
                found[name] = getattr(meta, name)
    low = found.get("ge", found.get("gt"))
    high = found.get("le", found.get("lt"))
    if low is None or high is None:
        return None
    return f"a number from {low:g} to {high:g}"


def _metadata(annotation) -> list:
    out = list(getattr(annotation, "__metadata__", ()))
    for arg in getattr(annotation, "__args__", ()) or ():
        out += _metadata(arg)
    return out


def _model_at(loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None
