"""``xops.nn.optim``: optax-style optimizers as pure gradient transformations, written once with
``xops.numpy`` ops so they run on numpy, jax, torch and tensorflow parameters and under
``jax.jit``, ``torch.compile`` and ``tf.function``.

A transformation is a pair of pure functions::

    opt = optim.adam(1e-3)
    state = opt.init(params)                        # pytree of native arrays
    updates, state = opt.update(grads, state, params)
    params = optim.apply_updates(params, updates)

``params``/``grads`` are pytrees (dicts, lists, tuples, namedtuples; walked with optree) whose
leaves are native arrays of one backend. The update rules follow optax's definitions (same
defaults, same bias correction, epsilon placement and masking), so a step here equals an optax
step on the same numbers; tests check that on jax and check the four backends agree.

Learning rates are floats or schedules: callables ``step -> rate`` evaluated on the step counter
(an int32 array in the optimizer state, starting at 0), e.g. :func:`warmup_cosine_decay_schedule`.
Schedules also accept a Python int and then return a Python float.
"""
from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple, Union

import optree

from .. import numpy as xnp

__all__ = [
    "GradientTransformation", "Schedule", "chain", "apply_updates", "identity", "scale",
    "scale_by_learning_rate", "scale_by_schedule", "trace", "scale_by_adam", "scale_by_rms",
    "scale_by_stddev", "scale_by_rss", "scale_by_lion", "add_decayed_weights", "masked",
    "clip_by_global_norm", "clip", "global_norm", "sgd", "adam", "adamw", "rmsprop", "adagrad",
    "lion", "constant_schedule", "linear_schedule", "cosine_decay_schedule",
    "exponential_decay", "warmup_cosine_decay_schedule", "warmup_constant_schedule",
    "join_schedules", "loss_scale", "LossScaleState", "scale_loss", "all_finite",
]

PyTree = Any
Schedule = Callable[[Any], Any]
ScalarOrSchedule = Union[float, Schedule]


class GradientTransformation(NamedTuple):
    """``init(params) -> state`` and ``update(updates, state, params=None) -> (updates, state)``."""

    init: Callable[[PyTree], PyTree]
    update: Callable[..., tuple[PyTree, PyTree]]


# --- pytree helpers ----------------------------------------------------------------------------
# New state entries are written with the old state operand first (``b1 * m + (1 - b1) * g``, the
# same number as optax's ``(1 - b1) * g + b1 * m``: IEEE addition commutes): torch gives an
# elementwise result the memory layout of its first operand, so the state keeps the params'
# strides even where a gradient is a permuted view (convolution kernels), and a compiled step
# fed its own outputs meets the same stride guards every call instead of recompiling once.
def _map(fn: Callable, tree: PyTree, *rest: PyTree) -> PyTree:
    return optree.tree_map(fn, tree, *rest, none_is_leaf=False)


def _leaves(tree: PyTree) -> list:
    # tree_map rather than optree.tree_leaves: under torch.compile (torch 2.13) dynamo's
    # polyfill of tree_leaves fails on an empty dict node (a parameter-free layer's ``{}``),
    # while its tree_map does not; the order is the same (optree's leaf order).
    out: list = []
    optree.tree_map(out.append, tree, none_is_leaf=False)
    return out


def _first_leaf(tree: PyTree, who: str) -> Any:
    leaves = _leaves(tree)
    if not leaves:
        raise ValueError(f"xops.nn.optim.{who}: the parameter tree has no array leaves")
    return leaves[0]


def _counter(params: PyTree, who: str) -> Any:
    return xnp.zeros((), dtype=xnp.int32, like=_first_leaf(params, who))


def _incr(count: Any) -> Any:
    # saturate instead of wrapping around at 2**31 - 1, as optax does
    return xnp.where(count < 2 ** 31 - 1, count + 1, count)


def _cast_like(v: Any, like: Any) -> Any:
    """A schedule's value (array or Python number) in ``like``'s dtype."""
    if isinstance(v, (int, float)):
        return v
    return xnp.astype(v, xnp.result_type(like))


