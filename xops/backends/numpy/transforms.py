"""numpy's transforms: no compiler (``jit`` is the identity), no autodiff (``grad``,
``value_and_grad``, ``vjp`` and ``jvp`` run jax on the same data, see ``via_jax``), ``vmap`` a
Python loop over the batch, control flow in Python, no deployment format of its own (``export``
of numpy arrays goes through the format's framework).
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from .. import _transforms_common as C
from .. import get_backend

__all__ = list(C.TRANSFORM_NAMES)

# --------------------------------------------------------------------------------------------
# pytrees: optree, None a leaf
# --------------------------------------------------------------------------------------------
tree_flatten, tree_unflatten, tree_map, tree_leaves = C.OPTREE_FUNCTIONS


# --------------------------------------------------------------------------------------------
# autodiff: delegated to jax
# --------------------------------------------------------------------------------------------
NUMPY_NO_JAX = ("xops.xla.{where}: numpy has no automatic differentiation. xops delegates "
                "autodiff on numpy arrays to jax, which is not installed here. Install jax "
                "(pip install jax), or pass torch / jax / tensorflow arrays (convert with "
                "xops.convert(x, 'torch')), or write the derivative by hand")


def require_jax(where: str) -> Any:
    """jax (its backend loaded), or a NotImplementedError naming the ways out."""
    try:
        import jax
    except ImportError:
        raise NotImplementedError(NUMPY_NO_JAX.format(where=where)) from None
    get_backend("jax")
    return jax


def _np_to_jax(x: Any) -> Any:
    if C.is_array(x, "numpy"):
        from ..._convert import convert
        return convert(x, "jax")
    return x


def _jax_to_np(x: Any) -> Any:
    if C.is_array(x, "jax"):
        from ..._convert import convert
        return convert(x, "numpy")
    return x


def to_jax(tree: Any) -> Any:
    return C.optree_map(_np_to_jax, tree)


def to_numpy(tree: Any) -> Any:
    import jax
    return jax.tree_util.tree_map(_jax_to_np, tree, is_leaf=C.is_none)


def via_jax(where: str, make: Callable[[Any], Callable]) -> Callable:
    """Run a jax transform for numpy inputs: numpy leaves go in as jax arrays, jax leaves come
    back as numpy arrays (read-only views of jax's buffers on CPU, no copy).

    jax's x64 mode is switched on for the duration of the call only (``jax.enable_x64``, scoped to
    this thread), so numpy's float64 arrays stay float64; the global switch is never touched.
    """
    jax = require_jax(where)
    inner = make(jax)

    def run(*args: Any, **kwargs: Any) -> Any:
        with jax.enable_x64(True):
            out = inner(*to_jax(args), **to_jax(kwargs))
            return to_numpy(out)

    return run


def jit(fun: Callable, static_argnums: tuple[int, ...], donate_argnums: tuple[int, ...],
        options: dict[str, Any], donate_argnames: tuple[str | None, ...] = (),
        cuda_graphs: bool = False) -> Callable:
    return fun  # no compiler: nothing to donate, no CUDA graphs


def grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    return via_jax("grad", lambda jax: jax.grad(fun, argnums=argnums, has_aux=has_aux))


def value_and_grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    return via_jax("value_and_grad", lambda jax: jax.value_and_grad(
        fun, argnums=argnums, has_aux=has_aux))


def vjp(fun: Callable, primals: tuple, has_aux: bool) -> tuple:
    jax = require_jax("vjp")
    with jax.enable_x64(True):
        res = jax.vjp(fun, *to_jax(primals), has_aux=has_aux)
    jfn = res[1]

    def vjp_fn(ct: Any) -> Any:
        with jax.enable_x64(True):
            return to_numpy(jfn(to_jax(ct)))

    out = (to_numpy(res[0]), vjp_fn)
    return (*out, to_numpy(res[2])) if has_aux else out


def jvp(fun: Callable, primals: tuple, tangents: tuple, has_aux: bool) -> tuple:
    jax = require_jax("jvp")
    with jax.enable_x64(True):
        return to_numpy(jax.jvp(fun, to_jax(primals), to_jax(tangents), has_aux=has_aux))


# --------------------------------------------------------------------------------------------
# vmap: a Python loop over the batch, results stacked
# --------------------------------------------------------------------------------------------
def vmap(fun: Callable, in_axes: Any, out_axes: Any) -> Callable:
    return functools.partial(_vmap_loop, fun, in_axes, out_axes)


def _vmap_loop(fun: Callable, in_axes: Any, out_axes: Any, *args: Any) -> Any:
    leaves, spec, batched, size = C.batched("numpy", args, in_axes)
    outs = []
    for b in range(size):
        cur = list(leaves)
        for i, ax in batched:
            cur[i] = np.take(leaves[i], b, axis=ax)
        outs.append(fun(*tree_unflatten(spec, cur)))
    o_leaves, o_spec = tree_flatten(outs[0])
    per = [tree_flatten(o)[0] for o in outs]
    axes = C.out_axes_leaves(outs[0], out_axes)
    res = []
    for j, ax in enumerate(axes):
        col = [p[j] for p in per]
        res.append(col[0] if ax is None else np.stack([np.asarray(c) for c in col], axis=ax))
    return tree_unflatten(o_spec, res)


def stop_gradient(x: Any) -> Any:
    return x  # nothing to stop


def custom_vjp(fwd: Callable, bwd: Callable, nondiff_argnums: tuple[int, ...],
               fun: Callable | None, recompute_residuals: bool, name: str) -> Callable:
    # The forward only: numpy gradients are taken by jax, which then uses the jax primitive.
    return C.primal_of(fwd, fun)


# --------------------------------------------------------------------------------------------
# control flow: Python
# --------------------------------------------------------------------------------------------
cond = C.py_cond
switch = C.py_switch
while_loop = C.py_while_loop
fori_loop = C.py_fori_loop
scan = C.loop_scan  # over optree pytrees, as the three below
map = C.loop_map
associative_scan = C.odd_even_associative_scan


# --------------------------------------------------------------------------------------------
# export: numpy programs are exported by the format's framework (xops.xla.export converts)
# --------------------------------------------------------------------------------------------
def _no_format(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError("xops.xla.export: numpy has no deployment format; export numpy "
                              "arrays with format='stablehlo', 'saved_model' or 'torch_export'")


export = load = exported_runner = _no_format
