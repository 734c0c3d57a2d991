"""xops.xla: transforms written once for every backend - jit, grad, value_and_grad, vjp, jvp,
vmap, stop_gradient, custom_vjp, control flow and export - each mapped to the native transform
of the backend of the arguments at call time. This module only re-exports; see docs/xla.md."""
from __future__ import annotations

from ._control import associative_scan, cond, fori_loop, map, scan, switch, while_loop  # noqa: A004 - jax.lax.map's name, reached as xops.xla.map
from ._custom import custom_vjp
from ._export import ExportedFunction, export, load
from ._op import Op, op
from ._transforms import grad, jit, jvp, stop_gradient, value_and_grad, vjp, vmap

__all__ = ["jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient", "custom_vjp",
           "cond", "switch", "while_loop", "fori_loop", "scan", "map", "associative_scan", "op",
           "Op", "export", "load", "ExportedFunction"]
