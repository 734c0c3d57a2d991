"""linalg kernels shared by numpy and jax.numpy (jnp.linalg mirrors np.linalg), parametrised by
the namespace; each table states only where it differs. Arguments arrive normalised by
``xops/numpy_api/linalg.py``: one float/complex compute dtype, square/batch shapes checked,
``solve``'s right-hand side always a stack of matrices with the same batch shape."""
from __future__ import annotations

from typing import Any, Callable

NAMES = ("linalg_inv", "linalg_det", "linalg_slogdet", "linalg_solve", "linalg_cholesky",
         "linalg_qr", "linalg_svd", "linalg_svdvals", "linalg_eig", "linalg_eigvals",
         "linalg_eigh", "linalg_eigvalsh", "linalg_pinv", "linalg_vector_norm",
         "linalg_diagonal")


def kernels(xp: Any, jax: bool) -> dict[str, Callable]:
    la = xp.linalg
    # jnp.linalg.{cholesky,eigh,eigvalsh} symmetrize their input by default; NumPy reads one
    # triangle only. Asking jax not to symmetrize gives NumPy's answer for non-Hermitian input.
    sym = {"symmetrize_input": False} if jax else {}

    def _complex(a):
        return a.astype(xp.result_type(a.dtype, xp.complex64))

    def linalg_inv(x):
        return la.inv(x)

    def linalg_det(x):
        return la.det(x)

    def linalg_slogdet(x):
        sign, logabsdet = la.slogdet(x)
        return sign, logabsdet

    def linalg_solve(a, b):
        return la.solve(a, b)

    def linalg_cholesky(x, upper):
        return la.cholesky(x, upper=upper, **sym)

    def linalg_qr(x, mode):
        q, r = la.qr(x, mode=mode)
        return q, r

    def linalg_svd(x, full_matrices):
        u, s, vh = la.svd(x, full_matrices=full_matrices)
        return u, s, vh

    def linalg_svdvals(x):
        return la.svdvals(x)

    # NumPy returns real eigenpairs when all eigenvalues are real; xops always returns complex.
    def linalg_eig(x):
        w, v = la.eig(x)
        return _complex(w), _complex(v)

    def linalg_eigvals(x):
        return _complex(la.eigvals(x))

    def linalg_eigh(x, UPLO):
        w, v = la.eigh(x, UPLO=UPLO, **sym)
        return w, v

    def linalg_eigvalsh(x, UPLO):
        return la.eigvalsh(x, UPLO=UPLO, **sym)

    def linalg_pinv(x, rtol, hermitian):
        return la.pinv(x, rtol=rtol, hermitian=hermitian)

    def linalg_vector_norm(x, axis, keepdims, ord):
        return la.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)

    def linalg_diagonal(x, offset):
        return xp.diagonal(x, offset, -2, -1)

    return {k: v for k, v in locals().items() if k in NAMES}
