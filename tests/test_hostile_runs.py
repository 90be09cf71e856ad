"""Interrupted, killed and doubly resumed Monte Carlo runs (issue 17, item 2).

Ctrl-C stops the workers at once, keeps the finished chunks, marks the run interrupted and
prints the resume command; a second Ctrl-C cannot deadlock it; a SIGKILLed run leaves no
worker behind and shows as stale; of two `accord resume` of one run, the second is told who
holds it; a resumed run equals an uninterrupted one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from accord.api import runs as runs_module
from accord.api.interrupt import RunInterrupted, Stop
from accord.api.runs import Request, execute, resume
from accord.api.store import STALE_AFTER, Store, shown_status
from accord.cli import main
from accord.scenario.catalog import load
from accord.scenario.errors import InputError
from accord.scenario.formats import yaml_format

ROOT = Path(__file__).resolve().parents[1]


def session_members(sid: int) -> list[str]:
    """Processes of session ``sid`` still alive (zombies excluded): "pid command"."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{stat.parent.name} {raw[raw.index('(') + 1:raw.rindex(')')]}")
    return found


def wait_for_no_members(sid: int, seconds: float = 10.0) -> list[str]:
    deadline = time.time() + seconds
    while time.time() < deadline:
        left = session_members(sid)
        if not left:
            return []
        time.sleep(0.1)
    return session_members(sid)


def start_run(url: str, *extra: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "accord.cli", "montecarlo", "venezuela-2021", "-m", "eum",
            "--draws", "160", "--chunk-size", "10", "--seed", "99", "--store", url,
            "--format", "json", *extra]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            start_new_session=True)


def wait_for_chunks(proc: subprocess.Popen, url: str, count: int) -> None:
    engine = create_engine(url)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            with engine.connect() as db:
                if db.execute(text("select count(*) from chunks")).scalar() >= count:
                    return
        except Exception:  # noqa: BLE001 - the tables may not exist yet
            continue
    pytest.fail("the run finished or stalled before it could be interrupted")


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def test_two_ctrl_c_then_resume_gives_the_uninterrupted_result(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    proc = start_run(url, "--workers", "2")
    wait_for_chunks(proc, url, 2)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = err.decode()
    # 130, or killed by the second SIGINT while the interpreter shuts down (state saved already)
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "Traceback" not in err and "internal error" not in err, err
    match = re.search(r"resume with: accord resume (\w+) --store (\S+)", err)
    assert match and match.group(2) == url, err
    assert wait_for_no_members(proc.pid) == [], "orphan processes after Ctrl-C"
    store = Store(url)
    record = store.run(match.group(1))
    assert record["status"] == "interrupted" and 2 <= record["chunks_done"] < 16
    resumed = resume(match.group(1), store, workers=2)
    assert store.run(match.group(1))["status"] == "finished"
    fresh = execute(Request(load().scenario, "eum", 160, 99, 160),
                    Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}"), workers=1)
    np.testing.assert_array_equal(resumed.outcomes, fresh.outcomes)


def test_sigkill_leaves_no_worker_and_a_stale_resumable_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    proc = start_run(url, "--workers", "2")
    wait_for_chunks(proc, url, 1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert wait_for_no_members(proc.pid) == [], "orphan worker processes after SIGKILL"
    store = Store(url)
    (record,) = store.list_runs()
    assert record["status"] == "stale"
    code = main(["runs", "--store", url])
    assert code == 0
    assert store.claim(record["id"]) == 2  # resumable: this process takes it over


def test_ctrl_c_in_a_one_worker_run_keeps_its_chunks(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    calls = []
    real = runs_module.run_chunk

    def interrupted_after_two(task):
        calls.append(task.start)
        if len(calls) == 3:
            raise Stop(signal.SIGINT)
        return real(task)

    monkeypatch.setattr(runs_module, "run_chunk", interrupted_after_two)
    with pytest.raises(RunInterrupted) as info:
        execute(Request(load().scenario, "compromise", 500, 5, 100), store, workers=1)
    run_id = info.value.run_id
    assert "200 of 500 draws are stored" in str(info.value)
    assert f"accord resume {run_id} --store {store.url}" in str(info.value)
    assert store.run(run_id)["status"] == "interrupted"
    monkeypatch.setattr(runs_module, "run_chunk", real)
    resumed = resume(run_id, store, workers=1)
    fresh = execute(Request(load().scenario, "compromise", 500, 5, 500), store, workers=1)
    np.testing.assert_array_equal(resumed.outcomes, fresh.outcomes)


def test_a_second_resume_is_told_who_holds_the_run(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = Store(url)
    request = Request(load().scenario, "compromise", 10, 1, 10)
    run_id = store.create_run("montecarlo", "venezuela-2021", yaml_format.write(load().scenario),
                              request.as_json(), 10, 10)
    # this process holds it, alive, with a fresh heartbeat: another resume must wait
    with pytest.raises(InputError, match=f"being computed by process {os.getpid()}"):
        store.claim(run_id)
    assert main(["resume", run_id, "--store", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "being computed by process" in err
    assert "internal error" not in err


def test_two_resumes_at_once_never_end_in_an_internal_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = Store(url)
    request = Request(load().scenario, "compromise", 4_000, 3, 100)
    with pytest.raises(RunInterrupted) as info:
        _interrupt_after(request, store, 2)
    run_id = info.value.run_id
    args = [sys.executable, "-m", "accord.cli", "resume", run_id, "--store", url, "-w", "1",
            "-f", "json"]
    both = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
            for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in both]
    for code, err in results:
        assert code in (0, 2) and "internal error" not in err and "Traceback" not in err, err
    assert 0 in [code for code, _ in results]
    assert store.run(run_id)["status"] == "finished"
    assert store.run(run_id)["chunks_done"] == 40


def _interrupt_after(request: Request, store: Store, chunks: int):
    real, seen = runs_module.run_chunk, []

    def stop(task):
        seen.append(task)
        if len(seen) > chunks:
            raise Stop(signal.SIGINT)
        return real(task)

    runs_module.run_chunk = stop
    try:
        return execute(request, store, workers=1)
    finally:
        runs_module.run_chunk = real


def test_stale_is_a_dead_pid_here_or_an_old_heartbeat():
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    from accord.api.store import HOST

    alive = {"status": "running", "host": HOST, "pid": os.getpid(), "heartbeat": now}
    assert shown_status(alive) == "running"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert shown_status({**alive, "pid": dead.pid}) == "stale"
    assert shown_status({**alive, "heartbeat": now - STALE_AFTER * 2}) == "stale"
    assert shown_status({**alive, "heartbeat": None}) == "stale"  # a store from before heartbeats
    assert shown_status({**alive, "host": "elsewhere", "pid": dead.pid}) == "running"
    assert shown_status({**alive, "status": "interrupted"}) == "interrupted"


def test_an_older_store_gains_the_owner_columns(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as db:
        db.execute(text("create table runs (id varchar(32) primary key, created datetime not "
                        "null, kind varchar(32) not null, status varchar(16) not null, "
                        "scenario_id varchar(128) not null, scenario_yaml text not null, request "
                        "text not null, draws integer not null, chunk_size integer not null, "
                        "finished datetime)"))
        db.execute(text("insert into runs values ('old', '2024-01-01 00:00:00', 'montecarlo', "
                        "'running', 's', 'accord: 1', '{}', 10, 10, null)"))
    store = Store(f"sqlite:///{path}")
    (record,) = store.list_runs()
    assert record["status"] == "stale" and store.claim("old") == 1
