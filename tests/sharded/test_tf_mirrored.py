"""xops inside tensorflow's MirroredStrategy: 2 replicas on 2 logical CPU devices
(docs/distributed.md, docs/distributed_tf.md).

Skipped unless XOPS_SHARDED is set (``1``, ``all`` or a list naming ``tensorflow``); the logical
devices are made at import, before tensorflow initialises its runtime (pytest imports every
module of the folder before it runs a test, so this works beside jax's 8-device XLA flag):

    XOPS_SHARDED=tensorflow python -m pytest -q tests/sharded/test_tf_mirrored.py

- Every registry op (the agreement harness's OPS and cases, tests/specs.py) runs inside
  ``strategy.run`` of a ``tf.function``, each replica on its own inputs
  (``experimental_distribute_values_from_function``): replica 0 gets a drawn case, replica 1 the
  same arrays with their elements reversed, else floats halved, else plus one (the first change
  the eager call takes; the same arrays where none is). Each replica's result must equal the
  NumPy reference for its own inputs, and replica 0's the eager one-device call. Cells: ``ok``,
  ``error: <cause>`` (an exception while tracing or running), ``n/a``, ``wrong`` (a replica's
  result, or the eager call on a drawn case, is not NumPy's: the test fails on any).
- A cross-replica reduction: an xops reduction per replica, then the replica context's
  ``all_reduce``, equals NumPy on the whole batch.
- ``xops.random`` (not registry ops): draws inside ``strategy.run`` from a key per replica are
  the eager draws of that key.

``XOPS_TF_TABLE=1`` also writes the sweep's results (JSON, in pytest's temporary folder) and
rewrites docs/distributed_tf.md (tests/sharded/tf_table.py); without it the page must equal the
one the sweep gives.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import warnings

import numpy as np
import pytest

from ._select import require  # noqa: E402

require("tensorflow")

REPLICAS = 2


def _import_tensorflow_split_into_cpus():
    """tensorflow, with its CPU split into REPLICAS logical devices: tensorflow accepts that only
    before it initialises its runtime (the first op, device placement or strategy). xops, when
    imported first (test_jax_sharding.py does), loads its tensorflow backend as ``import
    tensorflow`` finishes, and that load runs no op (tests/test_import.py checks it)."""
    tf = pytest.importorskip("tensorflow")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * REPLICAS)
    except RuntimeError as e:
        have = len(tf.config.list_logical_devices("CPU"))
        if have < REPLICAS:
            pytest.fail(f"tensorflow initialised its devices before tests/sharded/"
                        f"test_tf_mirrored.py could split the CPU into {REPLICAS} logical "
                        f"devices (it sees {have}; {e}): something imported earlier ran a "
                        f"tensorflow op. Run this file first or in its own process.",
                        pytrace=False)
    return tf


tf = _import_tensorflow_split_into_cpus()

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

import xops  # noqa: E402
import xops.numpy as xnp  # noqa: E402  (also puts xops on autograph's do-not-convert list)
from xops import random as xr  # noqa: E402
from xops.numpy_api import REGISTRY  # noqa: E402

from ..conftest import handle  # noqa: E402
from ..specs import _LIKE, spec_for  # noqa: E402
from ..test_agreement import OPS, _native_args, _reference, compare  # noqa: E402
from .tf_table import OUT, cell, render  # noqa: E402

DEVICES = [f"/cpu:{i}" for i in range(REPLICAS)]


@pytest.fixture(scope="module")
def h():
    return handle("tensorflow")


@pytest.fixture(scope="module")
def strategy():
    return tf.distribute.MirroredStrategy(DEVICES)


# --- the per-op sweep ----------------------------------------------------------------------------
# Cases drawn per op, always the same ones (derandomized, whatever the hypothesis profile), so
# that the generated page is reproducible. The first (arrays of 2+ elements first) whose arrays
# can be changed into a valid input for replica 1 is used.
_DRAWS = 6


def _draw_cases(name, h) -> list:
    strategy = spec_for(name, h)
    if strategy is None:
        return []
    cases: list = []

    @settings(max_examples=_DRAWS, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def draw(case):
        cases.append(case)

    draw()
    # cases with an array of two or more elements first: there replicas can differ
    return sorted(cases, key=lambda c: not any(a.size > 1 for a in _arrays(c.args)))


def _arrays(tree) -> list[np.ndarray]:
    """The NumPy arrays in a tree of lists, tuples and dicts, in order."""
    if isinstance(tree, np.ndarray):
        return [tree]
    if isinstance(tree, (list, tuple)):
        return [a for v in tree for a in _arrays(v)]
    if isinstance(tree, dict):
        return [a for v in tree.values() for a in _arrays(v)]
    return []


def _replace(tree, it):
    """``tree`` with each array replaced by the next value of ``it``."""
    if isinstance(tree, np.ndarray):
        return next(it)
    if isinstance(tree, (list, tuple)):
        out = [_replace(v, it) for v in tree]
        return out if isinstance(tree, list) else type(tree)(out)
    if isinstance(tree, dict):
        return {k: _replace(v, it) for k, v in tree.items()}
    return tree


def _with_like(case):
    """``like=`` as an array leaf (zeros(1) float32, what _native_args gives), so that each
    replica's creation op sees a tensor on its own device."""
    if case.kwargs.get("like") is _LIKE:
        return dataclasses.replace(case, kwargs={**case.kwargs, "like": np.zeros(1, np.float32)})
    return case


