"""Elementwise ops: one declaration each (accepted dtype kinds, dtype rule, fallback body).

Also ``where`` (a select: its three operands broadcast and promote as in a binary op), which the
fallback bodies below compose with, and the composite elementwise ops (clip, round, nan_to_num,
ldexp, float_power, angle, nextafter, modf, divmod, frexp).
"""
from __future__ import annotations

import operator
from typing import Any, Callable

from .. import _dispatch as _d
from .. import _dtypes
from .. import _fast as _c
from .._dispatch import PY_SCALARS, TYPE_CACHE, annotate, call, check_kind, promote_args, resolve
from .._dtypes import bool_
from ..backends import _compiling
from ._common import _nonzero
from ._registry import binary, declare, unary
from .creation import asarray
from .manipulation import broadcast_arrays

Array = Any

NUM = "iufc"      # numeric, no bool (Array API: arithmetic on bool is not defined)
REAL = "iuf"
ANY = "biufc"
INT = "iu"
INTB = "biu"

# --- arithmetic -------------------------------------------------------------------------------


@binary(NUM)
def add(x1: Array, x2: Array, /) -> Array:
    """Sum of ``x1`` and ``x2``, element-wise."""


@binary(NUM)
def subtract(x1: Array, x2: Array, /) -> Array:
    """Difference ``x1 - x2``, element-wise."""


@binary(NUM)
def multiply(x1: Array, x2: Array, /) -> Array:
    """Product of ``x1`` and ``x2``, element-wise."""


@binary(NUM, "float", aliases=("true_divide",))
def divide(x1: Array, x2: Array, /) -> Array:
    """True division ``x1 / x2``, element-wise; integers divide in the default float dtype."""


@binary(REAL)
def floor_divide(x1: Array, x2: Array, /) -> Array:
    """Floor of ``x1 / x2``, element-wise (Python's ``//``)."""


@binary(REAL, aliases=("mod",))
def remainder(x1: Array, x2: Array, /) -> Array:
    """Remainder of floor division, with the sign of the divisor (Python's ``%``)."""


@binary(REAL)
def fmod(x1: Array, x2: Array, /) -> Array:
    """Remainder of truncated division, with the sign of the dividend (C's ``fmod``)."""


@binary(NUM, aliases=("pow",))
def power(x1: Array, x2: Array, /) -> Array:
    """``x1`` raised to ``x2``, element-wise, in the promoted dtype."""


@binary(REAL)
def maximum(x1: Array, x2: Array, /) -> Array:
    """Element-wise maximum; NaN propagates (NumPy semantics)."""


@binary(REAL)
def minimum(x1: Array, x2: Array, /) -> Array:
    """Element-wise minimum; NaN propagates (NumPy semantics)."""


@binary("iuf", "float", aliases=("atan2",))
def arctan2(x1: Array, x2: Array, /) -> Array:
    """Quadrant-aware arc tangent of ``x1 / x2``, in radians."""


@binary("iuf", "float", generic=True)
def hypot(x1: Array, x2: Array, /) -> Array:
    """Hypotenuse ``sqrt(x1**2 + x2**2)``, element-wise."""
    return sqrt(add(square(x1), square(x2)))


@binary("iuf", "float", generic=True)
def logaddexp(x1: Array, x2: Array, /) -> Array:
    """``log(exp(x1) + exp(x2))`` computed without overflow."""
    m = maximum(x1, x2)
    return add(m, log1p(exp(negative(abs(subtract(x1, x2))))))


@binary("iuf", "float")
def copysign(x1: Array, x2: Array, /) -> Array:
    """Magnitude of ``x1`` with the sign of ``x2``, element-wise."""


@unary(NUM, aliases=())
def negative(x: Array, /) -> Array:
    """Numerical negative ``-x``, element-wise."""


@unary(NUM)
def positive(x: Array, /) -> Array:
    """Numerical positive ``+x`` (a no-op that checks the dtype)."""


