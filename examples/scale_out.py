"""One xops.nn model trained data-parallel on each framework's own distributed engine, on a CPU:
jax with 8 simulated devices (batch sharded over a mesh, FSDP-style sharded parameters), torch
FSDP2 (``fully_shard``) over 2 gloo processes, tensorflow ``MirroredStrategy`` over 2 logical
CPU devices. Each run prints its losses next to the same training on one device.

    python examples/scale_out.py                  # all three engines
    python examples/scale_out.py --engine jax     # or torch, tensorflow

Each engine runs in a child process of this script: the device counts must be set before the
framework starts. See docs/distributed.md.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys

import numpy as np

STEPS, BATCH, FEATURES, CLASSES = 20, 64, 16, 4


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS, BATCH, FEATURES)).astype(np.float32)
    w = rng.normal(size=(FEATURES, CLASSES)).astype(np.float32)
    return x, np.argmax(x @ w, axis=-1).astype(np.int32)


def model_and_params(backend):
    from xops import nn
    from xops import random as xr
    model = nn.MLP((32, CLASSES), activation="gelu")
    return model, model.init(xr.key(0, backend=backend), (BATCH, FEATURES))


def report(engine, losses, single):
    diff = float(np.max(np.abs(np.asarray(losses) - np.asarray(single))))
    print(f"{engine}: loss {losses[0]:.4f} -> {losses[-1]:.4f} over {len(losses)} steps; "
          f"largest difference from one device {diff:.1e}", flush=True)


# --- jax: shardings on a mesh; xops.jit is jax.jit, which follows the inputs' shardings --------
def run_jax():
    import jax
    from jax.sharding import NamedSharding
    from jax.sharding import PartitionSpec as P

    from xops import nn
    from xops.nn import functional as F
    from xops.nn import optim

    x, y = data()
    model, params = model_and_params("jax")
    mesh = jax.make_mesh((jax.device_count(),), ("data",),
                         axis_types=(jax.sharding.AxisType.Auto,))
    batch = NamedSharding(mesh, P("data"))

    def fsdp(a):  # parameters sharded along their first axis where it divides the mesh
        spec = P("data") if a.ndim and a.shape[0] % jax.device_count() == 0 else P()
        return jax.device_put(a, NamedSharding(mesh, spec))

    def train(shard):
        tx = optim.adam(1e-2)
        p = jax.tree.map(fsdp, params) if shard else params
        s = tx.init(p)
        step = nn.make_train_step(model, F.sparse_softmax_cross_entropy, tx)
        bar = nn.training.ProgressBar(STEPS, f"jax {jax.device_count()} devices" if shard
                                      else "jax 1 device", enabled=shard)
        losses = []
        for i in range(STEPS):
            xi, yi = (jax.device_put(x[i], batch), jax.device_put(y[i], batch)) if shard \
                else (jax.numpy.asarray(x[i]), jax.numpy.asarray(y[i]))
            p, s, loss, _ = step(p, s, xi, yi)
            losses.append(float(loss))
            bar.update(1, {"loss": losses[-1]})
        bar.close()
        return losses

    report(f"jax ({jax.device_count()} devices, batch and parameters sharded)", train(True),
           train(False))


# --- torch: FSDP2 over 2 gloo ranks, torch.optim on the module of nn.to_torch -----------------
def _torch_rank(rank, world, port, out):
    import torch
    import torch.distributed as dist
    from torch.distributed.fsdp import fully_shard

    from xops import nn
    from xops.nn import functional as F

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        x, y = data()
        model, params = model_and_params("torch")
        module = fully_shard(nn.to_torch(model, params))
        opt = torch.optim.Adam(module.parameters(), lr=1e-2)
        bar = nn.training.ProgressBar(STEPS, f"torch FSDP2 {world} ranks", enabled=rank == 0)
        losses = []
        part = BATCH // world
        for i in range(STEPS):
            rows = slice(rank * part, (rank + 1) * part)   # each rank its part of the batch
            loss = F.sparse_softmax_cross_entropy(module(torch.from_numpy(x[i, rows])),
                                                  torch.from_numpy(y[i, rows]))
            opt.zero_grad()
            loss.backward()          # FSDP2 averages the gradients over the ranks
            opt.step()
            total = loss.detach().clone()
            dist.all_reduce(total)
            losses.append(float(total) / world)
            bar.update(1, {"loss": losses[-1]})
        bar.close()
        if rank == 0:
            out.put(losses)      # a SimpleQueue: written to the pipe when put returns
        dist.barrier()
    except BaseException:
        dist.destroy_process_group()
        raise
    # torch 2.13's gloo teardown (destroy_process_group, then interpreter exit) now and then
    # aborts a rank that has finished (SIGABRT, "terminate called without an active
    # exception"): a finished rank leaves without it
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_torch():
    import torch
    import torch.multiprocessing as mp

    from xops import nn
    from xops.nn import functional as F

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = mp.get_context("spawn")
    out = ctx.SimpleQueue()
    mp.spawn(_torch_rank, args=(2, port, out), nprocs=2, join=True)
    losses = out.get()

    x, y = data()
    model, params = model_and_params("torch")
    module = nn.to_torch(model, params)
    opt = torch.optim.Adam(module.parameters(), lr=1e-2)
    single = []
    for i in range(STEPS):
        loss = F.sparse_softmax_cross_entropy(module(torch.from_numpy(x[i])),
                                              torch.from_numpy(y[i]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        single.append(float(loss.detach()))
    report("torch (FSDP2, 2 gloo ranks)", losses, single)


# --- tensorflow: MirroredStrategy, gradients all-reduced, an xops optimizer --------------------
def run_tensorflow():
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import optree

    from xops import nn
    from xops.nn import functional as F
    from xops.nn import optim

    x, y = data()
    model, params = model_and_params("tensorflow")

    def train(strategy, label):
        tx = optim.adam(1e-2)
        with strategy.scope():   # first replica's write stands: replicas hold equal values
            pv, ps = optree.tree_flatten(params)
            sv, ss = optree.tree_flatten(tx.init(params))
            agg = tf.VariableAggregation.ONLY_FIRST_REPLICA
            pv = [tf.Variable(v, aggregation=agg) for v in pv]
            sv = [tf.Variable(v, aggregation=agg) for v in sv]

        def replica_step(xb, yb):
            with tf.GradientTape() as tape:
                p = optree.tree_unflatten(ps, [v.read_value() for v in pv])
                loss = F.sparse_softmax_cross_entropy(model.apply(p, xb), yb)
            grads = tf.distribute.get_replica_context().all_reduce("MEAN",
                                                                   tape.gradient(loss, pv))
            state = optree.tree_unflatten(ss, [v.read_value() for v in sv])
            updates, state = tx.update(optree.tree_unflatten(ps, grads), state, p)
            for v, new in zip(pv, optree.tree_leaves(optim.apply_updates(p, updates))):
                v.assign(new)
            for v, new in zip(sv, optree.tree_leaves(state)):
                v.assign(new)
            return loss

        @tf.function
        def step(xb, yb):
            return strategy.reduce("MEAN", strategy.run(replica_step, args=(xb, yb)), axis=None)

        n = strategy.num_replicas_in_sync
        bar = nn.training.ProgressBar(STEPS, label, enabled=n > 1)
        losses = []
        for i in range(STEPS):
            xs, ys = np.split(x[i], n), np.split(y[i], n)
            xb = strategy.experimental_distribute_values_from_function(
                lambda c, xs=xs: tf.constant(xs[c.replica_id_in_sync_group]))
            yb = strategy.experimental_distribute_values_from_function(
                lambda c, ys=ys: tf.constant(ys[c.replica_id_in_sync_group]))
            losses.append(float(step(xb, yb)))
            bar.update(1, {"loss": losses[-1]})
        bar.close()
        return losses

    report("tensorflow (MirroredStrategy, 2 logical CPUs)",
           train(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]), "tf 2 replicas"),
           train(tf.distribute.OneDeviceStrategy("/cpu:0"), "tf 1 device"))


RUNS = {"jax": run_jax, "torch": run_torch, "tensorflow": run_tensorflow}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--engine", choices=[*RUNS, "all"], default="all")
    p.add_argument("--child", choices=list(RUNS), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        RUNS[args.child]()
        return
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    failed = []
    for engine in RUNS if args.engine == "all" else [args.engine]:
        if subprocess.run([sys.executable, __file__, "--child", engine], env=env).returncode:
            failed.append(engine)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
