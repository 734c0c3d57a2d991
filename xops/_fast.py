"""The C fast paths of the hottest eager calls (xops/_speedups.c), or None where the extension
is not built (no C compiler at install time, another Python than the one it was built for) or
``XOPS_PURE_PYTHON=1`` is set: the ops then run the same fast paths in Python (_dispatch.py,
numpy_api/elementwise.py and reductions.py choose once, when an op is made).

Either way an op chooses the same kernel for the same arguments; the C path saves about
100-150 ns per call on tiny arrays (benchmarks/overhead.py prints which path ran).
"""
from __future__ import annotations

import os
from typing import Any

# the C functions, or None (typed Any: the ops call them only where they are not None)
MISS: Any = object()
unary: Any = None
binary: Any = None
where: Any = None

if not os.environ.get("XOPS_PURE_PYTHON"):
    try:
        from ._speedups import MISS, binary, unary, where  # type: ignore  # noqa: F401
    except ImportError:  # not built: the Python paths
        pass

ACTIVE = unary is not None  # the C paths are in use