@unary(NUM, "real", aliases=("absolute",))
def abs(x: Array, /) -> Array:
    """Absolute value; complex input gives the magnitude in the matching real dtype."""


@unary(NUM)
def sign(x: Array, /) -> Array:
    """Sign of ``x`` (-1, 0, +1; NaN stays NaN; complex ``x/|x|``)."""


@unary(NUM)
def square(x: Array, /) -> Array:
    """``x * x``, element-wise."""


@unary(NUM, "float", generic=True)
def reciprocal(x: Array, /) -> Array:
    """``1 / x``, element-wise. Unlike NumPy, integers compute in the default float dtype."""
    return divide(1, x)


@unary(ANY, "float")
def sqrt(x: Array, /) -> Array:
    """Non-negative square root; integers compute in the default float dtype."""


@unary("biuf", "float")
def cbrt(x: Array, /) -> Array:
    """Real cube root, element-wise."""


@unary(ANY, "float")
def exp(x: Array, /) -> Array:
    """Exponential ``e**x``, element-wise."""


@unary("biuf", "float")
def exp2(x: Array, /) -> Array:
    """``2**x``, element-wise."""


@unary(ANY, "float")
def expm1(x: Array, /) -> Array:
    """``exp(x) - 1``, accurate near zero."""


@unary(ANY, "float")
def log(x: Array, /) -> Array:
    """Natural logarithm, element-wise."""


@unary(ANY, "float")
def log1p(x: Array, /) -> Array:
    """``log(1 + x)``, accurate near zero."""


@unary(ANY, "float")
def log2(x: Array, /) -> Array:
    """Base-2 logarithm, element-wise."""


@unary(ANY, "float")
def log10(x: Array, /) -> Array:
    """Base-10 logarithm, element-wise."""


def _trig(name: str, doc: str, aliases: tuple[str, ...] = ()) -> Callable[[Array], Array]:
    def body(x: Array, /) -> Array:
        pass

    body.__name__ = body.__qualname__ = name
    body.__doc__ = doc
    return unary(ANY, "float", aliases=aliases)(body)


sin = _trig("sin", "Sine, element-wise (radians).")
cos = _trig("cos", "Cosine, element-wise (radians).")
tan = _trig("tan", "Tangent, element-wise (radians).")
arcsin = _trig("arcsin", "Inverse sine, element-wise.", ("asin",))
arccos = _trig("arccos", "Inverse cosine, element-wise.", ("acos",))
arctan = _trig("arctan", "Inverse tangent, element-wise.", ("atan",))
sinh = _trig("sinh", "Hyperbolic sine, element-wise.")
cosh = _trig("cosh", "Hyperbolic cosine, element-wise.")
tanh = _trig("tanh", "Hyperbolic tangent, element-wise.")
arcsinh = _trig("arcsinh", "Inverse hyperbolic sine, element-wise.", ("asinh",))
arccosh = _trig("arccosh", "Inverse hyperbolic cosine, element-wise.", ("acosh",))
arctanh = _trig("arctanh", "Inverse hyperbolic tangent, element-wise.", ("atanh",))


@unary("biuf", "float", generic=True, aliases=("radians",))
def deg2rad(x: Array, /) -> Array:
    """Degrees to radians, element-wise."""
    return multiply(x, 0.017453292519943295)


@unary("biuf", "float", generic=True, aliases=("degrees",))
def rad2deg(x: Array, /) -> Array:
    """Radians to degrees, element-wise."""
    return multiply(x, 57.29577951308232)


# --- rounding (Array API: integers pass through unchanged, in their own dtype) ------------------

@unary(REAL)
def floor(x: Array, /) -> Array:
    """Largest integer <= x, element-wise. Integer input is returned in its own dtype."""


@unary(REAL)
def ceil(x: Array, /) -> Array:
    """Smallest integer >= x, element-wise. Integer input is returned in its own dtype."""


@unary(REAL, aliases=("fix",))
def trunc(x: Array, /) -> Array:
    """Integer part (towards zero), element-wise. Integer input is returned in its own dtype."""


