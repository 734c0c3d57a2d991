"""The Array API standard's special values where the frameworks give others, for the bound
namespaces of ``xops.numpy.bind`` (xops/numpy/_bind.py): complex special-value tables and the
floor_divide/remainder sign fix-ups, written with xops ops so that they trace under every jit."""
from __future__ import annotations

import math
import sys
from typing import Any, Callable

from .. import _dtypes
from ..backends import Backend
from ..numpy_api import load_all
from ..numpy_api._registry import REGISTRY

load_all()  # the fix-ups are written with ops of every area

Array = Any


def _op(name: str) -> Callable:
    return REGISTRY[name].fn

# Complex special-value tables (the standard's "Special cases" for complex input): rows of
# (condition on a = real(x), condition on b = imag(x), real part, imaginary part); the first row
# that matches wins. The rows are written for b >= 0 (and, for the odd and even functions, for
# a >= 0): the sign of b is folded away with f(conj(x)) == conj(f(x)), which the standard requires
# of each of these functions, and the sign of a with f(-x) == -f(x) (sinh, tanh, atanh) or
# f(-x) == f(x) (cosh). Where the standard leaves a sign unspecified the row gives C99's.
# Conditions: '+0', '-0', '0' (either zero), '1', '-1', 'fin' (finite), 'nzfin' (nonzero
# finite), 'pos' (positive finite), '+inf', '-inf', 'inf' (either), 'nan', 'any', 'nz' (not 0).
# Values: numbers, '-0' (tf's eager constant cache makes a Python -0.0 into +0.0 once +0.0 has
# been used), 'a' (the input's real part), 'icos'/'isin' (the parts of +infinity*cis(b)),
# 'zcos'/'zsin' (of +0*cis(b)).
_PI, _INF, _NAN = math.pi, math.inf, math.nan

_EXP = (
    ("0", "0", 1.0, 0.0), ("fin", "+inf", _NAN, _NAN), ("fin", "nan", _NAN, _NAN),
    ("+inf", "0", _INF, 0.0), ("-inf", "fin", "zcos", "zsin"), ("+inf", "nzfin", "icos", "isin"),
    ("-inf", "+inf", 0.0, 0.0), ("+inf", "+inf", _INF, _NAN), ("-inf", "nan", 0.0, 0.0),
    ("+inf", "nan", _INF, _NAN), ("nan", "0", _NAN, 0.0), ("nan", "any", _NAN, _NAN))
_EXPM1 = (
    ("0", "0", "a", 0.0), ("fin", "+inf", _NAN, _NAN), ("fin", "nan", _NAN, _NAN),
    ("+inf", "0", _INF, 0.0), ("-inf", "fin", -1.0, "zsin"), ("+inf", "nzfin", "icos", "isin"),
    ("-inf", "+inf", -1.0, 0.0), ("+inf", "+inf", _INF, _NAN), ("-inf", "nan", -1.0, 0.0),
    ("+inf", "nan", _INF, _NAN), ("nan", "0", _NAN, 0.0), ("nan", "any", _NAN, _NAN))
_LOG_INF = (
    ("fin", "+inf", _INF, _PI / 2), ("fin", "nan", _NAN, _NAN), ("-inf", "pos", _INF, _PI),
    ("+inf", "pos", _INF, 0.0), ("-inf", "+inf", _INF, 3 * _PI / 4),
    ("+inf", "+inf", _INF, _PI / 4), ("inf", "nan", _INF, _NAN), ("nan", "fin", _NAN, _NAN),
    ("nan", "+inf", _INF, _NAN), ("nan", "nan", _NAN, _NAN))
_LOG = (("-0", "0", -_INF, _PI), ("+0", "0", -_INF, 0.0), *_LOG_INF)
_LOG1P = (("-1", "0", -_INF, 0.0), *_LOG_INF)
_SQRT = (
    ("0", "0", 0.0, 0.0), ("any", "+inf", _INF, _INF), ("fin", "nan", _NAN, _NAN),
    ("-inf", "pos", 0.0, _INF), ("+inf", "pos", _INF, 0.0), ("-inf", "nan", _NAN, _INF),
    ("+inf", "nan", _INF, _NAN), ("nan", "any", _NAN, _NAN))
