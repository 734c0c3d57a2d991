"""The optional C speedups (xops/_speedups.c): setuptools builds them where a C compiler is
found; where the build fails, the install goes on and xops runs the same fast paths in Python
(xops/_fast.py). Everything else is declared in pyproject.toml."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("xops._speedups", ["xops/_speedups.c"], optional=True)])
