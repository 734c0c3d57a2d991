"""Input strategies and NumPy references for nextafter (the other elementwise ops are drawn by
tests/specs.py) (ops declared in xops/numpy_api/elementwise.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from .specs import Case, array, held


def _nextafter(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "f")))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
        # small values make x1 == x2 and 0 likely; specials cover NaN, +-inf, -0.0
        a = draw(array(d, shp.input_shapes[0], lo=-2, hi=2))
        b = draw(array(d, shp.input_shapes[1], lo=-2, hi=2))
        return Case([a, b], {}, np.nextafter, d, exact=True)
    return case()


SPECS: dict[str, Callable] = {
    "nextafter": _nextafter,
}