# --- combinators -------------------------------------------------------------------------------
def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Apply transformations in sequence; the state is a tuple of their states."""

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(updates, state, params=None):
        if len(state) != len(transforms):
            raise ValueError(f"xops.nn.optim.chain: state has {len(state)} entries for "
                             f"{len(transforms)} transformations")
        new = []
        for t, s in zip(transforms, state):
            updates, s = t.update(updates, s, params)
            new.append(s)
        return updates, tuple(new)

    return GradientTransformation(init, update)


def apply_updates(params: PyTree, updates: PyTree) -> PyTree:
    """``params + updates`` leaf by leaf, keeping each parameter's dtype."""
    return _map(lambda p, u: xnp.add(p, xnp.astype(u, xnp.result_type(p))), params, updates)


class EmptyState(NamedTuple):
    pass


def identity() -> GradientTransformation:
    """Leave updates unchanged."""
    return GradientTransformation(lambda params: EmptyState(),
                                  lambda updates, state, params=None: (updates, state))


def scale(step_size: float) -> GradientTransformation:
    """Multiply updates by a constant."""
    return GradientTransformation(
        lambda params: EmptyState(),
        lambda updates, state, params=None: (_map(lambda u: u * step_size, updates), state))


class ScaleByScheduleState(NamedTuple):
    count: Any


def scale_by_schedule(schedule: Schedule) -> GradientTransformation:
    """Multiply updates by ``schedule(count)``, count starting at 0."""

    def init(params):
        return ScaleByScheduleState(_counter(params, "scale_by_schedule"))

    def update(updates, state, params=None):
        s = schedule(state.count)
        out = _map(lambda u: u * _cast_like(s, u), updates)
        return out, ScaleByScheduleState(_incr(state.count))

    return GradientTransformation(init, update)


def scale_by_learning_rate(learning_rate: ScalarOrSchedule, *,
                           flip_sign: bool = True) -> GradientTransformation:
    """Multiply by ``-learning_rate`` (a float or a schedule)."""
    m = -1 if flip_sign else 1
    if callable(learning_rate):
        return scale_by_schedule(lambda c: _neg(learning_rate(c)) if m < 0 else learning_rate(c))
    return scale(m * learning_rate)


def _neg(v):
    return -v


class TraceState(NamedTuple):
    trace: PyTree


def trace(decay: float, nesterov: bool = False) -> GradientTransformation:
    """Momentum: ``t = g + decay * t``; the update is ``t`` (or ``g + decay * t`` with Nesterov)."""

    def init(params):
        return TraceState(_map(xnp.zeros_like, params))

    def update(updates, state, params=None):
        t = _map(lambda g, tr: decay * tr + g, updates, state.trace)
        out = _map(lambda g, tr: g + decay * tr, updates, t) if nesterov else t
        return out, TraceState(t)

    return GradientTransformation(init, update)


class ScaleByAdamState(NamedTuple):
    count: Any
    mu: PyTree
    nu: PyTree


def _bias_correction(decay: float, count: Any, like: Any) -> Any:
    return 1 - decay ** xnp.astype(count, xnp.result_type(like))


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
                  eps_root: float = 0.0, nesterov: bool = False) -> GradientTransformation:
    """Adam's rescaling: ``m_hat / (sqrt(v_hat + eps_root) + eps)`` with bias-corrected moments."""

    def init(params):
        return ScaleByAdamState(_counter(params, "scale_by_adam"), _map(xnp.zeros_like, params),
                                _map(xnp.zeros_like, params))

    def update(updates, state, params=None):
        mu = _map(lambda g, m: b1 * m + (1 - b1) * g, updates, state.mu)
        nu = _map(lambda g, v: b2 * v + (1 - b2) * xnp.square(g), updates, state.nu)
        count = _incr(state.count)
        corrections: dict = {}

        def corr(like):
            # the bias corrections depend only on the count and the dtype: computed once per
            # dtype, not per leaf (the same numbers; ~6 fewer ops per leaf, eager or traced)
            name = xnp.result_type(like).name
            c = corrections.get(name)
            if c is None:
                c = corrections[name] = (
                    _bias_correction(b1, count, like), _bias_correction(b2, count, like),
                    _bias_correction(b1, _incr(count), like) if nesterov else None)
            return c

        def one(g, m, v):
            bc1, bc2, bc1_next = corr(m)
            if nesterov:
                m_hat = b1 * m / bc1_next + (1 - b1) * g / bc1
            else:
                m_hat = m / bc1
            v_hat = v / bc2
            return m_hat / (xnp.sqrt(v_hat + eps_root) + eps)

        return _map(one, updates, mu, nu), ScaleByAdamState(count, mu, nu)

    return GradientTransformation(init, update)


