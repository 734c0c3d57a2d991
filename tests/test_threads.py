"""Thread safety: 8 threads calling ops on every installed backend at once, in a fresh process
(so the first-use paths run concurrently: backend and kernel-table loading, the dispatch caches,
scoped defaults), give exactly the results of one thread."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from .conftest import INSTALLED

_WORKER = textwrap.dedent('''
    import json, sys, threading
    import numpy as np
    import xops, xops.backends, xops.numpy as xnp
    from xops import random as xr
    NAMES = sys.argv[1].split(",")

    def native(name, a):
        if name == "numpy":
            return a
        if name == "jax":
            import jax.numpy as jnp
            return jnp.asarray(a)
        if name == "torch":
            import torch
            return torch.from_numpy(a)
        import tensorflow as tf
        return tf.constant(a)

    def work(name, seed):
        rng = np.random.default_rng(seed)
        a = rng.normal(size=(4, 5)).astype(np.float32)
        b = rng.integers(-9, 9, (5,)).astype(np.int32)
        x, i = native(name, a), native(name, b)
        out = []
        with xops.default_backend(name):  # scoped per thread (a contextvar)
            z = xnp.zeros((2,), dtype=xnp.float32)
            out.append(xops.backends.backend_of(z).name)
        for r in [xnp.add(x, 1.5), xnp.multiply(x, i), xnp.sum(x, axis=0), xnp.sort(x, axis=1),
                  xnp.matmul(x, xnp.transpose(x)), xnp.where(x > 0, x, 0.0), xnp.cumsum(i),
                  xnp.take(x, xnp.asarray([0, 3], like=i), axis=0), xnp.mean(x),
                  xnp.floor_divide(i, 4), xnp.exp(x), xnp.argmax(x, axis=1),
                  xr.uniform(xr.key(seed, like=x), (3,))]:
            out.append(np.asarray(r).tolist())
        return out

    jobs = [(n, s) for s in range(2) for n in NAMES]   # 8 threads for 4 backends
    results = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))
    errors = []
    def run(k):
        try:
            barrier.wait()
            for _ in range(3):
                results[k] = work(*jobs[k])
        except BaseException as e:
            errors.append(repr(e))
    ts = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    [t.start() for t in ts]; [t.join() for t in ts]
    serial = [work(*j) for j in jobs]
    print(json.dumps({"errors": errors, "same": results == serial,
                      "modules": [r[0] for r in serial]}))
''')


def test_eight_threads_on_every_backend_agree_with_one():
    names = list(INSTALLED)
    while len(names) < 4:
        names = names + names
    names = names[:4]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
         os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _WORKER, ",".join(names)], capture_output=True,
                         text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["errors"] == [], got["errors"]
    assert got["same"], "threaded results differ from the serial ones"
    assert got["modules"] == [n for _ in range(2) for n in names]
