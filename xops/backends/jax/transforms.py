"""jax's transforms: each is jax's own (``jax.jit``, ``jax.grad``, ``jax.vmap``,
``jax.custom_vjp``, ``jax.lax`` control flow, ``jax.export``), pytrees through jax's registry.
"""
from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable, Sequence

import jax
from jax import lax

from .. import _transforms_common as C

__all__ = list(C.TRANSFORM_NAMES)

_jtu = jax.tree_util


# --------------------------------------------------------------------------------------------
# pytrees: jax's registry, None a leaf
# --------------------------------------------------------------------------------------------
tree_flatten = functools.partial(_jtu.tree_flatten, is_leaf=C.is_none)
tree_map = functools.partial(_jtu.tree_map, is_leaf=C.is_none)
tree_leaves = functools.partial(_jtu.tree_leaves, is_leaf=C.is_none)


def tree_unflatten(spec: Any, leaves: Sequence[Any]) -> Any:
    return _jtu.tree_unflatten(spec, list(leaves))


# --------------------------------------------------------------------------------------------
# jit, autodiff, vmap
# --------------------------------------------------------------------------------------------
# The leaves of a pytree as jax.jit will see them, for xops.xla's backend check of each call
# (xla/_common.backend_name): jax's C++ flatten, 3x faster than optree on namedtuple states.
fast_leaves = jax.tree_util.tree_leaves


def jit(fun: Callable, static_argnums: tuple[int, ...], donate_argnums: tuple[int, ...],
        options: dict[str, Any], donate_argnames: tuple[str | None, ...] = (),
        cuda_graphs: bool = False) -> Callable:
    # jax.jit resolves donated parameter names from the signature itself. cuda_graphs: XLA
    # already records CUDA graphs ("command buffers") on GPU by itself; nothing to switch on.
    return jax.jit(fun, static_argnums=static_argnums, donate_argnums=donate_argnums, **options)


def grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    return jax.grad(fun, argnums=argnums, has_aux=has_aux)


def value_and_grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    return jax.value_and_grad(fun, argnums=argnums, has_aux=has_aux)


def vjp(fun: Callable, primals: tuple, has_aux: bool) -> tuple:
    return jax.vjp(fun, *primals, has_aux=has_aux)


def jvp(fun: Callable, primals: tuple, tangents: tuple, has_aux: bool) -> tuple:
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)


def vmap(fun: Callable, in_axes: Any, out_axes: Any) -> Callable:
    return jax.vmap(fun, in_axes=in_axes, out_axes=out_axes)


def stop_gradient(x: Any) -> Any:
    return tree_map(lambda v: lax.stop_gradient(v) if C.is_array(v, "jax") else v, x)


# --------------------------------------------------------------------------------------------
# custom_vjp: jax.custom_vjp, one primitive per argument layout
# --------------------------------------------------------------------------------------------
def custom_vjp(fwd: Callable, bwd: Callable, nondiff_argnums: tuple[int, ...],
               fun: Callable | None, recompute_residuals: bool, name: str) -> Callable:
    primal = C.primal_of(fwd, fun)
    cache: dict[C.Layout, Any] = {}

    def call(*args: Any) -> Any:
        layout, dyn = C.layout(args, nondiff_argnums, "jax", tree_flatten)
        prim = cache.get(layout) if layout.key is not None else None
        if prim is None:
            prim = _primitive(fwd, bwd, nondiff_argnums, primal, layout)
            if layout.key is not None:
                cache[layout] = prim
        return prim(*dyn)

    return call


def _primitive(fwd: Callable, bwd: Callable, nondiff: tuple[int, ...], primal: Callable,
               layout: C.Layout) -> Any:
    lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n)

    @jax.custom_vjp
    def prim(*dyn: Any) -> Any:
        return primal(*C.rebuild(lay, dyn, tree_unflatten))

    def f(*dyn: Any) -> Any:
        out, res = fwd(*C.rebuild(lay, dyn, tree_unflatten))
        # nondiff array leaves travel as residuals: bwd may not close over tracers
        return out, (res, dyn)

    def b(saved: Any, g: Any) -> tuple:
        res, dyn = saved
        args = C.rebuild(lay, dyn, tree_unflatten)
        nd, _ = C.split(nondiff, args)
        gl = C.grad_leaves(nondiff, args, bwd(*nd, res, g), layout.dyn_pos, tree_flatten)
        out = []
        for x, gx, d in zip(dyn, gl, layout.diff_dyn):
            inexact = jax.numpy.issubdtype(x.dtype, jax.numpy.inexact)
            out.append(gx if (d and inexact) else None)
        return tuple(out)

    prim.defvjp(f, b)
    return prim


# --------------------------------------------------------------------------------------------
# control flow: jax.lax
# --------------------------------------------------------------------------------------------
def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    return lax.cond(pred, true_fun, false_fun, *operands)


def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    return lax.switch(index, branches, *operands)


def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    return lax.while_loop(cond_fun, body_fun, init_val)


def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    return lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool) -> tuple[Any, Any]:
    return lax.scan(f, init, xs, length=length, reverse=reverse)


def map(f: Callable, xs: Any) -> Any:
    return lax.map(f, xs)


def associative_scan(fn: Callable, elems: Any, reverse: bool, axis: int) -> Any:
    return lax.associative_scan(fn, elems, reverse=reverse, axis=axis)


# --------------------------------------------------------------------------------------------
# export: StableHLO (jax.export)
# --------------------------------------------------------------------------------------------
def export(fn: Callable, args: tuple, *, from_numpy: bool, flags: list[bool], path: str | None,
           platforms: Sequence[str] | None, vjp_order: int) -> tuple[Any, bytes | None]:
    from jax import export as jexport
    # numpy's float64 stays float64: x64 on for this thread while tracing (as for numpy grads)
    with jax.enable_x64(True) if from_numpy else contextlib.nullcontext():
        if from_numpy:
            args = C.convert_tree(args, "numpy", "jax", C.optree_map)
        b = jexport.symbolic_shape("b")[0] if any(flags) else None

        def make(x: Any, batched: bool) -> Any:
            shape = tuple(x.shape)
            if batched:
                shape = (b, *shape[1:])
            return jax.ShapeDtypeStruct(shape, x.dtype)

        specs = C.export_specs(args, "jax", flags, make, tree_map)
        kw = {} if platforms is None else {"platforms": tuple(platforms)}
        exported = jexport.export(jax.jit(fn), **kw)(*specs)
    data = exported.serialize(vjp_order=vjp_order)
    if path is not None:
        with open(path, "wb") as f:
            f.write(data)
    return exported, data


def load(path: str | None, data: bytes | None) -> Any:
    from jax import export as jexport
    if data is None:
        with open(str(path), "rb") as f:
            data = f.read()
    return jexport.deserialize(bytearray(data))


def exported_runner(artifact: Any) -> Callable[[tuple, bool], Any]:
    # 64-bit StableHLO types exist in jax only with x64 mode: on for this thread meanwhile
    wide = _needs_x64(artifact)

    def run(args: tuple, from_numpy: bool) -> Any:
        with jax.enable_x64(True) if wide else contextlib.nullcontext():
            return C.call_converting(artifact.call, args, from_numpy, "jax", tree_map)

    return run


def _needs_x64(ex: Any) -> bool:
    """Whether the artifact has 64-bit types, which jax only accepts with x64 mode on."""
    def wide(d: Any) -> bool:
        return d.itemsize == 16 if d.kind == "c" else (d.kind in "fiu" and d.itemsize == 8)
    return any(wide(a.dtype) for a in (*ex.in_avals, *ex.out_avals))
