"""Products and contractions: matmul, tensordot, dot, vecdot, einsum, outer, inner, vdot, kron,
cross, and trace (the contraction of two axes of one array).

A module of their own, not part of linalg.py: linalg.py declares the ``xops.numpy.linalg``
namespace, whose ``outer``, ``cross``, ``trace`` and ``diagonal`` are other ops with the same
Python names; and the statistics and decompositions above build on these products.
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

from .. import _dispatch as _d
from .._dispatch import (
    annotate,
    call,
    check_kind,
    normalize_axis,
    promote_args,
    resolve,
    same_dtype_fast,
)
from .._dtypes import bool_
from ..backends import Backend, _compiling
from . import elementwise as _ew
from . import manipulation as _mp
from . import reductions as _rd
from ._common import _shape
from ._registry import declare
from .creation import _arrays, _is_array
from .indexing import diagonal

Array = Any


# matmul fast path: same array type and dtype, both at least 1-d (shape errors come from the
# native call, annotated with the op and backend).
_MATMUL_FAST: dict[type, dict[Any, Callable]] = {}


@declare("linalg", fast=lambda op: same_dtype_fast("matmul", _MATMUL_FAST, op))
def matmul(x1: Array, x2: Array, /) -> Array:
    """Matrix product with NumPy's rules (1-d operands promoted and the added axis removed,
    batch axes broadcast); dtypes promoted.

    Args:
        x1: arrays of one backend with ndim >= 1.
        x2: arrays of one backend with ndim >= 1.

    Returns:
        An array of the inputs' backend.
    """
    t = type(x1)
    be = resolve("matmul", x1, x2)
    (a, b), d = promote_args("matmul", be, (x1, x2), kinds="iufc")
    sa, sb = tuple(a.shape), tuple(b.shape)
    if not sa or not sb:
        raise ValueError("xops.numpy.matmul: operands must be at least 1-d")
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        raise ValueError(f"xops.numpy.matmul: shapes {sa} and {sb} do not align")
    try:
        out = be.require("matmul", d)(a, b)
    except Exception as e:
        annotate(e, "matmul", be, (a, b))
        raise
    if t not in _MATMUL_FAST and type(x2) is t and not _compiling():
        _MATMUL_FAST[t] = {native: be.require("matmul", dt) for dt, native in be.native.items()
                           if dt.kind in "iufc" and not be.k.unsupported_dtype(dt)}
    return out


@declare("linalg")
def tensordot(x1: Array, x2: Array, /, axes: Any = 2) -> Array:
    """Sum of products over the given axes (an int ``n``: last ``n`` of ``x1`` with first ``n``
    of ``x2``; or a pair of axis sequences).

    Args:
        x1: arrays of one backend.
        x2: arrays of one backend.
        axes: int or (axes1, axes2).

    Returns:
        An array of the inputs' backend.
    """
    be = resolve("tensordot", x1, x2)
    (a, b), _ = promote_args("tensordot", be, (x1, x2), kinds="iufc")
    na, nb = len(a.shape), len(b.shape)
    if isinstance(axes, int):
        if axes < 0 or axes > builtins.min(na, nb):
            raise ValueError(f"xops.numpy.tensordot: axes={axes} does not fit ndims {na}, {nb}")
        ax1, ax2 = tuple(range(na - axes, na)), tuple(range(axes))
    else:
        p, q = axes
        p = (p,) if isinstance(p, int) else tuple(p)
        q = (q,) if isinstance(q, int) else tuple(q)
        ax1 = tuple(normalize_axis("tensordot", i, na) for i in p)
        ax2 = tuple(normalize_axis("tensordot", i, nb) for i in q)
    if len(ax1) != len(ax2) or builtins.any(a.shape[i] != b.shape[j] for i, j in zip(ax1, ax2)):
        raise ValueError(f"xops.numpy.tensordot: shape mismatch for sum over axes {ax1} and {ax2}")
    return call(be, "tensordot", a, b, ax1, ax2)


@declare("linalg", composite=True)
def dot(a: Array, b: Array, /) -> Array:
    """NumPy ``dot``: scalar product for 0-d, inner product for 1-d, matmul for 2-d, and a sum
    over the last axis of ``a`` and second-to-last of ``b`` otherwise.

    Args:
        a: arrays of one backend.
        b: arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    na, nb = len(getattr(a, "shape", ())), len(getattr(b, "shape", ()))
    if na == 0 or nb == 0:
        return _ew.multiply(a, b)
    if nb == 1 or (na <= 2 and nb == 2):
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 2]))


