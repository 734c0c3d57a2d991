"""Registry-driven agreement: every registered op, on every backend, against the NumPy
reference, over hypothesis-generated shapes, dtypes, broadcasting and special values."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import xops
from xops.numpy_api import REGISTRY

from .conftest import GENERIC, handle
from .specs import _LIKE, DTYPE_ONLY, np_dtype, spec_for
from .tolerances import has_tol, tol

OPS = sorted(n for n in REGISTRY if n not in DTYPE_ONLY)


def _to_native(h, v):
    if isinstance(v, np.ndarray):
        return h.arr(v)
    if isinstance(v, list) and v and all(isinstance(e, np.ndarray) for e in v):
        return [h.arr(e) for e in v]
    return v


def _wide(a):
    """bfloat16/float16 as float64 so NaNs compare equal in numpy's testing helpers."""
    a = np.asarray(a)
    return a.astype(np.float64) if a.dtype.name in ("bfloat16", "float16") else a


def compare(h, case, got, want):
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), (type(got), len(want))
        for g, w in zip(got, want):
            compare(h, case, g, w)
        return
    assert h.is_native(got), f"result is {type(got).__module__}.{type(got).__name__}"
    if case.dtype is not None:
        assert xops.dtype(got) is case.dtype, f"dtype {xops.dtype(got)} != {case.dtype}"
    g = h.np(got)
    w = np.asarray(want)
    assert g.shape == w.shape, f"shape {g.shape} != {w.shape}"
    if case.dtype is None:
        assert xops.dtype(g.dtype) is xops.dtype(w.dtype), f"dtype {g.dtype} != {w.dtype}"
    if not case.values:
        return
    name = w.dtype.name
    if case.exact or not has_tol(name):
        np.testing.assert_array_equal(_wide(g), _wide(w))
        return
    # (rtol, atol) per result dtype (tests/tolerances.py); scaled per case for accumulating ops
    np.testing.assert_allclose(g.astype(np.complex128 if w.dtype.kind == "c" else np.float64),
                               w.astype(np.complex128 if w.dtype.kind == "c" else np.float64),
                               **tol(name, scale=case.rtol_scale), equal_nan=True)


def _native_args(h, case) -> tuple[list, dict]:
    """The case's arguments as ``h``'s arrays (``like=`` given an array of ``h``)."""
    args = [_to_native(h, a) for a in case.args]
    kwargs = dict(case.kwargs)
    if kwargs.get("like") is _LIKE:
        kwargs["like"] = h.arr(np.zeros(1, np.float32))
    return args, kwargs


def _reference(name: str, case):
    """NumPy's answer (the case's reference, else the op's NumPy function) on copies."""
    np_args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            ref = case.ref if case.ref is not None else getattr(np, REGISTRY[name].ref)
            rkw = {k: v for k, v in case.kwargs.items() if k != "like"}
            return ref(*np_args, **(rkw if case.ref is None else {}))


def _examples(h) -> int:
    """Examples per op: jax's eager ops compile once per new shape and dtype, so one of its
    examples costs about 20 of another backend's (340 of the harness' 400 CPU seconds at 20
    each); the ci profile draws 8 there. Other profiles draw the same for every backend."""
    n = settings().max_examples
    return min(n, 8) if h.name == "jax" and _PROFILE == "ci" else n


_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


@pytest.mark.parametrize("name", OPS)
def test_agrees_with_numpy(backend, name):
    strategy = spec_for(name, backend)
    assert strategy is not None, f"no input strategy for {name} (tests/specs.py)"
    fn = REGISTRY[name].fn

    @settings(max_examples=_examples(backend))
    @given(case=strategy, data=st.data())
    def run(case, data):
        args, kwargs = _native_args(backend, case)
        want = _reference(name, case)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = fn(*args, **kwargs)
        compare(backend, case, got, want)
        # inputs are never mutated
        for a, n in zip(args, case.args):
            if isinstance(n, np.ndarray):
                np.testing.assert_array_equal(_wide(backend.np(a)), _wide(n))

    run()


def test_every_op_has_a_strategy(backend):
    missing = [n for n in OPS if spec_for(n, backend) is None]
    assert not missing, f"ops without an input strategy in tests/specs.py: {missing}"


def test_bfloat16_reference_dtype_helper():
    assert np_dtype(xops.numpy.bfloat16).name == "bfloat16"


# --- Array API libraries through array-api-compat (xops/backends/arrayapi/) ----------------------
# Every op the support table marks supported on the library (kernel or generic) is checked against
# NumPy, with few examples (each library runs the whole registry). dask arrays come in small
# chunks and are compared after compute().
def _generic_ops(name):
    if name not in GENERIC:
        return []
    from xops._support import cell
    from xops.backends import get_backend
    table = get_backend(name).k
    return [n for n in OPS if not cell(REGISTRY[n], table).startswith("unsupported")]


# Known gaps, found by these tests and not fixed yet (each fails for some inputs only): none.
_GENERIC_KNOWN: dict[tuple[str, str], str] = {}
_GENERIC_CASES = [pytest.param(lib, op, id=f"{lib}-{op}", marks=[pytest.mark.xfail(
                      reason=_GENERIC_KNOWN[lib, op], strict=False)] if (lib, op) in _GENERIC_KNOWN
                      else []) for lib in GENERIC for op in _generic_ops(lib)]


@pytest.mark.parametrize(("lib", "name"), _GENERIC_CASES)
def test_generic_agrees_with_numpy(lib, name):
    h = handle(lib)
    strategy = spec_for(name, h)
    assert strategy is not None, f"no input strategy for {name} (tests/specs.py)"
    fn = REGISTRY[name].fn

    # ops whose composition reaches an op the library lacks only for some arguments (the
    # table's "generic; <when> needs <op> (unsupported)"): those examples may raise, naming it
    from xops._dispatch import opname_of
    from xops._support import cell
    from xops.backends import get_backend
    needs = REGISTRY[name].extra.get("needs", ())
    partly = [opname_of(n) for n in needs
              if f"needs {n} (unsupported)" in cell(REGISTRY[name], get_backend(lib).k)]

    @settings(max_examples=min(3, settings().max_examples))
    @given(case=strategy)
    def run(case):
        if any(isinstance(a, np.ndarray) and not h.holds(xops.dtype(a.dtype)) for a in case.args):
            reject()  # a dtype the library lacks (array-api-strict has no float16)
        args, kwargs = _native_args(h, case)
        want = _reference(name, case)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                try:
                    got = fn(*args, **kwargs)
                except TypeError as e:
                    if f"the {lib} backend cannot hold" not in str(e):
                        raise
                    reject()  # a requested dtype the library lacks: a clear error, as documented
                except NotImplementedError as e:
                    if any(f"{p} is not available" in str(e) for p in partly):
                        reject()  # arguments the table says this library cannot run
                    # The support table marks this op supported here, so the composition must
                    # not reach an op the library lacks: declare that op in needs= instead.
                    raise AssertionError(f"{name} is marked supported on {lib} but its "
                                         f"composition reached an unsupported op (declare it "
                                         f"in the op's needs=): {e}") from e
                compare(h, case, got, want)

    run()
