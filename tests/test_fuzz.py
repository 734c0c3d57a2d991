"""Fuzz every registered op on every backend with bad input (issue 14).

Each op starts from a valid call drawn from its agreement strategy (tests/specs*.py); one array
argument at a time is replaced by a bad value: None, ``object()``, a string, a ragged nested list,
a NumPy object/str/datetime array, an array of another framework (mixed backends), a wrong-rank
or 0-size array, NaN/inf floats where integers are expected; an ``axis`` keyword goes out of
range; creation ops get shapes that are negative or too big to hold (2**62). The oracle is NumPy on
the same input:

* NumPy raises: xops must raise a documented type (TypeError, ValueError, IndexError/AxisError,
  OverflowError, NotImplementedError for a documented backend gap) naming the op in its message
  or notes; never AttributeError, RuntimeError, KeyError, tf.errors.*, a torch internal error;
* NumPy answers: xops gives NumPy's shape (and dtype and values, where the mutation keeps the
  input dtypes), or raises a documented type (xops has no object, str or datetime dtype: those
  are always a TypeError);
* per kind of mistake the type is the documented one (docs/semantics.md, "Errors"): None and
  non-numeric objects a TypeError, ragged lists a ValueError, an axis out of range an AxisError,
  two frameworks in one call a TypeError;
* inputs are never mutated, and no call runs longer than a few seconds.

Failures are collected per (backend, op) over all drawn cases and reported together; the few
known ones are listed in XFAIL_GROUPS, each with its reason.
"""
from __future__ import annotations

import copy
import os
import signal
import threading
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import xops
from xops.numpy_api import REGISTRY

from .conftest import INSTALLED, handle
from .specs import _LIKE, DTYPE_ONLY, spec_for
from .test_agreement import _to_native, compare

OPS = sorted(n for n in REGISTRY if n not in DTYPE_ONLY)
DOCUMENTED = (TypeError, ValueError, IndexError, OverflowError, NotImplementedError)
# kinds whose bad value keeps every input dtype: a result is compared with the reference fully
SAME_DTYPE = {"wrong_rank", "zero_size"}
# kinds whose value cannot be an xops array at all (no object/str/datetime dtype)
NON_NUMERIC = {"object", "string", "object_array", "str_array", "datetime"}
REQUIRED = {"none": TypeError, "object": TypeError, "string": (TypeError, NotImplementedError),
            "object_array": TypeError, "str_array": TypeError, "datetime": TypeError,
            "ragged": ValueError, "axis": xops.AxisError, "mixed": TypeError}
PER_CALL_SECONDS = 20

# (backend or "*" for all four, kind, why, ops): what this test still finds, each with its reason
# (a deviation xops chose, a check that would need a host sync, or a limit of the test's own
# NumPy reference). Fix the op, then delete it from its row (XOPS_FUZZ_STRICT=1 reports rows
# that pass).
XFAIL_GROUPS: list[tuple[str, str, str, str]] = [
    ('*', 'datetime',
     "0-d input: NumPy's roll over no axes fails, xops returns the 0-d array",
     'fft.fftshift fft.ifftshift'),
    ('*', 'nan_int',
     "NaN input: NumPy's SVD raises LinAlgError; xops answers NaN (jax, torch and tf do)",
     'linalg.lstsq'),
    ('*', 'nan_int',
     'a range that is not finite: NumPy checks the values; xops would need a host sync',
     'histogram histogram_bin_edges'),
    ('*', 'object_array',
     "0-d input: NumPy's roll over no axes fails, xops returns the 0-d array",
     'fft.fftshift fft.ifftshift'),
    ('*', 'str_array',
     "0-d input: NumPy's roll over no axes fails, xops returns the 0-d array",
     'fft.fftshift fft.ifftshift'),
    ('*', 'wrong_rank',
     'xops batches lstsq over leading axes (as torch does); NumPy takes 2-d only',
     'linalg.lstsq'),
    ('*', 'zero_size',
     "the test's NumPy reference cannot pool an empty batch; xops answers as jax and torch",
     'nn.avg_pool nn.max_pool'),
    ('numpy', 'wrong_rank',
     "the test's NumPy reference takes 1-d lengths only",
     'nn.ctc_loss'),
    ('numpy', 'zero_size',
     "the test's NumPy reference cannot take an empty batch",
     'nn.ctc_loss'),
    ('torch', 'wrong_rank',
     "the test's NumPy reference takes 1-d lengths only",
     'nn.ctc_loss'),
    ('torch', 'zero_size',
     "torch's fused kernel does not broadcast an empty batch of v against q and k",
     'nn.scaled_dot_product_attention'),
]