class ScaleByRmsState(NamedTuple):
    nu: PyTree


def scale_by_rms(decay: float = 0.9, eps: float = 1e-8,
                 initial_scale: float = 0.0) -> GradientTransformation:
    """RMSProp's rescaling: ``g / sqrt(v + eps)`` with ``v`` an EMA of ``g**2``."""

    def init(params):
        return ScaleByRmsState(_map(lambda p: xnp.full_like(p, initial_scale), params))

    def update(updates, state, params=None):
        nu = _map(lambda g, v: decay * v + (1 - decay) * xnp.square(g), updates, state.nu)
        out = _map(lambda g, v: g / xnp.sqrt(v + eps), updates, nu)
        return out, ScaleByRmsState(nu)

    return GradientTransformation(init, update)


class ScaleByRStdDevState(NamedTuple):
    mu: PyTree
    nu: PyTree


def scale_by_stddev(decay: float = 0.9, eps: float = 1e-8,
                    initial_scale: float = 0.0) -> GradientTransformation:
    """Centred RMSProp: ``g / sqrt(v - m**2 + eps)``."""

    def init(params):
        return ScaleByRStdDevState(_map(xnp.zeros_like, params),
                                   _map(lambda p: xnp.full_like(p, initial_scale), params))

    def update(updates, state, params=None):
        mu = _map(lambda g, m: decay * m + (1 - decay) * g, updates, state.mu)
        nu = _map(lambda g, v: decay * v + (1 - decay) * xnp.square(g), updates, state.nu)
        out = _map(lambda g, m, v: g / xnp.sqrt(v - xnp.square(m) + eps), updates, mu, nu)
        return out, ScaleByRStdDevState(mu, nu)

    return GradientTransformation(init, update)


class ScaleByRssState(NamedTuple):
    sum_of_squares: PyTree


def scale_by_rss(initial_accumulator_value: float = 0.1,
                 eps: float = 1e-7) -> GradientTransformation:
    """Adagrad's rescaling: ``g / sqrt(sum g**2 + eps)`` (0 where the sum is 0)."""

    def init(params):
        return ScaleByRssState(_map(lambda p: xnp.full_like(p, initial_accumulator_value),
                                    params))

    def update(updates, state, params=None):
        ss = _map(lambda g, s: s + xnp.square(g), updates, state.sum_of_squares)

        def one(g, s):
            inv = xnp.where(s > 0, 1 / xnp.sqrt(s + eps), xnp.zeros_like(s))
            return inv * g

        return _map(one, updates, ss), ScaleByRssState(ss)

    return GradientTransformation(init, update)


class ScaleByLionState(NamedTuple):
    count: Any
    mu: PyTree


def scale_by_lion(b1: float = 0.9, b2: float = 0.99) -> GradientTransformation:
    """Lion's update direction: ``sign((1 - b1) g + b1 m)``, then ``m`` tracks ``g`` with b2."""

    def init(params):
        return ScaleByLionState(_counter(params, "scale_by_lion"), _map(xnp.zeros_like, params))

    def update(updates, state, params=None):
        out = _map(lambda g, m: xnp.sign((1 - b1) * g + b1 * m), updates, state.mu)
        mu = _map(lambda g, m: b2 * m + (1 - b2) * g, updates, state.mu)
        return out, ScaleByLionState(_incr(state.count), mu)

    return GradientTransformation(init, update)


class MaskedState(NamedTuple):
    inner_state: Any


def _resolve_mask(mask: Any, params: PyTree) -> PyTree:
    return mask(params) if callable(mask) else mask


