"""Op declarations, one module per concern. Importing this package loads none of them: an area
loads on first use (``xops.numpy.add`` loads ``elementwise`` and the layers below it), and
``REGISTRY``/``ALIASES`` taken from this package hold every op (``load_all``).

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

import importlib
from typing import Any

# The declaration modules in layer order: load_all() imports them in this order, and the
# registry is kept in it whatever order first use loaded them in.
AREAS = ("creation", "dtypes", "manipulation", "joining", "elementwise", "creation_composite",
         "reductions", "indexing", "products", "histograms", "nan_reductions", "sets", "signal",
         "statistics", "fft", "linalg", "nn")

__all__ = ["AREAS", "REGISTRY", "ALIASES", "OpInfo", "declare", "load_all", "public_names",
           "lookup"]

_loaded = False


def load_all() -> None:
    """Import every declaration module, so that ``REGISTRY`` holds every op. ``xops.numpy``
    loads an area on the first use of one of its names; asking this package for ``REGISTRY``
    or ``ALIASES`` loads them all."""
    global _loaded
    if _loaded:
        return
    from . import _registry
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}")
    order = {f"{__name__}.{a}": i for i, a in enumerate(AREAS)}
    ranked = sorted(_registry.REGISTRY.items(),
                    key=lambda kv: order.get(_registry.DECLARED_IN.get(kv[0], ""), len(order)))
    _registry.REGISTRY.clear()
    _registry.REGISTRY.update(ranked)  # sorted() is stable: declaration order within an area
    _loaded = True


def __getattr__(name: str) -> Any:
    if name in ("REGISTRY", "ALIASES"):
        load_all()
        from . import _registry
        return getattr(_registry, name)
    if name in ("OpInfo", "declare"):
        from . import _registry
        return getattr(_registry, name)
    if name in AREAS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def lookup(name: str) -> Any:
    """The declaration (``OpInfo``) of an op by name or alias."""
    load_all()
    from ._registry import ALIASES, REGISTRY
    return REGISTRY[ALIASES.get(name, name)]


def public_names(namespace: str = "") -> list[str]:
    """Public names (ops and aliases) of ``xops.numpy`` or of one of its sub-namespaces."""
    load_all()
    from ._registry import ALIASES, REGISTRY
    pre = namespace + "." if namespace else ""
    out = []
    for n in [*REGISTRY, *ALIASES]:
        if namespace and n.startswith(pre):
            out.append(n[len(pre):])
        elif not namespace and "." not in n:
            out.append(n)
    return sorted(out)
