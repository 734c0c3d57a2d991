"""The cross-backend training evidence: one MLP, initialised from the same key on every backend
and trained 20 steps with adam on the same batch, gives the same losses (1e-5 relative) on jax,
torch and tensorflow, and on numpy (whose gradients come from jax via xops.value_and_grad);
the forward pass agrees on all four."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import nn
from xops import random as xr
from xops.nn import functional as F
from xops.nn import optim

from .conftest import needs_backend

MODEL = nn.MLP((32, 32, 5), activation="gelu")


def _batch():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((16, 12)).astype(np.float32)
    y = rng.integers(0, 5, 16).astype(np.int32)
    return x, y


def _train(h, steps=20):
    x_np, y_np = _batch()
    x, y = h.arr(x_np), h.arr(y_np)
    params = MODEL.init(h.key(0), x)
    tx = optim.adam(1e-2)
    state = tx.init(params)

    def loss_fn(p, x, y):
        return F.sparse_softmax_cross_entropy(MODEL.apply(p, x), y)

    vg = xops.value_and_grad(loss_fn)
    losses = []
    for _ in range(steps):
        loss, g = vg(params, x, y)
        updates, state = tx.update(g, state, params)
        params = optim.apply_updates(params, updates)
        losses.append(float(h.np(loss)))
    return params, losses


@pytest.fixture(scope="module")
def reference():
    """jax's losses and first forward pass (the other backends are compared with these)."""
    needs_backend("jax")
    from .conftest import Handle
    h = Handle("jax")
    x_np, _ = _batch()
    params = MODEL.init(xr.key(0, backend="jax"), h.arr(x_np))
    out = np.asarray(MODEL.apply(params, h.arr(x_np)))
    _, losses = _train(h)
    return out, losses


def test_forward_pass_agrees(backend, reference):
    x_np, _ = _batch()
    x = backend.arr(x_np)
    params = MODEL.init(backend.key(0), x)
    out = MODEL.apply(params, x)
    assert backend.is_native(out)
    np.testing.assert_allclose(backend.np(out), reference[0], rtol=1e-5, atol=1e-6)


def test_twenty_adam_steps_give_the_same_losses(backend, reference):
    params, losses = _train(backend)
    assert all(backend.is_native(v) for v in nn.tree_leaves(params))
    assert losses[-1] < 0.5 * losses[0], losses  # it actually trains
    np.testing.assert_allclose(losses, reference[1], rtol=1e-5)