def masked(inner: GradientTransformation, mask: Any) -> GradientTransformation:
    """Apply ``inner`` only to the leaves where ``mask`` (a pytree of bools with the params'
    structure, or a callable ``params -> mask``) is True; other updates pass through."""

    def _split(tree, m):
        return _map(lambda x, keep: x if keep else None, tree, m)

    def init(params):
        m = _resolve_mask(mask, params)
        return MaskedState(inner.init(_split(params, m)))

    def update(updates, state, params=None):
        m = _resolve_mask(mask, updates if params is None else params)
        sub_u = _split(updates, m)
        sub_p = None if params is None else _split(params, m)
        new_u, new_s = inner.update(sub_u, state.inner_state, sub_p)
        # one tree_map over updates (new_u has None, an empty subtree, where the mask is
        # False): no treespec is built, which dynamo's optree polyfill cannot do for a tree
        # with an empty dict node (torch 2.13)
        merged = _map(lambda u, keep, new: new if keep else u, updates, m, new_u)
        return merged, MaskedState(new_s)

    return GradientTransformation(init, update)


def add_decayed_weights(weight_decay: float = 0.0, mask: Any = None) -> GradientTransformation:
    """Add ``weight_decay * params`` to the updates (decoupled weight decay), optionally only
    where ``mask`` is True."""

    def update(updates, state, params=None):
        if params is None:
            raise ValueError("xops.nn.optim.add_decayed_weights: update() needs params")
        return _map(lambda g, p: g + weight_decay * p, updates, params), state

    t = GradientTransformation(lambda params: EmptyState(), update)
    return t if mask is None else masked(t, mask)


def global_norm(tree: PyTree) -> Any:
    """The L2 norm of all leaves together (an array of the leaves' backend)."""
    leaves = _leaves(tree)
    total = xnp.sum(xnp.square(leaves[0]))
    for leaf in leaves[1:]:
        total = total + xnp.sum(xnp.square(leaf))
    return xnp.sqrt(total)


def clip_by_global_norm(max_norm: float) -> GradientTransformation:
    """Rescale all updates by ``max_norm / global_norm`` when the global norm exceeds it."""

    def update(updates, state, params=None):
        g = global_norm(updates)
        trigger = g < max_norm

        # the divisor is 1 where unused, so a zero norm makes no 0/0 in the untaken branch
        safe = xnp.where(trigger, xnp.ones_like(g), g)

        def one(u):
            gn = xnp.astype(safe, xnp.result_type(u))
            return xnp.where(trigger, u, (u / gn) * max_norm)

        return _map(one, updates), state

    return GradientTransformation(lambda params: EmptyState(), update)


def clip(max_delta: float) -> GradientTransformation:
    """Clip every update element to ``[-max_delta, max_delta]``."""
    return GradientTransformation(
        lambda params: EmptyState(),
        lambda updates, state, params=None: (_map(lambda u: xnp.clip(u, -max_delta, max_delta),
                                                  updates), state))


# --- optimizers --------------------------------------------------------------------------------
def sgd(learning_rate: ScalarOrSchedule, momentum: float | None = None,
        nesterov: bool = False) -> GradientTransformation:
    """Stochastic gradient descent with optional (Nesterov) momentum."""
    parts = [trace(momentum, nesterov)] if momentum else []
    return chain(*parts, scale_by_learning_rate(learning_rate))


def adam(learning_rate: ScalarOrSchedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
         eps_root: float = 0.0, nesterov: bool = False) -> GradientTransformation:
    """Adam (Kingma & Ba), with optax's ``eps``/``eps_root`` placement; ``nesterov`` gives NAdam."""
    return chain(scale_by_adam(b1, b2, eps, eps_root, nesterov),
                 scale_by_learning_rate(learning_rate))


def adamw(learning_rate: ScalarOrSchedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
          eps_root: float = 0.0, weight_decay: float = 1e-4, mask: Any = None,
          nesterov: bool = False) -> GradientTransformation:
    """Adam with decoupled weight decay (Loshchilov & Hutter); ``mask`` selects the decayed
    leaves (e.g. ``lambda p: tree_map(lambda x: x.ndim > 1, p)`` to skip biases and norms)."""
    return chain(scale_by_adam(b1, b2, eps, eps_root, nesterov),
                 add_decayed_weights(weight_decay, mask),
                 scale_by_learning_rate(learning_rate))


