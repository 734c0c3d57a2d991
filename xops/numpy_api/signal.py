"""Signal-processing and numerical-integration helpers with NumPy names (windows, convolve,
correlate, interp, trapezoid, sinc, i0).

``convolve``/``correlate``/``interp``/``i0`` call one kernel (the framework's convolution,
search or Bessel function); the rest are compositions of xops ops, so they run on every backend
and under every transform.
"""
from __future__ import annotations

import math
import operator
from typing import Any

from .. import _dtypes
from .._dispatch import (
    PY_SCALARS,
    call,
    dtype_arg,
    normalize_axis,
    opname_of,
    promote_args,
    resolve,
    to_array,
)
from .._dtypes import REAL_OF, DType
from ..backends import Backend
from . import creation, indexing, manipulation, reductions
from . import elementwise as ew
from ._common import _backend
from ._registry import declare

Array = Any


# --------------------------------------------------------------------------------------------
# convolution
# --------------------------------------------------------------------------------------------
_MODES = ("full", "same", "valid")


def _conv(name: str, a: Any, v: Any, mode: str, correlate: bool) -> Array:
    if mode not in _MODES:
        raise ValueError(f"{opname_of(name)}: mode must be 'full', 'same' or 'valid', got "
                         f"{mode!r}")
    be = resolve(name, a, v)
    (a, v), d = promote_args(name, be, [a, v])
    out = []
    for arg, what in ((a, "a"), (v, "v")):
        nd = len(arg.shape)
        if nd > 1:
            raise ValueError(f"{opname_of(name)}: {what} must be 1-d, got shape "
                             f"{tuple(arg.shape)}")
        if nd == 0:
            if correlate:  # NumPy's correlate refuses 0-d input, its convolve takes it as 1-d
                raise ValueError(f"{opname_of(name)}: {what} must be 1-d, got shape ()")
            arg = be.k.reshape(arg, (1,))
        if arg.shape[0] == 0:
            raise ValueError(f"{opname_of(name)}: {what} cannot be empty")
        out.append(arg)
    a, v = out
    n1, n2 = a.shape[0], v.shape[0]
    if correlate:
        # NumPy's correlate conjugates its second argument: c[k] = sum_n a[n + k] * conj(v[n]).
        if d.kind == "c":
            v = be.k.conj(v)
        v = be.k.flip(v, (0,))
    # Convolution commutes; the kernel wants the longer input first.
    full = call(be, "convolve", a, v, op=name) if n1 >= n2 else call(be, "convolve", v, a, op=name)
    if mode == "full":
        return full
    short, long_ = min(n1, n2), max(n1, n2)
    if mode == "valid":
        start, length = short - 1, long_ - short + 1
    else:
        # NumPy centres 'same' on the longer input; correlate with the longer second argument
        # computes the reversed correlation, which moves the window by one for an even short
        # length.
        start = short // 2 if (correlate and n2 > n1) else (short - 1) // 2
        length = long_
    return full[start:start + length]


@declare("signal", kernels=("convolve",))
def convolve(a: Array, v: Array, /, mode: str = "full") -> Array:
    """Discrete linear convolution of two 1-d sequences (NumPy's ``convolve``; the longer input
    is the one slid over, whichever order they come in).

    Args:
        a: 1-d arrays (0-d or Python scalars count as length 1) of one backend; dtypes are
            promoted.
        v: 1-d arrays (0-d or Python scalars count as length 1) of one backend; dtypes are
            promoted.
        mode: 'full' (length ``M + N - 1``), 'same' (length ``max(M, N)``, centred) or 'valid'
            (length ``max(M, N) - min(M, N) + 1``).

    Returns:
        A 1-d array of the inputs' backend in their promoted dtype (integers wrap as in NumPy).
    """
    return _conv("convolve", a, v, mode, False)


@declare("signal", kernels=("convolve",))
def correlate(a: Array, v: Array, /, mode: str = "valid") -> Array:
    """Cross-correlation of two 1-d sequences, ``c[k] = sum_n a[n + k] * conj(v[n])``
    (NumPy's ``correlate``: the second argument is conjugated; default mode 'valid').

    Args:
        a: 1-d arrays of one backend; dtypes are promoted.
        v: 1-d arrays of one backend; dtypes are promoted.
        mode: 'valid', 'same' or 'full'.

    Returns:
        A 1-d array of the inputs' backend in their promoted dtype.
    """
    return _conv("correlate", a, v, mode, True)


