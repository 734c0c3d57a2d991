"""tensorflow's transforms: ``tf.function(jit_compile=True)``, ``tf.GradientTape`` (grad,
value_and_grad, vjp), ``tf.autodiff.ForwardAccumulator`` (jvp), ``tf.vectorized_map`` (vmap,
batched axes moved to 0), ``tf.custom_gradient``, ``tf.cond`` / ``tf.switch_case`` /
``tf.while_loop``, SavedModel export. Pytrees go through optree.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import tensorflow as tf

from .. import _transforms_common as C

__all__ = list(C.TRANSFORM_NAMES)

# --------------------------------------------------------------------------------------------
# pytrees: optree, None a leaf
# --------------------------------------------------------------------------------------------
tree_flatten, tree_unflatten, tree_map, tree_leaves = C.OPTREE_FUNCTIONS


# --------------------------------------------------------------------------------------------
# jit: tf.function(jit_compile=True)
# --------------------------------------------------------------------------------------------
def jit(fun: Callable, static_argnums: tuple[int, ...], donate_argnums: tuple[int, ...],
        options: dict[str, Any], donate_argnames: tuple[str | None, ...] = (),
        cuda_graphs: bool = False) -> Callable:
    # tf.function already retraces on Python values (static_argnums). Donation is ignored:
    # tf.function has no buffer donation for tensor arguments (state that is updated in place
    # is a tf.Variable, assigned by the function itself), and CUDA graphs are not exposed.
    o = dict(options)
    o.setdefault("jit_compile", True)
    # autograph would rewrite xops' own dispatch code (its Python ifs and loops run on dtypes
    # and shapes, not tensors); data-dependent control flow is xla.cond & co.
    o.setdefault("autograph", False)
    return tf.function(fun, **o)


# --------------------------------------------------------------------------------------------
# autodiff: tf.GradientTape, tf.autodiff.ForwardAccumulator
# --------------------------------------------------------------------------------------------
def _check_float(leaves: list[Any], where: str) -> None:
    for x in leaves:
        if not (x.dtype.is_floating or x.dtype.is_complex):
            raise TypeError(f"xops.xla.{where} requires real- or complex-valued inputs, got "
                            f"{x.dtype.name}")


def _dense(g: Any) -> Any:
    # gather's gradient is IndexedSlices; users expect a dense array like on other backends.
    return tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g


def value_and_grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    nums = C.argnums_tuple(argnums)

    def run(*args: Any, **kwargs: Any) -> Any:
        diff = tuple(args[i] for i in nums)
        leaves, spec = tree_flatten(diff)
        _check_float(leaves, "grad")
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            for x in leaves:
                tape.watch(x)
            out = fun(*args, **kwargs)
            val, aux = out if has_aux else (out, None)
            if getattr(val, "shape", None) is None or val.shape.rank != 0:
                raise TypeError("xops.xla.grad requires a scalar (0-d) output, got shape "
                                f"{getattr(val, 'shape', type(val).__name__)}")
        gs = tape.gradient(val, leaves, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        gtree = tree_unflatten(spec, [_dense(g) for g in gs])
        g = gtree[0] if isinstance(argnums, int) else gtree
        return ((val, aux) if has_aux else val), g

    return run


def grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    vg = value_and_grad(fun, argnums, has_aux)

    def g(*args: Any, **kwargs: Any) -> Any:
        v, gr = vg(*args, **kwargs)
        return (gr, v[1]) if has_aux else gr

    return g


def vjp(fun: Callable, primals: tuple, has_aux: bool) -> tuple:
    leaves, spec = tree_flatten(primals)
    _check_float(leaves, "vjp")
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        for x in leaves:
            tape.watch(x)
        out = fun(*primals)
        out, aux = out if has_aux else (out, None)
    out_leaves, out_spec = tree_flatten(out)

    def vjp_fn(ct: Any) -> tuple:
        ct_leaves, ct_spec = tree_flatten(ct)
        if ct_spec != out_spec:
            raise ValueError(f"xops.xla.vjp: cotangent structure {ct_spec} does not match the "
                             f"output structure {out_spec}")
        gs = tape.gradient(out_leaves, leaves, output_gradients=ct_leaves,
                           unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return tuple(tree_unflatten(spec, [_dense(g) for g in gs]))

    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


def jvp(fun: Callable, primals: tuple, tangents: tuple, has_aux: bool) -> tuple:
    p_leaves, p_spec = tree_flatten(primals)
    t_leaves, t_spec = tree_flatten(tangents)
    if p_spec != t_spec:
        raise ValueError(f"xops.xla.jvp: tangents structure {t_spec} does not match primals "
                         f"{p_spec}")
    _check_float(p_leaves, "jvp")
    p_leaves = [tf.convert_to_tensor(p) for p in p_leaves]
    with tf.autodiff.ForwardAccumulator(p_leaves, t_leaves) as acc:
        out = fun(*tree_unflatten(p_spec, p_leaves))
        out, aux = out if has_aux else (out, None)
    o_leaves, o_spec = tree_flatten(out)
    t_out = acc.jvp(o_leaves, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    res = (out, tree_unflatten(o_spec, t_out))
    return (*res, aux) if has_aux else res


# --------------------------------------------------------------------------------------------
# vmap: tf.vectorized_map over axis 0 (batched axes moved there first)
# --------------------------------------------------------------------------------------------
def vmap(fun: Callable, in_axes: Any, out_axes: Any) -> Callable:
    def run(*args: Any) -> Any:
        return _vectorized(fun, in_axes, out_axes, args)

    return run


def _vectorized(fun: Callable, in_axes: Any, out_axes: Any, args: tuple) -> Any:
    from ... import numpy as xnp
    leaves, spec, batched, _ = C.batched("tensorflow", args, in_axes)
    elems = [xnp.moveaxis(leaves[i], ax, 0) if ax else leaves[i] for i, ax in batched]
    elems = [tf.convert_to_tensor(e) if isinstance(e, tf.Variable) else e for e in elems]
    o_spec_box: list = []

    def body(bl: list) -> list:
        cur = list(leaves)
        for (i, _), b in zip(batched, bl):
            cur[i] = b
        o_leaves, o_spec = tree_flatten(fun(*tree_unflatten(spec, cur)))
        o_spec_box.append(o_spec)
        return o_leaves

    out = tf.vectorized_map(body, elems)
    o_spec = o_spec_box[-1]
    dummy = tree_unflatten(o_spec, list(range(len(out))))
    axes = C.out_axes_leaves(dummy, out_axes)
    res = [o[0] if ax is None else (xnp.moveaxis(o, 0, ax) if ax else o)
           for o, ax in zip(out, axes)]
    return tree_unflatten(o_spec, res)


def stop_gradient(x: Any) -> Any:
    return tree_map(lambda v: tf.stop_gradient(v) if C.is_array(v, "tensorflow") else v, x)


# --------------------------------------------------------------------------------------------
# custom_vjp: tf.custom_gradient, made per call
# --------------------------------------------------------------------------------------------
def _read_variable(v: Any) -> Any:
    return tf.convert_to_tensor(v) if isinstance(v, tf.Variable) else v


def custom_vjp(fwd: Callable, bwd: Callable, nondiff_argnums: tuple[int, ...],
               fun: Callable | None, recompute_residuals: bool, name: str) -> Callable:
    nondiff = nondiff_argnums

    def call(*args: Any) -> Any:
        # A tf.Variable argument is read here, under the caller's tape, so its gradient flows
        # through the read; inside, the primitive only sees tensors.
        args = tree_map(_read_variable, args)
        layout, dyn = C.layout(args, nondiff, "tensorflow", tree_flatten)
        lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n)
        box: list[Any] = []

        @tf.custom_gradient
        def prim(*d: Any) -> Any:
            a = C.rebuild(lay, d, tree_unflatten)
            out, res = fwd(*a)
            o_leaves, o_spec = tree_flatten(out)
            box.append(o_spec)

            def grad_fn(*gs: Any, variables: Any = None) -> Any:
                g = tree_unflatten(o_spec, gs)
                nd, _ = C.split(nondiff, a)
                gl = C.grad_leaves(nondiff, a, bwd(*nd, res, g), layout.dyn_pos, tree_flatten)
                out_g = [gx if dd and (x.dtype.is_floating or x.dtype.is_complex) else None
                         for x, gx, dd in zip(d, gl, layout.diff_dyn)]
                if variables:  # variables read by fwd but not passed: constants, like in jax
                    return out_g, [None] * len(variables)
                return out_g

            return [tf.identity(o) if any(o is x for x in d) else o for o in o_leaves], grad_fn

        outs = prim(*dyn)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        return tree_unflatten(box[-1], list(outs))

    return call


# --------------------------------------------------------------------------------------------
# control flow: graph ops inside tf.function, plain execution in eager mode
# --------------------------------------------------------------------------------------------
def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    return tf.cond(pred, lambda: true_fun(*operands), lambda: false_fun(*operands))


def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    i = tf.clip_by_value(tf.cast(index, tf.int32), 0, len(branches) - 1)
    return tf.switch_case(i, [(lambda b=b: b(*operands)) for b in branches])


def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    return tf.while_loop(lambda v: cond_fun(v), lambda v: (body_fun(v),), (init_val,))[0]


def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    i0 = tf.cast(lower, tf.int32)
    hi = tf.cast(upper, tf.int32)
    return tf.while_loop(lambda i, v: i < hi, lambda i, v: (i + 1, body_fun(i, v)),
                         (i0, init_val))[1]


# Python loops over optree pytrees (tf.function unrolls them: fine for short, static lengths)
scan = C.loop_scan
map = C.loop_map
associative_scan = C.odd_even_associative_scan


# --------------------------------------------------------------------------------------------
# export: SavedModel (a tf.Module holding a tf.function)
# --------------------------------------------------------------------------------------------
def export(fn: Callable, args: tuple, *, from_numpy: bool, flags: list[bool], path: str | None,
           platforms: Sequence[str] | None, vjp_order: int) -> tuple[Any, bytes | None]:
    if from_numpy:
        args = C.convert_tree(args, "numpy", "tensorflow", C.optree_map)

    def make(x: Any, batched: bool) -> Any:
        shape = list(x.shape)
        if batched:
            shape[0] = None
        return tf.TensorSpec(shape, x.dtype)

    specs = C.export_specs(args, "tensorflow", flags, make, tree_map)
    module = tf.Module()
    # autograph off: it would rewrite xops' own dispatch code (as in xla.jit)
    module.__call__ = tf.function(fn, input_signature=list(specs), autograph=False)
    module.__call__.get_concrete_function()  # trace now: errors surface here, not at save
    if path is not None:
        # keep tf.custom_gradient (xla.custom_vjp) rules in the saved graph
        opts = tf.saved_model.SaveOptions(experimental_custom_gradients=True)
        tf.saved_model.save(module, path, options=opts)
    return module, None


def load(path: str | None, data: bytes | None) -> Any:
    return tf.saved_model.load(path)


def exported_runner(artifact: Any) -> Callable[[tuple, bool], Any]:
    def run(args: tuple, from_numpy: bool) -> Any:
        return C.call_converting(artifact.__call__, args, from_numpy, "tensorflow", tree_map)

    return run
