"""torch kernels for xops.numpy.linalg (``torch.linalg``). Every kernel name is listed in
``__all__`` (the table imports exactly those). Arguments arrive normalised (one float/complex
compute dtype; ``solve``'s right-hand side a stack of matrices with ``a``'s batch shape, so
torch's vector-or-matrix guess for ``B`` never applies)."""
from __future__ import annotations

import torch

from .._common import LINALG_NAMES
from . import distributed

NAMESPACE = "linalg"
__all__: list[str] = list(LINALG_NAMES)


def slogdet(x):
    return tuple(torch.linalg.slogdet(x))  # a plain tuple, as on the other backends


# Kernels that are the framework function itself (same arguments, same results).
inv = torch.linalg.inv
det = torch.linalg.det
solve = torch.linalg.solve
eigvals = torch.linalg.eigvals
svdvals = torch.linalg.svdvals


def cholesky(x, upper):
    return torch.linalg.cholesky(x, upper=upper)


def qr(x, mode):
    q, r = torch.linalg.qr(x, mode=mode)
    return q, r


def svd(x, full_matrices):
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def eig(x):
    w, v = torch.linalg.eig(x)
    return w, v


def eigh(x, UPLO):
    w, v = torch.linalg.eigh(x, UPLO=UPLO)
    return w, v


def eigvalsh(x, UPLO):
    return torch.linalg.eigvalsh(x, UPLO=UPLO)


def pinv(x, rtol, hermitian):
    if x.is_complex() and type(x) is not torch.Tensor and distributed(x) is not None:
        # torch 2.13's DTensor pinv of complex input returns wrong numbers (conjugates lost
        # in its decomposition), replicated or sharded: refuse rather than answer wrongly
        raise NotImplementedError(
            f"xops.numpy.linalg.pinv: complex DTensor input is not supported (x "
            f"{distributed(x)}): torch.distributed.tensor computes wrong "
            "numbers; gather x first (x.full_tensor())")
    return torch.linalg.pinv(x, rtol=rtol, hermitian=hermitian)


def vector_norm(x, axis, keepdims, ord):
    return torch.linalg.vector_norm(x, ord=ord, dim=axis, keepdim=keepdims)


def diagonal(x, offset):
    return torch.diagonal(x, offset, -2, -1)