def rmsprop(learning_rate: ScalarOrSchedule, decay: float = 0.9, eps: float = 1e-8,
            initial_scale: float = 0.0, centered: bool = False, momentum: float | None = None,
            nesterov: bool = False) -> GradientTransformation:
    """RMSProp (optionally centred, with momentum)."""
    core = (scale_by_stddev(decay, eps, initial_scale) if centered
            else scale_by_rms(decay, eps, initial_scale))
    parts = [core, scale_by_learning_rate(learning_rate)]
    if momentum:
        parts.append(trace(momentum, nesterov))
    return chain(*parts)


def adagrad(learning_rate: ScalarOrSchedule, initial_accumulator_value: float = 0.1,
            eps: float = 1e-7) -> GradientTransformation:
    """Adagrad."""
    return chain(scale_by_rss(initial_accumulator_value, eps),
                 scale_by_learning_rate(learning_rate))


def lion(learning_rate: ScalarOrSchedule, b1: float = 0.9, b2: float = 0.99,
         weight_decay: float = 1e-3, mask: Any = None) -> GradientTransformation:
    """Lion (Chen et al. 2023): sign updates with decoupled weight decay."""
    return chain(scale_by_lion(b1, b2), add_decayed_weights(weight_decay, mask),
                 scale_by_learning_rate(learning_rate))


# --- loss scaling ------------------------------------------------------------------------------
class LossScaleState(NamedTuple):
    """``loss_scale``'s state: the wrapped optimizer's state, the current loss scale (a float32
    scalar), the number of finite steps since the scale last changed (int32 scalar) and
    whether the last step was applied (bool scalar)."""

    inner_state: Any
    scale: Any
    good_steps: Any
    last_finite: Any


def all_finite(tree: PyTree) -> Any:
    """A bool scalar array: every element of every leaf is finite (one ``all(isfinite)``
    reduction per leaf, combined with ``logical_and``)."""
    leaves = _leaves(tree)
    if not leaves:
        raise ValueError("xops.nn.optim.all_finite: the tree has no array leaves")
    ok = xnp.all(xnp.isfinite(leaves[0]))
    for leaf in leaves[1:]:
        ok = xnp.logical_and(ok, xnp.all(xnp.isfinite(leaf)))
    return ok


