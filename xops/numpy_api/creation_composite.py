"""Array creation composed of elementwise and shape ops: ``array`` (with ``ndmin``),
``logspace``/``geomspace``, ``tri``, ``vander`` and ``indices``.

These are not in creation.py because elementwise.py and manipulation.py convert array-likes with
``creation.asarray``: creation.py sits below both of them, and these constructors above.
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any, Sequence

from .. import _dtypes
from .._dispatch import PY_SCALARS, call, dtype_arg, normalize_shape, opname_of, resolve
from . import creation as _cr
from . import dtypes as _dt
from . import elementwise as _ew
from . import manipulation as _mp
from ._common import _cast, _shape
from ._registry import declare
from .creation import _arange, _one

Array = Any


@declare("creation", composite=True)
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None, *, device: Any = None,
        like: Array | None = None) -> Array:
    """An ``(N, M)`` array with ones at and below the ``k``-th diagonal, zeros above.

    Args:
        N: rows.
        M: columns (default ``N``).
        k: diagonal offset.
        dtype: result dtype (default: the backend's default float, as NumPy's float).
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A native 2-d array.
    """
    be = resolve("tri", like=like, dtype=dtype)
    N = operator.index(N)
    M = N if M is None else operator.index(M)
    k = builtins.max(-N - 1, builtins.min(operator.index(k), M + 1))  # fits any int dtype
    d = dtype_arg("tri", dtype) or be.default_float
    rows = _mp.reshape(_arange(be, N, None, device, like), (N, 1))
    cols = _mp.reshape(_arange(be, M, None, device, like), (1, M))
    return _dt.astype(_ew.less_equal(_ew.subtract(cols, rows), k), d)


@declare("creation", composite=True)
def vander(x: Array, N: int | None = None, increasing: bool = False) -> Array:
    """The Vandermonde matrix of the 1-d ``x``: columns are powers ``x**(N-1), ..., x**0``
    (ascending with ``increasing``), computed as running products like NumPy. The dtype is
    ``x``'s promoted with the default integer under the xops table (NumPy promotes with int64
    under its own table, so NumPy gives float64 for float32 input where xops keeps float32).

    Args:
        x: 1-d array.
        N: number of columns (default ``len(x)``).
        increasing: power order.

    Returns:
        A 2-d array of ``x``'s backend.
    """
    be, v = _one("vander", x)
    if len(v.shape) != 1:
        raise ValueError(f"xops.numpy.vander: x must be a one-dimensional array, got shape "
                         f"{_shape(v)}")
    n = v.shape[0]
    N = n if N is None else operator.index(N)
    if N < 0:
        raise ValueError("xops.numpy.vander: N must be non-negative")
    d = _dtypes.promote_types(be.dtype_of(v), be.default_int)
    be.check_dtype(d, "vander")
    v = _dt.astype(v, d, copy=False)
    if N == 0:
        return _cr.zeros((n, 0), dtype=d, like=v)
    cols = [_cr.ones_like(v)]
    for _ in range(1, N):
        cols.append(_ew.multiply(cols[-1], v))
    if not increasing:
        cols.reverse()
    return _mp.stack(cols, axis=1)


@declare("creation", composite=True)
def indices(dimensions: Sequence[int], dtype: Any = None, sparse: bool = False, *,
            device: Any = None, like: Array | None = None) -> Any:
    """A grid of indices: array ``i`` of the result varies along axis ``i`` only
    (shape ``(len(dimensions), *dimensions)``); with ``sparse``, a tuple of arrays of shape
    ``(1, ..., d_i, ..., 1)`` instead.

    Args:
        dimensions: sequence of ints.
        dtype: result dtype (default integer).
        sparse: return the broadcastable pieces.
        device: backend device.
        like: backend/device source.

    Returns:
        A native array, or a tuple of arrays when ``sparse``.
    """
    be = resolve("indices", like=like, dtype=dtype)
    dims = normalize_shape("indices", tuple(dimensions))
    nd = len(dims)
    d = dtype_arg("indices", dtype) or be.default_int
    parts = []
    for i, n in enumerate(dims):
        r = _arange(be, n, d, device, like)
        parts.append(_mp.reshape(r, (1,) * i + (n,) + (1,) * (nd - i - 1)))
    if sparse:
        return tuple(parts)
    if not parts:
        return _cr.zeros((0,), dtype=d, device=device, like=like) if like is not None else \
            call(be, "zeros", (0,), be.check_dtype(d, "indices"), device)
    return _mp.stack([_mp.broadcast_to(p, dims) for p in parts], axis=0)


def _real_scalar(name: str, v: Any, what: str) -> float:
    if type(v) not in PY_SCALARS or isinstance(v, complex):
        raise TypeError(f"{opname_of(name)}: {what} must be a real Python scalar, got "
                        f"{type(v).__name__} (array or complex endpoints are not supported)")
    return float(v)


def _axis0(name: str, axis: Any) -> None:
    if operator.index(axis) not in (0, -1):
        raise ValueError(f"{opname_of(name)}: the result is 1-d, axis must be 0 or -1")


# the arguments logspace and geomspace share, after their own
_SPACE_ARGS = """
        dtype: result dtype.
        axis: 0 (the result is 1-d).
        device: backend device.
        like: backend/device source.

    Returns:
        A 1-d native array.
