"""jit, grad, value_and_grad, vjp, jvp, vmap and stop_gradient, each mapped to the native
transform of the backend of the arguments at call time.

| transform      | jax                | torch                       | tensorflow                  | numpy            |
|----------------|--------------------|-----------------------------|-----------------------------|------------------|
| jit            | jax.jit            | torch.compile               | tf.function(jit_compile)    | identity         |
| grad           | jax.grad           | torch.func.grad             | tf.GradientTape             | jax (delegated)  |
| value_and_grad | jax.value_and_grad | torch.func.grad_and_value   | tf.GradientTape             | jax (delegated)  |
| vjp            | jax.vjp            | torch.func.vjp              | tf.GradientTape             | jax (delegated)  |
| jvp            | jax.jvp            | torch.func.jvp              | tf.autodiff.ForwardAccumulator | jax (delegated) |
| vmap           | jax.vmap           | torch.func.vmap             | tf.vectorized_map (axis 0)  | loop and stack   |

A transformed function builds the native transform once per backend, on its first call with
that backend's arrays, and keeps it: jax.jit / torch.compile / tf.function then cache per
signature as usual.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

from . import _common as C
from ._common import backend_name, fw, tree_flatten, tree_unflatten

__all__ = ["jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient"]

Argnums = "int | Sequence[int]"


class _PerBackend:
    """A function that forwards to a per-backend implementation built on first use."""

    def __init__(self, where: str, fun: Callable, build: Callable[[str], Callable]) -> None:
        # Copy name and docstring only: fun may itself be a _PerBackend whose __dict__ holds
        # its own _build.
        functools.update_wrapper(self, fun, updated=())
        self._where = where
        self._build = build
        self._impl: dict[str, Callable] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = backend_name(self._where, args, kwargs)
        impl = self._impl.get(name)
        if impl is None:
            impl = self._impl[name] = self._build(name)
        return impl(*args, **kwargs)

    def __get__(self, obj: Any, objtype: Any = None) -> Any:  # usable as a method
        return self if obj is None else functools.partial(self, obj)


# --------------------------------------------------------------------------------------------
# jit
# --------------------------------------------------------------------------------------------
def jit(fun: Callable, *, static_argnums: int | Sequence[int] = (),
        donate_argnums: int | Sequence[int] = (),
        options: dict[str, dict[str, Any]] | None = None) -> Callable:
    """Compile ``fun`` with the compiler of the backend of its arguments at call time.

    jax: ``jax.jit``; torch: ``torch.compile``; tensorflow: ``tf.function(jit_compile=True)``
    (XLA); numpy: no compiler, ``fun`` is called as is. Each backend compiles once per
    signature, with its own cache and guards.

    Args:
        fun: a function of arrays (pytrees of arrays) written with xnp.
        static_argnums: positions of arguments that are compile-time constants (hashable).
            jax honours them exactly; torch.compile and tf.function already treat Python
            values as constants (they specialise and guard / retrace on them).
        donate_argnums: positions whose buffers the compiled function may reuse (jax only;
            torch and tensorflow have no donation, the hint is ignored there).
        options: extra keyword arguments per backend for the native compiler, e.g.
            ``{"torch": {"fullgraph": True, "backend": "eager"}, "tensorflow":
            {"reduce_retracing": True}}``.

    Returns:
        A function with ``fun``'s signature returning native arrays of the input backend.
    """
    opts = options or {}
    unknown = set(opts) - {"numpy", "jax", "torch", "tensorflow"}
    if unknown:
        raise ValueError(f"xops.xla.jit: unknown backend(s) in options: {sorted(unknown)}")

    def build(name: str) -> Callable:
        o = dict(opts.get(name, {}))
        if name == "jax":
            return fw("jax").jit(fun, static_argnums=static_argnums,
                                 donate_argnums=donate_argnums, **o)
        if name == "torch":
            # The backend table import graph-breaks: make sure it happened eagerly.
            from ..backends import get_backend
            get_backend("torch")
            if "mode" not in o:  # torch.compile takes mode or options, not both
                inner = dict(o.get("options") or {})
                inner.setdefault("guard_filter_fn", _skip_xops_guards)
                o["options"] = inner
            return fw("torch").compile(fun, **o)
        if name == "tensorflow":
            o.setdefault("jit_compile", True)
            # autograph would rewrite xops' own dispatch code (its Python ifs and loops run on
            # dtypes and shapes, not tensors); data-dependent control flow is xla.cond & co.
            o.setdefault("autograph", False)
            return fw("tensorflow").function(fun, **o)
        return fun

    return _PerBackend("jit", fun, build)


def _skip_xops_guards(entries: Sequence[Any]) -> list[bool]:
    """torch.compile guard filter: drop guards on xops' own module globals.

    Tracing through xops dispatch makes dynamo guard every table, module and dtype object it
    touched (about 2,000 guards for a 30-op function, against about 100 for the same function
    written in torch: ~40 us more per call). Those objects do not change what the graph
    computes: kernel tables are frozen after import, and the caches that do fill later
    (TYPE_CACHE, fast paths) only memoise the same answer. Guards on tensors, Python
    arguments and torch's global state are kept. Pass your own ``guard_filter_fn`` in
    ``options={"torch": {"options": {...}}}`` to change this.
    """
    return [not (e.is_global and "__import_xops" in e.name) for e in entries]


# --------------------------------------------------------------------------------------------
# grad / value_and_grad
# --------------------------------------------------------------------------------------------
def _argnums_tuple(argnums: int | Sequence[int]) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable:
    """The gradient of scalar-valued ``fun`` with respect to the arguments ``argnums``.

    JAX semantics on every backend: ``grad(f)(x)`` has ``x``'s structure; a tuple ``argnums``
    gives a tuple of gradients; with ``has_aux`` ``fun`` returns ``(value, aux)`` and the result
    is ``(grads, aux)``. numpy arrays are differentiated by jax (see docs/xla.md).

    Args:
        fun: a function returning a scalar (0-d array), written with xnp.
        argnums: which positional arguments to differentiate (pytrees of float arrays).
        has_aux: whether ``fun`` returns a pair ``(value, auxiliary data)``.

    Returns:
        A function with ``fun``'s signature returning the gradients (and aux).
    """
    def build(name: str) -> Callable:
        if name == "jax":
            return fw("jax").grad(fun, argnums=argnums, has_aux=has_aux)
        if name == "torch":
            return fw("torch").func.grad(fun, argnums=argnums, has_aux=has_aux)
        if name == "numpy":
            return C.via_jax("grad", lambda jax: jax.grad(fun, argnums=argnums, has_aux=has_aux))
        vg = _tf_value_and_grad(fun, argnums, has_aux)

        def g(*args: Any, **kwargs: Any) -> Any:
            v, gr = vg(*args, **kwargs)
            return (gr, v[1]) if has_aux else gr

        return g

    return _PerBackend("grad", fun, build)


def value_and_grad(fun: Callable, argnums: int | Sequence[int] = 0,
                   has_aux: bool = False) -> Callable:
    """``fun``'s value and its gradient (JAX's ``value_and_grad`` on every backend).

    Args:
        fun: a function returning a scalar (0-d array), written with xnp.
        argnums: which positional arguments to differentiate.
        has_aux: whether ``fun`` returns ``(value, aux)``.

    Returns:
        A function returning ``(value, grads)``, or ``((value, aux), grads)`` with ``has_aux``.
    """
    def build(name: str) -> Callable:
        if name == "jax":
            return fw("jax").value_and_grad(fun, argnums=argnums, has_aux=has_aux)
        if name == "torch":
            gv = fw("torch").func.grad_and_value(fun, argnums=argnums, has_aux=has_aux)

            def vg(*args: Any, **kwargs: Any) -> Any:
                g, v = gv(*args, **kwargs)  # torch's order is (grad, value)
                return v, g

            return vg
        if name == "numpy":
            return C.via_jax("value_and_grad", lambda jax: jax.value_and_grad(
                fun, argnums=argnums, has_aux=has_aux))
        return _tf_value_and_grad(fun, argnums, has_aux)

    return _PerBackend("value_and_grad", fun, build)


def _tf_check_float(leaves: list[Any], where: str) -> None:
    for x in leaves:
        if not (x.dtype.is_floating or x.dtype.is_complex):
            raise TypeError(f"xops.xla.{where} requires real- or complex-valued inputs, got "
                            f"{x.dtype.name}")


def _tf_dense(tf: Any, g: Any) -> Any:
    # gather's gradient is IndexedSlices; users expect a dense array like on other backends.
    return tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g


def _tf_value_and_grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    tf = fw("tensorflow")
    nums = _argnums_tuple(argnums)

    def run(*args: Any, **kwargs: Any) -> Any:
        diff = tuple(args[i] for i in nums)
        leaves, spec = tree_flatten(diff, "tensorflow")
        _tf_check_float(leaves, "grad")
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            for x in leaves:
                tape.watch(x)
            out = fun(*args, **kwargs)
            val, aux = out if has_aux else (out, None)
            if getattr(val, "shape", None) is None or val.shape.rank != 0:
                raise TypeError("xops.xla.grad requires a scalar (0-d) output, got shape "
                                f"{getattr(val, 'shape', type(val).__name__)}")
        gs = tape.gradient(val, leaves, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        gtree = tree_unflatten(spec, [_tf_dense(tf, g) for g in gs], "tensorflow")
        g = gtree[0] if isinstance(argnums, int) else gtree
        return ((val, aux) if has_aux else val), g

    return run


# --------------------------------------------------------------------------------------------
# vjp / jvp
# --------------------------------------------------------------------------------------------
def vjp(fun: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """Evaluate ``fun(*primals)`` and its vector-Jacobian product function (JAX semantics).

    Args:
        fun: a function of arrays (pytrees) written with xnp.
        *primals: the point at which to linearise.
        has_aux: whether ``fun`` returns ``(out, aux)``.

    Returns:
        ``(out, vjp_fn)`` or ``(out, vjp_fn, aux)``; ``vjp_fn(cotangent)`` returns a tuple with
        one cotangent per primal. On tensorflow ``vjp_fn`` may be called several times (the
        tape is persistent).
    """
    name = backend_name("vjp", primals)
    if name == "jax":
        return fw("jax").vjp(fun, *primals, has_aux=has_aux)
    if name == "torch":
        return fw("torch").func.vjp(fun, *primals, has_aux=has_aux)
    if name == "numpy":
        jax = C.require_jax("vjp")
        with C.x64_scope():
            res = jax.vjp(fun, *C.to_jax(primals), has_aux=has_aux)
        jfn = res[1]

        def vjp_fn(ct: Any) -> Any:
            with C.x64_scope():
                return C.to_numpy(jfn(C.to_jax(ct)))

        out = (C.to_numpy(res[0]), vjp_fn)
        return (*out, C.to_numpy(res[2])) if has_aux else out
    tf = fw("tensorflow")
    leaves, spec = tree_flatten(primals, "tensorflow")
    _tf_check_float(leaves, "vjp")
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        for x in leaves:
            tape.watch(x)
        out = fun(*primals)
        out, aux = out if has_aux else (out, None)
    out_leaves, out_spec = tree_flatten(out, "tensorflow")

    def tf_vjp_fn(ct: Any) -> tuple:
        ct_leaves, ct_spec = tree_flatten(ct, "tensorflow")
        if ct_spec != out_spec:
            raise ValueError(f"xops.xla.vjp: cotangent structure {ct_spec} does not match the "
                             f"output structure {out_spec}")
        gs = tape.gradient(out_leaves, leaves, output_gradients=ct_leaves,
                           unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return tuple(tree_unflatten(spec, [_tf_dense(tf, g) for g in gs], "tensorflow"))

    return (out, tf_vjp_fn, aux) if has_aux else (out, tf_vjp_fn)


def jvp(fun: Callable, primals: Sequence[Any], tangents: Sequence[Any],
        has_aux: bool = False) -> tuple:
    """Forward-mode Jacobian-vector product (JAX semantics).

    Args:
        fun: a function of arrays (pytrees) written with xnp.
        primals: tuple of arguments.
        tangents: tuple with the same structure as ``primals``.
        has_aux: whether ``fun`` returns ``(out, aux)``.

    Returns:
        ``(out, tangent_out)`` or ``(out, tangent_out, aux)``.
    """
    primals, tangents = tuple(primals), tuple(tangents)
    name = backend_name("jvp", primals)
    if name == "jax":
        return fw("jax").jvp(fun, primals, tangents, has_aux=has_aux)
    if name == "torch":
        return fw("torch").func.jvp(fun, primals, tangents, has_aux=has_aux)
    if name == "numpy":
        jax = C.require_jax("jvp")
        with C.x64_scope():
            return C.to_numpy(jax.jvp(fun, C.to_jax(primals), C.to_jax(tangents),
                                      has_aux=has_aux))
    tf = fw("tensorflow")
    p_leaves, p_spec = tree_flatten(primals, "tensorflow")
    t_leaves, t_spec = tree_flatten(tangents, "tensorflow")
    if p_spec != t_spec:
        raise ValueError(f"xops.xla.jvp: tangents structure {t_spec} does not match primals "
                         f"{p_spec}")
    _tf_check_float(p_leaves, "jvp")
    p_leaves = [tf.convert_to_tensor(p) for p in p_leaves]
    with tf.autodiff.ForwardAccumulator(p_leaves, t_leaves) as acc:
        out = fun(*tree_unflatten(p_spec, p_leaves, "tensorflow"))
        out, aux = out if has_aux else (out, None)
    o_leaves, o_spec = tree_flatten(out, "tensorflow")
    t_out = acc.jvp(o_leaves, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    res = (out, tree_unflatten(o_spec, t_out, "tensorflow"))
    return (*res, aux) if has_aux else res


# --------------------------------------------------------------------------------------------
# vmap
# --------------------------------------------------------------------------------------------
def _top_axes(in_axes: Any, nargs: int) -> Any:
    if in_axes is None or isinstance(in_axes, int):
        return (in_axes,) * nargs
    if isinstance(in_axes, list):  # jax wants a tuple; accept the obvious list too
        in_axes = tuple(in_axes)
    if not isinstance(in_axes, tuple) or len(in_axes) != nargs:
        raise ValueError(f"xops.xla.vmap: in_axes must be an int, None or a tuple with one "
                         f"entry per positional argument ({nargs}), got {in_axes!r}")
    return in_axes


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0) -> Callable:
    """Vectorise ``fun`` over a batch axis of its arguments (JAX semantics).

    jax: ``jax.vmap``; torch: ``torch.func.vmap``; tensorflow: ``tf.vectorized_map`` (batched
    axes are moved to 0 first, outputs moved to ``out_axes``); numpy: a Python loop over the
    batch, results stacked.

    Args:
        fun: a function of arrays (pytrees), written with xnp.
        in_axes: an int, None (not batched) or a tuple with one entry per positional argument,
            each an int, None or a pytree prefix of that argument.
        out_axes: same for the outputs.

    Returns:
        The batched function.
    """
    def build(name: str) -> Callable:
        if name == "jax":
            ia = tuple(in_axes) if isinstance(in_axes, list) else in_axes
            return fw("jax").vmap(fun, in_axes=ia, out_axes=out_axes)
        if name == "torch":
            ia = tuple(in_axes) if isinstance(in_axes, list) else in_axes
            return fw("torch").func.vmap(fun, in_dims=ia, out_dims=out_axes)
        return functools.partial(_vmap_loop if name == "numpy" else _vmap_tf, name, fun,
                                 in_axes, out_axes)

    return _PerBackend("vmap", fun, build)


def _batched(name: str, args: tuple, in_axes: Any) -> tuple[list, Any, list, int]:
    leaves, spec = tree_flatten(args, name)
    axes = C.broadcast_prefix(_top_axes(in_axes, len(args)), args, name, "vmap")
    batched = []
    size = None
    for i, (x, ax) in enumerate(zip(leaves, axes)):
        if ax is None or not C.is_array(x, name):
            continue
        nd = len(x.shape)
        if not -nd <= ax < nd:
            raise ValueError(f"xops.xla.vmap: in_axes {ax} out of range for an argument of "
                             f"rank {nd}")
        n = int(x.shape[ax])
        if size is None:
            size = n
        elif n != size:
            raise ValueError(f"xops.xla.vmap: batched arguments have different sizes along "
                             f"their mapped axes ({size} and {n})")
        batched.append((i, ax % nd))
    if size is None:
        raise ValueError("xops.xla.vmap: no argument is batched (all in_axes are None)")
    return leaves, spec, batched, size


def _out_axes(out: Any, out_axes: Any, name: str) -> list:
    if out_axes is None or isinstance(out_axes, int):
        return [out_axes] * len(tree_flatten(out, name)[0])
    return C.broadcast_prefix(out_axes, out, name, "vmap")


def _vmap_loop(name: str, fun: Callable, in_axes: Any, out_axes: Any, *args: Any) -> Any:
    np = fw("numpy")
    leaves, spec, batched, size = _batched(name, args, in_axes)
    outs = []
    for b in range(size):
        cur = list(leaves)
        for i, ax in batched:
            cur[i] = np.take(leaves[i], b, axis=ax)
        outs.append(fun(*tree_unflatten(spec, cur, name)))
    o_leaves, o_spec = tree_flatten(outs[0], name)
    per = [tree_flatten(o, name)[0] for o in outs]
    axes = _out_axes(outs[0], out_axes, name)
    res = []
    for j, ax in enumerate(axes):
        col = [p[j] for p in per]
        res.append(col[0] if ax is None else np.stack([np.asarray(c) for c in col], axis=ax))
    return tree_unflatten(o_spec, res, name)


def _vmap_tf(name: str, fun: Callable, in_axes: Any, out_axes: Any, *args: Any) -> Any:
    tf = fw("tensorflow")
    from .. import numpy as xnp
    leaves, spec, batched, _ = _batched(name, args, in_axes)
    elems = [xnp.moveaxis(leaves[i], ax, 0) if ax else leaves[i] for i, ax in batched]
    elems = [tf.convert_to_tensor(e) if isinstance(e, tf.Variable) else e for e in elems]
    o_spec_box: list = []

    def body(bl: list) -> list:
        cur = list(leaves)
        for (i, _), b in zip(batched, bl):
            cur[i] = b
        o_leaves, o_spec = tree_flatten(fun(*tree_unflatten(spec, cur, name)), name)
        o_spec_box.append(o_spec)
        return o_leaves

    out = tf.vectorized_map(body, elems)
    o_spec = o_spec_box[-1]
    dummy = tree_unflatten(o_spec, list(range(len(out))), name)
    axes = _out_axes(dummy, out_axes, name)
    res = [o[0] if ax is None else (xnp.moveaxis(o, 0, ax) if ax else o)
           for o, ax in zip(out, axes)]
    return tree_unflatten(o_spec, res, name)


# --------------------------------------------------------------------------------------------
# stop_gradient
# --------------------------------------------------------------------------------------------
def stop_gradient(x: Any) -> Any:
    """``x`` (a pytree of arrays) with gradients blocked: ``jax.lax.stop_gradient``,
    ``Tensor.detach``, ``tf.stop_gradient``; numpy arrays come back unchanged.

    Args:
        x: an array or pytree of arrays of one backend.

    Returns:
        The same values, treated as constants by every autodiff transform.
    """
    name = backend_name("stop_gradient", (x,), default="numpy")
    if name == "numpy":
        return x
    if name == "jax":
        sg = fw("jax").lax.stop_gradient
    elif name == "torch":
        def sg(v: Any) -> Any:
            return v.detach()
    else:
        sg = fw("tensorflow").stop_gradient

    def leaf(v: Any) -> Any:
        return sg(v) if C.is_array(v, name) else v

    return C.tree_map(leaf, x, name)
