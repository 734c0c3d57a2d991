"""Set functions: the Array API's ``unique_all``, ``unique_counts``, ``unique_inverse`` and
``unique_values`` (NumPy 2 is the reference; sort-based, each NaN distinct; an optional
``size=``/``fill_value=`` fixes the data-dependent output shape for ``jax.jit``, as in
``jax.numpy``) and NumPy's ``isin``.
"""
from __future__ import annotations

import math
import operator
from typing import Any, NamedTuple

from .. import _dtypes
from .._dispatch import check_kind, opname_of, promote_args, resolve
from .._dtypes import bool_
from . import creation as cr
from . import dtypes as dt
from . import elementwise as ew
from . import indexing as ix
from . import manipulation as mp
from . import reductions as red
from ._common import _backend, _is_float
from ._registry import declare
from .creation import _array
from .indexing import _searchsorted, nonzero
from .reductions import diff

Array = Any


class UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


def _unique(name: str, x: Array, size: int | None, fill_value: Any,
            want: str) -> tuple[Array, Array | None, Array | None, Array | None]:
    """Sort-based unique: group starts are where a sorted element differs from its predecessor.
    NaN != NaN, so every NaN is its own group (NumPy 2's array API functions do the same)."""
    be = _backend(name, x)
    d = be.dtype_of(x)
    check_kind(name, d, "biuf", hint="xops sorts to find unique values and complex numbers "
               "have no order")
    shape = tuple(x.shape)
    xf = mp.reshape(x, (-1,))
    n = xf.shape[0]
    if size is not None:
        size = operator.index(size)
    idx_d = be.default_int
    if n == 0:
        k = 0 if size is None else size
        if k and fill_value is None:  # no smallest value to pad with (jax's rule)
            raise ValueError(f"{opname_of(name)}: x is empty and size={k}: pass fill_value= "
                             "for the padded entries")
        empty_i = cr.zeros((k,), idx_d, like=x)
        vals = cr.full((k,), 0 if fill_value is None else fill_value, d, like=x)
        return vals, empty_i, cr.zeros(shape, idx_d, like=x), empty_i
    perm = ix.argsort(xf, stable=True)
    s = ix.take(xf, perm)
    first = cr.ones((1,), bool_, like=x)
    mask = mp.concatenate([first, ew.not_equal(s[1:], s[:-1])])
    if size is None:
        (starts,) = nonzero(mask)
        values = ix.take(s, starts)
        indices = ix.take(perm, starts) if "i" in want else None
        valid = None
    else:
        # one start more than kept, so the last kept group's count ends at the next start
        (ends,) = nonzero(mask, size=size + 1, fill_value=n)
        starts = ends[:size]
        valid = ew.less(starts, n)
        safe = ew.minimum(starts, n - 1)
        fill = s[0] if fill_value is None else fill_value
        values = ew.where(valid, ix.take(s, safe), fill)
        indices = (ew.where(valid, ix.take(perm, safe), perm[0])
                   if "i" in want else None)
    counts = None
    if "c" in want:
        if size is None:
            counts = diff(starts, append=cr.full((1,), n, idx_d, like=x))
        else:
            counts = diff(ends)
    inverse = None
    if "v" in want:
        gid = ew.subtract(red.cumsum(mask, dtype=idx_d), 1)
        inverse = mp.reshape(ix.take(gid, ix.argsort(perm)), shape)
    return values, indices, inverse, counts


_UNIQUE_ARGS = """
    Args:
        x: real or bool array.
        size: for ``jax.jit`` (data-dependent output shape): truncate or pad the result to ``size``
            entries, as in ``jax.numpy``.
        fill_value: the padded values (default: the smallest value); padded counts are 0.

    Returns:
        {returns}
"""


@declare("set", needs=("nonzero",), ref="unique_all", composite=True,
         doc_args=_UNIQUE_ARGS.format(
    returns="``UniqueAllResult(values, indices, inverse_indices, counts)``; index arrays in the\n"
            "        default integer dtype."))