# --------------------------------------------------------------------------------------------
# interpolation and integration
# --------------------------------------------------------------------------------------------
@declare("signal", kernels=("interp",))
def interp(x: Array, xp: Array, fp: Array, left: Any = None, right: Any = None,
           period: float | None = None) -> Array:
    """One-dimensional piecewise-linear interpolation of the points ``(xp, fp)`` at ``x``
    (NumPy's ``interp``; ``xp`` must be increasing unless ``period`` is given, and is not
    checked).

    Unlike NumPy, which always answers in float64, the result keeps the promoted floating dtype
    of the inputs (float32 stays float32), as jax does; integers compute in the default float.

    Args:
        x: array (or Python scalar) of points to evaluate.
        xp: 1-d increasing sample points.
        fp: 1-d sample values (real or complex), same length as ``xp``.
        left: value for ``x < xp[0]`` (default ``fp[0]``).
        right: value for ``x > xp[-1]`` (default ``fp[-1]``).
        period: period of the x-coordinates; ``left``/``right`` are then ignored.

    Returns:
        An array of ``x``'s shape and the inputs' backend.
    """
    name = "interp"
    be = resolve(name, x, xp, fp)
    for arr, what in ((xp, "xp"), (fp, "fp")):
        if arr is None or type(arr) in PY_SCALARS or len(arr.shape) != 1:
            raise ValueError(f"{opname_of(name)}: {what} must be a 1-d array")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError(f"{opname_of(name)}: fp and xp are not of the same length "
                         f"({fp.shape[0]} and {xp.shape[0]})")
    if xp.shape[0] == 0:
        raise ValueError(f"{opname_of(name)}: array of sample points is empty")
    dts = [be.dtype_of(xp)] + ([] if type(x) in PY_SCALARS else [be.dtype_of(x)])
    if type(x) is complex or any(d.kind == "c" for d in dts):
        raise TypeError(f"{opname_of(name)}: x and xp must be real")
    fd = be.dtype_of(fp)
    real = _dtypes.result_type_of(dts + [REAL_OF.get(fd, fd)])
    rd = _dtypes.to_float(real, be.default_float)
    if type(x) in PY_SCALARS:
        rd = _dtypes.weak_scalar_dtype(x, rd, be.default_int, be.default_float)
    od = _dtypes.to_complex(rd) if fd.kind == "c" else rd
    be.check_dtype(od, name)
    x = to_array(be, name, x, rd, xp) if type(x) in PY_SCALARS else _cast(be, x, rd)
    xp, fp = _cast(be, xp, rd), _cast(be, fp, od)
    if period is not None:
        if period == 0:
            raise ValueError(f"{opname_of(name)}: period must be a non-zero value")
        period = abs(period)
        left = right = None
        x = ew.remainder(x, period)
        xp = ew.remainder(xp, period)
        order = indexing.argsort(xp)
        xp, fp = indexing.take(xp, order), indexing.take(fp, order)
        xp = manipulation.concatenate([ew.subtract(xp[-1:], period), xp,
                                       ew.add(xp[0:1], period)])
        fp = manipulation.concatenate([fp[-1:], fp, fp[0:1]])
    ends = [None if e is None else (to_array(be, name, e, od, fp) if type(e) in PY_SCALARS
                                    else _cast(be, e, od)) for e in (left, right)]
    return call(be, "interp", x, xp, fp, ends[0], ends[1], op=name)


def _cast(be: Backend, x: Any, d: DType) -> Any:
    return x if be.dtype_of(x) is d else be.astype(x, d)