def _reversed(a):
    return a.reshape(-1)[::-1].reshape(a.shape)


def _halved(a):
    return np.array(a * a.dtype.type(0.5), a.dtype) if a.dtype.kind in "fc" else a


def _shifted(a):
    """Bools negated, numbers plus one (integers wrap)."""
    with np.errstate(all="ignore"):
        return np.array(~a if a.dtype.kind == "b" else a + a.dtype.type(1), a.dtype)


# Replica 1's inputs: replica 0's arrays changed so that they remain inputs the op takes (sorted
# stays sorted under halving, indices stay indices under reversal, ...), tried in this order; a
# change is used only where the eager call on it equals NumPy.
PERTURB = {"reversed": _reversed, "halved": _halved, "shifted": _shifted}


def _perturbed(case, fn):
    """``case`` with ``fn`` applied to each array argument (``like=`` stays), or None where
    that changes nothing."""
    old = _arrays(case.args)
    new = [fn(a) for a in old]
    if all(n.tobytes() == o.tobytes() for n, o in zip(new, old)):
        return None
    return dataclasses.replace(case, args=_replace(case.args, iter(new)))


def _call(fn, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)


def _eager(h, name, case):
    """The eager one-device result; raises where it is not NumPy's (AssertionError) or the
    op raises."""
    args, kwargs = _native_args(h, case)
    kwargs = _replace(kwargs, iter(h.arr(a) for a in _arrays(kwargs)))
    got = _call(REGISTRY[name].fn, args, kwargs)
    compare(h, case, got, _reference(name, case))
    return got


def _eager_agrees(h, name, case) -> bool:
    try:
        _eager(h, name, case)
    except Exception:  # noqa: BLE001 - an input the op does not take (a perturbed case)
        return False
    return True


def _shape_of(a) -> str:
    return f"{a.dtype.name}[{','.join(map(str, a.shape))}]"


def _local(strategy, v, r):
    """Replica ``r``'s part of a strategy.run output leaf."""
    parts = strategy.experimental_local_results(v)
    return parts[r] if len(parts) > 1 else parts[0]


def _run_mirrored(strategy, h, name, cases):
    """The op in strategy.run of a tf.function, replica r on cases[r]: each replica's result."""
    fn = REGISTRY[name].fn
    per_replica = [_arrays([c.args, c.kwargs]) for c in cases]
    template = cases[0]
    structure: list = []

    def arrays_of(ctx):
        return tuple(h.arr(a) for a in per_replica[ctx.replica_id_in_sync_group])

    def replica_fn(*xs):
        args, kwargs = _replace([template.args, template.kwargs], iter(xs))
        out = _call(fn, args, kwargs)
        structure.append(out)
        return tuple(tf.nest.flatten(out))

    @tf.function
    def step(xs):
        return strategy.run(replica_fn, args=xs)

    flat = step(strategy.experimental_distribute_values_from_function(arrays_of))
    flat = flat if isinstance(flat, (tuple, list)) else (flat,)
    return [tf.nest.pack_sequence_as(structure[0], [_local(strategy, v, r) for v in flat])
            for r in range(REPLICAS)]


