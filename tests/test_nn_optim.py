"""xops.nn.optim: every optimizer equals optax step for step on jax, the four backends agree
with each other, schedules equal optax's, and updates run under jax.jit / tf.function /
torch.compile."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

from xops.nn import optim

from .conftest import INSTALLED, TORCH_DEVICE

optax = pytest.importorskip("optax") if "jax" in INSTALLED else None


def _configs():
    """(name, xops factory, optax factory) with the same hyper-parameters."""
    sched = ("warmup_cosine_decay_schedule", (0.0, 0.1, 2, 6, 0.01))
    return [
        ("sgd", lambda: optim.sgd(0.1), lambda o: o.sgd(0.1)),
        ("sgd_momentum", lambda: optim.sgd(0.1, momentum=0.9), lambda o: o.sgd(0.1, momentum=0.9)),
        ("sgd_nesterov", lambda: optim.sgd(0.05, momentum=0.8, nesterov=True),
         lambda o: o.sgd(0.05, momentum=0.8, nesterov=True)),
        ("adam", lambda: optim.adam(1e-2), lambda o: o.adam(1e-2)),
        ("adam_eps_root", lambda: optim.adam(1e-2, eps_root=1e-8),
         lambda o: o.adam(1e-2, eps_root=1e-8)),
        ("nadam", lambda: optim.adam(1e-2, nesterov=True), lambda o: o.adam(1e-2, nesterov=True)),
        ("adamw", lambda: optim.adamw(1e-2, weight_decay=0.1),
         lambda o: o.adamw(1e-2, weight_decay=0.1)),
        ("adamw_mask", lambda: optim.adamw(1e-2, weight_decay=0.1, mask={"b": False, "w": True}),
         lambda o: o.adamw(1e-2, weight_decay=0.1, mask={"b": False, "w": True})),
        ("rmsprop", lambda: optim.rmsprop(1e-2), lambda o: o.rmsprop(1e-2)),
        ("rmsprop_centered_momentum", lambda: optim.rmsprop(1e-2, centered=True, momentum=0.9),
         lambda o: o.rmsprop(1e-2, centered=True, momentum=0.9)),
        ("adagrad", lambda: optim.adagrad(0.1), lambda o: o.adagrad(0.1)),
        ("lion", lambda: optim.lion(1e-3, weight_decay=0.01),
         lambda o: o.lion(1e-3, weight_decay=0.01)),
        ("clip_adam", lambda: optim.chain(optim.clip_by_global_norm(0.5), optim.adam(1e-2)),
         lambda o: o.chain(o.clip_by_global_norm(0.5), o.adam(1e-2))),
        ("adam_schedule", lambda: optim.adam(getattr(optim, sched[0])(*sched[1])),
         lambda o: o.adam(getattr(o, sched[0])(*sched[1]))),
    ]


CONFIGS = {c[0]: c for c in _configs()}

# tiny magnitudes become 0: XLA on CPU flushes subnormal intermediates (0.1 * 1e-38) to zero
# and NumPy does not, which lion's sign() turns into a full-size difference.
arrays = st.lists(st.floats(-3, 3, width=32), min_size=6, max_size=6).map(
    lambda v: np.where(np.abs(np.asarray(v, np.float32)) < 1e-3, 0, v).astype(np.float32))


def _tree(h, w, b):
    return {"w": h.arr(w.reshape(2, 3)), "b": h.arr(b[:3])}


def _run(h, tx, params, grads_seq):
    state = tx.init(params)
    for g in grads_seq:
        updates, state = tx.update(g, state, params)
        params = optim.apply_updates(params, updates)
    return params


@pytest.mark.needs_backend("jax")  # the reference is optax's, on jax
@pytest.mark.parametrize("name", sorted(CONFIGS))
@given(w=arrays, b=arrays, g1=arrays, g2=arrays)
def test_matches_optax_and_backends_agree(backend, name, w, b, g1, g2):
    _, ours, theirs = CONFIGS[name]
    grads = [(g1, g2), (g2, g1), (g1 * 0.5, g2 * -2), (g2, g2)]
    params = _tree(backend, w, b)
    got = _run(backend, ours(), params, [_tree(backend, a, c) for a, c in grads])
    assert all(backend.is_native(v) for v in got.values())
    # reference: optax on numpy inputs (jax arrays), float32
    import jax.numpy as jnp
    ref_tx = theirs(optax)
    p = {"w": jnp.asarray(w.reshape(2, 3)), "b": jnp.asarray(b[:3])}
    s = ref_tx.init(p)
    for a, c in grads:
        g = {"w": jnp.asarray(a.reshape(2, 3)), "b": jnp.asarray(c[:3])}
        u, s = ref_tx.update(g, s, p)
        p = optax.apply_updates(p, u)
    for k in ("w", "b"):
        assert backend.np(got[k]).dtype == np.float32
        np.testing.assert_allclose(backend.np(got[k]), np.asarray(p[k]), rtol=2e-5, atol=2e-6,
                                   err_msg=f"{name} {k}")


@pytest.mark.needs_backend("jax")  # optax's schedules
@pytest.mark.parametrize("name,args", [
    ("constant_schedule", (0.3,)),
    ("linear_schedule", (1.0, 0.1, 5, 2)),
    ("cosine_decay_schedule", (0.5, 7, 0.1)),
    ("exponential_decay", (1.0, 3, 0.5)),
    ("warmup_cosine_decay_schedule", (0.0, 1.0, 3, 10, 0.05)),
])
def test_schedules_match_optax(backend, name, args):
    import xops.numpy as xnp
    ours = getattr(optim, name)(*args)
    theirs = getattr(optax, name)(*args)
    for step in range(0, 14):
        want = float(theirs(step))
        assert abs(ours(step) - want) < 1e-6, (name, step)
        arr = xnp.asarray(step, dtype=xnp.int32, like=backend.arr(np.zeros(1, np.float32)))
        got = ours(arr)
        assert backend.is_native(got)
        np.testing.assert_allclose(float(backend.np(got)), want, rtol=1e-6, atol=1e-7)


def test_exponential_decay_staircase_and_end_value():
    s = optim.exponential_decay(1.0, 2, 0.5, staircase=True, end_value=0.2)
    assert [s(i) for i in range(6)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert s(20) == 0.2


def test_masked_leaves_are_not_decayed(backend):
    params = {"w": backend.arr(np.ones((2, 2), np.float32)),
              "b": backend.arr(np.ones(2, np.float32))}
    zeros = {k: backend.arr(np.zeros(backend.np(v).shape, np.float32)) for k, v in params.items()}
    tx = optim.add_decayed_weights(0.5, mask=lambda p: {"w": True, "b": False})
    u, _ = tx.update(zeros, tx.init(params), params)
    np.testing.assert_array_equal(backend.np(u["w"]), np.full((2, 2), 0.5, np.float32))
    np.testing.assert_array_equal(backend.np(u["b"]), np.zeros(2, np.float32))


def test_clip_by_global_norm_only_when_above(backend):
    g = {"a": backend.arr(np.array([3.0, 4.0], np.float32))}
    tx = optim.clip_by_global_norm(10.0)
    u, _ = tx.update(g, tx.init(g))
    np.testing.assert_allclose(backend.np(u["a"]), [3.0, 4.0])
    tx = optim.clip_by_global_norm(1.0)
    u, _ = tx.update(g, tx.init(g))
    np.testing.assert_allclose(backend.np(u["a"]), [0.6, 0.8], rtol=1e-6)


def test_chain_checks_state_length(backend):
    p = {"a": backend.arr(np.zeros(2, np.float32))}
    tx = optim.chain(optim.scale(2.0), optim.scale(3.0))
    with pytest.raises(ValueError, match="chain"):
        tx.update(p, (), p)


def test_errors_name_the_optimizer():
    with pytest.raises(ValueError, match="scale_by_adam"):
        optim.adam(0.1).init({})


def _quadratic_steps(tx, params, loss_grad, n=3):
    state = tx.init(params)
    for _ in range(n):
        g = loss_grad(params)
        u, state = tx.update(g, state, params)
        params = optim.apply_updates(params, u)
    return params


def _compiled_steps(step, params, state, n=3):
    """``n`` calls of a compiled ``step(params, state) -> (params, state)``."""
    for _ in range(n):
        params, state = step(params, state)
    return params, state


@pytest.mark.needs_backend("jax")
def test_update_under_jax_jit():
    import jax
    import jax.numpy as jnp
    tx = optim.adamw(optim.cosine_decay_schedule(0.1, 10), weight_decay=0.01)
    p = {"w": jnp.arange(4.0, dtype=jnp.float32)}

    @jax.jit
    def step(p, s):
        g = jax.grad(lambda q: jnp.sum(q["w"] ** 2))(p)
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s

    q, s = _compiled_steps(step, p, tx.init(p))
    eager = _quadratic_steps(tx, p, lambda q: {"w": 2 * q["w"]})
    np.testing.assert_allclose(np.asarray(q["w"]), np.asarray(eager["w"]), rtol=1e-6)
    assert int(s[0].count) == 3


@pytest.mark.needs_backend("tensorflow")
def test_update_under_tf_function_xla():
    import tensorflow as tf
    tx = optim.adam(optim.warmup_cosine_decay_schedule(0.0, 0.1, 2, 8))
    p = {"w": tf.constant([1.0, -2.0, 3.0])}

    @tf.function(jit_compile=True)
    def step(p, s):
        with tf.GradientTape() as tape:
            tape.watch(p["w"])
            loss = tf.reduce_sum(p["w"] ** 2)
        g = {"w": tape.gradient(loss, p["w"])}
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s

    q, s = _compiled_steps(step, p, tx.init(p))
    eager = _quadratic_steps(tx, p, lambda q: {"w": 2 * q["w"]})
    np.testing.assert_allclose(q["w"].numpy(), eager["w"].numpy(), rtol=1e-6)


@pytest.mark.needs_backend("torch")
def test_update_under_torch_compile():
    import torch
    tx = optim.sgd(0.1, momentum=0.9, nesterov=True)
    p = {"w": torch.tensor([1.0, -2.0, 3.0], device=TORCH_DEVICE)}
    import xops
    xops.get_backend("torch")

    @torch.compile(backend="eager", fullgraph=True)
    def step(p, s):
        g = {"w": 2 * p["w"]}
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s

    q, s = _compiled_steps(step, p, tx.init(p))
    eager = _quadratic_steps(tx, p, lambda q: {"w": 2 * q["w"]})
    torch.testing.assert_close(q["w"], eager["w"])
