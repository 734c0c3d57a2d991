"""jit, grad, value_and_grad, vjp, jvp, vmap and stop_gradient, each mapped to the native
transform of the backend of the arguments at call time.

| transform      | jax            | torch                 | tensorflow               | numpy |
|----------------|----------------|-----------------------|--------------------------|-------|
| jit            | jax.jit        | torch.compile         | tf.function(jit_compile) | -     |
| grad           | jax.grad       | torch.func.grad       | tf.GradientTape          | jax   |
| value_and_grad | (same name)    | torch.func.grad_and_value | tf.GradientTape      | jax   |
| vjp            | jax.vjp        | torch.func.vjp        | tf.GradientTape          | jax   |
| jvp            | jax.jvp        | torch.func.jvp        | tf ForwardAccumulator    | jax   |
| vmap           | jax.vmap       | torch.func.vmap       | tf.vectorized_map        | loop  |

(numpy: jit is the identity, autodiff is delegated to jax, vmap is a Python loop and stack;
tf.vectorized_map maps axis 0, other axes are moved there first.)

A transformed function builds the native transform once per backend, on its first call with
that backend's arrays, and keeps it: jax.jit / torch.compile / tf.function then cache per
signature as usual. The native code is in each backend's transforms module
(``xops/backends/<framework>/transforms.py``); this module validates arguments, finds the
backend from the arguments and calls it.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Sequence

from ..backends import BACKEND_NAMES
from ._common import backend_name, transforms

__all__ = ["jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient"]


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
        donate_argnums: int | Sequence[int] = (), cuda_graphs: bool = False,
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
        donate_argnums: positions of arguments whose buffers the compiled function may reuse
            for its outputs; the caller must not use a donated argument after the call. jax:
            ``jax.jit``'s donation. torch: each donated argument is matched with a part of the
            output (the output itself, or an element of a tuple, list or dict in it) of the
            same pytree structure whose tensors have the same shapes, dtypes and devices; those
            output values are written into the argument's tensors in place (``copy_`` inside
            the compiled graph, so inductor writes straight into the donated buffers) and the
            returned leaves *are* the donated tensors. tensorflow and numpy: ignored. A
            position may be passed by keyword too (its parameter name is looked up in
            ``fun``'s signature). See docs/xla.md ("Donation").
        cuda_graphs: torch only: capture CUDA graphs (torch.compile's ``triton.cudagraphs``,
            what ``mode="reduce-overhead"`` turns on) to cut kernel-launch overhead. Outputs
            are copied out of the CUDA-graph memory pool (except donated ones), so a later call
            never overwrites them. Ignored on CPU tensors (torch skips CUDA graphs there), on
            jax (XLA already records CUDA graphs on GPU), tensorflow and numpy. See
            docs/gpus.md.
        options: extra keyword arguments per backend for the native compiler, e.g.
            ``{"torch": {"fullgraph": True, "backend": "eager"}, "tensorflow":
            {"reduce_retracing": True}}``.

    Returns:
        A function with ``fun``'s signature returning native arrays of the input backend.

    Raises:
        ValueError: an argnum is out of range for ``fun``'s positional parameters, an
            argument is both static and donated, an options key is not a backend, or (torch,
            at call time) a donated argument holds tensors that require grad while grad mode
            is on.
    """
    opts = options or {}
    unknown = set(opts) - set(BACKEND_NAMES)
    if unknown:
        raise ValueError(f"xops.jit: unknown backend(s) in options: {sorted(unknown)}")
    params = _positional_params(fun)
    static = _argnums(static_argnums, "static_argnums", params)
    donate = _argnums(donate_argnums, "donate_argnums", params)
    both = sorted(set(static) & set(donate))
    if both:
        raise ValueError(f"xops.jit: argument(s) {both} are both static (static_argnums) and "
                         "donated (donate_argnums); a static argument is a compile-time "
                         "constant with no buffer to donate - drop it from one of them")
    names = tuple(params[0][i] if params is not None and i < len(params[0]) else None
                  for i in donate)
    graphs = bool(cuda_graphs)

    def build(name: str) -> Callable:
        return transforms(name).jit(fun, static_argnums=static, donate_argnums=donate,
                                    options=dict(opts.get(name, {})), donate_argnames=names,
                                    cuda_graphs=graphs)

    return _PerBackend("jit", fun, build)


def _positional_params(fun: Callable) -> tuple[list[str | None], bool] | None:
    """The names of ``fun``'s positional parameters (None for positional-only ones) and
    whether it takes ``*args``; None when the signature cannot be read."""
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        return None
    names: list[str | None] = []
    var = False
    for p in sig.parameters.values():
        if p.kind is p.POSITIONAL_ONLY:
            names.append(None)
        elif p.kind is p.POSITIONAL_OR_KEYWORD:
            names.append(p.name)
        elif p.kind is p.VAR_POSITIONAL:
            var = True
    return names, var


def _argnums(value: int | Sequence[int] | None, what: str,
             params: tuple[list[str | None], bool] | None) -> tuple[int, ...]:
    """``value`` as a tuple of distinct non-negative positions, checked against ``fun``'s
    positional parameters when its signature is known (negative positions count from the
    last one, as in jax)."""
    if value is None:
        return ()
    seq = (value,) if isinstance(value, int) else tuple(value)
    out: list[int] = []
    for i in seq:
        if isinstance(i, bool) or not isinstance(i, int):
            raise ValueError(f"xops.jit: {what} must be ints (argument positions), got "
                             f"{i!r} in {value!r}")
        n = None if params is None or params[1] else len(params[0])
        if n is not None and not -n <= i < n:
            raise ValueError(f"xops.jit: {what}={value!r} but the function takes {n} "
                             f"positional argument{'s' if n != 1 else ''}")
        if i < 0:
            if n is None:
                raise ValueError(f"xops.jit: {what}={value!r}: a negative position needs a "
                                 "function with a fixed number of positional parameters "
                                 "(this one takes *args or has no readable signature)")
            i += n
        if i not in out:
            out.append(i)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# grad / value_and_grad
# --------------------------------------------------------------------------------------------
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
        return transforms(name).grad(fun, argnums=argnums, has_aux=has_aux)

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
        return transforms(name).value_and_grad(fun, argnums=argnums, has_aux=has_aux)

    return _PerBackend("value_and_grad", fun, build)


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
    return transforms(name).vjp(fun, primals, has_aux=has_aux)


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
    return transforms(name).jvp(fun, primals, tangents, has_aux=has_aux)


# --------------------------------------------------------------------------------------------
# vmap
# --------------------------------------------------------------------------------------------
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
    ia = tuple(in_axes) if isinstance(in_axes, list) else in_axes  # jax wants a tuple

    def build(name: str) -> Callable:
        return transforms(name).vmap(fun, in_axes=ia, out_axes=out_axes)

    return _PerBackend("vmap", fun, build)


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
    return transforms(name).stop_gradient(x)