def _check(strategy, h, name, case, eager, second, how) -> dict:
    """One op's cell: replica 0 on ``case``, replica 1 on ``second``."""
    cell = {"inputs": ", ".join(_shape_of(a) for a in _arrays(case.args)) or "like= only",
            "replica 1": how}
    try:
        got = _run_mirrored(strategy, h, name, [case, second])
    except Exception as e:  # noqa: BLE001 - recorded: the table lists each cause
        return {**cell, "status": "error",
                "detail": f"{type(e).__name__}: {str(e).strip()[-1500:]}"}
    where = "replica 0 vs eager"
    try:
        for r, c in enumerate([case, second]):
            where = f"replica {r} vs NumPy"
            compare(h, c, got[r], _reference(name, c))
        where = "replica 0 vs eager"
        compare(h, case, got[0], [h.np(e) for e in eager] if isinstance(eager, (tuple, list))
                else h.np(eager))
    except AssertionError as e:
        return {**cell, "status": "wrong", "detail": f"{where}: {e}"[:1500]}
    return {**cell, "status": "ok", "detail": ""}


def sweep_op(strategy, h, name) -> dict:
    cases = _draw_cases(name, h)
    if not cases:
        return {"status": "n/a", "detail": "no tensorflow case in tests/specs.py"}
    if not any(_arrays(c.args) or c.kwargs.get("like") is _LIKE for c in cases):
        return {"status": "n/a", "detail": "takes no array"}
    unchanged = None  # the first case, should no change of its arrays be a valid input
    for case in map(_with_like, cases):
        try:
            eager = _eager(h, name, case)
        except Exception as e:  # noqa: BLE001 - tests/test_agreement.py would fail too
            if isinstance(e, TypeError) and "backend cannot hold" in str(e):
                continue  # a dtype tensorflow lacks: a clear error, as documented
            return {"status": "wrong", "inputs": ", ".join(_shape_of(a) for a in
                                                            _arrays(case.args)),
                    "replica 1": "", "detail": f"the eager one-device call: "
                                               f"{type(e).__name__}: {e}"[:1500]}
        for how, fn in PERTURB.items():
            other = _perturbed(case, fn)
            if other is not None and _eager_agrees(h, name, other):
                return _check(strategy, h, name, case, eager, other, how)
        unchanged = unchanged or (case, eager)
    if unchanged is None:
        return {"status": "n/a", "detail": "tensorflow cannot hold the dtypes of any drawn case"}
    return _check(strategy, h, name, *unchanged, unchanged[0], "same")


_RESULTS: list = []  # where the sweep's JSON was written


@pytest.fixture(scope="module")
def sweep(strategy, h, tmp_path_factory):
    results = {name: sweep_op(strategy, h, name) for name in OPS}
    out = tmp_path_factory.mktemp("tf_mirrored") / "ops.json"
    out.write_text(json.dumps(results, indent=1, sort_keys=True))
    _RESULTS.append(out)
    if os.environ.get("XOPS_TF_TABLE"):
        OUT.write_text(render(results))
    return results


def _cells(results, status):
    return {op: c for op, c in results.items() if c["status"] == status}


def test_every_registry_op_is_swept(sweep):
    assert set(sweep) == set(OPS) and set(OPS) <= set(REGISTRY)


def test_no_wrong_numbers(sweep):
    wrong = _cells(sweep, "wrong")
    assert not wrong, "\n".join(f"{op} ({c['inputs']}): {c['detail']}" for op, c in wrong.items())


def test_every_error_is_explained(sweep):
    """Each error is one the table names a cause for (tests/sharded/tf_table.py CAUSES)."""
    from .tf_table import cause
    other = {op: c["detail"] for op, c in _cells(sweep, "error").items()
             if cause(c["detail"]) == "other"}
    assert not other, "\n\n".join(f"{op}: {d}" for op, d in other.items())