_SINH = (  # odd
    ("0", "0", 0.0, 0.0), ("0", "+inf", 0.0, _NAN), ("0", "nan", 0.0, _NAN),
    ("pos", "+inf", _NAN, _NAN), ("pos", "nan", _NAN, _NAN), ("+inf", "0", _INF, 0.0),
    ("+inf", "pos", "icos", "isin"), ("+inf", "+inf", _INF, _NAN), ("+inf", "nan", _INF, _NAN),
    ("nan", "0", _NAN, 0.0), ("nan", "pos", _NAN, _NAN), ("nan", "nan", _NAN, _NAN))
_COSH = (  # even
    ("0", "0", 1.0, 0.0), ("0", "+inf", _NAN, 0.0), ("0", "nan", _NAN, 0.0),
    ("pos", "+inf", _NAN, _NAN), ("pos", "nan", _NAN, _NAN), ("+inf", "0", _INF, 0.0),
    ("+inf", "pos", "icos", "isin"), ("+inf", "+inf", _INF, _NAN), ("+inf", "nan", _INF, _NAN),
    ("nan", "0", _NAN, 0.0), ("nan", "pos", _NAN, _NAN), ("nan", "nan", _NAN, _NAN))
_TANH = (  # odd
    ("0", "0", 0.0, 0.0), ("pos", "+inf", _NAN, _NAN), ("0", "+inf", 0.0, _NAN),
    ("pos", "nan", _NAN, _NAN), ("0", "nan", 0.0, _NAN), ("+inf", "pos", 1.0, 0.0),
    ("+inf", "+inf", 1.0, 0.0), ("+inf", "nan", 1.0, 0.0), ("nan", "0", _NAN, 0.0),
    ("nan", "nz", _NAN, _NAN))
_ATANH = (  # odd
    ("0", "0", 0.0, 0.0), ("0", "nan", 0.0, _NAN), ("1", "0", _INF, 0.0),
    ("pos", "+inf", 0.0, _PI / 2), ("pos", "nan", _NAN, _NAN), ("+inf", "pos", 0.0, _PI / 2),
    ("+inf", "+inf", 0.0, _PI / 2), ("+inf", "nan", 0.0, _NAN), ("nan", "fin", _NAN, _NAN),
    ("nan", "+inf", 0.0, _PI / 2), ("nan", "nan", _NAN, _NAN))
_ACOSH = (
    ("0", "0", 0.0, _PI / 2), ("fin", "+inf", _INF, _PI / 2), ("nzfin", "nan", _NAN, _NAN),
    ("0", "nan", _NAN, _PI / 2), ("-inf", "pos", _INF, _PI), ("+inf", "pos", _INF, 0.0),
    ("-inf", "+inf", _INF, 3 * _PI / 4), ("+inf", "+inf", _INF, _PI / 4),
    ("inf", "nan", _INF, _NAN), ("nan", "fin", _NAN, _NAN), ("nan", "+inf", _INF, _NAN),
    ("nan", "nan", _NAN, _NAN))
_ACOS = (
    ("0", "0", _PI / 2, "-0"), ("0", "nan", _PI / 2, _NAN), ("fin", "+inf", _PI / 2, -_INF),
    ("nzfin", "nan", _NAN, _NAN), ("-inf", "pos", _PI, -_INF), ("+inf", "pos", 0.0, -_INF),
    ("-inf", "+inf", 3 * _PI / 4, -_INF), ("+inf", "+inf", _PI / 4, -_INF),
    ("inf", "nan", _NAN, _INF), ("nan", "fin", _NAN, _NAN), ("nan", "+inf", _NAN, -_INF),
    ("nan", "nan", _NAN, _NAN))

# The tables' numbers are kept as names of module constants: under torch.compile a float read
# from a table (a closure cell that differs between the bound functions, which share their code)
# turns symbolic on the second function compiled ("automatic dynamic"), and xops ops then meet a
# SymFloat where a scalar belongs; a constant looked up by a constant name stays a constant.
_NUMBERS = {"0": 0.0, "1": 1.0, "-1": -1.0, "inf": _INF, "-inf": -_INF, "nan": _NAN, "pi": _PI,
            "pi/2": _PI / 2, "pi/4": _PI / 4, "3pi/4": 3 * _PI / 4}


def _named(v: Any) -> str:
    if isinstance(v, str):
        return v
    for k, n in _NUMBERS.items():
        if (n == v and math.copysign(1, n) == math.copysign(1, v)) or (n != n and v != v):
            return k
    raise AssertionError(v)  # pragma: no cover - a table value without a name


def _table(rows: tuple) -> tuple:
    return tuple((ca, cb, _named(re), _named(im)) for ca, cb, re, im in rows)


