"""The package's version, written in one place.

``pyproject.toml`` reads it from here at build time, so that ``import jwstmodels`` need not load
``importlib.metadata`` (which costs more than the rest of a light import).
"""

__version__ = "0.1.0"