# (op, backend, kind) -> what happens today. Strict: an entry that passes is reported.
XFAIL: dict[tuple[str, str, str], str] = {
    (op, be, kind): today for be, kind, today, ops in XFAIL_GROUPS for op in ops.split()}


def _rank_variants(a: np.ndarray) -> list[np.ndarray]:
    out = [a[None]]  # one more leading dimension
    if a.ndim:
        out.append(a[0] if a.shape[0] else np.zeros(a.shape[1:], a.dtype))  # one fewer
    return out


def _bad_values(a: np.ndarray, h) -> list[tuple[str, object]]:
    """(kind, value) replacements for the array argument ``a``."""
    out: list[tuple[str, object]] = [
        ("none", None), ("object", object()), ("string", "abc"), ("ragged", [[1, 2], [3]]),
        ("object_array", a.astype(object)), ("str_array", np.full(a.shape, "ab")),
        ("datetime", np.zeros(a.shape, "datetime64[s]")),
    ]
    out += [("wrong_rank", v) for v in _rank_variants(a)]
    out.append(("zero_size", np.zeros((0,) + a.shape[1:], a.dtype)))
    if a.dtype.kind in "iu":
        bad = np.full(a.shape, np.nan)
        bad.flat[::2] = np.inf
        out.append(("nan_int", bad))
    return out


def _positions(case) -> list[tuple]:
    """Where the valid call holds NumPy arrays: ("arg", i), ("kw", k), ("list", i, j)."""
    pos: list[tuple] = []
    for i, a in enumerate(case.args):
        if isinstance(a, np.ndarray):
            pos.append(("arg", i))
        elif isinstance(a, list) and a and all(isinstance(e, np.ndarray) for e in a):
            pos += [("list", i, j) for j in range(len(a))]
    pos += [("kw", k) for k, v in case.kwargs.items() if isinstance(v, np.ndarray)]
    return pos


def _get(args, kwargs, p):
    if p[0] == "arg":
        return args[p[1]]
    if p[0] == "kw":
        return kwargs[p[1]]
    return args[p[1]][p[2]]


def _put(args, kwargs, p, v):
    args, kwargs = list(args), dict(kwargs)
    if p[0] == "arg":
        args[p[1]] = v
    elif p[0] == "kw":
        kwargs[p[1]] = v
    else:
        args[p[1]] = list(args[p[1]])
        args[p[1]][p[2]] = v
    return args, kwargs


def _native_args(h, case):
    args = [_to_native(h, a) for a in case.args]
    kwargs = {k: (h.arr(v) if isinstance(v, np.ndarray) else v) for k, v in case.kwargs.items()}
    if kwargs.get("like") is _LIKE:
        kwargs["like"] = h.arr(np.zeros(1, np.float32))
    return args, kwargs


def mutations(name, h, case):
    """(kind, xops args, xops kwargs, NumPy args, NumPy kwargs) for one valid case."""
    args, kwargs = _native_args(h, case)
    np_kwargs = {k: v for k, v in case.kwargs.items() if k != "like"}
    for p in _positions(case):
        a = _get(case.args, case.kwargs, p)
        for kind, v in _bad_values(a, h):
            native = h.arr(v) if kind in SAME_DTYPE else v
            yield (kind, *_put(args, kwargs, p, native), *_put(case.args, np_kwargs, p, v))
        mixed = _mixed(h, case, args, kwargs, p)
        if mixed is not None:
            yield ("mixed", *mixed, None, None)
    if "axis" in case.kwargs:
        nd = max([np.ndim(_get(case.args, case.kwargs, p)) for p in _positions(case)] or [0])
        for bad in (nd + 7, -nd - 7):
            kw = dict(kwargs, axis=bad)
            yield ("axis", args, kw, case.args, dict(np_kwargs, axis=bad))
    if REGISTRY[name].category == "creation" and case.args and isinstance(case.args[0], tuple):
        for kind, shape in (("huge_shape", (2**62,)), ("huge_shape", (2**31, 2**31, 2**31)),
                            ("negative_shape", (-2,))):
            yield (kind, [shape, *args[1:]], kwargs, [shape, *case.args[1:]], np_kwargs)


def _other(name):
    for n in ("torch", "jax", "tensorflow"):
        if n != name and n in INSTALLED:
            return handle(n) if n != "jax" else _JAX
    return None


