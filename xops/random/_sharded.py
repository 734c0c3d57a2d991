"""``xops.random.sharded``: a sampler's draw made directly as a torch ``DTensor``, each rank
computing only the values of its own shard (the counter-based scheme makes element ``i`` a
function of the key and ``i`` alone), bit-equal to the unsharded draw.

jax needs nothing of the kind: a sampler under ``jax.jit(..., out_shardings=...)`` is partitioned
by XLA the same way (docs/distributed.md)."""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from ..backends import backend_of
from . import _distributions as _dist
from . import _keys
from ._keys import ACTIVE, BLOCK, check_key

Array = Any

# Samplers whose output element i depends on counter i only (and on scalar parameters).
ELEMENTWISE = {"bits": _dist.bits, "uniform": _dist.uniform, "normal": _dist.normal,
               "truncated_normal": _dist.truncated_normal, "bernoulli": _dist.bernoulli,
               "randint": _dist.randint, "gumbel": _dist.gumbel,
               "dropout_mask": _dist.dropout_mask}


def _block(shape: tuple[int, ...], mesh: Any, placements: Any) -> tuple[tuple, tuple]:
    """(offsets, local shape) of this rank's shard of ``shape``: torch's chunking (ceil-sized
    chunks, the last ones short or empty), mesh dimensions applied in order."""
    from torch.distributed.tensor import Replicate, Shard

    coord = mesh.get_coordinate()
    offsets, local = [0] * len(shape), list(shape)
    for mdim, p in enumerate(placements):
        if isinstance(p, Replicate):
            continue
        if not isinstance(p, Shard):
            raise ValueError(f"xops.random.sharded: placement {p} is not Shard or Replicate (a "
                             "draw is never a partial sum)")
        d = p.dim % len(shape) if shape else p.dim
        if not 0 <= d < len(shape):
            raise ValueError(f"xops.random.sharded: {p} of a {len(shape)}-d draw")
        n = mesh.size(mdim)
        chunk = -(-local[d] // n)
        start = min(coord[mdim] * chunk, local[d])
        offsets[d] += start
        local[d] = min(chunk, local[d] - start)
    return tuple(offsets), tuple(local)


def sharded(sampler: Callable, device_mesh: Any, placements: Any) -> Callable:
    """``sampler`` (an ``xops.random`` sampler whose values are drawn element by element:
    bits, uniform, normal, truncated_normal, bernoulli, randint, gumbel, dropout_mask) returning
    a torch ``DTensor`` on ``device_mesh`` with ``placements``: each rank computes the counters,
    and so the values, of its own shard only; ``full_tensor()`` equals ``sampler(key, ...)``
    bit for bit. The key is a plain torch tensor, the same on every rank.

    Args:
        sampler: one of the samplers above (e.g. ``xr.normal``).
        device_mesh: a ``torch.distributed.DeviceMesh``.
        placements: a sequence of ``Shard(d)`` / ``Replicate()``, one per mesh dimension.

    Returns:
        A function with ``sampler``'s signature returning a DTensor.

    >>> # xr.sharded(xr.normal, mesh, [Shard(0)])(key, (1024, 512))   # each rank: its rows
    """
    name = getattr(sampler, "__name__", repr(sampler))
    if ELEMENTWISE.get(name) is not sampler:
        raise TypeError(f"xops.random.sharded: {name} is not an elementwise sampler (one of "
                        f"{', '.join(sorted(ELEMENTWISE))}); draw it whole and distribute it")
    placements = tuple(placements)
    if len(placements) != device_mesh.ndim:
        raise ValueError(f"xops.random.sharded: {len(placements)} placements for a "
                         f"{device_mesh.ndim}-d mesh")

    signature = inspect.signature(sampler)

    @functools.wraps(sampler)
    def draw(key: Array, *args: Any, **kwargs: Any) -> Any:
        check_key(name, key)
        be = backend_of(key)
        if be is None or be.name != "torch":
            raise TypeError(f"xops.random.sharded({name}): DTensor draws need a torch key, got "
                            f"a {getattr(be, 'name', type(key).__name__)} key (jax: jit with "
                            "out_shardings)")
        for a in (*args, *kwargs.values()):
            if backend_of(a) is not None and getattr(a, "ndim", 0) != 0:
                raise TypeError(f"xops.random.sharded({name}): array parameters are not "
                                "sharded with the draw; pass scalars")
        # the draw's shape: the sampler's ``shape`` argument (None or absent: a 0-d draw, as
        # scalar parameters give)
        given = signature.bind(key, *args, **kwargs).arguments.get("shape")
        shape = _keys._shape(name, () if given is None else given)
        offsets, local = _block(shape, device_mesh, placements)
        token = BLOCK.set((shape, offsets, local))
        ACTIVE.append(1)
        try:
            out = sampler(key, *args, **kwargs)
        finally:
            ACTIVE.pop()
            BLOCK.reset(token)
        if tuple(out.shape) != local:  # a sampler that drew another shape than its output
            raise AssertionError(f"xops.random.sharded({name}): local shape {tuple(out.shape)} "
                                 f"!= {local}")
        return be.k.dtensor_from_local(out, device_mesh, placements, shape)

    return draw