@unary(NUM)
def rint(x: Array, /) -> Array:
    """Round to the nearest integer, halves to even, element-wise."""


# --- predicates and complex parts --------------------------------------------------------------

@unary(ANY, "bool")
def isnan(x: Array, /) -> Array:
    """True where ``x`` is NaN."""


@unary(ANY, "bool")
def isinf(x: Array, /) -> Array:
    """True where ``x`` is +inf or -inf."""


@unary(ANY, "bool")
def isfinite(x: Array, /) -> Array:
    """True where ``x`` is neither NaN nor infinite."""


@unary(REAL, "bool")
def signbit(x: Array, /) -> Array:
    """True where the sign bit is set (including -0.0 and negative NaN)."""


@unary(ANY, "real")
def real(x: Array, /) -> Array:
    """Real part; real input is returned unchanged."""


@unary(ANY, "real")
def imag(x: Array, /) -> Array:
    """Imaginary part; real input gives zeros of its own dtype."""


@unary(ANY, aliases=("conjugate",))
def conj(x: Array, /) -> Array:
    """Complex conjugate; real input is returned unchanged."""


# --- comparison and logic -----------------------------------------------------------------------

@binary(ANY, "bool")
def equal(x1: Array, x2: Array, /) -> Array:
    """``x1 == x2``, element-wise, compared in the promoted dtype."""


@binary(ANY, "bool")
def not_equal(x1: Array, x2: Array, /) -> Array:
    """``x1 != x2``, element-wise, compared in the promoted dtype."""


@binary("biuf", "bool")
def less(x1: Array, x2: Array, /) -> Array:
    """``x1 < x2``, element-wise, compared in the promoted dtype."""


@binary("biuf", "bool")
def less_equal(x1: Array, x2: Array, /) -> Array:
    """``x1 <= x2``, element-wise, compared in the promoted dtype."""


@binary("biuf", "bool")
def greater(x1: Array, x2: Array, /) -> Array:
    """``x1 > x2``, element-wise, compared in the promoted dtype."""


@binary("biuf", "bool")
def greater_equal(x1: Array, x2: Array, /) -> Array:
    """``x1 >= x2``, element-wise, compared in the promoted dtype."""


@binary(ANY, "tobool")
def logical_and(x1: Array, x2: Array, /) -> Array:
    """Logical AND of the truth values, element-wise."""


@binary(ANY, "tobool")
def logical_or(x1: Array, x2: Array, /) -> Array:
    """Logical OR of the truth values, element-wise."""


@binary(ANY, "tobool")
def logical_xor(x1: Array, x2: Array, /) -> Array:
    """Logical XOR of the truth values, element-wise."""


@unary(ANY, "tobool")
def logical_not(x: Array, /) -> Array:
    """Logical NOT of the truth value, element-wise."""


@binary(INTB)
def bitwise_and(x1: Array, x2: Array, /) -> Array:
    """Bitwise AND of integers or booleans, element-wise."""


@binary(INTB)
def bitwise_or(x1: Array, x2: Array, /) -> Array:
    """Bitwise OR of integers or booleans, element-wise."""


@binary(INTB)
def bitwise_xor(x1: Array, x2: Array, /) -> Array:
    """Bitwise XOR of integers or booleans, element-wise."""


@unary(INTB, aliases=("invert", "bitwise_invert"))
def bitwise_not(x: Array, /) -> Array:
    """Bitwise NOT (bool: logical NOT), element-wise."""


@binary(INT, aliases=("bitwise_left_shift",))
def left_shift(x1: Array, x2: Array, /) -> Array:
    """``x1 << x2`` for integers, element-wise."""


@binary(INT, aliases=("bitwise_right_shift",))
def right_shift(x1: Array, x2: Array, /) -> Array:
    """``x1 >> x2`` for integers (arithmetic shift for signed types), element-wise."""


# --- special functions and the remaining NumPy elementwise ops ----------------------------------
# Generic bodies run on backends without a kernel; they get the inputs already cast to the compute
# dtype (a Python scalar may still arrive as is on numpy/jax), compose xops ops, so they work
# under every transform. Edge-case semantics: docs/semantics.md.

