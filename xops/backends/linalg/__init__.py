"""Kernel section for xops.numpy.linalg: one file per backend, merged into that backend's
table (``from .linalg.<backend> import *`` at the end of ``xops/backends/<backend>.py``)."""
