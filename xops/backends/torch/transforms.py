"""torch's transforms: ``torch.compile``, ``torch.func`` (grad, grad_and_value, vjp, jvp, vmap),
a new-style ``torch.autograd.Function`` per custom_vjp, Python control flow eagerly and
``torch.cond`` / ``while_loop`` while torch.compile traces, ``torch.export``. Pytrees go through
``torch.utils._pytree``: the registry torch.func uses and dynamo traces without graph breaks
(dynamo's optree polyfill breaks the graph on dict nodes in torch 2.13).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import torch
import torch.utils._pytree as pytree

from .. import _compiling
from .. import _transforms_common as C
from . import reduce_partial

__all__ = list(C.TRANSFORM_NAMES)


# --------------------------------------------------------------------------------------------
# pytrees: torch.utils._pytree, None a leaf
# --------------------------------------------------------------------------------------------
def tree_flatten(tree: Any) -> tuple[list[Any], Any]:
    return pytree.tree_flatten(tree, is_leaf=C.is_none)


def tree_unflatten(spec: Any, leaves: Sequence[Any]) -> Any:
    return pytree.tree_unflatten(list(leaves), spec)


def tree_map(fn: Callable, tree: Any, *rest: Any) -> Any:
    return pytree.tree_map(fn, tree, *rest, is_leaf=C.is_none)


def tree_leaves(tree: Any) -> list[Any]:
    return pytree.tree_leaves(tree, is_leaf=C.is_none)


# --------------------------------------------------------------------------------------------
# jit: torch.compile, with donation (in-place writes into donated tensors) and CUDA graphs
# --------------------------------------------------------------------------------------------
def jit(fun: Callable, static_argnums: tuple[int, ...], donate_argnums: tuple[int, ...],
        options: dict[str, Any], donate_argnames: tuple[str | None, ...] = (),
        cuda_graphs: bool = False) -> Callable:
    # torch.compile already specialises on Python values (static_argnums). This module is
    # reached through the loaded torch backend, so the kernel table (whose import would break
    # the graph) is already imported.
    o = dict(options)
    backend = o.get("backend", "inductor")
    inductor = isinstance(backend, str) and backend == "inductor"
    if cuda_graphs and not inductor:
        raise ValueError(f"xops.jit: cuda_graphs=True is inductor's triton.cudagraphs option, but "
                         f"options={{'torch': {{'backend': {backend!r}}}}} chose another "
                         "torch.compile backend; drop one of them")
    if inductor and "mode" in o and "options" not in o:
        # torch.compile takes mode or options, not both; a mode is a set of inductor options
        # (exactly what torch.compile applies), so turn it into them and keep the guard filter.
        from torch._inductor import list_mode_options
        o["options"] = dict(list_mode_options(o.pop("mode"), o.get("dynamic")))
    graphs = False
    if "mode" not in o:
        inner = dict(o.get("options") or {})
        inner.setdefault("guard_filter_fn", _skip_xops_guards)
        if cuda_graphs:
            inner["triton.cudagraphs"] = True
        graphs = inductor and bool(inner.get("triton.cudagraphs", False))
        o["options"] = inner
    donate = tuple(donate_argnums)
    names = tuple(donate_argnames) + (None,) * (len(donate) - len(donate_argnames))
    compiled = torch.compile(_donating(fun, donate, names) if donate else fun, **o)
    if not donate and not graphs:
        return compiled

    def call(*args: Any, **kwargs: Any) -> Any:
        keep = _static_donated(args, kwargs, donate, names) if graphs and donate else ()
        out = compiled(*args, **kwargs)
        if donate:
            out, report = out
            if report is not None:
                _report(report)
        if graphs:
            out = tree_map(lambda t: _own(t, keep), out)
        return out

    call.__wrapped__ = fun  # type: ignore[attr-defined]
    return call


_ABSENT = object()


def _donated(args: tuple, kwargs: dict, i: int, name: str | None) -> Any:
    """Donated argument ``i``: positional, or passed by its parameter name; _ABSENT if not
    passed (its default is used, which is not the caller's to donate)."""
    if i < len(args):
        return args[i]
    return kwargs.get(name, _ABSENT) if name is not None else _ABSENT


def _donating(fun: Callable, donate: tuple[int, ...], names: tuple[str | None, ...]) -> Callable:
    """``fun`` with its donated arguments' tensors overwritten by the matching outputs.

    Runs while torch.compile traces (everything but the copies is decided at trace time, from
    structures, shapes, dtypes, devices and requires_grad, which dynamo guards). Returns
    ``(out, report)``: ``report`` is None, or a constant tuple the eager caller turns into an
    error (a donated tensor that requires grad while grad mode is on) or a warning (a donated
    argument no output fits). Raising here would be a graph break.
    """
    def donating(*args: Any, **kwargs: Any) -> Any:
        out = fun(*args, **kwargs)
        return _write_donated(out, args, kwargs, donate, names)

    # dynamo caches compiled code per code object, with a recompile limit (8): a code object
    # of its own for each jitted function, or every donating jit would share one cache
    donating.__code__ = donating.__code__.replace()
    donating.__name__ = donating.__qualname__ = getattr(fun, "__name__", "donating")
    return donating


def _write_donated(out: Any, args: tuple, kwargs: dict, donate: tuple[int, ...],
                   names: tuple[str | None, ...]) -> tuple[Any, Any]:
    grad = torch.is_grad_enabled()
    values = []
    for i, name in zip(donate, names):
        v = _donated(args, kwargs, i, name)
        if v is _ABSENT:
            continue
        leaves, spec = tree_flatten(v)
        if grad and any(isinstance(t, torch.Tensor) and t.requires_grad for t in leaves):
            return out, ("grad", i, name)
        if any(isinstance(t, torch.Tensor) for t in leaves):
            values.append((i, name, leaves, spec))
    if not values:
        return out, None
    # memory the outputs may share with the inputs: the root (base) of every input tensor
    roots = [_root(t) for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)]
    o_leaves, o_spec = tree_flatten(out)
    result = list(o_leaves)
    parts: list[tuple[tuple, int, int, Any]] = []
    _parts(out, (), 0, parts)
    taken: list[tuple] = []
    dsts: list[Any] = []
    srcs: list[Any] = []
    replaced: list[int] = []
    unused = []
    for i, name, leaves, spec in values:
        for path, off, n, pspec in parts:
            if any(path[:len(t)] == t or t[:len(path)] == path for t in taken):
                continue  # overlaps a part already matched
            if n != len(leaves) or pspec != spec:
                continue
            if not all(_fits(a, result[off + j], grad, roots) for j, a in enumerate(leaves)):
                continue
            taken.append(path)
            for j, a in enumerate(leaves):
                o = result[off + j]
                if not isinstance(a, torch.Tensor) or o is a:
                    continue  # not a tensor, or returned unchanged: nothing to write
                if any(a is d for d in dsts):
                    continue  # the same tensor donated twice (tied leaves): written once
                # every source is read before any write (clone: fused away by inductor)
                srcs.append(o.clone())
                dsts.append(a)
                result[off + j] = a
                replaced.append(off + j)
            break
        else:
            unused.append((i, name))
    if dsts:
        dst_roots = [_root(d) for d in dsts]
        for k, o in enumerate(result):
            # an output kept as it is that shares memory with a tensor written below (it is
            # one, or a view of one): return a copy taken before the writes
            if k not in replaced and isinstance(o, torch.Tensor) and _aliases(o, dst_roots):
                result[k] = o.clone()
        for d, src in zip(dsts, srcs):
            d.copy_(src)
    report = ("unused", tuple(unused)) if unused else None
    return tree_unflatten(o_spec, result), report


