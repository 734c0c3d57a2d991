"""Kernel section for the Array API functions in xops/numpy_api/arrayapi.py: one file per backend, merged into that backend's
table (``from .arrayapi.<backend> import *`` at the end of ``xops/backends/<backend>.py``)."""
