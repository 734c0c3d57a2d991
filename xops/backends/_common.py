"""Small helpers shared by the backend packages (kept here so each package states only where its
framework differs)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._dtypes import DType

# What every backend package's __init__ exports (its __all__, torch adds device_clash): the dtype
# map, defaults, devices, capabilities, casts and scalar construction.
PACKAGE_NAMES = ("NAME", "DTYPES", "EXTRA_NATIVE", "SCALARS_OK", "FULL_REDUCTIONS",
                 "default_float", "default_int", "unsupported_dtype", "device", "devices",
                 "default_device", "CAPABILITIES", "astype", "scalar", "asarray", "known_true")

# Array API: rounding an integer returns it unchanged, in its own dtype; the real part of a real
# array is itself. Backends differ (NumPy's floor of an int is a float, torch's errors), so the
# tables route these cases to the identity.
IDENTITY_FOR_INTS = frozenset({"floor", "ceil", "trunc", "rint", "positive"})
IDENTITY_FOR_REALS = frozenset({"real", "conj"})


def identity(x: Any) -> Any:
    return x


def adapt_common(name: str, fn: Callable, d: DType) -> Callable:
    if d.kind in "biu" and name in IDENTITY_FOR_INTS:
        return identity
    if d.kind != "c" and name in IDENTITY_FOR_REALS:
        return identity
    return fn


def pad_widths_flat_last_first(pw: tuple[tuple[int, int], ...]) -> list[int]:
    """torch-style pad list: last axis first, (before, after) pairs."""
    out: list[int] = []
    for a, b in reversed(pw):
        out += [a, b]
    return out


def int_cast_bounds(dt: DType) -> tuple[int, float, int]:
    """(min, first float past max, max) of integer dtype ``dt``, for the saturating float ->
    integer cast every table implements (docs/semantics.md): ``x >= 2**k`` gives max, ``x < min``
    gives min, NaN gives 0. Both bounds are powers of two, exact in every float dtype or
    rounding to +-inf."""
    if dt.kind == "u":
        return 0, 2.0 ** dt.bits, 2 ** dt.bits - 1
    return -(2 ** (dt.bits - 1)), 2.0 ** (dt.bits - 1), 2 ** (dt.bits - 1) - 1


def interp_ends(where: Callable, eq: Callable, flat: Any, xp: Any, fp: Any, r: Any, left: Any,
                right: Any) -> Any:
    """NumPy's interp at and beyond the ends of ``xp``, for values ``r`` interpolated at points
    ``flat``: ``left`` / ``right`` (``fp``'s end values by default) outside, ``fp[-1]`` exactly
    at ``xp[-1]``. ``where`` and ``eq`` are the framework's select and elementwise equality."""
    lo = fp[0] if left is None else left
    hi = fp[-1] if right is None else right
    r = where(flat < xp[0], lo, r)
    r = where(flat > xp[-1], hi, r)
    return where(eq(flat, xp[-1]), fp[-1], r)


# erfinv: one Newton step on the backend's own approximation (jax/XLA's float32 erf_inv is up to
# ~60 ulp off near +-1, tf's CPU kernels are worse) brings it to a few ulp of the exact value.
TWO_OVER_SQRT_PI = 1.1283791670955126


# The elementwise kernels every backend's elementwise.py has (each adds its own after them):
# arithmetic, comparisons, logic and bits, then the special functions.
ELEMENTWISE_NAMES = (
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "fmod", "power",
    "maximum", "minimum", "arctan2", "hypot", "logaddexp", "copysign", "negative", "positive",
    "abs", "sign", "square", "reciprocal", "sqrt", "cbrt", "exp", "exp2", "expm1", "log", "log1p",
    "log2", "log10", "cos", "sin", "tan", "arccos", "arcsin", "arctan", "cosh", "sinh", "tanh",
    "arccosh", "arcsinh", "arctanh", "deg2rad", "rad2deg", "floor", "ceil", "trunc", "rint",
    "isnan", "isinf", "isfinite", "signbit", "real", "imag", "conj", "equal", "not_equal", "less",
    "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_xor",
    "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "left_shift",
    "right_shift",
)
SPECIAL_NAMES = ("erf", "erfc", "erfinv", "frexp", "ldexp", "nextafter", "i0")

# The kernels of every backend's manipulation.py.
MANIPULATION_NAMES = ("reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
                      "broadcast_to", "flip", "roll", "tile", "split", "repeat", "pad", "unstack")

# The kernels of every backend's fft.py: (x, s, axes, norm) with x already in its compute dtype,
# s and axes tuples (the axes non-negative, in the caller's order), norm backward/ortho/forward.
FFT_NAMES = ("fftn", "ifftn", "rfftn", "irfftn")

# The kernels of every backend's linalg.py (xops.numpy.linalg ops with a native kernel).
LINALG_NAMES = ("inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals", "eig",
                "eigvals", "eigh", "eigvalsh", "pinv", "vector_norm", "diagonal")


def pool_count(spatial, window, strides, pads):
    """float64 NumPy array (*O): how many elements of an unpadded input of shape ``spatial``
    each pooling window covers (the divisor of an average pool that ignores padding).
    Shape-only, so it is a constant under jit (the jax and tensorflow nn kernels use it)."""
    nd = len(window)
    ones = np.pad(np.ones(tuple(spatial)), list(pads))
    win = sliding_window_view(ones, tuple(window))
    win = win[tuple(slice(None, None, s) for s in strides)]
    return win.sum(axis=tuple(range(-nd, 0)))