def _root(t: Any) -> Any:
    """The tensor whose memory ``t`` views (``t`` itself when it is not a view)."""
    return t if t._base is None else t._base


def _aliases(t: Any, roots: Sequence[Any]) -> bool:
    """Whether ``t`` is one of the tensors with these ``roots`` or a view of one (views through
    ``detach()`` / ``.data`` are not seen: they have no ``_base``)."""
    if not isinstance(t, torch.Tensor):
        return False
    r = _root(t)
    return any(r is q for q in roots)


def _parts(tree: Any, path: tuple, off: int, acc: list) -> int:
    """The output and, recursively, the elements of its tuples, lists and dicts, in pytree
    (pre-)order: ``(path, first leaf, number of leaves, treespec)``; returns the leaf count."""
    leaves, spec = tree_flatten(tree)
    acc.append((path, off, len(leaves), spec))
    if type(tree) in (tuple, list) or (isinstance(tree, tuple) and hasattr(tree, "_fields")):
        children = list(tree)
    elif type(tree) is dict:
        children = list(tree.values())
    else:
        return len(leaves)
    for k, child in enumerate(children):
        off += _parts(child, (*path, k), off, acc)
    return len(leaves)


def _fits(a: Any, o: Any, grad: bool, roots: Sequence[Any]) -> bool:
    """Whether output leaf ``o`` can be written into donated leaf ``a`` (or is ``a``)."""
    if not isinstance(a, torch.Tensor):
        return not isinstance(o, torch.Tensor)
    if o is a:
        return True  # returned unchanged
    return (isinstance(o, torch.Tensor) and o.shape == a.shape and o.dtype == a.dtype
            and o.device == a.device
            # a value autograd tracks would lose its history once copied: keep it as is
            and not (grad and o.requires_grad)
            # a value already in an input's memory (another input, or a view of one): no
            # buffer to save, and inductor may drop the copy that snapshots it before the
            # writes (pytorch/pytorch#198131)
            and not _aliases(o, roots))


