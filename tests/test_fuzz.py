"""Garbage in, one clear error out: no reader ever lets another exception escape."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_errors import GOOD, answered

from accord.scenario.errors import InputError
from accord.scenario.formats import FORMATS, read_string
from accord.scenario.formats.files import decode

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_bytes(data: bytes, fmt: str | None) -> None:
    try:
        read_string(decode(data, "fuzz"), "fuzz.csv", fmt)
    except InputError as exc:
        assert str(exc)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([None, *FORMATS]))
def test_arbitrary_bytes(data, fmt):
    read_bytes(data, fmt)


lines = st.lists(st.lists(st.text(alphabet="'#ADPM0123456789.-,;\t xyé\"", max_size=12),
                          max_size=8).map(lambda cells: ",".join(cells)), max_size=8)


@FUZZ
@given(lines, st.sampled_from(FORMATS))
def test_arbitrary_delimited_text(rows, fmt):
    read_bytes("\n".join(rows).encode(), fmt)


@FUZZ
@given(st.lists(st.lists(st.one_of(st.text(max_size=6), st.integers(-5, 200).map(str),
                                   st.sampled_from(["#A", "#P", "#M", "#D", "'#D'", "nan", "inf"])),
                         min_size=1, max_size=7), max_size=10),
       st.sampled_from(["\t", ",", ";"]))
def test_decide_like_rows(rows, sep):
    read_bytes("\n".join(sep.join(r) for r in rows).encode(), "decide")


@FUZZ
@given(st.lists(st.lists(st.one_of(st.text(max_size=5), st.floats(-10, 200).map(str)),
                         min_size=1, max_size=9), min_size=1, max_size=8),
       st.integers(0, 5), st.integers(0, 3))
def test_ktab_like_rows(rows, n_actors, n_dims):
    head = f"S,desc,{n_actors},{n_dims},\nActor,Description,Influence,P1,S1,P2,S2,P3,S3\n"
    read_bytes((head + "\n".join(",".join(r) for r in rows)).encode(), "ktab")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(json_values)
def test_arbitrary_yaml_documents(value):
    read_bytes(yaml.safe_dump(value).encode(), "yaml")


@FUZZ
@given(st.data())
def test_valid_scenario_with_one_value_replaced(data):
    # Replace one scalar of a valid scenario by an arbitrary value.
    doc = yaml.safe_load(GOOD)
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))
        else:
            paths.append(path)

    walk(doc, ())
    path = data.draw(st.sampled_from(paths))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = data.draw(json_values)
    read_bytes(yaml.safe_dump(doc).encode(), "yaml")


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_as_yaml(text):
    read_bytes(text.encode("utf-8", "surrogatepass"), "yaml")


# --- Hostile structure and tables, answered end to end under a time and a memory cap ----------
# Every input goes through `accord forecast` (all models) in this process: it must be answered
# in under 2 s and 300 MB (tracemalloc's peak), with exit 0 or a one-line error (exit 2), never a
# traceback or an "internal error" (see test_errors.answered).

CAPPED = settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def forecast_file(data: bytes, name: str = "fuzz.yaml", *options: str) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        code, _, err = answered("forecast", str(path), *options)
    event(f"exit {code}")
    return code, err


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2 ** 80, 2 ** 80), st.floats(), st.dates(),
    st.text(max_size=12), st.binary(max_size=6),
    st.sampled_from(["1e999", "-.inf", ".nan", "0x" + "f" * 40, "9" * 400, "\u202eevil",
                     "[/x]", "[bold]b[/bold]", "\x1b[2J", "a\u0000b", "", " ", "~", "<<"]),
)


def laughs(leaf, depth: int, width: int):
    """``depth`` levels of one list repeated ``width`` times: YAML writes it with aliases."""
    node = [leaf] * width
    for _ in range(depth - 1):
        node = [node] * width
    return node


def nested(leaf, depth: int):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


@st.composite
def hostile_values(draw, doc):
    kind = draw(st.sampled_from(["scalar", "laughs", "nested", "big", "shared", "mapping"]))
    leaf = draw(scalars)
    if kind == "laughs":
        return laughs(leaf, draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    if kind == "nested":
        return nested(leaf, draw(st.integers(1, 400)))
    if kind == "big":
        return [draw(st.dictionaries(st.text(max_size=5), scalars, max_size=3))] * \
            draw(st.integers(0, 3000))
    if kind == "shared":  # an alias to a subtree of the document itself (possibly a cycle)
        return draw(st.sampled_from([doc, doc["actors"], doc["issues"], doc["stances"][0]]))
    if kind == "mapping":
        return draw(st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), scalars,
                                    max_size=5))
    return leaf


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


@CAPPED
@given(st.data())
def test_yaml_structure_is_answered_in_time(data):
    doc = yaml.safe_load(GOOD)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        target = doc
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = data.draw(hostile_values(doc))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except (yaml.YAMLError, RecursionError, TypeError, ValueError):
        return  # a structure YAML itself cannot write
    forecast_file(text.encode("utf-8", "surrogatepass"))


yaml_tokens = st.sampled_from([
    "&a ", "*a", "&b ", "*b", "<<: *a", "- ", ": ", "{", "}", "[", "]", ", ", "!!binary ",
    "!!python/object/apply:os.system ['true']", "!!set ", "!!omap ", "\n", "\n  ", "\n    ",
    "accord: 1\n", "id: t\n", "name: N\n", "actors:", "issues:", "stances:", "'", '"', "|", ">",
    "%YAML 1.1\n", "---\n", "...\n", "#c", "? ", "1e999", ".nan", "9" * 350, "\t", "\r\n",
    "\ufeff", "\u202e", "x" * 5000,
])


@CAPPED
@given(st.lists(yaml_tokens, max_size=60))
def test_yaml_token_soup_is_answered_in_time(tokens):
    forecast_file("".join(tokens).encode("utf-8", "surrogatepass"))


@CAPPED
@given(st.integers(2, 9), st.integers(2, 30), st.sampled_from(["actors", "stances", "sources"]))
def test_billion_laughs_text_is_refused_quickly(depth, width, key):
    lines = ["accord: 1", "id: t", "name: N", "l0: &l0 [x]"]
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines.append(f"{key}: *l{depth}")
    code, err = forecast_file("\n".join(lines).encode())
    assert code == 2


cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10 ** 30, 10 ** 30).map(str),
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e400", "9" * 5000, "'#A'", "#D", "#M", "#P",
                     '"', '"a,b"', "\u202eA", "\x1b[2J", "[/x]", "a\tb", "é", "\ufeff",
                     "x" * 140_000, "0", "50", "100", "0.5", "1", "actor", "capability",
                     "position", "salience", "issue", "Actor", "Description", "Influence"]),
    st.text(max_size=10),
)


@st.composite
def tables(draw):
    fmt = draw(st.sampled_from(["table", "ktab", "decide", None]))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    rows = draw(st.lists(st.lists(cells, min_size=1, max_size=8), max_size=12))
    if fmt in ("table", None) and draw(st.booleans()):
        rows.insert(0, ["actor", "capability", "position", "salience", "issue"][
            :draw(st.integers(3, 5))])
    if fmt == "ktab":
        rows[:0] = [["S", "d", str(draw(st.integers(0, 12))), str(draw(st.integers(0, 4)))],
                    ["Actor", "Description", "Influence", "P1", "S1", "P2", "S2"]]
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = end.join(sep.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le"]))
    return text.encode(encoding, "surrogatepass"), fmt


@CAPPED
@given(tables())
def test_table_files_are_answered_in_time(table):
    data, fmt = table
    forecast_file(data, "fuzz.csv", *(("--from", fmt) if fmt else ()))


edge_numbers = st.one_of(st.sampled_from([0.0, 1e-300, 1e-12, 1.0, 50.0, 100.0, 1e12, 1e15]),
                         st.floats(0, 100))


@st.composite
def valid_tables(draw):
    """Tables every reader accepts, with degenerate numbers: saliences of 0, equal positions,
    capabilities 27 orders of magnitude apart, one actor, masked cells."""
    actors = draw(st.integers(1, 5))
    issues = draw(st.integers(1, 2))
    lines = ["actor,capability,position,salience,issue"]
    for a in range(actors):
        capability = draw(edge_numbers.filter(lambda v: v > 0))
        for i in range(issues):
            if a and draw(st.integers(0, 4)) == 0:
                continue  # this actor takes no part in this issue
            position = draw(st.sampled_from([0.0, 50.0, 100.0]) | st.floats(0, 100))
            salience = draw(st.sampled_from([0.0, 0.0, 1.0]) | st.floats(0, 1))
            lines.append(f"a{a},{capability!r},{position!r},{salience!r},i{i}")
    return "\n".join(lines).encode()


@settings(CAPPED, max_examples=15)
@given(valid_tables())
def test_degenerate_numbers_are_answered_by_every_model(data):
    code, err = forecast_file(data, "fuzz.csv")
    assert code == 0, err