def unique_all(x: Array, /, *, size: int | None = None, fill_value: Any = None
               ) -> UniqueAllResult:
    """Sorted unique elements of the flattened ``x`` with the index of each one's first
    occurrence, the inverse indices (shape of ``x``) and the counts; each NaN is distinct."""
    v, i, inv, c = _unique("unique_all", x, size, fill_value, "icv")
    return UniqueAllResult(v, i, inv, c)


@declare("set", needs=("nonzero",), ref="unique_counts", composite=True,
         doc_args=_UNIQUE_ARGS.format(
    returns="``UniqueCountsResult(values, counts)``; counts in the default integer dtype."))
def unique_counts(x: Array, /, *, size: int | None = None, fill_value: Any = None
                  ) -> UniqueCountsResult:
    """Sorted unique elements of the flattened ``x`` and how often each occurs; each NaN is
    distinct (count 1)."""
    v, _, _, c = _unique("unique_counts", x, size, fill_value, "c")
    return UniqueCountsResult(v, c)


@declare("set", needs=("nonzero",), ref="unique_inverse", composite=True,
         doc_args=_UNIQUE_ARGS.format(
    returns="``UniqueInverseResult(values, inverse_indices)``; indices in the default integer "
            "dtype."))
def unique_inverse(x: Array, /, *, size: int | None = None, fill_value: Any = None
                   ) -> UniqueInverseResult:
    """Sorted unique elements of the flattened ``x`` and, for every element of ``x``, the index
    of its value among them (same shape as ``x``); each NaN is distinct."""
    v, _, inv, _ = _unique("unique_inverse", x, size, fill_value, "v")
    return UniqueInverseResult(v, inv)


@declare("set", needs=("nonzero",), ref="unique_values", composite=True,
         doc_args=_UNIQUE_ARGS.format(
    returns="A 1-d array of ``x``'s backend and dtype."))
def unique_values(x: Array, /, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Sorted unique elements of the flattened ``x``; each NaN is distinct (NumPy 2)."""
    return _unique("unique_values", x, size, fill_value, "")[0]


@declare("statistics", needs=("searchsorted",), composite=True)
def isin(element: Array, test_elements: Any, assume_unique: bool = False,
         invert: bool = False, *, kind: str | None = None) -> Array:
    """Whether each value of ``element`` occurs in ``test_elements`` (compared after promotion;
    NaN matches nothing). Sort + binary search (complex: a pairwise comparison).

    Args:
        element: array.
        test_elements: array or sequence of the same backend (flattened).
        assume_unique: accepted for NumPy compatibility.
        invert: return the negation.
        kind: accepted for NumPy compatibility (None, "sort" or "table").

    Returns:
        A bool array of ``element``'s backend and shape.
    """
    name = "isin"
    be, e = _array(name, element)
    _, t = _array(name, test_elements, like=e)
    resolve(name, e, t)
    (e, t), d = promote_args(name, be, (e, t))
    t = mp.reshape(t, (-1,))
    m = t.shape[0]
    if m == 0:
        found = cr.zeros(tuple(e.shape), dtype=bool_, like=e)
    elif d.kind == "c":
        found = red.any(ew.equal(mp.expand_dims(e, axis=-1), t), axis=-1)
    else:
        if d is bool_:
            e, t = dt.astype(e, _dtypes.uint8), dt.astype(t, _dtypes.uint8)
        if _is_float(d):
            # NaN matches nothing: search among its +inf stand-ins, and let +inf match only
            # when test_elements holds a real +inf.
            t_nan = ew.isnan(t)
            s = ix.sort(ew.where(t_nan, math.inf, t))
            has_inf = red.any(ew.equal(t, math.inf))
        else:
            s = ix.sort(t)
        i = ew.clip(_searchsorted(be, name, s, e, False), 0, m - 1)
        found = ew.equal(ix.take(s, i), e)
        if _is_float(d):
            found = ew.where(ew.equal(e, math.inf), has_inf, found)
    return ew.logical_not(found) if invert else found
