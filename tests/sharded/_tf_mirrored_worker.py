"""Run as a script (its own process: logical devices must be set before tensorflow starts):
an xops.nn MLP trained data-parallel under ``tf.distribute.MirroredStrategy`` on 2 logical CPU
devices, with ``xops.nn.optim`` SGD (momentum) and Adam, next to the
same steps on one device. Prints one JSON line: the loss histories."""
from __future__ import annotations

import json
import sys

import numpy as np
import optree
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

from xops import nn  # noqa: E402 - after the device configuration, as tensorflow requires
from xops import random as xr  # noqa: E402
from xops.nn import functional as F  # noqa: E402
from xops.nn import optim  # noqa: E402

STEPS = 5
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS, 16, 6)).astype(np.float32)
Y = rng.integers(0, 4, size=(STEPS, 16)).astype(np.int32)
MODEL = nn.MLP((16, 4), activation="gelu")
PARAMS = MODEL.init(xr.key(0, backend="tensorflow"), (16, 6))


def variables(tree):
    """One variable per leaf; replicas hold equal values after the all-reduce, so the first
    replica's write stands for all (the aggregation a replica-context assign needs)."""
    leaves, spec = optree.tree_flatten(tree)
    return [tf.Variable(v, aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
            for v in leaves], spec


def run(strategy, tx):
    with strategy.scope():
        pvars, pspec = variables(PARAMS)
        svars, sspec = variables(tx.init(PARAMS))

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            p = optree.tree_unflatten(pspec, [v.read_value() for v in pvars])
            loss = F.sparse_softmax_cross_entropy(MODEL.apply(p, x), y)
        grads = tape.gradient(loss, pvars)
        grads = tf.distribute.get_replica_context().all_reduce("MEAN", grads)
        g = optree.tree_unflatten(pspec, grads)
        s = optree.tree_unflatten(sspec, [v.read_value() for v in svars])
        updates, s = tx.update(g, s, p)
        for v, n in zip(pvars, optree.tree_leaves(optim.apply_updates(p, updates))):
            v.assign(n)
        for v, n in zip(svars, optree.tree_leaves(s)):
            v.assign(n)
        return loss

    @tf.function
    def step(x, y):
        per_replica = strategy.run(replica_step, args=(x, y))
        return strategy.reduce("MEAN", per_replica, axis=None)

    losses = []
    n = strategy.num_replicas_in_sync
    for i in range(STEPS):
        # replica r gets the r-th of n equal contiguous parts of the batch, so the mean of the
        # replicas' mean losses and gradients is the full batch's
        parts = np.split(X[i], n), np.split(Y[i], n)
        x = strategy.experimental_distribute_values_from_function(
            lambda ctx, p=parts[0]: tf.constant(p[ctx.replica_id_in_sync_group]))
        y = strategy.experimental_distribute_values_from_function(
            lambda ctx, p=parts[1]: tf.constant(p[ctx.replica_id_in_sync_group]))
        losses.append(float(step(x, y)))
    return losses


def main() -> None:
    mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    single = tf.distribute.OneDeviceStrategy("/cpu:0")
    out = {"replicas": mirrored.num_replicas_in_sync}
    for name, make in (("sgd", lambda: optim.sgd(0.1, momentum=0.9)),
                       ("adam", lambda: optim.adam(3e-2))):
        out[name] = {"mirrored": run(mirrored, make()), "single": run(single, make())}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
