"""Kernel section for the statistics in xops/numpy_api/stats.py: one file per backend, merged into that backend's
table (``from .stats.<backend> import *`` at the end of ``xops/backends/<backend>.py``)."""
