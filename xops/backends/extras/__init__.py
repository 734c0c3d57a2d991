"""Kernel section for the NumPy extras in xops/numpy_api/extras.py: one file per backend, merged into that backend's
table (``from .extras.<backend> import *`` at the end of ``xops/backends/<backend>.py``)."""
