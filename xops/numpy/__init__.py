"""``from xops import numpy as xnp``: NumPy names and semantics on numpy, jax, torch and
tensorflow arrays. This module only re-exports; declarations live in ``xops.numpy_api``."""
from __future__ import annotations

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
from ..numpy_api import ALIASES as _ALIASES
from ..numpy_api import REGISTRY as _REGISTRY

bool = bool_  # the Array API spelling

e = 2.718281828459045
pi = 3.141592653589793
inf = float("inf")
nan = float("nan")
newaxis = None

globals().update({name: info.fn for name, info in _REGISTRY.items() if not info.namespace})
globals().update({a: _REGISTRY[n].fn for a, n in _ALIASES.items() if "." not in a})

from . import fft, linalg  # noqa: E402 - the sub-namespaces, after the top-level names they reuse
from ._bind import __array_namespace_info__, bind  # noqa: E402 - Array API namespaces

__array_api_version__ = "2025.12"

# Everything but the ops, as a literal list so that linters see the imports above are re-exports.
__all__ = ["fft", "linalg", "dtype", "bool", "bool_", "int8", "int16", "int32", "int64", "uint8",
           "uint16", "uint32", "uint64", "float16", "bfloat16", "float32", "float64", "complex64",
           "complex128", "e", "pi", "inf", "nan", "newaxis", "bind", "__array_api_version__",
           "__array_namespace_info__"]
__all__ += [*(n for n in _REGISTRY if "." not in n), *(a for a in _ALIASES if "." not in a)]
__all__.sort()
