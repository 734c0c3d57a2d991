"""``xops.numpy.fft``: the Array API fft extension with NumPy semantics."""
from __future__ import annotations