def _report(report: tuple) -> None:
    if report[0] == "grad":
        _, i, name = report
        raise ValueError(
            f"xops.jit: argument {_arg(i, name)} is donated (donate_argnums) but holds tensors "
            "that require grad, and grad mode is on: torch forbids writing them in place while "
            "autograd records. Call the function under torch.no_grad() (as optimizer steps run; "
            "the tensors then keep requires_grad and take the new values), pass tensors that "
            "do not require grad (.detach()), or do not donate it")
    import warnings
    args = ", ".join(_arg(i, name) for i, name in report[1])
    warnings.warn(f"xops.jit: donated argument(s) {args} were not reused: no part of the output "
                  "(the output itself, or an element of a tuple, list or dict in it) has the "
                  "same pytree structure with tensors of the same shapes, dtypes and devices "
                  "(see docs/xla.md, Donation)", UserWarning, stacklevel=4)


def _arg(i: int, name: str | None) -> str:
    return f"{i} ({name!r})" if name else str(i)


def _static_donated(args: tuple, kwargs: dict, donate: tuple[int, ...],
                    names: tuple[str | None, ...]) -> frozenset:
    """CUDA graphs: mark the donated CUDA tensors as static inputs (unguarded) before dynamo
    sees them - cudagraph trees only allow in-place writes to static inputs, and a donated
    tensor keeps its address from call to call (the outputs are the same tensors) - and return
    their data pointers (the outputs that are donated tensors are not copied)."""
    ptrs = set()
    for i, name in zip(donate, names):
        v = _donated(args, kwargs, i, name)
        if v is _ABSENT:
            continue
        for t in tree_leaves(v):
            if isinstance(t, torch.Tensor) and t.is_cuda:
                if getattr(t, "_dynamo_static_input_type", None) is None:
                    torch._dynamo.mark_static_address(t, guard=False)
                ptrs.add(t.data_ptr())
    return frozenset(ptrs)


def _own(t: Any, keep: Any) -> Any:
    """CUDA graphs: an output the caller owns. CUDA-graph outputs live in the graph's memory
    pool and the next replay overwrites them (torch then raises on access); copying them out
    keeps every output valid. Donated tensors are the caller's already."""
    if isinstance(t, torch.Tensor) and t.is_cuda and t.data_ptr() not in keep:
        return t.clone()
    return t


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
# autodiff, vmap: torch.func
# --------------------------------------------------------------------------------------------
def grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    return torch.func.grad(fun, argnums=argnums, has_aux=has_aux)


def value_and_grad(fun: Callable, argnums: int | Sequence[int], has_aux: bool) -> Callable:
    gv = torch.func.grad_and_value(fun, argnums=argnums, has_aux=has_aux)

    def vg(*args: Any, **kwargs: Any) -> Any:
        g, v = gv(*args, **kwargs)  # torch's order is (grad, value)
        return v, g

    return vg


def vjp(fun: Callable, primals: tuple, has_aux: bool) -> tuple:
    return torch.func.vjp(fun, *primals, has_aux=has_aux)


def jvp(fun: Callable, primals: tuple, tangents: tuple, has_aux: bool) -> tuple:
    try:
        return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
    except RuntimeError as e:
        # A custom_vjp's autograd.Function has no jvp (defining one is a graph break under
        # torch.compile): the same TypeError as jax's for forward mode through a custom_vjp.
        if "must implement the jvp function" in str(e):
            raise TypeError("xops.jvp: forward-mode differentiation of a custom_vjp function is "
                            "not defined (as in jax); differentiate it in reverse mode") from e
        raise


