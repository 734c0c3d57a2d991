"""The generic backend: any array library whose namespace array-api-compat recognises (dask,
cupy, array-api-strict, ndonnx, ...) and that is not one of the four native backends.

One Backend per library, named after it (``array_api_strict``, ``dask.array``), built on first
sight of one of its arrays from the library's standard namespace
(``array_api_compat.array_namespace(x)``). Its kernel table (``kernels.py``) maps the Array API
spellings to xops' op names as data; ops outside the standard run xops' generic compositions or
raise NotImplementedError naming the op and the library (see docs/support.md).

Lazy libraries (dask): no kernel computes, converts to Python or branches on data; checks that
need a value (``known_true``) answer "unknown", as they do under jax tracing.

Nothing here is imported by ``import xops``: ``xops.backends.backend_of`` reaches this module only
after the four native backends have failed to claim an array.
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

import array_api_compat
import numpy as np

from ... import _dtypes as d
from .. import _common

# The table module's name: Backend.transforms imports "<name>.transforms" from it.
PACKAGE = __name__


def library_name(xp: Any) -> str:
    """The backend name of a standard namespace: the library's module name, with array-api-compat's
    wrapper prefix removed (``array_api_compat.dask.array`` -> ``dask.array``)."""
    name = xp.__name__
    prefix = "array_api_compat."
    return name[len(prefix):] if name.startswith(prefix) else name


def namespace_of(x: Any) -> Any | None:
    """The standard namespace of ``x``, or None when array-api-compat does not recognise it."""
    if not array_api_compat.is_array_api_obj(x):
        return None
    try:
        return array_api_compat.array_namespace(x)
    except TypeError:
        return None


def namespace_named(name: str) -> Any | None:
    """The standard namespace of library ``name`` (an explicit request: imports it), or None."""
    try:
        mod = importlib.import_module(name)
    except ImportError:
        return None
    if hasattr(mod, "__array_api_version__"):
        return mod
    try:
        return importlib.import_module(f"array_api_compat.{name}")
    except ImportError:
        return None


def make_table(xp: Any) -> ModuleType:
    """The package-like module a Backend is built from: what every backend package's ``__init__``
    exports (dtype map, defaults, casts, devices, capabilities), ``KERNELS`` (the flat kernel table)
    and ``ADAPT`` (the per-(op, dtype) variants)."""
    from . import kernels

    name = library_name(xp)
    lazy = name.split(".")[0] in LAZY_LIBRARIES
    t: Any = ModuleType(PACKAGE)
    t.NAME = name
    t.XP = xp
    dtypes: dict[d.DType, Any] = {}
    for c in d.ALL_DTYPES:
        native = getattr(xp, "bool" if c is d.bool_ else c.name, None)
        if native is not None and c is not d.bfloat16:
            # dask (through array-api-compat) names NumPy's scalar types; its arrays carry
            # np.dtype instances, which the table must hold to recognise them
            dtypes[c] = np.dtype(native) if isinstance(native, type) else native
    t.DTYPES = dtypes
    t.EXTRA_NATIVE = {}
    t.SCALARS_OK = ()  # xops makes every Python scalar a 0-d array of the computed dtype
    t.FULL_REDUCTIONS = {}
    info = getattr(xp, "__array_namespace_info__", None)
    info = info() if info is not None else None
    defaults = info.default_dtypes() if info is not None else {}
    dfloat = defaults.get("real floating", dtypes.get(d.float64))
    dint = defaults.get("integral", dtypes.get(d.int64))
    canon = {v: c for c, v in dtypes.items()}
    dflt = canon.get(dfloat) or d.canonical(dfloat)
    dint_ = canon.get(dint) or d.canonical(dint)
    t.default_float = lambda: dflt
    t.default_int = lambda: dint_

    def unsupported_dtype(dt: d.DType) -> str | None:
        if dt in dtypes:
            return None
        return f"{name} has no {dt.name} in its Array API namespace"

    t.unsupported_dtype = unsupported_dtype
    caps = dict(info.capabilities()) if info is not None else {}
    if lazy:
        caps["data-dependent shapes"] = False
    t.CAPABILITIES = caps
    t.devices = (lambda: list(info.devices())) if info is not None else (lambda: [])
    t.default_device = (lambda: info.default_device()) if info is not None else (lambda: None)
    t.device = array_api_compat.device
    t.astype = kernels.astype_kernel(xp)

    def scalar(v, dtype, like):
        return xp.asarray(v, dtype=dtype, device=array_api_compat.device(like))

    def asarray(obj, dtype, device, copy):
        return xp.asarray(obj, dtype=dtype, device=device, copy=copy)

    t.scalar = scalar
    t.asarray = asarray

    def known_true(b):
        # A lazy array's value is unknown until computed: like a tracer, checks are skipped.
        return False if lazy else bool(b)

    t.known_true = known_true
    t.__all__ = list(_common.PACKAGE_NAMES)
    t.KERNELS, t.UNSUPPORTED = kernels.table(xp, name, lazy)
    t.ADAPT = kernels.adapter(xp)
    return t


# Libraries whose arrays are lazy: their kernels never compute, and data-dependent checks are
# skipped (docs/architecture.md).
LAZY_LIBRARIES = frozenset({"dask", "ndonnx"})


def is_lazy(name: str) -> bool:
    return name.split(".")[0] in LAZY_LIBRARIES


__all__ = ["library_name", "namespace_of", "namespace_named", "make_table", "is_lazy"]

del sys