def _mixed(h, case, args, kwargs, p):
    """The call with the array at ``p`` from another framework, or None when the call has one
    array. On the numpy backend (NumPy data are host constants that join any one framework)
    the other arrays come from a second framework."""
    positions = _positions(case)
    if len(positions) < 2:
        return None
    other = _other(h.name)
    if other is None:
        return None
    if h.name == "numpy":
        third = _other(other.name)
        if third is None or third.name == "numpy":
            return None
        for q in positions:
            if q != p:
                args, kwargs = _put(args, kwargs, q, third.arr(_get(case.args, case.kwargs, q)))
    return _put(args, kwargs, p, other.arr(_get(case.args, case.kwargs, p)))


class _JaxNoX64:
    """jax arrays for the mixed-backend case without touching the x64 switch of the backend
    under test (handle("jax") would reset it)."""
    name = "jax"

    @staticmethod
    def arr(a):
        import jax.numpy as jnp
        return jnp.asarray(a)


_JAX = _JaxNoX64()


def _reference(name, case, kind, np_args, np_kwargs):
    """NumPy's answer on the mutated input: a value, or the exception it raised."""
    plain = _numpy_fn(REGISTRY[name].ref)
    np_args = copy.deepcopy(np_args)  # the reference may write (np.put_along_axis does)
    use_case_ref = case.ref is not None and (kind in SAME_DTYPE or plain is None)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if kind in ("huge_shape", "negative_shape"):
                return np.empty(np_args[0])  # never allocates: too big or negative
            if use_case_ref:
                return case.ref(*np_args)
            if plain is None:
                return _NO_REFERENCE
            try:
                return plain(*np_args, **np_kwargs)
            except TypeError as e:  # an xops-only keyword: the case's own reference
                if "keyword" not in str(e) and "xops" not in str(e):
                    raise
                return case.ref(*np_args) if case.ref is not None else _NO_REFERENCE
    except Exception as e:  # noqa: BLE001 - any NumPy error means "bad input"
        return e


_NO_REFERENCE = object()


def _numpy_fn(ref):
    fn = np
    for part in (ref or "").split("."):
        fn = getattr(fn, part, None) if part else None
        if fn is None:
            return None
    return fn


class Hang(BaseException):
    pass


@contextmanager
def _time_limit(seconds):
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(*_):
        raise Hang(f"no answer after {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _snapshot(h, v):
    if isinstance(v, list):
        return [_snapshot(h, e) for e in v]
    if isinstance(v, np.ndarray):
        return v.copy()
    if h.is_native(v):
        return h.np(v).copy()
    return copy.deepcopy(v) if isinstance(v, (tuple, dict)) else v


def _same(a, b):
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and a.tobytes() == b.tobytes())  # bit-exact: NaNs (bfloat16's too) compare
    return True


def public_name(name: str) -> str:
    """The op's public name: ``xops.numpy.sum``, ``xops.numpy.linalg.inv``, ``xops.nn.conv``."""
    return f"{REGISTRY[name].fn.__module__}.{name.rsplit('.', 1)[-1]}"


def _names_op(e: BaseException, name: str) -> bool:
    op = public_name(name)
    return op in str(e) or any(op in n for n in getattr(e, "__notes__", ()))


def _shapes(x):
    if isinstance(x, (list, tuple)):
        return [_shapes(e) for e in x]
    if hasattr(x, "shape"):
        return tuple(int(d) for d in x.shape)
    return tuple(np.shape(x))


def _leaves(x):
    if isinstance(x, (list, tuple)):
        return [v for e in x for v in _leaves(e)]
    return [x]


def _as_numpy_answers(got, want) -> bool:
    """A dtype-agnostic op (reshape, flip, take) given NumPy data of a dtype xops lacks may pass
    it through as NumPy does: the same NumPy array type, shape, dtype and elements."""
    if isinstance(want, BaseException) or want is _NO_REFERENCE:
        return False
    g, w = _leaves(got), _leaves(want)

    def same(a, b):  # a 0-d result may be a NumPy scalar on either side
        if not isinstance(a, (np.ndarray, np.generic)):  # an object array's element
            return type(a) is type(b) and bool(a == b)
        a2, b2 = np.asarray(a), np.asarray(b)
        return (a2.shape == b2.shape and np.array_equal(a2, b2)
                and (a2.dtype == b2.dtype or not isinstance(b, (np.ndarray, np.generic))))
    return len(g) == len(w) and all(map(same, g, w))