def vmap(fun: Callable, in_axes: Any, out_axes: Any) -> Callable:
    return torch.func.vmap(fun, in_dims=in_axes, out_dims=out_axes)


def _detach(v: Any) -> Any:
    return v.detach() if C.is_array(v, "torch") else v


def stop_gradient(x: Any) -> Any:
    return tree_map(_detach, x)


# --------------------------------------------------------------------------------------------
# custom_vjp: a new-style autograd.Function, made when the custom_vjp is built (defining a
# class while torch.compile traces is a graph break)
# --------------------------------------------------------------------------------------------
def custom_vjp(fwd: Callable, bwd: Callable, nondiff_argnums: tuple[int, ...],
               fun: Callable | None, recompute_residuals: bool, name: str) -> Callable:
    fn = _autograd_function(fwd, bwd, nondiff_argnums, recompute_residuals, name)

    def call(*args: Any) -> Any:
        layout, dyn = C.layout(args, nondiff_argnums, "torch", tree_flatten)
        lay = (layout.spec, layout.statics, layout.dyn_pos, layout.n, layout.diff_dyn)
        outs = fn.apply(lay, *dyn)
        meta = outs[-1]
        return tree_unflatten(meta[0], outs[:meta[2]])

    return call


def _autograd_function(fwd: Callable, bwd: Callable, nondiff: tuple[int, ...],
                       recompute: bool, name: str) -> Any:
    # Closures hold plain functions and tuples only: dynamo cannot wrap a custom_vjp instance.
    class XopsCustomVJP(torch.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(lay: tuple, *dyn: Any) -> Any:
            out, res = fwd(*C.rebuild(lay, dyn, tree_unflatten))
            o_leaves, o_spec = tree_flatten(out)
            r_leaves, r_spec = tree_flatten(res)
            # An output or residual that *is* an input must leave as a view, or autograd treats
            # the input as its own output (and saving it breaks under torch.func).
            o_leaves = [o.view_as(o) if _input_index(o, dyn) >= 0 else o for o in o_leaves]
            r_t, r_pos, r_static, r_in = [], [], [], []
            for p, r in enumerate(r_leaves):
                k = _input_index(r, dyn)
                if k >= 0:  # saved as the input itself: exact under double backward
                    r_in.append((p, k))
                elif isinstance(r, torch.Tensor):
                    # A residual that is also an output (``y = exp(x); return y, (y,)``) leaves
                    # as a separate alias: marking the output itself non-differentiable would
                    # cut its gradient.
                    r_t.append(r.view_as(r) if _input_index(r, o_leaves) >= 0 else r)
                    r_pos.append(p)
                else:
                    r_static.append((p, r))
            meta = (o_spec, r_spec, len(o_leaves), tuple(r_pos), tuple(r_static),
                    len(r_leaves), tuple(r_in))
            return (*o_leaves, *r_t, meta)

        @staticmethod
        def setup_context(ctx: Any, inputs: tuple, output: tuple) -> None:
            meta = output[-1]
            r_t = output[meta[2]:-1]
            ctx.mark_non_differentiable(*r_t)
            ctx.lay = inputs[0]
            ctx.meta = meta
            ctx.n_res = len(r_t)
            ctx.save_for_backward(*r_t, *inputs[1:])

        @staticmethod
        def backward(ctx: Any, *gs: Any) -> Any:
            meta, lay = ctx.meta, ctx.lay
            saved = ctx.saved_tensors
            r_t, dyn = saved[:ctx.n_res], saved[ctx.n_res:]
            args = C.rebuild(lay, dyn, tree_unflatten)
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
                res = tree_unflatten(meta[1], r_leaves)
            g = tree_unflatten(meta[0], gs[:meta[2]])
            nd, _ = C.split(nondiff, args)
            gl = C.grad_leaves(nondiff, args, bwd(*nd, res, g), lay[2], tree_flatten)
            out = [None]
            for x, gx, d in zip(dyn, gl, lay[4]):
                out.append(gx if d and (x.is_floating_point() or x.is_complex()) else None)
            return tuple(out)

    XopsCustomVJP.__name__ = XopsCustomVJP.__qualname__ = f"XopsCustomVJP_{name}"
    return XopsCustomVJP


def _input_index(t: Any, dyn: Sequence[Any]) -> int:
    for i, x in enumerate(dyn):
        if t is x:
            return i
    return -1


# --------------------------------------------------------------------------------------------
# control flow: Python eagerly and under torch.func (a batched predicate computes both branches
# and selects, like jax.vmap of lax.cond); torch.cond / while_loop while torch.compile traces
# --------------------------------------------------------------------------------------------
def _select(pred: Any, a: Any, b: Any) -> Any:
    return tree_map(lambda x, y: torch.where(pred, x, y), a, b)


def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    if _compiling():
        return torch.cond(pred, true_fun, false_fun, tuple(operands))
    try:
        p = bool(reduce_partial(pred))  # a DTensor: the same branch on every rank
    except RuntimeError:  # batched predicate under torch.func.vmap: both, then select
        return _select(pred, true_fun(*operands), false_fun(*operands))
    return true_fun(*operands) if p else false_fun(*operands)


def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    n = len(branches)
    if _compiling() and isinstance(index, torch.Tensor):
        i = torch.clamp(index, 0, n - 1)

        def pick(k: int) -> Callable:
            if k == n - 1:
                return branches[k]
            return lambda *ops: torch.cond(i == k, branches[k], pick(k + 1), tuple(ops))

        return pick(0)(*operands)
    try:
        k = int(reduce_partial(index))
    except RuntimeError:  # batched index under vmap: all branches, then select
        i = torch.clamp(index, 0, n - 1)
        out = branches[n - 1](*operands)
        for k in range(n - 2, -1, -1):
            out = _select(i == k, branches[k](*operands), out)
        return out
    return branches[min(max(k, 0), n - 1)](*operands)


def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    if not _compiling():
        return C.py_while_loop(cond_fun, body_fun, init_val)
    from torch._higher_order_ops import while_loop as twl
    leaves, spec = tree_flatten(init_val)
    leaves = [x if isinstance(x, torch.Tensor) else torch.tensor(x) for x in leaves]

    def c(*ls: Any) -> Any:
        return cond_fun(tree_unflatten(spec, ls))

    def b(*ls: Any) -> Any:
        return tuple(tree_flatten(body_fun(tree_unflatten(spec, ls)))[0])

    return tree_unflatten(spec, list(twl(c, b, tuple(leaves))))


fori_loop = C.py_fori_loop  # torch.compile unrolls it


def scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool) -> tuple[Any, Any]:
    return C.loop_scan(f, init, xs, length, reverse, tree_flatten, tree_unflatten)


