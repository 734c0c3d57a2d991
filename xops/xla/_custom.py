"""custom_vjp: one custom gradient, JAX semantics, native on every backend.

jax: ``jax.custom_vjp``. torch: a new-style ``torch.autograd.Function`` (forward without ctx,
``setup_context``, ``generate_vmap_rule = True``), the only form that composes with
``torch.func`` and ``torch.compile(fullgraph=True)``. tensorflow: ``tf.custom_gradient``.
numpy: the forward only (numpy gradients are taken by jax, which then uses the jax path).

Arguments are flattened into leaves once per call. Array leaves (of every argument, including
the ``nondiff_argnums`` ones) become the inputs of the native primitive; everything else (Python
scalars, strings, None, callables) is a static value, rebuilt into the arguments inside. So
Python scalars are always non-differentiable, and array arguments in ``nondiff_argnums`` get a
zero gradient (passing them as real inputs rather than closing over them is what keeps jax
tracers and torch tensors legal inside the primitive).
"""
from __future__ import annotations

import functools
import sys
import weakref
from typing import Any, Callable, Sequence

from . import _common as C
from ._common import backend_name, fw, tree_flatten, tree_unflatten

__all__ = ["custom_vjp"]


class _Layout:
    """The static part of one call: argument structure, static leaves, positions."""

    __slots__ = ("spec", "statics", "dyn_pos", "n", "diff_dyn", "nondiff", "key")

    def __init__(self, spec: Any, statics: tuple, dyn_pos: tuple[int, ...], n: int,
                 diff_dyn: tuple[bool, ...], nondiff: tuple[int, ...]) -> None:
        self.spec = spec
        self.statics = statics  # ((position, value), ...)
        self.dyn_pos = dyn_pos
        self.n = n
        self.diff_dyn = diff_dyn  # per dynamic leaf: belongs to a differentiable argument
        self.nondiff = nondiff
        try:
            self.key = hash((spec, statics))
        except TypeError:
            self.key = None

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Layout) and self.spec == other.spec
                and self.statics == other.statics)

    def __hash__(self) -> int:
        return self.key if self.key is not None else id(self)


def _rebuild(layout: Any, dyn: Sequence[Any], be: str) -> tuple:
    spec, statics, dyn_pos, n = layout[0], layout[1], layout[2], layout[3]
    leaves: list[Any] = [None] * n
    for p, v in statics:
        leaves[p] = v
    for p, v in zip(dyn_pos, dyn):
        leaves[p] = v
    return tree_unflatten(spec, leaves, be)


