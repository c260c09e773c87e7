"""glasslib: the thin library behind the glass-ML companion notebooks.

One subpackage per paper; modules follow the flow of the data, and the two never import
each other:
pcf/ (paper 1, RDFs): compositions -> potentials -> md -> rdf -> campaign / validation /
                      snapshot -> dataset (fingerprint, images) -> autoencoder -> forest
                      -> pipeline -> evaluation; reported (the paper's numbers)
tg/  (paper 2, Tg):   sciglass -> dataset -> model -> metrics -> baselines -> screening;
                      reported
shared:               paths, seeds, run (the notebook run context), reproduce, cli
"""

__version__ = "0.2.0"

from .run import notebook_run  # noqa: E402  (the first call of every notebook)

__all__ = ["notebook_run", "__version__"]
