"""glasslib: the thin library behind the glass-ML companion notebooks.

Modules follow the flow of the data:
paper 1 (RDFs):  compositions -> potentials -> md -> rdf -> campaign -> fingerprint
                 -> images -> autoencoder -> forest -> pipeline
paper 2 (Tg):    sciglass -> tg_dataset -> deepglassnet -> metrics -> baselines -> screening
shared:          paths, seeds, plotting, cli, reproduce
"""

__version__ = "0.1.0"
