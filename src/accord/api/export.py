"""Export a stored run's draws: one row per draw, one column per issue, on each issue's scale."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from accord.api.store import Store
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.formats import yaml_format
from accord.scenario.formats.files import atomic_write, format_from_name

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def export_run(store: Store, run_id: str, path: Path, fmt: str | None = None) -> None:
    """Write the run's draws to ``path`` (atomically) as CSV or Parquet; without ``fmt``, the
    format the file name's extension stands for."""
    fmt = format_from_name(path, fmt, SUFFIXES)
    record = store.run(run_id)
    scenario = yaml_format.read(record["scenario_yaml"], f"<run {run_id}>")
    from accord.analysis.shocks import apply_shock
    from accord.scenario.model import Shock

    shock = record["request"].get("shock")
    if shock:
        scenario, _ = apply_shock(scenario, Shock.model_validate(shock))
    arrays = ScenarioArrays.from_scenario(scenario)
    values = arrays.to_scale(store.outcomes(run_id))
    columns = list(arrays.issue_ids)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["draw", *columns])
        for d, row in enumerate(values):
            writer.writerow([d, *(repr(float(v)) for v in row)])
        atomic_write(path, buffer.getvalue())
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"draw": list(range(len(values))),
                      **{c: values[:, j] for j, c in enumerate(columns)}})
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    atomic_write(path, buffer.getvalue().to_pybytes())