def _arrays(*xs: Any) -> list:
    """Python scalars as 0-d arrays of the other argument's backend and dtype."""
    like = next((x for x in xs if type(x) not in PY_SCALARS), None)
    if like is None:
        return list(xs)
    d = resolve("asarray", like).dtype_of(like)
    return [asarray(x, dtype=d, like=like) if type(x) in PY_SCALARS else x for x in xs]


@unary("biuf", "float")
def erf(x: Array, /) -> Array:
    """Error function ``2/sqrt(pi) * integral(exp(-t**2), 0, x)`` (scipy.special.erf)."""


@unary("biuf", "float")
def erfc(x: Array, /) -> Array:
    """Complementary error function ``1 - erf(x)``, accurate for large ``x``."""


@unary("biuf", "float")
def erfinv(x: Array, /) -> Array:
    """Inverse error function on [-1, 1] (+-inf at +-1, NaN outside), a few ulp in float32."""


@unary("biuf", "float", generic=True)
def rsqrt(x: Array, /) -> Array:
    """Reciprocal square root ``1 / sqrt(x)``, element-wise."""
    return reciprocal(sqrt(x))


@binary("biuf", "float", generic=True)
def xlogy(x1: Array, x2: Array, /) -> Array:
    """``x1 * log(x2)``, 0 where ``x1 == 0`` unless ``x2`` is NaN (scipy.special.xlogy)."""
    x1, x2 = _arrays(x1, x2)
    zero = logical_and(equal(x1, 0), logical_not(isnan(x2)))
    return where(zero, 0.0, multiply(x1, log(x2)))


@binary("biuf", "float", generic=True)
def heaviside(x1: Array, x2: Array, /) -> Array:
    """Heaviside step: 0 for ``x1 < 0``, ``x2`` for ``x1 == 0``, 1 for ``x1 > 0``, NaN for NaN."""
    x1, x2 = _arrays(x1, x2)
    out = where(less(x1, 0), 0.0, where(greater(x1, 0), 1.0, x2))
    return where(isnan(x1), x1, out)


@binary("biuf", "float", generic=True)
def logaddexp2(x1: Array, x2: Array, /) -> Array:
    """``log2(2**x1 + 2**x2)`` computed without overflow."""
    x1, x2 = _arrays(x1, x2)
    m = maximum(x1, x2)
    out = add(m, multiply(log1p(exp2(negative(abs(subtract(x1, x2))))), 1.4426950408889634))
    return where(equal(x1, x2), add(x1, 1.0), out)  # equal infinities: no inf - inf


@binary(REAL, generic=True)
def fmax(x1: Array, x2: Array, /) -> Array:
    """Element-wise maximum ignoring NaN (NaN only where both are NaN)."""
    x1, x2 = _arrays(x1, x2)
    return where(isnan(x2), x1, where(isnan(x1), x2, maximum(x1, x2)))


@binary(REAL, generic=True)
def fmin(x1: Array, x2: Array, /) -> Array:
    """Element-wise minimum ignoring NaN (NaN only where both are NaN)."""
    x1, x2 = _arrays(x1, x2)
    return where(isnan(x2), x1, where(isnan(x1), x2, minimum(x1, x2)))


@binary(INT, generic=True)
def gcd(x1: Array, x2: Array, /) -> Array:
    """Greatest common divisor of ``|x1|`` and ``|x2|`` (``gcd(0, 0) = 0``)."""
    x1, x2 = _arrays(x1, x2)
    a, b = broadcast_arrays(abs(x1), abs(x2))
    bits = resolve("gcd", a).dtype_of(a).bits
    # Euclid needs at most log_phi(2**bits) + 2 steps (consecutive Fibonacci numbers are the
    # worst case); a fixed count keeps the loop traceable under jit.
    for _ in range(int(bits * 1.4405) + 3):
        nz = not_equal(b, 0)
        a, b = where(nz, b, a), where(nz, remainder(a, b), b)
    return a