def map(f: Callable, xs: Any) -> Any:
    return C.loop_map(f, xs, tree_flatten, tree_unflatten)


def associative_scan(fn: Callable, elems: Any, reverse: bool, axis: int) -> Any:
    return C.odd_even_associative_scan(fn, elems, reverse, axis, tree_flatten, tree_unflatten)


# --------------------------------------------------------------------------------------------
# export: torch.export
# --------------------------------------------------------------------------------------------
def export(fn: Callable, args: tuple, *, from_numpy: bool, flags: list[bool], path: str | None,
           platforms: Sequence[str] | None, vjp_order: int) -> tuple[Any, bytes | None]:
    if from_numpy:
        args = C.convert_tree(args, "numpy", "torch", C.optree_map)
    batch = torch.export.Dim("batch") if any(flags) else None

    def make(x: Any, batched: bool) -> Any:
        if not batched:
            return None
        if x.shape[0] < 2:
            raise ValueError(f"xops.xla.export: torch.export specialises batch sizes 0 and 1; "
                             f"use an example batch of at least 2 (got {x.shape[0]}), or "
                             f"batch_dims=False")
        return {0: batch}

    dyn = C.export_specs(args, "torch", flags, make, tree_map)

    class _XopsExport(torch.nn.Module):
        def forward(self, *a: Any) -> Any:
            return fn(*a)

    _XopsExport.__name__ = _XopsExport.__qualname__ = (
        f"XopsExport_{getattr(fn, '__name__', 'fn')}")
    # forward(*a) is one parameter: its dynamic shapes are one tuple, one entry per argument
    program = torch.export.export(_XopsExport(), tuple(args),
                                  dynamic_shapes=(dyn,) if batch is not None else None)
    if path is not None:
        torch.export.save(program, path)
    return program, None


def load(path: str | None, data: bytes | None) -> Any:
    return torch.export.load(path)


def exported_runner(artifact: Any) -> Callable[[tuple, bool], Any]:
    module = artifact.module()

    def run(args: tuple, from_numpy: bool) -> Any:
        return C.call_converting(module, args, from_numpy, "torch", tree_map)

    return run