# name -> (table, symmetry in a: '' none, 'odd', 'even')
_COMPLEX_TABLES = {
    "exp": (_table(_EXP), ""), "expm1": (_table(_EXPM1), ""), "log": (_table(_LOG), ""),
    "log1p": (_table(_LOG1P), ""), "sqrt": (_table(_SQRT), ""), "sinh": (_table(_SINH), "odd"),
    "cosh": (_table(_COSH), "even"), "tanh": (_table(_TANH), "odd"),
    "atanh": (_table(_ATANH), "odd"), "acosh": (_table(_ACOSH), ""),
    "acos": (_table(_ACOS), ""),
}

(_REAL, _IMAG, _ABS, _SIGNBIT, _ISNAN, _ISINF, _ISFINITE, _EQUAL, _NOT_EQUAL, _GREATER,
 _LOGICAL_AND, _LOGICAL_OR, _LOGICAL_NOT, _LOGICAL_XOR, _NEGATIVE, _COPYSIGN, _COS, _SIN,
 _DIVIDE, _FLOOR, _FULL_LIKE, _WHERE, _ASTYPE) = (
    _op(n) for n in (
        "real", "imag", "abs", "signbit", "isnan", "isinf", "isfinite", "equal", "not_equal",
        "greater", "logical_and", "logical_or", "logical_not", "logical_xor", "negative",
        "copysign", "cos", "sin", "divide", "floor", "full_like", "where", "astype"))
_SCALARS = (bool, int, float, complex)


def _cond(v: Array, c: str) -> Any:
    """The mask of one table condition on the real array ``v`` (None: every element)."""
    if c == "any":
        return None
    if c in ("0", "1", "-1", "nz"):
        return (_NOT_EQUAL if c == "nz" else _EQUAL)(v, 0.0 if c == "nz" else float(c))
    if c in ("+0", "-0"):
        s = _SIGNBIT(v)
        return _LOGICAL_AND(_EQUAL(v, 0.0), s if c == "-0" else _LOGICAL_NOT(s))
    if c in ("+inf", "-inf"):
        return _EQUAL(v, float(c))
    if c == "inf":
        return _ISINF(v)
    if c == "nan":
        return _ISNAN(v)
    fin = _ISFINITE(v)
    if c == "fin":
        return fin
    return _LOGICAL_AND(fin, (_GREATER if c == "pos" else _NOT_EQUAL)(v, 0.0))


def _complex_special(table: tuple, sym: str, op: Callable, x: Array, make: Callable) -> Array:
    """f(x) for complex ``x``: the framework's f on the folded input (b >= 0, and a >= 0 for the
    odd/even functions), the table's special values put in, then unfolded with the standard's
    symmetries. Folding also gives the branch cuts the signed-zero side the standard requires
    (f(conj(x)) == conj(f(x))), which some frameworks ignore (jax: acos(2 - 0j))."""
    a, b = _REAL(x), _IMAG(x)
    fi = _SIGNBIT(b)  # whether to conjugate at the end
    fr = None         # whether to negate the real part at the end
    bb = _ABS(b)
    if sym:
        sa = _SIGNBIT(a)
        a = _ABS(a)
        if sym == "odd":
            fr = sa
        else:
            fi = _LOGICAL_XOR(fi, sa)
    r = op(make(a, bb))
    re, im = _REAL(r), _IMAG(r)
    ca: dict[str, Any] = {}
    cb: dict[str, Any] = {}
    vals: dict[str, Any] = {}

    def value(v: str) -> Any:
        if v in _NUMBERS:
            return _NUMBERS[v]
        if v not in vals:
            if v == "a":
                vals[v] = a
            elif v == "-0":
                vals[v] = _NEGATIVE(_FULL_LIKE(bb, 0.0))
            else:
                trig = (_COS if v[1:] == "cos" else _SIN)(bb)
                vals[v] = _COPYSIGN(_INF if v[0] == "i" else 0.0, trig)
        return vals[v]

    for c_a, c_b, v_re, v_im in reversed(table):
        ma = ca[c_a] if c_a in ca else ca.setdefault(c_a, _cond(a, c_a))
        mb = cb[c_b] if c_b in cb else cb.setdefault(c_b, _cond(bb, c_b))
        m = ma if mb is None else mb if ma is None else _LOGICAL_AND(ma, mb)
        re = _WHERE(m, value(v_re), re)
        im = _WHERE(m, value(v_im), im)
    if fr is not None:
        re = _WHERE(fr, _NEGATIVE(re), re)
    im = _WHERE(fi, _NEGATIVE(im), im)
    return make(re, im)