@binary(INT, generic=True)
def lcm(x1: Array, x2: Array, /) -> Array:
    """Least common multiple of ``|x1|`` and ``|x2|`` (0 if either is 0)."""
    x1, x2 = _arrays(x1, x2)
    # NumPy: |x1| // gcd * |x2| (wrapping on overflow); x // 0 is 0 in xops
    return multiply(floor_divide(abs(x1), gcd(x1, x2)), abs(x2))


@unary("biuf", "bool", generic=True)
def isneginf(x: Array, /) -> Array:
    """True where ``x`` is -inf."""
    return logical_and(isinf(x), less(x, 0))


@unary("biuf", "bool", generic=True)
def isposinf(x: Array, /) -> Array:
    """True where ``x`` is +inf."""
    return logical_and(isinf(x), greater(x, 0))


@unary(ANY, "bool", generic=True)
def isreal(x: Array, /) -> Array:
    """True where the imaginary part is zero (every element of a real array)."""
    return equal(imag(x), 0)


@unary(ANY, "bool", generic=True)
def iscomplex(x: Array, /) -> Array:
    """True where the imaginary part is non-zero (no element of a real array)."""
    return not_equal(imag(x), 0)


@binary("biufc", "float", generic=True)
def divide_no_nan(x1: Array, x2: Array, /) -> Array:
    """``x1 / x2``, but 0 wherever ``x2 == 0`` (even for NaN or inf ``x1``), as Keras/tf."""
    x1, x2 = _arrays(x1, x2)
    z = equal(x2, 0)
    return where(z, 0, divide(x1, where(z, 1, x2)))


def _device_of(be: Any, x: Any) -> Any:
    """The device of array ``x`` (None for a Python scalar), for a scalar made beside it."""
    return None if type(x) in PY_SCALARS else be.k.device(x)


# modf, divmod and frexp return two arrays, so they are declared ops (tests/test_dtypes.py checks
# the one-result dtype rule of every @unary/@binary op) that apply the same dtype rules.
def _float_input(name: str, x: Array) -> tuple:
    be = resolve(name, x)
    if type(x) in PY_SCALARS:
        x = call(be, "asarray", x, None, None, None)
    d = be.dtype_of(x)
    check_kind(name, d, "biuf")
    f = _dtypes.to_float(d, be.default_float)
    if f is not d:
        x = be.k.astype(x, be.check_dtype(f, name))
    return be, x


@declare("elementwise", composite=True)
def modf(x: Array, /) -> Array:
    """Fractional and integral parts, both with the sign of ``x``: ``(x - trunc(x), trunc(x))``;
    ``modf(+-inf) = (+-0, +-inf)``.

    Args:
        x: array of one backend (bool/integers compute in the default float dtype).

    Returns:
        A tuple of two arrays of ``x``'s backend and float dtype: fractional and integral parts.
    """
    _, x = _float_input("modf", x)
    i = trunc(x)
    f = where(isinf(x), 0.0, subtract(x, i))
    return copysign(f, x), i


@declare("elementwise", composite=True)
def divmod(x1: Array, x2: Array, /) -> Array:
    """``(floor_divide(x1, x2), remainder(x1, x2))`` with their edge cases (integer ``x // 0`` and
    ``x % 0`` are 0).

    Args:
        x1: real arrays or Python scalars of one backend, promoted together.
        x2: real arrays or Python scalars of one backend, promoted together.

    Returns:
        A tuple of two arrays of the inputs' backend and promoted dtype: floor quotient and
        remainder.
    """
    return floor_divide(x1, x2), remainder(x1, x2)


@declare("elementwise")
def frexp(x: Array, /) -> Array:
    """Mantissa and exponent: ``x = m * 2**e`` with ``0.5 <= |m| < 1``; 0, inf and NaN give
    ``(x, 0)``. Subnormals are exact.

    Args:
        x: array of one backend (bool/integers compute in the default float dtype).

    Returns:
        A tuple of two arrays of ``x``'s backend: the mantissa (float dtype) and the exponent
        (int32).
    """
    be, x = _float_input("frexp", x)
    m, e = call(be, "frexp", x)
    return m, e


