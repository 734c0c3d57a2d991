"""Input strategies and NumPy references for copy, from_dlpack and the static index arrays
(tril_indices, triu_indices, diag_indices) (ops declared in xops/numpy_api/creation.py; merged into
tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis import strategies as st

from .spec_helpers import _arr_any, _canon, _spec
from .specs import _LIKE, Case, array, held, shapes


def _tri_indices(name):
    def fn(draw, h):
        n = draw(st.integers(0, 5))
        k = draw(st.integers(-6, 6))
        m = draw(st.one_of(st.none(), st.integers(0, 5)))
        return Case([n, k, m], {"like": _LIKE}, lambda *_: getattr(np, name)(n, k, m),
                    h.be.default_int, exact=True)
    return fn


def _diag_indices(draw, h):
    n, nd = draw(st.integers(0, 5)), draw(st.integers(1, 3))
    return Case([n, nd], {"like": _LIKE}, lambda *_: np.diag_indices(n, nd), h.be.default_int,
                exact=True)


def _copy(draw, h):
    x = _arr_any(draw, h, shapes, "biufc")
    return Case([x], {}, lambda x: x.copy(), _canon(x), exact=True)


def _from_dlpack(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, shapes))
        return Case([x], {"like": _LIKE}, lambda x: x, d, exact=True)
    return case()


SPECS: dict[str, Callable] = {
    "copy": _spec(_copy),
    "tril_indices": _spec(_tri_indices("tril_indices")),
    "triu_indices": _spec(_tri_indices("triu_indices")),
    "diag_indices": _spec(_diag_indices),
    "from_dlpack": _from_dlpack,
}
