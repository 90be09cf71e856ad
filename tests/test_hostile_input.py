"""Hostile files: each gets one line naming the defect (exit 2), in time, never a traceback.

Issue 17 items 3 (anchors), 4 (a path that never ends) and 5 (10,000 actors), and the attacker's
list: binary data, UTF-16, BOMs, NUL bytes, CRLF, enormous numbers, NaN/inf, duplicate ids, empty
files, directories, FIFOs, /dev/zero, permission denied, deep nesting, long lines, control
characters and bidi overrides in names.
"""

from __future__ import annotations

import os
import random

import pytest
from test_errors import GOOD, answered

from accord.scenario import limits
from accord.scenario.formats.common import Slugs
from accord.scenario.formats.files import read_text


def refused(path, *expected: str, args=()) -> str:
    """`accord forecast PATH` ends in one error line (exit 2) holding every ``expected`` piece."""
    code, _, err = answered("forecast", str(path), *args)
    assert code == 2, err
    for piece in expected:
        assert piece in err, (piece, err)
    return err


def write(tmp_path, data: str | bytes, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# --- item 4 and other paths that are not regular files ----------------------------------------

def test_symlink_to_dev_zero_is_refused_before_reading(tmp_path):
    link = tmp_path / "x.yaml"
    link.symlink_to("/dev/zero")
    refused(link, "x.yaml", "not a regular file", "character device")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused(fifo, "named pipe (FIFO)")


def test_directory_dangling_link_and_loop(tmp_path):
    (tmp_path / "d.yaml").mkdir()
    refused(tmp_path / "d.yaml", "directory, not a file")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    refused(tmp_path / "gone.yaml", "symbolic link to a missing file")
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    refused(tmp_path / "a.yaml", "loop of symbolic links")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_permission_denied(tmp_path):
    path = write(tmp_path, GOOD)
    path.chmod(0)
    refused(path, "permission denied")


def test_path_too_long_and_size_limit(tmp_path, monkeypatch):
    refused("x" * 5000 + ".yaml", "cannot open the file", "name too long")
    monkeypatch.setenv("ACCORD_MAX_BYTES", "100")
    refused(write(tmp_path, GOOD), "too many bytes", "the limit is 100", "ACCORD_MAX_BYTES")


def test_a_file_larger_than_it_says_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_BYTES", "1000")
    with pytest.raises(Exception, match="too many bytes"):
        read_text("/proc/self/maps" if os.path.exists("/proc/self/maps") else "/dev/zero")


# --- bytes that are not UTF-8 text --------------------------------------------------------------

@pytest.mark.parametrize("data, expected", [
    (GOOD.encode("utf-16"), "UTF-16 text"),
    (GOOD.encode("utf-32"), "UTF-32 text"),
    (GOOD.encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    (bytes(range(256)) * 4, "NUL byte; it looks binary"),
    (GOOD.encode().replace(b"name: Test", b"name: T\xff"), "0xff at offset"),
    (GOOD.encode().replace(b"name: Test", b"name: \x1b[2J"), "control character U+001B"),
    (GOOD.encode().replace(b"name: Test", "name: \u009b2J".encode()), "control character U+009B"),
    (b"", "the file is empty"),
    (b" \n\r\n\t\n", "the file is empty"),
])
def test_bytes_that_are_not_text(tmp_path, data, expected):
    refused(write(tmp_path, data), expected)


def test_bom_and_crlf_are_read(tmp_path):
    for data in (b"\xef\xbb\xbf" + GOOD.encode(), GOOD.replace("\n", "\r\n").encode()):
        assert answered("forecast", str(write(tmp_path, data)))[0] == 0


# --- YAML: item 3 and the structure limits ----------------------------------------------------

def test_anchor_chain_of_10000_links_is_refused_in_time(tmp_path):
    """Issue 17: a 10,000-link anchor chain (300 KB) took 29 s. Every shared node is now
    measured once; the chain nests 10,000 deep through its aliases, so it is refused."""
    lines = ["accord: 1", "a0: &a0 x"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 10_000)]
    refused(write(tmp_path, "\n".join(lines)), "too many nested levels", "ACCORD_MAX_YAML_DEPTH")


def test_billion_laughs_is_refused_in_time(tmp_path):
    """Issue 17: nine levels of ten aliases took 84 s of CPU before its error."""
    lines = ["accord: 1", "l0: &l0 [lol]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 10)]
    lines.append("actors: *l9")
    refused(write(tmp_path, "\n".join(lines)), "too many YAML nodes", "ACCORD_MAX_YAML_NODES")


def test_aliases_within_the_limits_are_read(tmp_path):
    doc = GOOD.replace("{id: a, name: A, capability: 1}",
                       "{id: a, name: A, capability: 1, sources: &src [s1, s2, s3]}")
    doc = doc.replace("{id: b, name: B, capability: 2}", "{id: b, name: B, capability: 2, "
                      "sources: *src}")
    doc += "events:\n" + "".join(f"  - {{date: 2021-08-{d:02d}, actor: a, type: t, "
                                 "source: x}\n" for d in range(1, 29))
    assert answered("forecast", str(write(tmp_path, doc)))[0] == 0


@pytest.mark.parametrize("text, expected", [
    ("accord: 1\nx: " + "[" * 5000 + "]" * 5000, "too many nested levels"),
    ("accord: 1\nx: &a [1, *a]\n", "refers to a node that contains it"),
    ("accord: 1\ncapability: " + "9" * 5000, "a number with 5,000 digits"),
    (GOOD.replace("capability: 2", "capability: 0x" + "f" * 400), "a number with 400 digits"),
    ("accord: 1\nx: !!python/object/apply:os.system ['true']", "YAML value error"),
    ("accord: 1\naccord: 1\n", "key 'accord' appears twice"),
    ("a: 1\n---\nb: 2\n", "YAML syntax error"),
    ("accord: 1\nx: \ufeff\ufeffy\n", ""),
    ("- 1\n- 2\n", "the top level must be a mapping"),
])
def test_yaml_structure(tmp_path, text, expected):
    refused(write(tmp_path, text), expected)


def test_many_aliases_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_YAML_ALIASES", "50")
    text = "accord: 1\nx: &x 1\nys: [" + ", ".join(["*x"] * 60) + "]\n"
    refused(write(tmp_path, text), "too many aliases", "the limit is 50")


def test_a_malformed_limit_setting_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_ACTORS", "lots")
    refused(write(tmp_path, GOOD), "ACCORD_MAX_ACTORS", "not a positive whole number")


# --- numbers, ids and names -----------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    ("capability: 2", "capability: .nan", "actors[1].capability"),
    ("capability: 2", "capability: 1e999", "actors[1].capability"),
    ("position: 80", "position: .inf", "stances[1].position"),
    ("status_quo: 10", "status_quo: 1.0e+300", "issues[0].status_quo"),
    ("    name: X", "    name: X\n    scale: {min: -1.0e+308, max: 1.0e+308}",
     "from -1e+15 to 1e+15"),
    ("capability: 2", "capability: 123456789012345678901234567890", "actors[1].capability"),
    ("{id: b, name: B", "{id: a, name: B", "duplicate id 'a'"),
    ("name: B,", 'name: "B\\e[2J",', "control character U+001B"),
    ("name: B,", 'name: "evil\\u202Egpj.exe",', "control character U+202E"),
    ("name: B,", 'name: "two\\nlines",', "control character U+000A"),
    ("name: B,", f"name: {'B' * 600},", "at most 500 characters"),
])
def test_numbers_ids_and_names(tmp_path, old, new, expected):
    assert old in GOOD
    refused(write(tmp_path, GOOD.replace(old, new, 1)), expected)


