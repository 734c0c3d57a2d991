"""Bad input fuzzed over the whole registry, on every backend: a valid case of each op (its
agreement spec) with one argument spoiled. The op must raise the documented error for that
mistake (docs/semantics.md, "Errors: one type per mistake"), naming the op, and must never
mutate its inputs, crash with a framework's own exception, or succeed silently:

- None where the signature declares an array: TypeError;
- an object that is no array: TypeError;
- a ragged nested list: TypeError or ValueError;
- arrays of two frameworks in one call: TypeError;
- an integer axis out of range: xops.AxisError (a ValueError and an IndexError).

Ops whose case has no array argument in that position are skipped for that mistake.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import xops
from xops.numpy_api import REGISTRY

from .conftest import INSTALLED, handle
from .specs import _LIKE, DTYPE_ONLY, spec_for
from .test_agreement import _to_native

OPS = sorted(n for n in REGISTRY if n not in DTYPE_ONLY)
MISTAKES = ["none", "object", "ragged", "mixed", "axis"]
_OTHER = {"numpy": "jax", "jax": "torch", "torch": "jax", "tensorflow": "torch"}


def _array_params(fn) -> set[int]:
    """Positions the signature declares as a required ``Array``."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return set()
    return {i for i, p in enumerate(params)
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            and str(p.annotation) in ("Array", "Array | None") and p.default is p.empty}


def _spoil(mistake, name, h, case, args, kwargs):
    """The spoiled (args, kwargs) and the accepted exception types, or None to skip."""
    arr_pos = [i for i, a in enumerate(case.args) if isinstance(a, np.ndarray)]
    declared = _array_params(REGISTRY[name].fn)
    if mistake == "none":
        pos = [i for i in arr_pos if i in declared]
        if not pos:
            return None
        args = list(args)
        args[pos[0]] = None
        return args, kwargs, (TypeError,)
    if mistake == "object":
        if not arr_pos:
            return None
        args = list(args)
        args[arr_pos[0]] = object()
        return args, kwargs, (TypeError,)
    if mistake == "ragged":
        if not arr_pos:
            return None
        args = list(args)
        args[arr_pos[0]] = [[1, 2], [3]]
        return args, kwargs, (TypeError, ValueError)
    if mistake == "mixed":
        if len(arr_pos) < 2 or _OTHER[h.name] not in INSTALLED:
            return None
        other = handle(_OTHER[h.name])
        args = list(args)
        args[arr_pos[-1]] = other.arr(case.args[arr_pos[-1]])
        return args, kwargs, (TypeError,)
    if mistake == "axis":
        ax = kwargs.get("axis")
        if type(ax) is not int or not arr_pos:
            return None
        nd = case.args[arr_pos[0]].ndim
        return args, {**kwargs, "axis": nd + 3}, (xops.AxisError,)
    raise AssertionError(mistake)


def _snapshot(h, args):
    return [h.np(a).copy() if h.is_native(a) else None for a in args]


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize("name", OPS)
def test_bad_input_gets_the_documented_error(backend, name):
    h = handle(backend)
    strategy = spec_for(name, h)
    if strategy is None:
        pytest.skip(f"{name} has no agreement spec")
    fn = REGISTRY[name].fn
    tried = []

    @settings(deadline=None, max_examples=2, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        base = [_to_native(h, a) for a in case.args]
        kw = dict(case.kwargs)
        if kw.get("like") is _LIKE:
            kw["like"] = h.arr(np.zeros(1, np.float32))
        for mistake in MISTAKES:
            spoiled = _spoil(mistake, name, h, case, base, kw)
            if spoiled is None:
                continue
            args, kwargs, expected = spoiled
            before = _snapshot(h, base)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    fn(*args, **kwargs)
                except expected as e:
                    assert f"xops.numpy.{name.split('.')[-1]}" in str(e) or "xops" in str(e), (
                        f"{name} [{mistake}]: the error does not name the op: {e}")
                except Exception as e:  # noqa: BLE001 - the point: any other type is the bug
                    raise AssertionError(
                        f"{name} on {backend} [{mistake}]: raised {type(e).__module__}."
                        f"{type(e).__name__} ({str(e)[:200]}), expected "
                        f"{' or '.join(t.__name__ for t in expected)}") from e
                else:
                    raise AssertionError(f"{name} on {backend} [{mistake}]: accepted the bad "
                                         f"input silently, expected "
                                         f"{' or '.join(t.__name__ for t in expected)}")
            after = _snapshot(h, base)
            for b, a in zip(before, after):
                if b is not None:
                    np.testing.assert_array_equal(a, b, err_msg=f"{name} [{mistake}]: "
                                                  "mutated an input")
            tried.append(mistake)

    run()
