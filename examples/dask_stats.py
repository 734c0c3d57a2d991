"""Statistics and a small ``xops.nn`` model's forward pass over a chunked dask array, with the
same xops functions that run on NumPy arrays; dask computes once, at the end, on a local
``dask.distributed`` cluster, with a progress bar.

    python examples/dask_stats.py                   # 400_000 x 32 float32 rows, 8 chunks
    python examples/dask_stats.py --rows 4000000    # larger than you would hold twice in memory

Needs ``pip install 'xops[dask]'``. The model is initialised on NumPy (``xops.random`` keys are
not an Array API feature) and its parameters joined to the graph with ``da.from_array``.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F


def stats(x):
    """Column statistics written once with xops: the same code runs on NumPy or dask."""
    mean = xnp.mean(x, axis=0)
    std = xnp.std(x, axis=0)
    z = (x - mean) / std
    return {"mean": mean, "std": std, "max |z|": xnp.max(xnp.abs(z), axis=0),
            "frac > 2 sigma": xnp.mean(xnp.astype(xnp.abs(z) > 2.0, xnp.float32), axis=0)}


def _to_dask(da, tree):
    if isinstance(tree, dict):
        return {k: _to_dask(da, v) for k, v in tree.items()}
    return da.from_array(np.asarray(tree))


def main(argv=None) -> None:
    import dask.array as da
    from dask.distributed import Client, LocalCluster, progress

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=400_000)
    p.add_argument("--chunks", type=int, default=8)
    args = p.parse_args(argv)

    features = 32
    x = da.random.default_rng(0).standard_normal((args.rows, features), dtype=np.float32,
                                                 chunks=(-(-args.rows // args.chunks), features))
    model = nn.Sequential(nn.Dense(64), F.relu, nn.Dense(4))
    params = model.init(xr.key(0), np.zeros((1, features), np.float32))  # on NumPy
    params = _to_dask(da, params)

    s = stats(x)                        # lazy: dask graphs, nothing computed yet
    logits = model.apply(params, x)
    probs = F.softmax(logits, axis=-1)
    mean_probs = xnp.mean(probs, axis=0)
    assert probs.chunks[0] == x.chunks[0], "row chunking is kept through the model"

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t = time.perf_counter()
        futures = client.compute([s, mean_probs])
        progress(futures)
        (s, mean_probs) = client.gather(futures)
        print(f"\ncomputed {args.rows} x {features} on {len(client.scheduler_info()['workers'])} "
              f"workers in {time.perf_counter() - t:.2f} s")
    for k, v in s.items():
        print(f"{k:>15}: {np.round(np.asarray(v)[:4], 3)} ...")
    print(f"{'mean class prob':>15}: {np.round(np.asarray(mean_probs), 3)}")


if __name__ == "__main__":
    main()
