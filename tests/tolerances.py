"""The one table of test tolerances: canonical dtype name -> (rtol, atol), used through
``tol(dtype, kind)``, which returns ``dict(rtol=..., atol=...)`` for ``np.testing.assert_allclose``.

``"default"`` is for an op's result compared with NumPy's in the same dtype. The other kinds are
named variants for families of tests whose error genuinely differs; each says why. A variant is
a whole row set, not an override of the default: a dtype it does not list raises ``KeyError``
(as the per-file tables it replaces did) instead of silently getting some other bound.

Call sites scale the numbers themselves where error grows with the problem (``scale``, or an
``atol`` times the transform length): scaling stays visible next to the assertion.
"""
from __future__ import annotations

from typing import Any

TOLERANCES: dict[str, dict[str, tuple[float, float]]] = {
    # An op's result against NumPy's (or a float64 reference rounded to the result dtype):
    # both sides round in the result dtype, so a few ulps; 16-bit dtypes are a few ulps of a
    # coarse grid. Accumulating ops scale this per case (specs' rtol_scale).
    "default": {
        "float16": (5e-3, 1e-3), "bfloat16": (3e-2, 1e-2),
        "float32": (2e-5, 1e-6), "float64": (1e-10, 1e-12),
        "complex64": (2e-5, 1e-6), "complex128": (1e-10, 1e-12),
    },
    # xops.nn.functional ops against float64 references written from the definitions and
    # evaluated on the float64 copy of the rounded input; 16-bit inputs are computed in float32
    # and rounded once. Tighter rtol than "default" for float16 and float64 (no second library's
    # rounding on the reference side); float16's atol is wider than "default"'s.
    "nn": {
        "float16": (2e-3, 2e-3), "float32": (2e-5, 2e-6), "float64": (1e-12, 1e-13),
    },
    # Sums of products over a window (convolution, pooling, attention): an output near zero is
    # the cancellation of many terms, so its error is absolute (~eps * sum|terms|): atol is as
    # large as rtol, while rtol itself stays tight. Attention multiplies these by 10 at its
    # call site.
    "contraction": {
        "float16": (2e-3, 4e-3), "float32": (1e-5, 1e-5), "float64": (1e-12, 1e-12),
    },
    # Long chains of accumulation: FFT round trips (log n butterfly stages there and back; the
    # fft tests also scale atol by the transform size) and the CTC loss's forward recursion
    # over time steps in log space.
    "accumulated": {
        "float32": (1e-4, 1e-4), "float64": (1e-10, 1e-10),
    },
    # Matrix factorizations checked by reconstruction (a = q r, u s vh, ...): the error of a
    # factorization grows with n and the condition number, so looser than "accumulated" in
    # both precisions. Keyed by the compute precision (complex64 -> "float32", ...).
    "linalg": {
        "float32": (2e-4, 2e-4), "float64": (1e-9, 1e-9),
    },
    # Whole layers/models (several ops chained: dense, norm, activation) in float32, compared
    # across backends or with NumPy; each op adds its rounding, so rtol = atol = 2e-5.
    "model": {
        "float32": (2e-5, 2e-5),
    },
}


def dtype_name(dtype: Any) -> str:
    """The canonical name of ``dtype``: a name string, an xops dtype, a NumPy dtype or type."""
    if isinstance(dtype, str):
        return dtype
    name = getattr(dtype, "name", None)
    if isinstance(name, str):
        return name
    import numpy as np
    return np.dtype(dtype).name


def has_tol(dtype: Any, kind: str = "default") -> bool:
    """Whether ``kind`` lists ``dtype`` (dtypes it does not list compare exactly, or not at all)."""
    return dtype_name(dtype) in TOLERANCES[kind]


def tol(dtype: Any, kind: str = "default", scale: float = 1.0) -> dict[str, float]:
    """``dict(rtol=, atol=)`` for ``dtype`` in the ``kind`` row set, both times ``scale``."""
    rtol, atol = TOLERANCES[kind][dtype_name(dtype)]
    return {"rtol": rtol * scale, "atol": atol * scale}
