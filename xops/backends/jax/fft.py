"""jax kernels for xops.numpy.fft and the signal helpers. Every kernel name is listed in
``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import jax.numpy as jnp

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


def fftn(x, s, axes, norm):
    return jnp.fft.fftn(x, s=s, axes=axes, norm=norm)


def ifftn(x, s, axes, norm):
    return jnp.fft.ifftn(x, s=s, axes=axes, norm=norm)


def rfftn(x, s, axes, norm):
    return jnp.fft.rfftn(x, s=s, axes=axes, norm=norm)


def irfftn(x, s, axes, norm):
    return jnp.fft.irfftn(x, s=s, axes=axes, norm=norm)