def check(name, h, case, kind, args, kwargs, np_args, np_kwargs) -> str | None:
    """None if the call behaved, else what went wrong."""
    fn = REGISTRY[name].fn
    before = [_snapshot(h, a) for a in args] + [_snapshot(h, v) for v in kwargs.values()]
    want = (TypeError("mixed") if kind == "mixed"
            else _reference(name, case, kind, np_args, np_kwargs))
    try:
        with _time_limit(PER_CALL_SECONDS), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = fn(*args, **kwargs)
    except Hang as e:
        return f"hang: {e}"
    except Exception as e:  # noqa: BLE001 - judged below
        err = f"{type(e).__module__}.{type(e).__name__}: {str(e)[:160]}"
        if not isinstance(e, DOCUMENTED):
            return f"undocumented {err}"
        need = REQUIRED.get(kind)
        if kind == "ragged" and not isinstance(want, ValueError):  # NumPy takes no lists there
            need = (ValueError, TypeError)
        if need is not None and not isinstance(e, need):
            return f"expected {getattr(need, '__name__', need)}, got {err}"
        if not _names_op(e, name):
            return f"message does not name {public_name(name)}: {err}"
        got = e
    after = [_snapshot(h, a) for a in args] + [_snapshot(h, v) for v in kwargs.values()]
    if not all(map(_same, before, after)):
        return "mutated an input"
    if isinstance(got, BaseException):
        return None
    if kind in NON_NUMERIC:
        if _as_numpy_answers(got, want):
            return None
        return f"accepted a {kind} argument (no such xops dtype): answered {_shapes(got)}"
    if want is _NO_REFERENCE:
        return None
    if isinstance(want, BaseException):
        return (f"NumPy raises {type(want).__name__} ({str(want)[:80]}) but xops answered "
                f"{_shapes(got)}")
    # a bad value that replaced the only native array makes it a NumPy call: NumPy results too
    foreign = [type(v).__name__ for v in _leaves(got)
               if not h.is_native(v) and not isinstance(v, (np.ndarray, np.generic))]
    if foreign:
        return f"returned {foreign[0]}, not a {h.name} array"
    if kind in SAME_DTYPE and case.ref is not None:
        try:
            compare(h, case, got, want)
        except AssertionError as e:
            return f"differs from the reference: {str(e)[:200]}"
        return None
    if _shapes(got) != _shapes(want):
        return f"shape {_shapes(got)} != NumPy's {_shapes(want)}"
    return None


# one valid case per op in `make test` (every kind of bad value is still tried on it); the
# deep profile draws more cases. XPASS entries fail the test only with XOPS_FUZZ_STRICT=1 (the
# cases, and so what passes, depend on hypothesis' version).
_DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
STRICT = os.environ.get("XOPS_FUZZ_STRICT") == "1"
_FUZZ = settings(max_examples=3 if _DEEP else 1, deadline=None, derandomize=True, database=None,
                 phases=[Phase.explicit, Phase.generate],
                 suppress_health_check=list(HealthCheck))


def fuzz_op(h, name) -> tuple[dict, set]:
    """Run every mutation of a few valid cases of ``name``: ({(kind): first failure}, kinds
    seen)."""
    strategy = spec_for(name, h)
    assert strategy is not None, f"no input strategy for {name}"
    failures: dict[str, str] = {}
    seen: set[str] = set()

    @_FUZZ
    @given(case=strategy)
    def run(case):
        for kind, args, kwargs, np_args, np_kwargs in mutations(name, h, case):
            seen.add(kind)
            if kind in failures:
                continue
            why = check(name, h, case, kind, args, kwargs, np_args, np_kwargs)
            if why is not None:
                failures[kind] = why

    run()
    return failures, seen


@pytest.mark.parametrize("name", OPS)
def test_bad_input(backend, name):
    failures, seen = fuzz_op(backend, name)
    unexpected, xpassed = [], []
    for kind, why in sorted(failures.items()):
        if (name, backend.name, kind) not in XFAIL and (name, "*", kind) not in XFAIL:
            unexpected.append(f"{kind}: {why}")
    for (op, be, kind), why in XFAIL.items():
        if op == name and be in ("*", backend.name) and kind in seen and kind not in failures:
            xpassed.append(f"{kind} passes now: remove XFAIL entry ({why})")
    if xpassed and not STRICT:
        warnings.warn("\n".join(xpassed), stacklevel=1)
        xpassed = []
    assert not unexpected and not xpassed, "\n".join(unexpected + xpassed)
