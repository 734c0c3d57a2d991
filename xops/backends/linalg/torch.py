"""torch kernels for xops.numpy.linalg (``torch.linalg``). Every kernel name is listed in
``__all__`` (the table imports exactly those). Arguments arrive normalised (one float/complex
compute dtype; ``solve``'s right-hand side a stack of matrices with ``a``'s batch shape, so
torch's vector-or-matrix guess for ``B`` never applies)."""
from __future__ import annotations

import torch

__all__: list[str] = [
    "linalg_inv", "linalg_det", "linalg_slogdet", "linalg_solve", "linalg_cholesky",
    "linalg_qr", "linalg_svd", "linalg_svdvals", "linalg_eig", "linalg_eigvals", "linalg_eigh",
    "linalg_eigvalsh", "linalg_pinv", "linalg_vector_norm", "linalg_diagonal",
]


def linalg_inv(x):
    return torch.linalg.inv(x)


def linalg_det(x):
    return torch.linalg.det(x)


def linalg_slogdet(x):
    sign, logabsdet = torch.linalg.slogdet(x)
    return sign, logabsdet


def linalg_solve(a, b):
    return torch.linalg.solve(a, b)


def linalg_cholesky(x, upper):
    return torch.linalg.cholesky(x, upper=upper)


def linalg_qr(x, mode):
    q, r = torch.linalg.qr(x, mode=mode)
    return q, r


def linalg_svd(x, full_matrices):
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def linalg_svdvals(x):
    return torch.linalg.svdvals(x)


def linalg_eig(x):
    w, v = torch.linalg.eig(x)
    return w, v


def linalg_eigvals(x):
    return torch.linalg.eigvals(x)


def linalg_eigh(x, UPLO):
    w, v = torch.linalg.eigh(x, UPLO=UPLO)
    return w, v


def linalg_eigvalsh(x, UPLO):
    return torch.linalg.eigvalsh(x, UPLO=UPLO)


def linalg_pinv(x, rtol, hermitian):
    return torch.linalg.pinv(x, rtol=rtol, hermitian=hermitian)


def linalg_vector_norm(x, axis, keepdims, ord):
    return torch.linalg.vector_norm(x, ord=ord, dim=axis, keepdim=keepdims)


def linalg_diagonal(x, offset):
    return torch.diagonal(x, offset, -2, -1)
