"""Monte Carlo: draws, reproducibility across workers and chunks, kill -9 and resume, Dask."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from accord.analysis.montecarlo import Threshold
from accord.api.runs import Request, execute, parse_threshold, resume
from accord.api.store import Store
from accord.scenario.catalog import load
from accord.scenario.draws import DrawSpec, triangular, uniforms
from accord.scenario.errors import InputError


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")


def request(model="compromise", draws=600, chunk=100, seed=7, **kw):
    return Request(load().scenario, model, draws, seed, chunk, **kw)


def test_uniforms_do_not_depend_on_chunking():
    whole = uniforms(42, 0, 50, 13)
    parts = np.vstack([uniforms(42, s, n, 13) for s, n in ((0, 7), (7, 1), (8, 42))])
    np.testing.assert_array_equal(whole, parts)
    assert not np.array_equal(uniforms(43, 0, 50, 13), whole)


def test_triangular_respects_bounds_and_mode():
    u = np.linspace(0, 1, 10_001)
    x = triangular(u, np.full_like(u, 2.0), np.full_like(u, 3.0), np.full_like(u, 7.0))
    assert x.min() == pytest.approx(2.0) and x.max() == pytest.approx(7.0)
    assert np.median(x) == pytest.approx(7 - np.sqrt(0.5 * 5 * 4), abs=1e-3)
    degenerate = triangular(u, np.ones_like(u), np.ones_like(u), np.ones_like(u))
    assert np.all(degenerate == 1)


def test_draws_use_stated_uncertainty_and_defaults(venezuela):
    spec = DrawSpec.from_scenario(venezuela)
    batch = spec.draw(1, 0, 4000)
    ids = [a.id for a in venezuela.actors]
    issues = [i.id for i in venezuela.issues]
    g, s = ids.index("government"), issues.index("sanctions_relief")
    assert batch.position[:, g, s].min() >= 0.85 - 1e-12   # stated range 85-100
    assert batch.salience[:, g, s].min() >= 0.85 - 1e-12
    n, c = ids.index("norway"), issues.index("coexistence")  # no range: +-10 points
    assert 0.6 - 1e-12 <= batch.position[:, n, c].min() < 0.62
    assert 0.78 < batch.position[:, n, c].max() <= 0.8 + 1e-12
    assert np.median(batch.capability[:, g]) == pytest.approx(100, rel=0.02)


@pytest.mark.parametrize("model", ["compromise", "eum"])
def test_same_result_for_1_2_and_4_workers_and_any_chunk_size(store, model):
    draws = 240 if model == "eum" else 600
    results = [execute(request(model, draws, chunk), store, workers).outcomes
               for workers, chunk in ((1, draws), (2, 50), (4, 37))]
    for other in results[1:]:
        np.testing.assert_array_equal(results[0], other)


def test_summary_thresholds_and_agreement(store, venezuela):
    t = parse_threshold(venezuela, "electoral_timetable>=60")
    outcome = execute(request(thresholds=[t]), store, 1)
    row = next(s for s in outcome.summary.issues if s.issue == "electoral_timetable")
    values = outcome.outcomes[:, 2] * 100
    assert row.thresholds["electoral_timetable>=60"] == pytest.approx(np.mean(values >= 60))
    assert row.p5 <= row.median <= row.p95
    assert 0 <= outcome.summary.agreement <= 1


def test_walkout_makes_agreement_impossible(store, venezuela):
    shock = next(s for s in venezuela.shocks if s.id == "government_walks_out")
    outcome = execute(request(shock=shock), store, 1)
    assert outcome.summary.agreement == 0
    assert "government" not in {a.id for a in outcome.scenario.actors}


def test_threshold_errors(venezuela):
    with pytest.raises(InputError, match="unknown issue"):
        parse_threshold(venezuela, "nothing>=3")
    with pytest.raises(InputError, match="cannot read"):
        parse_threshold(venezuela, "electoral_timetable>60")
    assert Threshold("x", "<=", 3).holds(np.array([2, 4])).tolist() == [True, False]


def test_kill_9_then_resume_gives_the_uninterrupted_result(tmp_path):
    url = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    args = [sys.executable, "-m", "accord.cli", "montecarlo", "venezuela-2021", "-m", "eum",
            "--draws", "1500", "--chunk-size", "50", "--workers", "1", "--seed", "99",
            "--store", url, "--format", "json"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = create_engine(url)
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with engine.connect() as db:
                done = db.execute(text("select count(*) from chunks")).scalar()
        except Exception:  # noqa: BLE001 - the table may not exist yet
            continue
        if done >= 3:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    store = Store(url)
    (record,) = store.list_runs()
    assert record["status"] == "stale" and 3 <= record["chunks_done"] < 30  # its process is gone
    resumed = resume(record["id"], store, workers=2)
    assert store.run(record["id"])["status"] == "finished"
    fresh = execute(Request(load().scenario, "eum", 1500, 99, 500), Store(
        f"sqlite:///{tmp_path / 'fresh.sqlite'}"), workers=2)
    np.testing.assert_array_equal(resumed.outcomes, fresh.outcomes)


def test_dask_cluster_equals_local_run(store):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        remote = execute(request(draws=500, chunk=60), store, scheduler=cluster.scheduler_address)
    local = execute(request(draws=500, chunk=500), store, workers=1)
    np.testing.assert_array_equal(remote.outcomes, local.outcomes)


def test_unreachable_scheduler_is_a_clear_error(store, monkeypatch):
    monkeypatch.setattr("accord.api.runs.DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        execute(request(draws=20, chunk=10), store, scheduler="tcp://127.0.0.1:1")
