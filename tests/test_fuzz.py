"""Garbage in, one clear error out: no reader ever lets another exception escape."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_errors import GOOD

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
