"""NaN-ignoring reductions: nansum, nanprod, nanmean, nanvar, nanstd, nanmax, nanmin,
nanargmax, nanargmin, nancumsum, nancumprod (masked compositions of the reductions). Semantics:
docs/stats.md.
"""
from __future__ import annotations

import math
from typing import Any

from .. import _dtypes
from .._dispatch import normalize_axes, normalize_axis
from ..backends import Backend
from . import dtypes as dt
from . import elementwise as ew
from . import manipulation as mp
from . import reductions as red
from ._common import _err, _is_float, _kind_check, _no_out, _to_float
from ._registry import declare
from .creation import _array

Array = Any


def _zero_fill(x: Array, mask: Array, value: float) -> Array:
    return ew.where(mask, value, x)


def _nan_mask(be: Backend, x: Array) -> Array | None:
    """isnan(x) for float/complex input; None for integers and bool (no NaN to ignore)."""
    return ew.isnan(x) if _is_float(be.dtype_of(x)) else None


def _nan_filled(name: str, a: Any, out: Any, value: float) -> Array:
    """``a`` as an array with its NaN replaced by ``value`` (the body of nansum, nanprod,
    nancumsum and nancumprod before their reduction)."""
    _no_out(name, out)
    be, x = _array(name, a)
    m = _nan_mask(be, x)
    return x if m is None else _zero_fill(x, m, value)


_NAN_SUM_ARGS = """
    Args:
        a: array.
        axis: None, int or tuple.
        dtype: accumulation dtype.
        out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend; an all-NaN slice {gives}.
"""


@declare("statistics", composite=True, doc_args=_NAN_SUM_ARGS.format(gives="sums to 0"))
def nansum(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
           keepdims: bool = False) -> Array:
    """Sum along ``axis`` treating NaN as zero; dtypes as :func:`sum` (narrow integers and bool
    accumulate in the default integer)."""
    x = _nan_filled("nansum", a, out, 0)
    return red.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