@declare("signal", composite=True)
def trapezoid(y: Array, x: Array | None = None, dx: Any = 1.0, axis: int = -1) -> Array:
    """Integral of ``y`` along ``axis`` by the composite trapezoidal rule, with sample points
    ``x`` (1-d, or broadcastable with ``y``) or uniform spacing ``dx``.

    Args:
        y: array to integrate.
        x: sample points (default: spacing ``dx``).
        dx: spacing when ``x`` is None.
        axis: axis to integrate along.

    Returns:
        An array of the inputs' backend with ``axis`` removed (integers integrate in the
        default float, as ``sum(d * (y[1:] + y[:-1]) / 2.0)`` does in NumPy).
    """
    name = "trapezoid"
    _backend(name, y)
    resolve(name, y, x if type(x) not in PY_SCALARS else None)  # one backend, or a clear error
    nd = len(y.shape)
    ax = normalize_axis(name, axis, nd)
    pre = (slice(None),) * ax
    # every axis named, and no slice starting past an empty axis (the Array API leaves both
    # unspecified; array-api-strict refuses them)
    hi, lo = (pre + (slice(1, None), ...), pre + (slice(None, -1), ...)) if y.shape[ax] != 0 else \
        (pre + (slice(0, 0), ...),) * 2
    if x is None:
        d = dx
    else:
        if type(x) in PY_SCALARS:
            raise TypeError(f"{opname_of(name)}: x must be an array of sample points")
        if len(x.shape) == 1:
            d = ew.subtract(x[1:], x[:-1]) if x.shape[0] != 0 else x
            shape = [1] * nd
            shape[ax] = d.shape[0]
            d = manipulation.reshape(d, tuple(shape))
        else:
            xa = normalize_axis(name, axis, len(x.shape))
            xpre = (slice(None),) * xa
            d = ew.subtract(x[xpre + (slice(1, None), ...)], x[xpre + (slice(None, -1), ...)]) \
                if x.shape[xa] != 0 else x
    return reductions.sum(ew.divide(ew.multiply(d, ew.add(y[hi], y[lo])), 2.0), axis=ax)


# --------------------------------------------------------------------------------------------
# special functions
# --------------------------------------------------------------------------------------------
@declare("signal", composite=True)
def sinc(x: Array, /) -> Array:
    """Normalised sinc, ``sin(pi x) / (pi x)``, with ``sinc(0) = 1``.

    Computed with the zero entries replaced before the division, so gradients at 0 are finite
    (zero), unlike a plain ``where`` over the quotient.

    Args:
        x: array (bool/integers compute in the default float; complex allowed).

    Returns:
        An array of ``x``'s backend in the floating (or complex) dtype.
    """
    _backend("sinc", x)
    zero = ew.equal(x, 0)
    y = ew.multiply(ew.where(zero, 1, x), math.pi)
    return ew.where(zero, 1, ew.divide(ew.sin(y), y))


@declare("signal", kernels=("i0",))
def i0(x: Array, /) -> Array:
    """Modified Bessel function of the first kind, order 0 (NumPy's ``i0``).

    Args:
        x: real array (bool/integers compute in the default float; complex raises TypeError, as in
            NumPy).

    Returns:
        An array of ``x``'s backend and floating dtype (float16/bfloat16 computed in float32).
    """
    be = _backend("i0", x)
    d = be.dtype_of(x)
    if d.kind == "c":
        raise TypeError(f"{opname_of('i0')}: not supported for complex values (NumPy raises "
                        "too)")
    fd = _dtypes.to_float(d, be.default_float)
    cd = _dtypes.float32 if fd.bits == 16 else fd
    out = call(be, "i0", _cast(be, x, cd))
    return out if cd is fd else be.astype(out, fd)


# --------------------------------------------------------------------------------------------
# windows (creation functions: the backend is like='s, else the default backend)
# --------------------------------------------------------------------------------------------
def _window_n(name: str, M: Any, dtype: Any, device: Any, like: Any
              ) -> tuple[int, DType, Array | None]:
    """(M, dtype, None) or (M, dtype, result) for the trivial lengths M < 2."""
    be = resolve(name, like=like)
    try:
        M = operator.index(M)
    except TypeError:
        raise TypeError(f"{opname_of(name)}: M must be an integer, got "
                        f"{type(M).__name__}") from None
    d = dtype_arg(name, dtype) or be.default_float
    if d.kind != "f":
        raise TypeError(f"{opname_of(name)}: dtype must be a real floating dtype, got {d.name}")
    be.check_dtype(d, name)
    if M < 1:
        return M, d, creation.zeros((0,), dtype=d, device=device, like=like)
    if M == 1:
        return M, d, creation.ones((1,), dtype=d, device=device, like=like)
    return M, d, None


