"""Kernel section for xops.numpy.fft: one file per backend, merged into that backend's
table (``from .fft.<backend> import *`` at the end of ``xops/backends/<backend>.py``)."""
