"""Op declarations, one module per concern. Importing this package registers every op in
``REGISTRY``.

Layers (a module imports only modules of the layers above it; no import cycles):

1. ``creation`` (asarray, filled arrays, ranges, eye, tril/triu, copy, from_dlpack, static index
   arrays) and ``dtypes`` (astype, result_type, can_cast, isdtype): no other declaration module.
   ``_common`` (private argument helpers) imports only ``dtypes``.
2. ``manipulation`` (the Array API shape ops, rot90, resize, shape queries), then ``joining``
   (NumPy's atleast_*, append, *stack, *split); they convert array-likes with
   ``creation.asarray``.
3. ``elementwise``: ufuncs, ``where`` and the composite elementwise ops; their fallback bodies
   select with ``where`` and broadcast with ``manipulation.broadcast_arrays``.
4. ``reductions`` (sums, scans, ``diff``, whole-array comparisons) and ``creation_composite``
   (array, logspace, geomspace, tri, vander, indices: creation composed of layers 2-3).
5. ``indexing``: taking/putting, sorting, searching, index arithmetic, delete/insert.
6. ``products``: matmul, tensordot, einsum, dot, inner, outer, kron, cross, trace.
7. ``sets``, ``statistics``, ``nan_reductions``, ``histograms``, ``linalg``, ``fft``, ``signal``.
8. ``nn``: convolution, pooling, attention, CTC (public in ``xops.nn.functional``).
"""
from __future__ import annotations

from .. import _dtypes

# In layer order (the registration order), not alphabetical.
# isort: off
from . import creation, dtypes, manipulation, joining, elementwise  # noqa: F401 - registers
from . import creation_composite, reductions, indexing, products  # noqa: F401 - registers
from . import histograms, nan_reductions, sets, signal, statistics  # noqa: F401 - registers
from . import fft, linalg  # noqa: F401 - registers xops.numpy.fft / xops.numpy.linalg
from . import nn  # noqa: F401 - registers the nn ops (public in xops.nn.functional)
# isort: on
from ._registry import ALIASES, REGISTRY, OpInfo, declare

for _cls in (_dtypes.finfo, _dtypes.iinfo):
    declare("dtype", ref=_cls.__name__)(_cls)

__all__ = ["REGISTRY", "ALIASES", "OpInfo", "public_names", "lookup"]


def lookup(name: str) -> OpInfo:
    """The declaration of an op by name or alias."""
    return REGISTRY[ALIASES.get(name, name)]


def public_names(namespace: str = "") -> list[str]:
    """Public names (ops and aliases) of ``xops.numpy`` or of one of its sub-namespaces."""
    pre = namespace + "." if namespace else ""
    out = []
    for n in [*REGISTRY, *ALIASES]:
        if namespace and n.startswith(pre):
            out.append(n[len(pre):])
        elif not namespace and "." not in n:
            out.append(n)
    return sorted(out)