def _cosine_window(name: str, M: Any, coeffs: tuple[float, ...], dtype: Any, device: Any,
                   like: Any) -> Array:
    M, d, done = _window_n(name, M, dtype, device, like)
    if done is not None:
        return done
    n = creation.arange(1 - M, M, 2, dtype=d, device=device, like=like)
    out: Any = coeffs[0]
    for k, c in enumerate(coeffs[1:], start=1):
        out = ew.add(out, ew.multiply(c, ew.cos(ew.divide(ew.multiply(k * math.pi, n), M - 1))))
    return out


_WINDOW_ARGS = """
    Args:
        M: number of points.{beta}
        dtype: real floating dtype.
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A 1-d native array of length ``max(M, 0)``.
"""


@declare("signal", composite=True)
def bartlett(M: int, /, *, dtype: Any = None, device: Any = None,
             like: Array | None = None) -> Array:
    """Bartlett (triangular) window of ``M`` points, zero at both ends.

    Args:
        M: number of points (``M < 1`` gives an empty array).
        dtype: real floating dtype (default: the backend's default float).
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A 1-d native array of length ``max(M, 0)``.
    """
    M, d, done = _window_n("bartlett", M, dtype, device, like)
    if done is not None:
        return done
    n = creation.arange(1 - M, M, 2, dtype=d, device=device, like=like)
    r = ew.divide(n, M - 1)
    return ew.where(ew.less_equal(n, 0), ew.add(1, r), ew.subtract(1, r))


@declare("signal", composite=True, doc_args=_WINDOW_ARGS.format(beta=""))
def blackman(M: int, /, *, dtype: Any = None, device: Any = None,
             like: Array | None = None) -> Array:
    """Blackman window of ``M`` points: ``0.42 + 0.5 cos(pi n/(M-1)) + 0.08 cos(2 pi n/(M-1))``
    for ``n = 1-M, 3-M, ..., M-1``."""
    return _cosine_window("blackman", M, (0.42, 0.5, 0.08), dtype, device, like)


@declare("signal", composite=True, doc_args=_WINDOW_ARGS.format(beta=""))
def hamming(M: int, /, *, dtype: Any = None, device: Any = None,
            like: Array | None = None) -> Array:
    """Hamming window of ``M`` points: ``0.54 + 0.46 cos(pi n/(M-1))``."""
    return _cosine_window("hamming", M, (0.54, 0.46), dtype, device, like)


@declare("signal", composite=True, doc_args=_WINDOW_ARGS.format(beta=""))
def hanning(M: int, /, *, dtype: Any = None, device: Any = None,
            like: Array | None = None) -> Array:
    """Hann window of ``M`` points: ``0.5 + 0.5 cos(pi n/(M-1))``."""
    return _cosine_window("hanning", M, (0.5, 0.5), dtype, device, like)


@declare("signal", needs=("i0",), composite=True, doc_args=_WINDOW_ARGS.format(
    beta="\n        beta: shape parameter (real Python number)."))
def kaiser(M: int, beta: float, /, *, dtype: Any = None, device: Any = None,
           like: Array | None = None) -> Array:
    """Kaiser window of ``M`` points with shape parameter ``beta``:
    ``i0(beta sqrt(1 - ((n - a)/a)^2)) / i0(beta)``, ``a = (M - 1)/2``."""
    M, d, done = _window_n("kaiser", M, dtype, device, like)
    if done is not None:
        return done
    if type(beta) not in (int, float):
        raise TypeError(f"{opname_of('kaiser')}: beta must be a real Python number, got "
                        f"{type(beta).__name__}")
    alpha = (M - 1) / 2.0
    n = creation.arange(0, M, dtype=d, device=device, like=like)
    t = ew.divide(ew.subtract(n, alpha), alpha)
    # Clamp at 0: rounding can leave 1 - t^2 a hair below zero at the ends.
    arg = ew.multiply(beta, ew.sqrt(ew.maximum(ew.subtract(1.0, ew.multiply(t, t)), 0.0)))
    den = i0(creation.full((), float(beta), dtype=d, device=device, like=like))
    return ew.divide(i0(arg), den)


__all__ = ["convolve", "correlate", "interp", "trapezoid", "sinc", "i0", "bartlett",
           "blackman", "hamming", "hanning", "kaiser"]