def loss_scale(inner: GradientTransformation, initial_scale: float = 2.0 ** 15, *,
               dynamic: bool = True, growth_interval: int = 2000, factor: float = 2.0,
               min_scale: float = 1.0, max_scale: float = 2.0 ** 24) -> GradientTransformation:
    """Loss scaling for float16 training, around the optimizer ``inner``.

    The loss is multiplied by the scale before differentiation (:func:`scale_loss`), so small
    float16 gradients do not flush to zero; ``update`` divides the gradients by the scale (in
    float32 at least), checks that all are finite and then either applies ``inner`` or, on a
    non-finite gradient, skips the step: zero updates and ``inner``'s state unchanged. With
    ``dynamic`` the scale is divided by ``factor`` (not below ``min_scale``) on a skipped step
    and multiplied by it (not above ``max_scale``) after ``growth_interval`` finite steps in a
    row, as torch's ``GradScaler`` and keras' ``LossScaleOptimizer``; otherwise it stays
    ``initial_scale`` (static scaling; non-finite steps are still skipped).

    Everything is a select (``xnp.where``), never a Python branch on a value, so the step runs
    under ``xops.jit``, ``jax.jit``, ``tf.function`` and ``torch.compile(fullgraph=True)``.

    Usage::

        opt = optim.loss_scale(optim.adam(1e-3))
        state = opt.init(params)
        def objective(p, x, y):
            return optim.scale_loss(loss(model.apply(p, x), y), state)
        grads = xops.grad(objective)(params, x, y)      # scaled gradients
        updates, state = opt.update(grads, state, params)
        params = optim.apply_updates(params, updates)

    Returns:
        A gradient transformation with :class:`LossScaleState`.
    """
    if initial_scale <= 0 or factor <= 1 or growth_interval < 1 or min_scale <= 0:
        raise ValueError("xops.nn.optim.loss_scale: need initial_scale > 0, factor > 1, "
                         "growth_interval >= 1 and min_scale > 0")

    def init(params):
        like = _first_leaf(params, "loss_scale")
        return LossScaleState(inner.init(params),
                              xnp.full((), initial_scale, dtype=xnp.float32, like=like),
                              xnp.zeros((), dtype=xnp.int32, like=like),
                              xnp.ones((), dtype=xnp.bool_, like=like))

    def unscale(g, inv):
        # float32 (or wider) for the division: 16-bit gradients come back in their dtype
        d = xnp.result_type(g)
        if d.bits < 32:
            return xnp.astype(xnp.astype(g, xnp.float32) * inv, d)
        return g * xnp.astype(inv, d)

    def update(updates, state, params=None):
        if not isinstance(state, LossScaleState):
            raise TypeError("xops.nn.optim.loss_scale: state must be this wrapper's "
                            f"LossScaleState, got {type(state).__name__}")
        inv = 1.0 / state.scale
        grads = _map(lambda g: unscale(g, inv), updates)
        finite = all_finite(grads)
        # non-finite gradients would leave NaN in the inner state even where the result is
        # dropped below (where() selects values, it does not stop NaN in the other branch's
        # arithmetic from being computed): feed zeros instead
        safe = _map(lambda g: xnp.where(finite, g, xnp.zeros_like(g)), grads)
        new_updates, new_inner = inner.update(safe, state.inner_state, params)
        out = _map(lambda u: xnp.where(finite, u, xnp.zeros_like(u)), new_updates)
        inner_state = _map(lambda new, old: xnp.where(finite, new, old), new_inner,
                           state.inner_state)
        if not dynamic:
            return out, LossScaleState(inner_state, state.scale, state.good_steps, finite)
        good = xnp.where(finite, state.good_steps + 1, xnp.zeros_like(state.good_steps))
        grow = good >= growth_interval
        grown = xnp.minimum(state.scale * factor, max_scale)
        shrunk = xnp.maximum(state.scale / factor, min_scale)
        new_scale = xnp.where(finite, xnp.where(grow, grown, state.scale), shrunk)
        good = xnp.where(grow, xnp.zeros_like(good), good)
        return out, LossScaleState(inner_state, new_scale, good, finite)

    return GradientTransformation(init, update)


def _find_scale_state(state: Any) -> LossScaleState | None:
    if isinstance(state, LossScaleState):
        return state
    if isinstance(state, (tuple, list)):
        for s in state:
            found = _find_scale_state(s)
            if found is not None:
                return found
    return None


def scale_loss(loss: Any, opt_state: Any) -> Any:
    """``loss`` times the current loss scale of ``opt_state`` (the state of
    :func:`loss_scale`, or a chain/tuple holding one), in ``loss``'s dtype; differentiate this
    and pass the gradients to the wrapper's ``update``, which unscales them. Compute the loss
    in float32 (``xops.nn.loss_in_float32``): a float16 loss times 2**15 overflows."""
    st = _find_scale_state(opt_state)
    if st is None:
        raise ValueError("xops.nn.optim.scale_loss: opt_state holds no LossScaleState (wrap "
                         "the optimizer in optim.loss_scale)")
    return loss * xnp.astype(st.scale, xnp.result_type(loss))


# --- schedules ---------------------------------------------------------------------------------
# Each schedule works on a Python number (returns a float, computed with math) or on the int
# step counter array from an optimizer state (returns a float array of that backend, computed
# with xops ops so it traces under jit).
def _is_num(step: Any) -> bool:
    return isinstance(step, (int, float))


def _float(step: Any) -> Any:
    return float(step) if _is_num(step) else xnp.astype(step, xnp.float32)


def _minimum(a: Any, b: float) -> Any:
    return min(a, b) if _is_num(a) else xnp.minimum(a, b)


def _maximum(a: Any, b: float) -> Any:
    return max(a, b) if _is_num(a) else xnp.maximum(a, b)