def test_most_ops_run_per_replica(sweep):
    ok = _cells(sweep, "ok")
    assert len(ok) > 250, sorted(set(sweep) - set(ok))
    for op in ("add", "sum", "matmul", "mean", "sort", "nn.softmax", "nn.layer_norm", "where",
               "linalg.solve", "fft.fft", "zeros_like", "nonzero", "unique_values"):
        assert op in ok, (op, sweep[op])
    # replicas got different inputs for nearly every op
    same = [op for op, c in ok.items() if c["replica 1"] == "same"]
    assert len(same) < len(ok) // 5, same


def test_generated_table_is_current(sweep):
    """docs/distributed_tf.md has this sweep's cell for every op (regenerate: XOPS_TF_TABLE=1).
    The case columns record the draws of the run that wrote the page; hypothesis' draws change
    with its version and with the constants of the modules a process has imported, so they
    are not compared."""
    page = dict(re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", OUT.read_text(), re.M))
    want = {op: cell(c) for op, c in sweep.items()}
    stale = {op: (page.get(op), want[op]) for op in want if page.get(op) != want[op]}
    assert not stale and set(page) == set(want), (
        f"docs/distributed_tf.md is stale (op: (page, sweep)) {stale}: XOPS_SHARDED=tensorflow "
        "XOPS_TF_TABLE=1 python -m pytest -q tests/sharded/test_tf_mirrored.py (or, from this "
        f"run's results: python -m tests.sharded.tf_table {_RESULTS[-1]})")


# --- a cross-replica reduction written with xops ------------------------------------------------
_X = np.random.default_rng(3).normal(size=(2 * REPLICAS, 5)).astype(np.float32)

# name -> (per-replica xops reduction of the replica's rows, all_reduce op, NumPy on all rows);
# replicas hold equal numbers of rows, so the mean of their means is the mean.
ACROSS = {
    "sum": (lambda b: xnp.sum(b, axis=0), "SUM", lambda x: x.sum(axis=0)),
    "mean": (lambda b: xnp.mean(b, axis=0), "MEAN", lambda x: x.mean(axis=0)),
    "sum_of_squares": (lambda b: xnp.sum(xnp.square(b)), "SUM", lambda x: (x * x).sum()),
    "count_positive": (lambda b: xnp.count_nonzero(b > 0, axis=0), "SUM",
                       lambda x: np.count_nonzero(x > 0, axis=0)),
}


@pytest.mark.parametrize("name", sorted(ACROSS))
def test_cross_replica_reduction_equals_numpy(strategy, name):
    local, op, ref = ACROSS[name]
    rows = np.split(_X, REPLICAS)
    x = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(rows[ctx.replica_id_in_sync_group]))

    def replica_fn(b):
        return tf.distribute.get_replica_context().all_reduce(op, local(b))

    got = strategy.experimental_local_results(
        tf.function(lambda x: strategy.run(replica_fn, args=(x,)))(x))
    assert len(got) == REPLICAS
    for g in got:   # (tensorflow places the all-reduced values on one device)
        assert xops.backend(g) == "tensorflow"
        np.testing.assert_allclose(g.numpy(), ref(_X), rtol=1e-6, atol=1e-6)


# --- xops.random (no registry op): a key per replica, the eager draws ---------------------------
SAMPLERS = {
    "bits": (lambda k: xr.bits(k, (4, 3)), True),
    "uniform": (lambda k: xr.uniform(k, (4, 3)), True),
    "randint": (lambda k: xr.randint(k, (7,), -5, 9, "int32"), True),
    "dropout_mask": (lambda k: xr.dropout_mask(k, 0.25, (16,)), True),
    "normal": (lambda k: xr.normal(k, (4, 3)), False),
}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_random_draws_per_replica_are_the_eager_draws(strategy, name):
    draw, exact = SAMPLERS[name]
    root = xr.key(7, backend="tensorflow")
    keys = [xr.fold_in(root, r) for r in range(REPLICAS)]
    k = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.identity(keys[ctx.replica_id_in_sync_group]))
    got = strategy.experimental_local_results(tf.function(lambda k: strategy.run(draw, (k,)))(k))
    for r in range(REPLICAS):
        want = draw(keys[r]).numpy()
        if exact:
            np.testing.assert_array_equal(got[r].numpy(), want)
        else:
            np.testing.assert_allclose(got[r].numpy(), want, rtol=2e-6, atol=2e-7)
    assert not np.array_equal(got[0].numpy(), got[1].numpy())   # the replicas' keys differ
