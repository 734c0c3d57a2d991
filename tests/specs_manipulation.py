"""Input strategies and NumPy references for unstack, rot90, fliplr, flipud and resize (ops
declared in xops/numpy_api/manipulation.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from .spec_helpers import _arr_any, _spec
from .specs import Case, array, held, shapes

# Pure shape functions return Python values, not arrays: tests/test_extras.py checks shape/ndim/size
# against NumPy on every backend, tests/test_arrayapi.py covers broadcast_shapes.
DTYPE_ONLY = {"shape", "ndim", "size", "broadcast_shapes"}


def _rot90(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=2, max_dims=4, max_side=3))
    a0, a1 = draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2, unique=True))
    axes = (a0 - x.ndim if draw(st.booleans()) else a0, a1)
    k = draw(st.integers(-5, 5))
    return Case([x], {"k": k, "axes": axes}, lambda x: np.rot90(x, k, axes), None, exact=True)


def _flip_lr_ud(name, min_nd):
    def fn(draw, h):
        x = _arr_any(draw, h, hnp.array_shapes(min_dims=min_nd, max_dims=3, max_side=3),
                     "biufc")
        return Case([x], {}, getattr(np, name), None, exact=True)
    return fn


def _resize(draw, h):
    x = _arr_any(draw, h, shapes)
    new = draw(st.one_of(st.integers(0, 7), hnp.array_shapes(min_dims=0, max_dims=3,
                                                             min_side=0, max_side=4)))
    return Case([x, new], {}, lambda x, s: np.resize(x, s), None, exact=True)


def _unstack(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)))
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        return Case([x], {"axis": axis},
                    lambda x: tuple(np.moveaxis(x, axis, 0)), d, exact=True)
    return case()


SPECS: dict[str, Callable] = {
    "unstack": _unstack,
    "rot90": _spec(_rot90),
    "fliplr": _spec(_flip_lr_ud("fliplr", 2)),
    "flipud": _spec(_flip_lr_ud("flipud", 1)),
    "resize": _spec(_resize),
}