def _cos(a: Any) -> Any:
    return math.cos(a) if _is_num(a) else xnp.cos(a)


def _floor(a: Any) -> Any:
    return math.floor(a) if _is_num(a) else xnp.floor(a)


def _select(cond: Any, a: Any, b: Any) -> Any:
    if _is_num(cond) or isinstance(cond, bool):
        return a if cond else b
    return xnp.where(cond, a, b)


def constant_schedule(value: float) -> Schedule:
    """Always ``value``."""

    def schedule(step):
        return value if _is_num(step) else xnp.full_like(_float(step), value)

    return schedule


def linear_schedule(init_value: float, end_value: float, transition_steps: int,
                    transition_begin: int = 0) -> Schedule:
    """Linear from ``init_value`` to ``end_value`` over ``transition_steps`` steps (after
    ``transition_begin``), then constant."""
    if transition_steps <= 0:
        return constant_schedule(init_value)

    def schedule(step):
        t = _minimum(_maximum(_float(step) - transition_begin, 0.0), float(transition_steps))
        return init_value + (end_value - init_value) * (t / transition_steps)

    return schedule


def cosine_decay_schedule(init_value: float, decay_steps: int, alpha: float = 0.0,
                          exponent: float = 1.0) -> Schedule:
    """Cosine decay from ``init_value`` to ``alpha * init_value`` over ``decay_steps``."""
    if decay_steps <= 0:
        raise ValueError("xops.nn.optim.cosine_decay_schedule: decay_steps must be positive")

    def schedule(step):
        t = _minimum(_float(step), float(decay_steps))
        cosine = 0.5 * (1 + _cos(math.pi * t / decay_steps))
        decayed = (1 - alpha) * cosine ** exponent + alpha
        return init_value * decayed

    return schedule


def exponential_decay(init_value: float, transition_steps: int, decay_rate: float,
                      transition_begin: int = 0, staircase: bool = False,
                      end_value: float | None = None) -> Schedule:
    """``init_value * decay_rate ** ((step - begin) / transition_steps)`` (floored exponent with
    ``staircase``), bounded by ``end_value`` when given."""
    if transition_steps <= 0:
        return constant_schedule(init_value)

    def schedule(step):
        t = _maximum(_float(step) - transition_begin, 0.0)
        p = t / transition_steps
        if staircase:
            p = _floor(p)
        v = init_value * decay_rate ** p
        if end_value is not None:
            v = _maximum(v, end_value) if decay_rate < 1 else _minimum(v, end_value)
        return v

    return schedule


def join_schedules(schedules: list[Schedule], boundaries: list[int]) -> Schedule:
    """Schedule ``i`` runs from ``boundaries[i-1]`` on, seeing the step minus that boundary."""
    if len(boundaries) != len(schedules) - 1:
        raise ValueError("xops.nn.optim.join_schedules: need len(schedules) - 1 boundaries")

    def schedule(step):
        out = schedules[0](step)
        for s, b in zip(schedules[1:], boundaries):
            out = _select(step >= b, s(step - b), out)
        return out

    return schedule


def warmup_cosine_decay_schedule(init_value: float, peak_value: float, warmup_steps: int,
                                 decay_steps: int, end_value: float = 0.0,
                                 exponent: float = 1.0) -> Schedule:
    """Linear warmup from ``init_value`` to ``peak_value`` over ``warmup_steps``, then cosine
    decay to ``end_value``; ``decay_steps`` counts the warmup (as optax)."""
    alpha = 0.0 if peak_value == 0 else end_value / peak_value
    return join_schedules(
        [linear_schedule(init_value, peak_value, warmup_steps),
         cosine_decay_schedule(peak_value, decay_steps - warmup_steps, alpha, exponent)],
        [warmup_steps])


def warmup_constant_schedule(init_value: float, peak_value: float,
                             warmup_steps: int) -> Schedule:
    """Linear warmup to ``peak_value``, then constant."""
    return join_schedules([linear_schedule(init_value, peak_value, warmup_steps),
                           constant_schedule(peak_value)], [warmup_steps])