class custom_vjp:  # noqa: N801 - reads like jax.custom_vjp
    """A function with a custom vector-Jacobian product, JAX semantics, on every backend.

    ``fwd(*args) -> (out, residuals)`` computes the output and whatever the backward pass needs;
    ``bwd(*nondiff_args, residuals, g) -> grads`` returns a tuple with one cotangent per
    differentiable argument (each with that argument's structure; ``None`` means zero). Both
    are written with xnp, so they run on every backend. Outputs, residuals and arguments may be
    pytrees; Python scalars are non-differentiable arguments (their cotangents are ignored).

    Composes with: jax grad / jit / vmap / grad-of-grad; torch eager backward,
    ``torch.func.grad``, ``vmap(grad)``, ``torch.compile(fullgraph=True)`` forward and backward,
    ``nn.Parameter`` inputs; tf ``GradientTape``, ``tf.function(jit_compile=True)``,
    ``tf.Variable`` inputs.

    Args:
        fwd: ``fwd(*args) -> (out, residuals)``.
        bwd: ``bwd(*nondiff_args, residuals, g) -> tuple of cotangents``.
        nondiff_argnums: positions of arguments that get no cotangent (passed first to ``bwd``).
        fun: optional primal ``fun(*args) -> out``, used where no gradient is being taken (jax
            and numpy) to skip computing residuals; defaults to ``fwd(*args)[0]``.
        recompute_residuals: torch only. Residuals leave torch's Function as non-differentiable
            outputs, so a derivative of the backward pass (grad of grad) sees residuals that are
            inputs exactly but computed residuals as constants. With this flag the backward
            recomputes ``fwd`` from the inputs whenever it is itself being differentiated
            (grad mode on in backward, which includes every ``torch.func.grad``), giving jax's
            grad-of-grad at the cost of a second forward.

    Example:
        >>> from xops import numpy as xnp
        >>> import numpy as np
        >>> def fwd(x):
        ...     y = xnp.exp(x)
        ...     return y, (y,)
        >>> def bwd(res, g):
        ...     return (g * res[0],)
        >>> my_exp = custom_vjp(fwd, bwd)
        >>> float(my_exp(np.float64(0.0)))
        1.0
    """

    def __init__(self, fwd: Callable, bwd: Callable, nondiff_argnums: Sequence[int] = (),
                 *, fun: Callable | None = None, recompute_residuals: bool = False) -> None:
        self.fwd = fwd
        self.recompute_residuals = recompute_residuals
        self.bwd = bwd
        self.nondiff_argnums = tuple(sorted(nondiff_argnums))
        self.fun = fun
        functools.update_wrapper(self, fun if fun is not None else fwd, updated=())
        self._jax_cache: dict[Any, Any] = {}
        self._torch_fn: Any = None
        # The torch autograd.Function is a class made for this custom_vjp; defining a class is a
        # graph break under torch.compile, so it is made now when torch is loaded, else when the
        # torch kernel table loads (build_pending_torch), not on the first (maybe traced) call.
        if "xops.backends.torch" in sys.modules:
            self._torch_fn = _make_torch_function(self)
        else:
            _PENDING_TORCH.add(self)

    def _primal(self, *args: Any) -> Any:
        return self.fun(*args) if self.fun is not None else self.fwd(*args)[0]

    # -- per-call layout --------------------------------------------------------------------
    def _layout(self, args: tuple, be: str) -> tuple[_Layout, list[Any]]:
        leaves, spec = tree_flatten(args, be)
        # which argument each leaf belongs to
        owner: list[int] = []
        for i, a in enumerate(args):
            owner.extend([i] * len(tree_flatten(a, be)[0]))
        statics, dyn_pos, dyn, diff = [], [], [], []
        for p, x in enumerate(leaves):
            if C.is_array(x, be):
                dyn_pos.append(p)
                dyn.append(x)
                diff.append(owner[p] not in self.nondiff_argnums)
            else:
                statics.append((p, x))
        return _Layout(spec, tuple(statics), tuple(dyn_pos), len(leaves), tuple(diff),
                       self.nondiff_argnums), dyn

    def _split(self, args: tuple) -> tuple[tuple, tuple]:
        return _split(self.nondiff_argnums, args)

    def _grad_leaves(self, args: tuple, grads: Any, dyn_pos: Sequence[int],
                     be: str) -> list[Any]:
        return _grad_leaves(self.nondiff_argnums, args, grads, dyn_pos, be)

    def __call__(self, *args: Any) -> Any:
        be = backend_name("custom_vjp", args, default="numpy")
        if be == "numpy":
            return self._primal(*args)
        if be == "jax":
            return self._call_jax(args)
        if be == "torch":
            return self._call_torch(args)
        return self._call_tf(args)

    # -- jax --------------------------------------------------------------------------------
    def _call_jax(self, args: tuple) -> Any:
        layout, dyn = self._layout(args, "jax")
        prim = self._jax_cache.get(layout) if layout.key is not None else None
        if prim is None:
            prim = self._make_jax(layout)
            if layout.key is not None:
                self._jax_cache[layout] = prim
        return prim(*dyn)

    def _make_jax(self, layout: _Layout) -> Any:
        jax = fw("jax")
        lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n)

        @jax.custom_vjp
        def prim(*dyn: Any) -> Any:
            return self._primal(*_rebuild(lay, dyn, "jax"))

        def f(*dyn: Any) -> Any:
            args = _rebuild(lay, dyn, "jax")
            out, res = self.fwd(*args)
            # nondiff array leaves travel as residuals: bwd may not close over tracers
            return out, (res, dyn)

        def b(saved: Any, g: Any) -> tuple:
            res, dyn = saved
            args = _rebuild(lay, dyn, "jax")
            nd, _ = self._split(args)
            gl = self._grad_leaves(args, self.bwd(*nd, res, g), layout.dyn_pos, "jax")
            out = []
            for x, gx, d in zip(dyn, gl, layout.diff_dyn):
                inexact = jax.numpy.issubdtype(x.dtype, jax.numpy.inexact)
                out.append(gx if (d and inexact) else None)
            return tuple(out)

        prim.defvjp(f, b)
        return prim

    # -- torch ------------------------------------------------------------------------------
    def _call_torch(self, args: tuple) -> Any:
        layout, dyn = self._layout(args, "torch")
        fn = self._torch_fn
        if fn is None:
            fn = self._torch_fn = _make_torch_function(self)
        lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n, layout.diff_dyn)
        outs = fn.apply(lay, *dyn)
        meta = outs[-1]
        return tree_unflatten(meta[0], outs[:meta[2]], "torch")

    # -- tensorflow -------------------------------------------------------------------------
    def _call_tf(self, args: tuple) -> Any:
        tf = fw("tensorflow")
        # A tf.Variable argument is read here, under the caller's tape, so its gradient flows
        # through the read; inside, the primitive only sees tensors.
        args = C.tree_map(lambda v: tf.convert_to_tensor(v) if isinstance(v, tf.Variable)
                          else v, args, "tensorflow")
        layout, dyn = self._layout(args, "tensorflow")
        lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n)
        box: list[Any] = []

        @tf.custom_gradient
        def prim(*d: Any) -> Any:
            a = _rebuild(lay, d, "tensorflow")
            out, res = self.fwd(*a)
            o_leaves, o_spec = tree_flatten(out, "tensorflow")
            box.append(o_spec)

            def grad_fn(*gs: Any, variables: Any = None) -> Any:
                g = tree_unflatten(o_spec, gs, "tensorflow")
                nd, _ = self._split(a)
                gl = self._grad_leaves(a, self.bwd(*nd, res, g), layout.dyn_pos,
                                     "tensorflow")
                out_g = [gx if dd and (x.dtype.is_floating or x.dtype.is_complex) else None
                         for x, gx, dd in zip(d, gl, layout.diff_dyn)]
                if variables:  # variables read by fwd but not passed: constants, like in jax
                    return out_g, [None] * len(variables)
                return out_g

            return [tf.identity(o) if any(o is x for x in d) else o for o in o_leaves], grad_fn

        outs = prim(*dyn)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        return tree_unflatten(box[-1], list(outs), "tensorflow")