def _floor_divide_fixup(x1: Any, x2: Any, r: Array) -> Array:
    # Where a zero, an infinity or a NaN is involved (or the quotient over/underflows) the
    # standard's value is floor(x1 / x2) (NumPy and torch follow Python: inf // 2 is NaN,
    # -1 // inf is -1); elsewhere the framework's floor division stands.
    q = _DIVIDE(x1, x2)
    return _WHERE(_LOGICAL_AND(_ISFINITE(q), _NOT_EQUAL(q, 0.0)), r, _FLOOR(q))


def _like(v: Any, r: Array) -> Array:
    """``v`` (a Python scalar or an array) as an array of ``r``'s float dtype."""
    if type(v) in _SCALARS:
        return _FULL_LIKE(r, v)
    return v if v.dtype == r.dtype else _ASTYPE(v, r.dtype)


def _remainder_fixup(x1: Any, x2: Any, r: Array) -> Array:
    x1, x2 = _like(x1, r), _like(x2, r)
    # a zero result takes x2's sign (Python's %: 4.0 % -2.0 is -0.0, 0.0 % -1.0 is -0.0)
    out = _WHERE(_EQUAL(r, 0.0), _COPYSIGN(0.0, x2), r)
    # a nonzero finite x1 over an infinite x2: x1 when the signs agree, else x2 (Python's %)
    fin = _LOGICAL_AND(_ISFINITE(x1), _NOT_EQUAL(x1, 0.0))
    out = _WHERE(_LOGICAL_AND(fin, _ISINF(x2)),
                 _WHERE(_EQUAL(_SIGNBIT(x1), _SIGNBIT(x2)), x1, x2), out)
    # an infinite x1 or a zero x2: NaN
    return _WHERE(_LOGICAL_OR(_ISINF(x1), _EQUAL(x2, 0.0)), _NAN, out)


def _make_complex(be: Backend) -> Callable:
    """The backend's complex(re, im) (re + im*1j would turn an infinite im into a NaN real)."""
    if be.name == "torch":
        import torch
        return torch.complex
    if be.name == "jax":
        from jax import lax
        return lax.complex
    if be.name == "tensorflow":
        import tensorflow as tf
        return tf.complex
    import numpy as np

    def make(re: Any, im: Any) -> Any:
        out = np.asarray(re).astype(np.result_type(re, np.complex64))
        out.imag = im
        return out
    return make


def _special_value_functions(be: Backend) -> dict[str, Callable]:
    """This backend's floor_divide, remainder and the complex functions of _COMPLEX_TABLES: the
    xops op, then the standard's special values put in with xops ops (no branching on values,
    so they trace under jax.jit, torch.compile and tf.function). Which fix-up runs is decided
    from the result's dtype: real-float input pays nothing in the complex functions."""
    native = be.native
    cplx = frozenset(native[d] for d in (_dtypes.complex64, _dtypes.complex128))
    flt = frozenset(native[d] for d in (_dtypes.float16, _dtypes.bfloat16, _dtypes.float32,
                                        _dtypes.float64) if d in native)
    make = _make_complex(be)
    out: dict[str, Callable] = {}

    xnp = sys.modules["xops.numpy"]

    def complex_fn(name: str, table: tuple, sym: str) -> Callable:
        op = getattr(xnp, name)

        def f(x: Array, /) -> Array:
            if getattr(x, "dtype", None) in cplx:
                return _complex_special(table, sym, op, x, make)
            return op(x)
        f.__name__ = f.__qualname__ = name
        f.__doc__ = op.__doc__
        return f

    for name, (table, sym) in _COMPLEX_TABLES.items():
        out[name] = complex_fn(name, table, sym)

    floor_divide_, remainder_ = _op("floor_divide"), _op("remainder")

    def floor_divide(x1: Any, x2: Any, /) -> Array:
        r = floor_divide_(x1, x2)
        if r.dtype in flt:
            return _floor_divide_fixup(x1, x2, r)
        return r

    def remainder(x1: Any, x2: Any, /) -> Array:
        r = remainder_(x1, x2)
        if r.dtype in flt:
            return _remainder_fixup(x1, x2, r)
        return r

    floor_divide.__doc__, remainder.__doc__ = floor_divide_.__doc__, remainder_.__doc__
    out["floor_divide"], out["remainder"] = floor_divide, remainder
    return out