def test_duplicate_incentive_and_shock_ids(tmp_path):
    extra = ("incentives:\n"
             "  - {id: i, actor: a, issue: x, position: 50, when: {issue: x, threshold: 50}}\n"
             "  - {id: i, actor: b, issue: x, position: 60, when: {issue: x, threshold: 50}}\n")
    refused(write(tmp_path, GOOD + extra), "incentives", "duplicate id 'i'")
    extra = "shocks:\n  - {id: s, leave: [a]}\n  - {id: s, leave: [b]}\n"
    refused(write(tmp_path, GOOD + extra), "shocks", "duplicate id 's'")


# --- tables -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("actor,capability,position,salience\nA,1," + "9" * 140_000 + ",0.5\n", "field larger"),
    ("actor,capability,position,salience\nA,1,nan,0.5\n", "not a finite number"),
    ("actor,capability,position,salience\nA,1,1e400,0.5\n", "not a finite number"),
    ("actor,capability,position,salience\nA,1,50,0.5\nA,1,60,0.5\n", "second row for 'A'"),
    ("actor,capability,position,salience\n\u202eA,1,50,0.5\n", "control character U+202E"),
    ("actor,capability,position,salience\nA,1e300,50,0.5\n", "capability"),
    ("S,d," + "9" * 5000 + ",1\nActor,Description,Influence,P1,S1\n", "number of actors"),
    ("S,d,1,1\nActor,Description,Influence,P1,S1\nA,a,1,50,50\r\nB,b,1,50,50\n", "announces 1"),
])
def test_table_and_ktab_files(tmp_path, text, expected):
    refused(write(tmp_path, text, "t.csv"), expected)


def test_ktab_counts_are_limited_before_reading_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_ACTORS", "10")
    refused(write(tmp_path, "S,d,11,1\nActor,Description,Influence,P1,S1\n", "k.csv"),
            "too many actors (11; the limit is 10)", "ACCORD_MAX_ACTORS")


# --- item 5: 10,000 actors ----------------------------------------------------------------------

def test_ten_thousand_actor_table_loads_and_models_that_fit_run(tmp_path):
    """Issue 17: the 10,000-row table took 18 s to load (ids were searched one by one among all
    the ids already made); the forecast of the models that fit in memory now answers in time,
    and eum and smp are refused before they allocate (test_hostile_memory)."""
    rng = random.Random(1)
    rows = [f"actor {i},{rng.uniform(1, 100):.2f},{rng.uniform(0, 100):.1f},{rng.random():.2f}"
            for i in range(10_000)]
    path = write(tmp_path, "actor,capability,position,salience\n" + "\n".join(rows), "big.csv")
    code, out, _ = answered("forecast", str(path), "-m", "compromise", "-m", "median",
                            "-m", "nash", "-f", "csv", seconds=10)
    assert code == 0 and out.startswith("issue,status_quo,compromise,median,nash")


def test_slugs_stay_unique_and_short_when_thousands_collide():
    slugs = Slugs()
    made = [slugs("政府") for _ in range(10_000)] + [slugs("x" * 80) for _ in range(1_000)]
    assert len(set(made)) == len(made) and max(map(len, made)) <= 64
    assert made[:3] == ["x", "x_2", "x_3"]


def test_actor_limit_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_ACTORS", "1")
    refused(write(tmp_path, GOOD), "too many actors (2; the limit is 1)", "ACCORD_MAX_ACTORS=10")
    assert limits.limit("actors") == 1
