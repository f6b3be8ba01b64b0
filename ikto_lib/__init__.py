"""ikto: an open, statistically rigorous workbench for internal customer satisfaction surveys (iKTO).

The library does all computing; the notebooks in ``notebooks/`` only call it.
Importing ``ikto_lib`` has no side effects and imports nothing heavy.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
