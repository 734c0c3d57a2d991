"""Elementwise ops: one declaration each (accepted dtype kinds, dtype rule, fallback body)."""
from __future__ import annotations

from typing import Any

from ._registry import binary, unary

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
def abs(x: Array, /) -> Array:  # noqa: A001 - NumPy's name
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


def _trig(name: str, doc: str, aliases: tuple[str, ...] = ()) -> None:
    def body(x: Array, /) -> Array:
        pass

    body.__name__ = body.__qualname__ = name
    body.__doc__ = doc
    globals()[name] = unary(ANY, "float", aliases=aliases)(body)


_trig("sin", "Sine, element-wise (radians).")
_trig("cos", "Cosine, element-wise (radians).")
_trig("tan", "Tangent, element-wise (radians).")
_trig("arcsin", "Inverse sine, element-wise.", ("asin",))
_trig("arccos", "Inverse cosine, element-wise.", ("acos",))
_trig("arctan", "Inverse tangent, element-wise.", ("atan",))
_trig("sinh", "Hyperbolic sine, element-wise.")
_trig("cosh", "Hyperbolic cosine, element-wise.")
_trig("tanh", "Hyperbolic tangent, element-wise.")
_trig("arcsinh", "Inverse hyperbolic sine, element-wise.", ("asinh",))
_trig("arccosh", "Inverse hyperbolic cosine, element-wise.", ("acosh",))
_trig("arctanh", "Inverse hyperbolic tangent, element-wise.", ("atanh",))


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
