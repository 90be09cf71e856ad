"""One registry, proven complete; every model honours the engine contract."""

from __future__ import annotations

import pkgutil

import numpy as np
import pytest

import accord.models as package
from accord.models import MODELS
from accord.scenario.arrays import ScenarioArrays

# Not models: shared pieces (compiled: the compiled loops' common settings).
INFRASTRUCTURE = {"base", "names", "registry", "parameters", "memory", "compiled"}


def test_every_model_module_is_registered():
    """Every module is a registered model, infrastructure, or a building block of one model
    (named after it: smp_voting, exchange_kernel, ...)."""
    modules = {m.name for m in pkgutil.iter_modules(package.__path__)} - INFRASTRUCTURE
    registered = {spec.run.__module__.rsplit(".", 1)[1] for spec in MODELS.values()}
    blocks = {m for m in modules if m.split("_")[0] in registered and m not in registered}
    assert modules - blocks == registered


@pytest.mark.parametrize("name", list(MODELS))
def test_contract(name, venezuela):
    arrays = ScenarioArrays.from_scenario(venezuela)
    spec = MODELS[name]
    result = spec(arrays.batch())
    assert result.model == name
    assert result.outcome.shape == (1, len(venezuela.issues))
    assert np.all((result.outcome >= 0) & (result.outcome <= 1))
    assert spec.run.__doc__ and spec.summary
    assert all(k in result.parameters for k in spec.defaults)
    if spec.rounds:
        assert result.trajectory.shape[:3] == (1, result.trajectory.shape[1], len(venezuela.actors))
        assert result.round_outcomes.shape[1] == result.trajectory.shape[1]
    again = spec(arrays.batch())
    np.testing.assert_array_equal(result.outcome, again.outcome)


def test_the_light_list_of_names_is_the_registry():
    from accord.models.names import MODEL_NAMES

    assert tuple(MODELS) == MODEL_NAMES