# --- selection, clipping, rounding and the remaining composite elementwise ops -------------------


# where(cond, x, y) fast path: same array type everywhere, bool cond, equal x/y dtypes; the
# kernel per native dtype (torch's wide uints go through signed views, the rest straight to
# torch.where: a dtype test inside one kernel cost +0.5 us per call)
_WHERE_FAST: dict[type, tuple[Any, dict[Any, Callable]]] = {}


def _where_fast(op: Callable) -> Callable:
    """``declare(fast=)``: three arrays of one type (a bool condition, x1 and x2 of one dtype)
    call the cached native where in this one frame; the rest goes to the declared op."""
    c_where = _c.where
    miss = _c.MISS

    def where_c(condition: Array, x1: Array = None, x2: Array = None, /) -> Array:
        # the C path (xops/_speedups.c) of where below
        if _d.IS_DYNAMO():
            return op(condition, x1, x2)
        try:
            out = c_where(_WHERE_FAST, condition, x1, x2)
        except Exception as e:
            annotate(e, "where", TYPE_CACHE.get(type(x1)), (condition, x1, x2), broadcast=True)
            raise
        return op(condition, x1, x2) if out is miss else out

    if c_where is not None:
        return where_c

    def where(condition: Array, x1: Array = None, x2: Array = None, /) -> Array:
        t = type(x1)
        # the eager cache is not read while dynamo traces (it would guard on it)
        f = None if _d.IS_DYNAMO() else _WHERE_FAST.get(t)
        if f is not None and type(condition) is t and type(x2) is t:
            d = x1.dtype  # read once: a torch dtype read costs about as much as a dict lookup
            k = f[1].get(d)
            if k is not None and condition.dtype is f[0] and d is x2.dtype:
                try:
                    return k(condition, x1, x2)
                except Exception as e:
                    annotate(e, "where", TYPE_CACHE.get(t), (condition, x1, x2), broadcast=True)
                    raise
        return op(condition, x1, x2)

    return where


@declare("indexing", fast=_where_fast)
def where(condition: Array, x1: Array = None, x2: Array = None, /) -> Array:
    """Elements of ``x1`` where ``condition`` is true, else of ``x2`` (broadcast together;
    ``x1``/``x2`` promoted, Python scalars weak). ``condition`` must be bool. With only
    ``condition`` it is ``nonzero(condition)`` (NumPy's one-argument form: the indices of the
    true elements, a data-dependent shape; use ``nonzero(..., size=)`` under jit).

    Args:
        condition: bool array.
        x1: arrays or Python scalars of the same backend (both or neither).
        x2: arrays or Python scalars of the same backend (both or neither).

    Returns:
        An array of the inputs' backend (a tuple of index arrays in the one-argument form).

    >>> import numpy as np
    >>> from xops import numpy as xnp
    >>> xnp.where(np.array([True, False]), np.array([1., 2.]), 0.0)
    array([1., 0.])
    """
    if x2 is None:
        if x1 is None:
            return _nonzero(condition)
        raise TypeError("xops.numpy.where: pass both x1 and x2, or neither")
    t = type(x1)
    be = resolve("where", condition, x1, x2)
    if type(condition) in PY_SCALARS:
        raise TypeError("xops.numpy.where: condition must be a bool array")
    if be.dtype_of(condition) is not bool_:
        raise TypeError(f"xops.numpy.where: condition must be bool, got "
                        f"{be.dtype_of(condition).name}; compare explicitly (x != 0)")
    (a, b), _ = promote_args("where", be, (x1, x2), like=condition)
    out = call(be, "where", condition, a, b, broadcast=True)
    if t not in _WHERE_FAST and not _compiling() and type(condition) is t and type(x2) is t:
        _WHERE_FAST[t] = (be.native[bool_], {native: be.require("where", dt)
                                             for dt, native in be.native.items()})
    return out


