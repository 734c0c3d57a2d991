"""Strategy helpers shared by several tests/specs_<module>.py files."""
from __future__ import annotations

from typing import Any, Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import array, held, np_dtype


def _spec(fn: Callable) -> Callable:
    """A spec from ``fn(draw, h) -> Case``."""
    def spec(h):
        @st.composite
        def case(draw):
            return fn(draw, h)
        return case()
    return spec


def _ok(h, d) -> bool:
    return h.holds(d) and not (h.name == "torch" and d is _dtypes.uint64)


def _dtype_pair(draw, h, kinds):
    """Two dtypes whose xops promotion the backend holds, and that promotion."""
    d1 = draw(st.sampled_from(held(h, kinds)))
    d2 = draw(st.sampled_from([d1] + held(h, kinds)))
    want = _dtypes.promote_types(d1, d2)
    if want.kind not in kinds or not _ok(h, want):
        return d1, d1, d1
    return d1, d2, want


def _arr(draw, h, shape, kinds="biuf", **kw):
    d = draw(st.sampled_from(held(h, kinds)))
    return draw(array(d, shape, **kw))


def _canon(a) -> Any:
    return _dtypes.bfloat16 if a.dtype.name == "bfloat16" else _dtypes.canonical(a.dtype.name)


def _arr_any(draw, h, shape, kinds="biuf", **kw):
    return _arr(draw, h, shape, kinds, lo=kw.get("lo", -5), hi=kw.get("hi", 5))


def _idx(h):
    return np_dtype(h.be.default_int)


def fl(h, d):
    """The float dtype xops computes ``d`` in (integers and bool: the default float)."""
    return _dtypes.to_float(d, h.be.default_float)


def idx(h):
    return h.be.default_int


def wide(a):
    """float64 copy of a float array (any width), the array itself otherwise."""
    a = np.asarray(a)
    if a.dtype.kind == "f" or a.dtype.name == "bfloat16":
        return a.astype(np.float64)
    if a.dtype.kind == "c":
        return a.astype(np.complex128)
    return a


def cast(r, d):
    if isinstance(r, tuple):
        return tuple(cast(e, d) for e in r)
    return np.asarray(r).astype(np_dtype(d))


def x64(h):
    """Whether the backend computes quantile positions in float64 (jax without x64 cannot)."""
    return h.holds(_dtypes.float64)


def _with_nan_slice(draw, x, d):
    """Sometimes make the first sub-array all NaN (all-NaN slices for nan-reductions)."""
    if d.kind == "f" and x.ndim >= 1 and x.shape[0] and draw(st.booleans()):
        x = x.copy()
        x[0] = np.nan
    return x


def _shape(draw, nonempty, min_dims=0):
    return draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1 if nonempty else 0,
                                 max_side=4))
