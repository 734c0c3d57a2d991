"""Signal-processing and numerical-integration helpers with NumPy names (windows, convolve,
correlate, interp, trapezoid, sinc, i0)."""
from __future__ import annotations
