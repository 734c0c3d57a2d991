"""torch kernels for xops.numpy.linalg (``torch.linalg``). Every kernel name is listed in
``__all__`` (the table imports exactly those). Arguments arrive normalised (one float/complex
compute dtype; ``solve``'s right-hand side a stack of matrices with ``a``'s batch shape, so
torch's vector-or-matrix guess for ``B`` never applies)."""
from __future__ import annotations

import torch

from .._common import LINALG_NAMES

NAMESPACE = "linalg"
__all__: list[str] = list(LINALG_NAMES)


def inv(x):
    return torch.linalg.inv(x)


def det(x):
    return torch.linalg.det(x)


def slogdet(x):
    sign, logabsdet = torch.linalg.slogdet(x)
    return sign, logabsdet


def solve(a, b):
    return torch.linalg.solve(a, b)


def cholesky(x, upper):
    return torch.linalg.cholesky(x, upper=upper)


def qr(x, mode):
    q, r = torch.linalg.qr(x, mode=mode)
    return q, r


def svd(x, full_matrices):
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def svdvals(x):
    return torch.linalg.svdvals(x)


def eig(x):
    w, v = torch.linalg.eig(x)
    return w, v


def eigvals(x):
    return torch.linalg.eigvals(x)


def eigh(x, UPLO):
    w, v = torch.linalg.eigh(x, UPLO=UPLO)
    return w, v


def eigvalsh(x, UPLO):
    return torch.linalg.eigvalsh(x, UPLO=UPLO)


def pinv(x, rtol, hermitian):
    return torch.linalg.pinv(x, rtol=rtol, hermitian=hermitian)


def vector_norm(x, axis, keepdims, ord):
    return torch.linalg.vector_norm(x, ord=ord, dim=axis, keepdim=keepdims)


def diagonal(x, offset):
    return torch.diagonal(x, offset, -2, -1)