def _make_torch_function(cv: custom_vjp) -> Any:
    torch = fw("torch")
    # Closures hold plain functions and tuples only: dynamo cannot wrap a custom_vjp instance.
    fwd, bwd, nondiff, recompute = cv.fwd, cv.bwd, cv.nondiff_argnums, cv.recompute_residuals

    class XopsCustomVJP(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(lay: tuple, *dyn: Any) -> Any:
            args = _rebuild(lay, dyn, "torch")
            out, res = fwd(*args)
            o_leaves, o_spec = tree_flatten(out, "torch")
            r_leaves, r_spec = tree_flatten(res, "torch")
            # An output or residual that *is* an input must leave as a view, or autograd treats
            # the input as its own output (and saving it breaks under torch.func).
            o_leaves = [o.view_as(o) if _is_input(o, dyn) else o for o in o_leaves]
            r_t, r_pos, r_static, r_in = [], [], [], []
            for p, r in enumerate(r_leaves):
                k = _input_index(r, dyn)
                if k >= 0:  # saved as the input itself: exact under double backward
                    r_in.append((p, k))
                elif isinstance(r, torch.Tensor):
                    r_t.append(r)
                    r_pos.append(p)
                else:
                    r_static.append((p, r))
            meta = (o_spec, r_spec, len(o_leaves), tuple(r_pos), tuple(r_static),
                    len(r_leaves), tuple(r_in))
            return (*o_leaves, *r_t, meta)

        @staticmethod
        def setup_context(ctx: Any, inputs: tuple, output: tuple) -> None:
            meta = output[-1]
            n_out = meta[2]
            r_t = output[n_out:-1]
            ctx.mark_non_differentiable(*r_t)
            lay = inputs[0]
            dyn = inputs[1:]
            ctx.lay = lay
            ctx.meta = meta
            ctx.n_res = len(r_t)
            ctx.save_for_backward(*r_t, *dyn)

        @staticmethod
        def backward(ctx: Any, *gs: Any) -> Any:
            meta, lay = ctx.meta, ctx.lay
            saved = ctx.saved_tensors
            r_t, dyn = saved[:ctx.n_res], saved[ctx.n_res:]
            args = _rebuild(lay, dyn, "torch")
            if recompute and torch.is_grad_enabled():
                # differentiating the backward pass: residuals must depend on the inputs
                res = fwd(*args)[1]
            else:
                r_leaves: list[Any] = [None] * meta[5]
                for p, r in zip(meta[3], r_t):
                    r_leaves[p] = r
                for p, v in meta[4]:
                    r_leaves[p] = v
                for p, k in meta[6]:
                    r_leaves[p] = dyn[k]
                res = tree_unflatten(meta[1], r_leaves, "torch")
            g = tree_unflatten(meta[0], gs[:meta[2]], "torch")
            nd, _ = _split(nondiff, args)
            gl = _grad_leaves(nondiff, args, bwd(*nd, res, g), lay[2], "torch")
            out = [None]
            for x, gx, d in zip(dyn, gl, lay[4]):
                out.append(gx if d and (x.is_floating_point() or x.is_complex()) else None)
            return tuple(out)

    XopsCustomVJP.__name__ = XopsCustomVJP.__qualname__ = (
        f"XopsCustomVJP_{getattr(cv, '__name__', 'fn')}")
    return XopsCustomVJP


def _is_input(t: Any, dyn: Sequence[Any]) -> bool:
    for x in dyn:
        if t is x:
            return True
    return False


def _input_index(t: Any, dyn: Sequence[Any]) -> int:
    for i, x in enumerate(dyn):
        if t is x:
            return i
    return -1


def _split(nondiff: tuple[int, ...], args: tuple) -> tuple[tuple, tuple]:
    nd = tuple(args[i] for i in nondiff)
    return nd, tuple(a for i, a in enumerate(args) if i not in nondiff)


def _grad_leaves(nondiff: tuple[int, ...], args: tuple, grads: Any, dyn_pos: Sequence[int],
                 be: str) -> list[Any]:
    """The cotangent for each dynamic leaf (None = zero), from bwd's per-argument tuple."""
    _, diff_args = _split(nondiff, args)
    if not isinstance(grads, (tuple, list)) or len(grads) != len(diff_args):
        raise ValueError(f"xops.xla.custom_vjp: bwd must return a tuple with one cotangent "
                         f"per differentiable argument ({len(diff_args)}), got "
                         f"{type(grads).__name__}"
                         + (f" of length {len(grads)}" if isinstance(grads, (tuple, list))
                            else ""))
    per_leaf: list[Any] = []
    for a, g in zip(diff_args, grads):
        n = len(tree_flatten(a, be)[0])
        if g is None:
            per_leaf.extend([None] * n)
            continue
        gl = tree_flatten(g, be)[0]
        if len(gl) != n:
            raise ValueError("xops.xla.custom_vjp: a cotangent returned by bwd does not have "
                             "the structure of its argument")
        per_leaf.extend(gl)
    # back to full leaf positions, with nondiff arguments' leaves as None
    full: list[Any] = []
    it = iter(per_leaf)
    for i, a in enumerate(args):
        n = len(tree_flatten(a, be)[0])
        if i in nondiff:
            full.extend([None] * n)
        else:
            full.extend(next(it) for _ in range(n))
    return [full[p] for p in dyn_pos]


_PENDING_TORCH: "weakref.WeakSet[Any]" = weakref.WeakSet()


def build_pending_torch() -> None:
    """Make the torch autograd.Functions of custom_vjps created before torch was loaded (called
    by the torch kernel table when it loads, normally outside any traced function)."""
    for cv in list(_PENDING_TORCH):
        if cv._torch_fn is None:
            cv._torch_fn = _make_torch_function(cv)
    _PENDING_TORCH.clear()