@declare("linalg", composite=True)
def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Vector dot product over ``axis`` (conjugating ``x1``), broadcasting the other axes.

    Args:
        x1: arrays of one backend.
        x2: arrays of one backend.
        axis: the contracted axis.

    Returns:
        An array of the inputs' backend.
    """
    _d.resolve("vecdot", x1, x2)  # host data are converted first (HostConstants)
    s1, s2 = tuple(getattr(x1, "shape", ())), tuple(getattr(x2, "shape", ()))
    if not s1 or not s2:
        raise ValueError(f"xops.numpy.vecdot: x1 and x2 need at least one dimension, got shapes "
                         f"{s1} and {s2}")
    n1 = s1[normalize_axis("vecdot", axis, len(s1))]
    n2 = s2[normalize_axis("vecdot", axis, len(s2))]
    if n1 is not None and n2 is not None and n1 != n2:  # no broadcasting of the summed axis
        raise ValueError(f"xops.numpy.vecdot: shapes {s1} and {s2} differ along axis {axis} "
                         f"({n1} != {n2})")
    return _rd.sum(_ew.multiply(_ew.conj(x1), x2), axis=axis)


@declare("linalg")
def einsum(subscripts: str, /, *operands: Array) -> Array:
    """Einstein summation over ``operands`` (explicit or implicit mode, ``...`` broadcasting);
    operand dtypes are promoted.

    Args:
        subscripts: the einsum expression.
        *operands: arrays of one backend.

    Returns:
        An array of the operands' backend.
    """
    if not isinstance(subscripts, str):
        raise TypeError("xops.numpy.einsum: the first argument must be the subscripts string")
    be = resolve("einsum", *operands)
    arrs, _ = promote_args("einsum", be, operands)
    return call(be, "einsum", subscripts, arrs)


@declare("linalg", composite=True)
def outer(a: Array, b: Array, /) -> Array:
    """Outer product of two vectors (inputs are flattened).

    Args:
        a: arrays of one backend.
        b: arrays of one backend.

    Returns:
        A 2-d array of the inputs' backend.
    """
    return _ew.multiply(_mp.reshape(a, (-1, 1)), _mp.reshape(b, (1, -1)))


def _mul(a: Array, b: Array) -> Array:
    """NumPy's multiply, which is logical and for two bool arrays (xops' multiply is numeric)."""
    if _is_array(a) and _is_array(b):
        be = resolve("multiply", a, b)
        if be.dtype_of(a) is bool_ and be.dtype_of(b) is bool_:
            return _ew.logical_and(a, b)
    return _ew.multiply(a, b)


def _numeric(name: str, be: Backend, *xs: Array) -> None:
    for x in xs:
        check_kind(name, be.dtype_of(x), "iufc", hint="cast with xnp.astype (xops products "
                   "are numeric)")


@declare("linalg", composite=True)
def inner(a: Array, b: Array) -> Array:
    """Inner product over the last axes (no conjugation): shape ``a.shape[:-1] +
    b.shape[:-1]``; a 0-d operand multiplies. Dtypes are promoted.

    Args:
        a: numeric arrays of one backend with equal last dimensions.
        b: numeric arrays of one backend with equal last dimensions.

    Returns:
        An array of the inputs' backend.
    """
    be, (x, y) = _arrays("inner", a, b)
    na, nb = len(x.shape), len(y.shape)
    if na == 0 or nb == 0:
        return _mul(x, y)
    _numeric("inner", be, x, y)
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"xops.numpy.inner: last dimensions differ: {_shape(x)} and "
                         f"{_shape(y)}")
    return tensordot(x, y, axes=([na - 1], [nb - 1]))


@declare("linalg", composite=True)
def vdot(a: Array, b: Array) -> Array:
    """Dot product of the flattened arrays, conjugating ``a`` first (complex), accumulated in
    the promoted dtype (like NumPy: no widening of small integers).

    Args:
        a: numeric arrays of one backend with the same number of elements.
        b: numeric arrays of one backend with the same number of elements.

    Returns:
        A 0-d array of the inputs' backend.
    """
    be, (x, y) = _arrays("vdot", a, b)
    _numeric("vdot", be, x, y)
    x, y = _mp.ravel(x), _mp.ravel(y)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"xops.numpy.vdot: vectors have different lengths ({x.shape[0]} and "
                         f"{y.shape[0]})")
    return matmul(_ew.conj(x), y)


@declare("linalg", composite=True)
def kron(a: Array, b: Array) -> Array:
    """Kronecker product: blocks of ``b`` scaled by each element of ``a`` (operands padded with
    leading size-1 axes to the same rank); dtypes promoted, two bool operands give bool.

    Args:
        a: arrays of one backend.
        b: arrays of one backend.

    Returns:
        An array of the inputs' backend with shape ``a.shape * b.shape`` elementwise.
    """
    _, (x, y) = _arrays("kron", a, b)
    sa, sb = _shape(x), _shape(y)
    if not sa or not sb:
        return _mul(x, y)
    nd = builtins.max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    xi = _mp.reshape(x, tuple(v for s in sa for v in (s, 1)))
    yi = _mp.reshape(y, tuple(v for s in sb for v in (1, s)))
    return _mp.reshape(_mul(xi, yi), tuple(p * q for p, q in zip(sa, sb)))


@declare("linalg", composite=True)
def cross(a: Array, b: Array, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Array:
    """Cross product of 2- or 3-element vectors along ``axisa``/``axisb`` (``axis`` sets all
    three), broadcasting the other axes; a missing third component counts as zero, two
    2-vectors give the scalar z component. The result vectors lie along ``axisc``. (NumPy's
    function; ``xnp.linalg.cross`` is the Array API form.)

    Args:
        a: numeric arrays of one backend.
        b: numeric arrays of one backend.
        axisa: the vector axis of ``a``.
        axisb: the vector axis of ``b``.
        axisc: the vector axis of the result.
        axis: overrides the three.

    Returns:
        An array of the inputs' backend.
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    be, (x, y) = _arrays("cross", a, b)
    (x, y), _ = promote_args("cross", be, (x, y), kinds="iufc")
    if len(x.shape) < 1 or len(y.shape) < 1:
        raise ValueError("xops.numpy.cross: inputs must be at least 1-d")
    x = _mp.moveaxis(x, normalize_axis("cross", axisa, len(x.shape)), -1)
    y = _mp.moveaxis(y, normalize_axis("cross", axisb, len(y.shape)), -1)
    na, nb = x.shape[-1], y.shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("xops.numpy.cross: incompatible dimensions for cross product "
                         "(dimension must be 2 or 3)")
    mul, sub = _ew.multiply, _ew.subtract
    a0, a1, b0, b1 = x[..., 0], x[..., 1], y[..., 0], y[..., 1]
    cp2 = sub(mul(a0, b1), mul(a1, b0))
    if na == 2 and nb == 2:
        return cp2
    if na == 2:
        b2 = y[..., 2]
        cp0, cp1 = mul(a1, b2), _ew.negative(mul(a0, b2))
    elif nb == 2:
        a2 = x[..., 2]
        cp0, cp1 = _ew.negative(mul(a2, b1)), mul(a2, b0)
    else:
        a2, b2 = x[..., 2], y[..., 2]
        cp0, cp1 = sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2))
    shp = _mp._broadcast_shapes("cross", _shape(cp0), _shape(cp1), _shape(cp2))
    cp = _mp.stack([_mp.broadcast_to(c, shp) for c in (cp0, cp1, cp2)], axis=-1)
    return _mp.moveaxis(cp, -1, normalize_axis("cross", axisc, len(cp.shape)))


@declare("reduction", composite=True)
def trace(a: Array, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Array:
    """Sum along the diagonal at ``offset`` of the plane ``(axis1, axis2)`` (NumPy's function;
    the Array API's last-two-axes form is ``xnp.linalg.trace``). Accumulates like ``sum``:
    bool and small integers in the default integer dtype.

    Args:
        a: array with ndim >= 2.
        offset: diagonal offset.
        axis1: the first axis of the plane.
        axis2: the second axis of the plane.
        dtype: accumulation and result dtype.

    Returns:
        An array of ``a``'s backend with the two axes removed.
    """
    return _rd.sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)