@declare("statistics", composite=True, doc_args=_NAN_SUM_ARGS.format(gives="gives 1"))
def nanprod(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Array:
    """Product along ``axis`` treating NaN as one; dtypes as :func:`prod`."""
    x = _nan_filled("nanprod", a, out, 1)
    return red.prod(x, axis=axis, dtype=dtype, keepdims=keepdims)


@declare("statistics", composite=True)
def nanmean(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Array:
    """Mean along ``axis`` ignoring NaN; an all-NaN or empty slice gives NaN (NumPy also warns).

    Args:
        a: array.
        axis: None, int or tuple.
        dtype: float result dtype.
        out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend in ``a``'s float dtype (integers and bool: the backend's
        default float; float64 in NumPy, float32 on jax without x64 and on tensorflow).
    """
    name = "nanmean"
    _no_out(name, out)
    be, x = _array(name, a)
    _kind_check(name, be, x, "biufc")
    x, d = _to_float(name, be, x, dtype)
    m = ew.isnan(x)
    tot = red.sum(_zero_fill(x, m, 0), axis=axis, keepdims=keepdims)
    cnt = red.sum(ew.logical_not(m), axis=axis, keepdims=keepdims)
    return ew.divide(tot, dt.astype(cnt, _dtypes.REAL_OF.get(d, d)))


def _nanvar(name: str, a: Any, axis: Any, dtype: Any, ddof: Any, correction: Any,
            keepdims: bool) -> Array:
    if correction is not None:
        if ddof not in (0, None):
            raise ValueError(_err(name, "pass ddof or correction, not both"))
        ddof = correction
    ddof = ddof or 0
    be, x = _array(name, a)
    has_nan = _is_float(_kind_check(name, be, x, "biufc"))
    x, d = _to_float(name, be, x, dtype)
    rd = _dtypes.REAL_OF.get(d, d)
    m = ew.isnan(x)
    valid = ew.logical_not(m)
    x0 = _zero_fill(x, m, 0)
    cnt = dt.astype(red.sum(valid, axis=axis, keepdims=True), rd)
    avg = ew.divide(red.sum(x0, axis=axis, keepdims=True), cnt)
    dev = _zero_fill(ew.subtract(x0, avg), m, 0)
    sq = ew.real(ew.multiply(dev, ew.conj(dev))) if d.kind == "c" else ew.multiply(dev, dev)
    dof = ew.subtract(cnt, ddof)
    var = ew.divide(red.sum(sq, axis=axis, keepdims=True), dof)
    if has_nan:
        var = ew.where(ew.less_equal(dof, 0), math.nan, var)
    else:  # integer input: NumPy's var (a divisor of max(n - ddof, 0): inf or NaN)
        var = ew.divide(red.sum(sq, axis=axis, keepdims=True), ew.maximum(dof, 0.0))
    if not keepdims:
        axes = normalize_axes(name, axis, len(x.shape))
        var = mp.reshape(var, tuple(s for i, s in enumerate(var.shape)
                                    if axes is not None and i not in axes))
    return var


_NAN_VAR_ARGS = """
    Args:
        a: array.
        axis: None, int or tuple.
        dtype: float dtype to compute in.
        out: must be None.
        ddof: delta degrees of freedom.
        keepdims: keep reduced axes.
        correction: delta degrees of freedom (the Array API name of ``ddof``).

    Returns:
        An array of ``a``'s backend, ``a``'s float dtype (complex: its real dtype; integers:
        the default float).
"""


@declare("statistics", composite=True, doc_args=_NAN_VAR_ARGS)
def nanvar(a: Array, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, correction: float | None = None) -> Array:
    """Variance along ``axis`` ignoring NaN, with ``ddof`` (alias ``correction``) delta degrees
    of freedom; a slice with no more than ``ddof`` non-NaN values gives NaN."""
    _no_out("nanvar", out)
    return _nanvar("nanvar", a, axis, dtype, ddof, correction, keepdims)


@declare("statistics", composite=True, doc_args=_NAN_VAR_ARGS)
def nanstd(a: Array, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, correction: float | None = None) -> Array:
    """Standard deviation along ``axis`` ignoring NaN: ``sqrt(nanvar(...))``."""
    _no_out("nanstd", out)
    return ew.sqrt(_nanvar("nanstd", a, axis, dtype, ddof, correction, keepdims))


def _real(name: str, a: Any, out: Any) -> tuple[Array, Array | None]:
    """``a`` as an array of a real kind (bool, integer or real float), and its NaN mask."""
    _no_out(name, out)
    be, x = _array(name, a)
    _kind_check(name, be, x, "biuf")
    return x, _nan_mask(be, x)


def _nanextreme(name: str, a: Any, axis: Any, out: Any, keepdims: bool, is_max: bool) -> Array:
    x, m = _real(name, a, out)
    f = red.max if is_max else red.min
    if m is None:
        return f(x, axis=axis, keepdims=keepdims)
    r = f(_zero_fill(x, m, -math.inf if is_max else math.inf), axis=axis, keepdims=keepdims)
    return ew.where(red.all(m, axis=axis, keepdims=keepdims), math.nan, r)


_NAN_EXTREME_ARGS = """
    Args:
        a: real array.
        axis: None, int or tuple.
        out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend and dtype.
"""


@declare("statistics", composite=True, doc_args=_NAN_EXTREME_ARGS)
def nanmax(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Maximum along ``axis`` ignoring NaN; an all-NaN slice gives NaN (NumPy also warns), an
    empty reduction raises ValueError."""
    return _nanextreme("nanmax", a, axis, out, keepdims, True)


@declare("statistics", composite=True, doc_args=_NAN_EXTREME_ARGS)
def nanmin(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Minimum along ``axis`` ignoring NaN; an all-NaN slice gives NaN (NumPy also warns), an
    empty reduction raises ValueError."""
    return _nanextreme("nanmin", a, axis, out, keepdims, False)


def _nanarg(name: str, a: Any, axis: Any, out: Any, keepdims: bool, is_max: bool) -> Array:
    x, m = _real(name, a, out)
    f = red.argmax if is_max else red.argmin
    if m is None:
        return f(x, axis=axis, keepdims=keepdims)
    nd0 = len(tuple(x.shape))
    if axis is None:
        x, m = mp.reshape(x, (-1,)), mp.reshape(m, (-1,))
        ax = 0
    else:
        ax = normalize_axis(name, axis, len(x.shape))
    if x.shape[ax] == 0:
        raise ValueError(_err(name, "attempt to get an arg-extremum of an empty sequence"))
    # NumPy's rule: NaN is replaced by -inf (+inf for nanargmin) before the arg-reduction, so
    # [nan, -inf] gives 0 for nanargmax, as in NumPy and jax.numpy.
    i = f(_zero_fill(x, m, -math.inf if is_max else math.inf), axis=ax, keepdims=True)
    i = ew.where(red.all(m, axis=ax, keepdims=True), -1, i)
    if axis is None:
        return mp.reshape(i, (1,) * nd0 if keepdims else ())
    return i if keepdims else mp.squeeze(i, axis=ax)


_NAN_ARG_ARGS = """
    Args:
        a: real array.
        axis: None or int.
        out: must be None.
        keepdims: keep the reduced axis.

    Returns:
        An array of the default integer dtype of ``a``'s backend.
"""


@declare("statistics", composite=True, doc_args=_NAN_ARG_ARGS)
def nanargmax(a: Array, axis: int | None = None, out: Any = None, *,
              keepdims: bool = False) -> Array:
    """Index of the first maximum along ``axis`` ignoring NaN (None: of the flattened array).
    An all-NaN slice gives -1 (as jax.numpy; NumPy raises ValueError, which would need a device
    sync and cannot work under jit)."""
    return _nanarg("nanargmax", a, axis, out, keepdims, True)


@declare("statistics", composite=True, doc_args=_NAN_ARG_ARGS)
def nanargmin(a: Array, axis: int | None = None, out: Any = None, *,
              keepdims: bool = False) -> Array:
    """Index of the first minimum along ``axis`` ignoring NaN (None: of the flattened array).
    An all-NaN slice gives -1 (as jax.numpy; NumPy raises ValueError)."""
    return _nanarg("nanargmin", a, axis, out, keepdims, False)


_NAN_SCAN_ARGS = """
    Args:
        a: array.
        axis: None or int.
        dtype: accumulation dtype.
        out: must be None.

    Returns:
        An array of ``a``'s backend.
"""


@declare("statistics", composite=True, doc_args=_NAN_SCAN_ARGS)
def nancumsum(a: Array, axis: int | None = None, dtype: Any = None, out: Any = None) -> Array:
    """Cumulative sum along ``axis`` (None: flattened) treating NaN as zero; dtypes as
    :func:`cumsum`."""
    return red.cumsum(_nan_filled("nancumsum", a, out, 0), axis=axis, dtype=dtype)


@declare("statistics", composite=True, doc_args=_NAN_SCAN_ARGS)
def nancumprod(a: Array, axis: int | None = None, dtype: Any = None, out: Any = None) -> Array:
    """Cumulative product along ``axis`` (None: flattened) treating NaN as one; dtypes as
    :func:`cumprod`."""
    return red.cumprod(_nan_filled("nancumprod", a, out, 1), axis=axis, dtype=dtype)