"""


@declare("creation", composite=True, doc_args="""
    Args:
        start: exponent of the first sample.
        stop: exponent of the last sample.
        num: number of samples.
        endpoint: include ``base ** stop``.
        base: the log base.""" + _SPACE_ARGS)
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10.0,
             dtype: Any = None, axis: int = 0, *, device: Any = None,
             like: Array | None = None) -> Array:
    """``base ** linspace(start, stop, num)``: ``num`` samples evenly spaced on a log scale,
    computed in the backend's default float (NumPy: float64; jax without x64: float32), then
    cast to ``dtype`` if given. ``start``/``stop``/``base`` are real Python scalars here."""
    _real_scalar("logspace", start, "start")
    _real_scalar("logspace", stop, "stop")
    _real_scalar("logspace", base, "base")
    _axis0("logspace", axis)
    y = _cr.linspace(start, stop, num, endpoint=endpoint, device=device, like=like)
    return _cast(_ew.power(float(base), y), dtype, "logspace")


@declare("creation", composite=True, doc_args="""
    Args:
        start: non-zero real Python scalars.
        stop: non-zero real Python scalars.
        num: number of samples.
        endpoint: include ``stop``.""" + _SPACE_ARGS)
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0, *, device: Any = None, like: Array | None = None) -> Array:
    """``num`` samples evenly spaced on a log scale from ``start`` to ``stop`` (a geometric
    progression; both negative gives a negative progression; endpoints are exact), computed in
    the backend's default float, then cast to ``dtype``. Real Python scalar endpoints only."""
    s = _real_scalar("geomspace", start, "start")
    e = _real_scalar("geomspace", stop, "stop")
    _axis0("geomspace", axis)
    if s == 0 or e == 0:
        raise ValueError("xops.numpy.geomspace: a geometric sequence cannot include zero")
    num = operator.index(num)
    sign = 1.0 if s > 0 else -1.0
    s, e = s * sign, e * sign
    ls = math.log10(s)
    le = math.log10(e) if e > 0 else math.nan  # mixed signs: NaN inside, as NumPy
    out = logspace(ls, le, num, endpoint, 10.0, device=device, like=like)
    if num > 0:
        be = resolve("geomspace", out)
        idx = _arange(be, num, None, None, out)
        out = _ew.where(_ew.equal(idx, 0), s, out)
        if num > 1 and endpoint:
            out = _ew.where(_ew.equal(idx, num - 1), e, out)
    if sign < 0:
        out = _ew.negative(out)
    return _cast(out, dtype, "geomspace")


@declare("creation", composite=True)
def array(object: Any, dtype: Any = None, *, copy: bool | None = True, ndmin: int = 0,
          device: Any = None, like: Array | None = None) -> Array:
    """An array from nested Python data or an array of the target backend: ``asarray`` that
    copies by default (NumPy 2's ``copy``: True always, None when needed, False never),
    with ``ndmin`` leading size-1 axes added as needed.

    Args:
        object: Python scalar, nested sequence or array.
        dtype: result dtype.
        copy: see above.
        ndmin: minimum number of dimensions.
        device: backend device.
        like: array whose backend (and device) to use.

    Returns:
        A native array.
    """
    x = _cr.asarray(object, dtype=dtype, device=device, copy=copy, like=like)
    s = _shape(x)
    ndmin = operator.index(ndmin)
    if len(s) < ndmin:
        x = _mp.reshape(x, (1,) * (ndmin - len(s)) + s)
    return x
