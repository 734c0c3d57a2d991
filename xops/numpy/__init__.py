"""``from xops import numpy as xnp``: NumPy names and semantics on numpy, jax, torch and
tensorflow arrays. This module only re-exports; declarations live in ``xops.numpy_api``."""
from __future__ import annotations

import importlib
from typing import Any

from .._dtypes import DType as dtype
from .._dtypes import (
    bfloat16,
    bool_,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._index import AREAS as _AREAS

bool = bool_  # the Array API spelling

e = 2.718281828459045
pi = 3.141592653589793
inf = float("inf")
nan = float("nan")
newaxis = None

__array_api_version__ = "2025.12"

# Everything but the ops, as a literal list so that linters see the imports above are re-exports.
__all__ = ["fft", "linalg", "dtype", "bool", "bool_", "int8", "int16", "int32", "int64", "uint8",
           "uint16", "uint32", "uint64", "float16", "bfloat16", "float32", "float64", "complex64",
           "complex128", "e", "pi", "inf", "nan", "newaxis", "bind", "__array_api_version__",
           "__array_namespace_info__"]
__all__ += list(_AREAS)
__all__.sort()


def __getattr__(name: str) -> Any:
    # The ops load with their declaration module on first use (``from xops import numpy``
    # declares nothing: about 40 ms saved); each name then lives in this module's globals.
    area = _AREAS.get(name)
    if area is not None:
        importlib.import_module("xops.numpy_api." + area)
        from ..numpy_api._registry import ALIASES, REGISTRY
        g = globals()
        for n, a in _AREAS.items():  # the whole area at once (its module is imported now)
            if a == area:
                g[n] = REGISTRY[ALIASES.get(n, n)].fn
        return g[name]
    if name in ("fft", "linalg"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in ("bind", "__array_namespace_info__"):
        from . import _bind
        return getattr(_bind, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
