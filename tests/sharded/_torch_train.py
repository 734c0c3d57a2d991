"""FSDP2 training of an xops.nn model on 2 gloo ranks (tests/sharded/_torch_worker.py ``train``):
the module of ``xops.nn.to_torch`` under ``fully_shard``, stepped by torch.optim.SGD, by
torch.optim.Adam, and by an xops optimizer (``xops.nn.optim.adam``) applied to the sharded
DTensor parameters and their gradients. Each rank trains on its half of every batch; the losses
(averaged over the ranks) must equal one process training on the whole batch."""
from __future__ import annotations

import json

import numpy as np

STEPS, BATCH, FEATURES, CLASSES = 5, 16, 8, 4
OPTIMIZERS = ("torch.optim.SGD", "torch.optim.Adam", "xops.nn.optim.adam")


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS, BATCH, FEATURES)).astype(np.float32)
    w = rng.normal(size=(FEATURES, CLASSES)).astype(np.float32)
    return x, np.argmax(x @ w, axis=-1).astype(np.int32)


def module():
    from xops import nn
    from xops import random as xr
    model = nn.MLP((32, CLASSES), activation="gelu")
    return nn.to_torch(model, model.init(xr.key(0, backend="torch"), (BATCH, FEATURES)))


def train(mod, which: str, rows: slice, reduce=None) -> list[float]:
    """Losses of STEPS steps of ``mod`` on ``rows`` of each batch; ``reduce(loss)`` averages a
    rank's loss over the ranks (None: one process)."""
    import torch

    from xops.nn import from_torch, optim
    from xops.nn import functional as F

    x, y = data()
    params = dict(mod.named_parameters())
    if which == "torch.optim.SGD":
        opt = torch.optim.SGD(params.values(), lr=0.5)
    elif which == "torch.optim.Adam":
        opt = torch.optim.Adam(params.values(), lr=1e-2)
    else:
        tx = optim.adam(1e-2)
        tree = from_torch(mod)           # the Parameters themselves: DTensors under FSDP2
        state = tx.init(tree)
    losses = []
    for i in range(STEPS):
        loss = F.sparse_softmax_cross_entropy(mod(torch.from_numpy(x[i, rows])),
                                              torch.from_numpy(y[i, rows]))
        if which.startswith("torch"):
            opt.zero_grad()
            loss.backward()              # FSDP2 averages the gradients over the ranks
            opt.step()
        else:
            loss.backward()              # FSDP2: sharded (DTensor) gradients in p.grad
            gtree = _unflatten(tree, [p.grad for _, p in _leaves(tree)])
            updates, state = tx.update(gtree, state, tree)
            new = optim.apply_updates(tree, updates)
            with torch.no_grad():
                for (_, p), v in zip(_leaves(tree), [v for _, v in _leaves(new)]):
                    p.copy_(v)
                    p.grad = None
        total = loss.detach().clone()
        losses.append(float(total if reduce is None else reduce(total)))
    return losses


def _leaves(tree, prefix=""):
    out = []
    for k in sorted(tree):
        v = tree[k]
        out += _leaves(v, f"{prefix}{k}.") if isinstance(v, dict) else [(prefix + k, v)]
    return out


def _unflatten(tree, values):
    it = iter(values)

    def build(t):
        return {k: build(t[k]) if isinstance(t[k], dict) else next(it) for k in sorted(t)}
    return build(tree)


def train_rank(rank: int, mesh, out: str) -> None:
    import torch.distributed as dist
    from torch.distributed.fsdp import fully_shard
    from torch.distributed.tensor import DTensor

    world = mesh.size()
    part = BATCH // world
    rows = slice(rank * part, (rank + 1) * part)

    def mean(t):
        dist.all_reduce(t)
        return t / world

    results = {}
    for which in OPTIMIZERS:
        mod = fully_shard(module(), mesh=mesh)
        sharded = all(isinstance(p, DTensor) for p in mod.parameters())
        try:
            results[which] = {"losses": train(mod, which, rows, mean), "dtensor_params": sharded}
        except Exception as e:  # noqa: BLE001 - reported by the test
            results[which] = {"error": f"{type(e).__name__}: {e}"[:2000],
                              "dtensor_params": sharded}
            dist.barrier()
    if rank == 0:
        with open(out + ".ranks", "w") as f:
            json.dump(results, f)


def single_process(out: str) -> None:
    with open(out + ".ranks") as f:
        ranks = json.load(f)
    single = {which: train(module(), which, slice(None)) for which in OPTIMIZERS}
    with open(out, "w") as f:
        json.dump({"sharded": ranks, "single": single}, f, indent=1)
