"""Paper 1's 58-dim k-hot fingerprint (§III, Fig. 1): base (3) + dopant (6) + atom pair (49).

Choices where the paper is ambiguous (documented in notebooks/06_rdf_autoencoder.ipynb):
- base bits (Na2O, B2O3, SiO2) mark every base oxide present: SiO2 -> (0, 0, 1),
  NBS -> (1, 1, 1);
- the dopant fraction is the mol fraction (mol% / 100) in the slot of that dopant;
- the 7x7 pair matrix (Si, B, O, Ba, Na, Ti, Zn) is symmetric: both (i, j) and (j, i) are 1.
"""

from __future__ import annotations

import numpy as np

from .compositions import BASES, DOPANTS, ELEMENTS, MAX_DOPANT_MOL_PERCENT, Glass
from .rdf import pair_name

BASE_OXIDES = ("Na2O", "B2O3", "SiO2")
FINGERPRINT_DOPANTS = ("BaO", "TiO2", "ZnO")
N_FEATURES = len(BASE_OXIDES) + 2 * len(FINGERPRINT_DOPANTS) + len(ELEMENTS) ** 2  # 58


def glass_elements(base: str, dopant: str | None) -> set[str]:
    glass = Glass(base, dopant, 1.0 if dopant else 0.0)
    return set(glass.atom_counts(1000))


def fingerprint(base: str, dopant: str | None, mol_percent: float, pair: str) -> np.ndarray:
    """The 58-dim fingerprint of one partial RDF of one glass."""
    if base not in BASES:
        raise ValueError(f"base {base!r} is not supported; choose one of {', '.join(BASES)}")
    if dopant in (None, "none", ""):
        dopant = None
        if mol_percent:
            raise ValueError(f"mol_percent {mol_percent} given for an undoped glass")
    elif dopant not in DOPANTS:
        raise ValueError(f"dopant {dopant!r} is not supported; choose one of {', '.join(DOPANTS)} or none")
    elif not 0 < mol_percent <= MAX_DOPANT_MOL_PERCENT:
        raise ValueError(f"dopant mol_percent {mol_percent} is outside (0, {MAX_DOPANT_MOL_PERCENT:g}]")
    try:
        a, b = pair.split("-")
        label = pair_name(a, b)
    except ValueError as err:
        raise ValueError(f"pair {pair!r} is not of the form 'A-B' with A, B in "
                         f"{', '.join(ELEMENTS)}") from err
    present = glass_elements(base, dopant)
    if not {a, b} <= present:
        raise ValueError(f"pair {label} does not occur in {base}{' + ' + dopant if dopant else ''}; "
                         f"its elements are {', '.join(sorted(present, key=ELEMENTS.index))}")
    vec = np.zeros(N_FEATURES, np.float32)
    oxides = BASES[base]
    for k, ox in enumerate(BASE_OXIDES):
        vec[k] = float(ox in oxides)
    if dopant:
        k = FINGERPRINT_DOPANTS.index(dopant)
        vec[3 + k] = 1.0
        vec[6 + k] = mol_percent / 100.0
    i, j = ELEMENTS.index(a), ELEMENTS.index(b)
    pair_block = np.zeros((len(ELEMENTS), len(ELEMENTS)), np.float32)
    pair_block[i, j] = pair_block[j, i] = 1.0
    vec[9:] = pair_block.ravel()
    return vec


def fingerprints(rows) -> np.ndarray:
    """Stack fingerprints of (base, dopant, mol_percent, pair) rows."""
    return np.stack([fingerprint(*row) for row in rows]) if len(rows) else np.zeros((0, N_FEATURES))