@declare("elementwise", composite=True)
def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:
    """Limit values to ``[min, max]`` (either may be None); NaN in ``x`` propagates. Bounds are
    promoted with ``x`` like any binary op (Python scalars weak).

    Args:
        x: array.
        min: arrays, Python scalars or None.
        max: arrays, Python scalars or None.

    Returns:
        An array of ``x``'s backend.
    """
    if min is None and max is None:  # nothing to compare with: still an xops array
        resolve("clip", x).dtype_of(x)  # host data convert (HostConstants); no object dtypes
        return x
    if min is not None:
        x = maximum(x, min)
    if max is not None:
        x = minimum(x, max)
    return x


@declare("elementwise", composite=True)
def nan_to_num(x: Array, /, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Array:
    """Replace NaN with ``nan`` and infinities with ``posinf``/``neginf`` (default: the dtype's
    largest/smallest finite value). Integer input is returned unchanged.

    Args:
        x: array.
        nan: replacement value for NaN.
        posinf: replacement value for +inf (None: the dtype's largest finite value).
        neginf: replacement value for -inf (None: the dtype's smallest finite value).

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be = resolve("nan_to_num", x)
    d = be.dtype_of(x)
    if d.kind in "biu":
        return x
    if d.kind == "c":
        re = nan_to_num(real(x), nan, posinf, neginf)
        im = nan_to_num(imag(x), nan, posinf, neginf)
        return add(re, multiply(im, 1j))
    info = _dtypes.finfo(d)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    x = where(isnan(x), nan, x)
    x = where(greater(x, 0), where(isinf(x), hi, x), where(isinf(x), lo, x))
    return x


@declare("elementwise", composite=True, aliases=("around",))
def round(x: Array, /, decimals: int = 0) -> Array:
    """Round to ``decimals`` decimal places, halves to even (NumPy semantics; integers with
    ``decimals >= 0`` unchanged).

    Args:
        x: array.
        decimals: number of decimal places (may be negative).

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be = resolve("round", x)
    d = be.dtype_of(x)
    decimals = operator.index(decimals)
    if d.kind in "biu":
        if decimals >= 0:
            return x
        f = 10 ** (-decimals)
        if d.kind == "b" or f > _dtypes.iinfo(d).max:  # every value rounds to 0
            return multiply(x, 0) if d.kind != "b" else logical_and(x, False)
        # Exact integer rounding, half to even; no intermediate overflows (r = x mod f is
        # compared with f / 2, an integer as f = 10**k), so only a result outside the dtype
        # wraps around (NumPy's float round trip wraps there too: int8 -128 -> -130 -> 126).
        q = floor_divide(x, f)
        r = remainder(x, f)
        half = f // 2
        up = logical_or(greater(r, half),
                           logical_and(equal(r, half), equal(remainder(q, 2), 1)))
        return multiply(where(up, add(q, 1), q), f)
    if decimals == 0:
        return rint(x)
    # NumPy's algorithm, operation for operation (so results agree to the bit): scale by a power
    # of ten (dividing for negative decimals, which keeps 10**-decimals exact), round half to
    # even, scale back.
    if decimals > 0:
        f = 10.0 ** decimals
        return divide(rint(multiply(x, f)), f)
    f = 10.0 ** (-decimals)
    return multiply(rint(divide(x, f)), f)


@declare("elementwise")
def ldexp(x1: Array, x2: Any, /) -> Array:
    """``x1 * 2**x2`` for an integer exponent ``x2``, exact unless the result over/underflows.

    The result has ``x1``'s float dtype (integer ``x1`` computes in the default float), as in
    NumPy; ``x2`` must be integer (or bool), it is not promoted with ``x1``. jax on CPU flushes
    subnormal results to zero (XLA runs with flush-to-zero).

    Args:
        x1: array or Python scalar (mantissa).
        x2: integer array or Python int (exponent).

    Returns:
        An array of the inputs' backend, broadcast together.
    """
    be = resolve("ldexp", x1, x2)
    if type(x1) in PY_SCALARS:
        if isinstance(x1, complex):
            raise TypeError("xops.numpy.ldexp: x1 must be real")
        d1 = be.default_float if isinstance(x1, float) else be.default_int
        x1 = call(be, "asarray", x1, be.check_dtype(d1, "ldexp"), _device_of(be, x2), None)
    d1 = be.dtype_of(x1)
    check_kind("ldexp", d1, "biuf", arg="x1")
    d = _dtypes.to_float(d1, be.default_float)
    if d is not d1:
        x1 = be.k.astype(x1, be.check_dtype(d, "ldexp"))
    di = be.default_int
    if type(x2) in PY_SCALARS:
        if not isinstance(x2, int):
            raise TypeError("xops.numpy.ldexp: the exponent x2 must be an integer")
        x2 = call(be, "asarray", int(x2), be.check_dtype(di, "ldexp"), _device_of(be, x1), None)
    elif be.dtype_of(x2).kind not in "biu":
        raise TypeError(f"xops.numpy.ldexp: the exponent x2 must be an integer array, got "
                        f"{be.dtype_of(x2).name}")
    elif be.dtype_of(x2) is not di:
        x2 = be.k.astype(x2, be.check_dtype(di, "ldexp"))
    return call(be, "ldexp", x1, x2)


@declare("elementwise", composite=True)
def float_power(x1: Array, x2: Array, /) -> Array:
    """``x1 ** x2`` computed in float64 (complex128 for complex input), as NumPy. On jax without
    x64 mode, which has no 64-bit types, in float32 (complex64): the backend's widest.

    Args:
        x1: arrays or Python scalars of one backend.
        x2: arrays or Python scalars of one backend.

    Returns:
        An array of the inputs' backend, float64/complex128 (jax x32: float32/complex64).
    """
    be = resolve("float_power", x1, x2)
    (a, b), d = promote_args("float_power", be, (x1, x2), kinds="biufc")
    if d.kind == "c":
        want = _dtypes.complex128 if not be.k.unsupported_dtype(_dtypes.complex128) \
            else _dtypes.complex64
    else:
        want = _dtypes.float64 if not be.k.unsupported_dtype(_dtypes.float64) \
            else be.default_float
    native = be.check_dtype(want, "float_power")
    a = a if be.dtype_of(a) is want else be.k.astype(a, native)
    b = b if be.dtype_of(b) is want else be.k.astype(b, native)
    return power(a, b)


@declare("elementwise", composite=True)
def angle(z: Array, /, deg: bool = False) -> Array:
    """Counterclockwise angle from the positive real axis, ``arctan2(imag(z), real(z))``; real
    input gives 0 or pi (pi for negative numbers and -0.0), NaN for NaN.

    Args:
        z: array (any numeric dtype).
        deg: return degrees instead of radians.

    Returns:
        A real float array of ``z``'s backend (integers give the default float).
    """
    be = resolve("angle", z)
    if type(z) in PY_SCALARS:
        z = call(be, "asarray", z, None, None, None)
    d = be.dtype_of(z)
    if d.kind == "b":
        z = be.k.astype(z, be.check_dtype(be.default_float, "angle"))
    out = arctan2(imag(z), real(z))
    return multiply(out, 57.29577951308232) if deg else out


@declare("elementwise")
def nextafter(x1: Array, x2: Array, /) -> Array:
    """The next representable floating-point value after ``x1`` in the direction of ``x2``
    (``x2`` when they are equal; NaN if either is NaN), in the promoted dtype (16-bit floats
    step in their own precision on every backend).

    Args:
        x1: real floating arrays of one backend or Python floats, broadcast together.
        x2: real floating arrays of one backend or Python floats, broadcast together.

    Returns:
        An array of the inputs' backend and promoted dtype.
    """
    be = resolve("nextafter", x1, x2)
    (a, b), _ = promote_args("nextafter", be, (x1, x2), kinds="f")
    return call(be, "nextafter", a, b)
