"""Glass compositions (mol% of oxides) -> integer, charge-neutral atom counts.

A glass is a base (SiO2 or sodium borosilicate, NBS) with one dopant oxide at a mol
fraction. Counting whole oxide formula units makes every count charge neutral.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# atoms in one formula unit of each oxide
OXIDE_ATOMS = {
    "SiO2": {"Si": 1, "O": 2},
    "B2O3": {"B": 2, "O": 3},
    "Na2O": {"Na": 2, "O": 1},
    "BaO": {"Ba": 1, "O": 1},
    "ZnO": {"Zn": 1, "O": 1},
    "TiO2": {"Ti": 1, "O": 2},
}
ATOMIC_MASS = {"Si": 28.0855, "B": 10.811, "O": 15.9994, "Na": 22.98977, "Ba": 137.327,
               "Ti": 47.867, "Zn": 65.38}
ELEMENTS = ("Si", "B", "O", "Ba", "Na", "Ti", "Zn")  # paper 1's order of the 7x7 pair matrix

# Base glasses in mol% of oxides. NBS = 60 SiO2 - 20 B2O3 - 20 Na2O: R = Na2O/B2O3 = 1 and
# K = SiO2/B2O3 = 3, a simple representative of the sodium borosilicate base glasses used for
# nuclear-waste immobilisation (paper 1 does not give its ratios).
BASES = {
    "SiO2": {"SiO2": 100.0},
    "NBS": {"SiO2": 60.0, "B2O3": 20.0, "Na2O": 20.0},
}
# Experimental room-temperature densities of the base glasses, g/cm3 (vitreous silica 2.20;
# Na2O-B2O3-SiO2 glasses with R = 1, K = 3 are close to 2.50).
BASE_DENSITY_G_CM3 = {"SiO2": 2.20, "NBS": 2.50}
DOPANTS = ("BaO", "TiO2", "ZnO")
# Crystal densities of the dopant oxides, g/cm3, used for an additive-volume density estimate.
DOPANT_DENSITY_G_CM3 = {"BaO": 5.72, "TiO2": 4.23, "ZnO": 5.61}
MAX_DOPANT_MOL_PERCENT = 50.0
AVOGADRO = 6.02214076e23


def _check_choice(kind: str, value, accepted) -> None:
    if value not in accepted:
        raise ValueError(f"{kind} {value!r} is not supported; choose one of {', '.join(accepted)}")


def oxide_mass(oxide: str) -> float:
    """Molar mass of an oxide formula unit, g/mol."""
    return sum(n * ATOMIC_MASS[el] for el, n in OXIDE_ATOMS[oxide].items())


@dataclass(frozen=True)
class Glass:
    """A doped glass: base name, dopant oxide (or None) and dopant mol%."""

    base: str
    dopant: str | None = None
    mol_percent: float = 0.0
    oxides: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _check_choice("base", self.base, tuple(BASES))
        if self.dopant is None:
            if self.mol_percent != 0:
                raise ValueError(f"mol_percent {self.mol_percent} given without a dopant")
        else:
            _check_choice("dopant", self.dopant, DOPANTS)
            if not 0 < float(self.mol_percent) <= MAX_DOPANT_MOL_PERCENT:
                raise ValueError(f"dopant mol_percent {self.mol_percent} is outside (0, "
                                 f"{MAX_DOPANT_MOL_PERCENT:g}] mol%")
        scale = 1.0 - float(self.mol_percent) / 100.0
        oxides = {ox: pct * scale for ox, pct in BASES[self.base].items()}
        if self.dopant:
            oxides[self.dopant] = float(self.mol_percent)
        object.__setattr__(self, "oxides", oxides)

    @property
    def name(self) -> str:
        """A file-safe identifier, e.g. 'NBS-ZnO-05' or 'SiO2-undoped'."""
        if self.dopant is None:
            return f"{self.base}-undoped"
        return f"{self.base}-{self.dopant}-{self.mol_percent:04.1f}".replace(".0", "").replace(".", "p")

    def atom_counts(self, target_atoms: int = 1000) -> dict[str, int]:
        """Integer atom counts of about `target_atoms` atoms (at least that many).

        Formula units are apportioned by largest remainder, so the mol fractions are met as
        closely as integers allow and every count is charge neutral.
        """
        if int(target_atoms) != target_atoms or target_atoms < 10:
            raise ValueError(f"target_atoms {target_atoms!r} must be an integer >= 10")
        fractions = {ox: pct / 100.0 for ox, pct in self.oxides.items()}
        atoms_per_mol_unit = sum(f * sum(OXIDE_ATOMS[ox].values()) for ox, f in fractions.items())
        units_total = int(np.ceil(target_atoms / atoms_per_mol_unit))
        while True:
            units = _largest_remainder(fractions, units_total)
            counts = _atoms_from_units(units)
            if sum(counts.values()) >= target_atoms:
                break
            units_total += 1
        if self.dopant and units[self.dopant] == 0:
            raise ValueError(f"{target_atoms} atoms are too few to hold one {self.dopant} unit at "
                             f"{self.mol_percent} mol%; use at least "
                             f"{int(np.ceil(100 / self.mol_percent * atoms_per_mol_unit))} atoms")
        return counts

    def density_estimate_g_cm3(self) -> float:
        """Experimental base density with the dopant added by additive molar volumes."""
        base_units = BASES[self.base]
        base_mass = sum(p / 100 * oxide_mass(ox) for ox, p in base_units.items())
        base_volume = base_mass / BASE_DENSITY_G_CM3[self.base]  # cm3 per mol of base
        x = float(self.mol_percent) / 100.0
        mass = (1 - x) * base_mass
        volume = (1 - x) * base_volume
        if self.dopant:
            mass += x * oxide_mass(self.dopant)
            volume += x * oxide_mass(self.dopant) / DOPANT_DENSITY_G_CM3[self.dopant]
        return mass / volume


def _largest_remainder(fractions: dict[str, float], total: int) -> dict[str, int]:
    raw = {ox: f * total for ox, f in fractions.items()}
    units = {ox: int(np.floor(v)) for ox, v in raw.items()}
    left = total - sum(units.values())
    for ox in sorted(raw, key=lambda o: raw[o] - units[o], reverse=True)[:left]:
        units[ox] += 1
    return units


def _atoms_from_units(units: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ox, n in units.items():
        for el, k in OXIDE_ATOMS[ox].items():
            counts[el] = counts.get(el, 0) + n * k
    return {el: counts[el] for el in ELEMENTS if counts.get(el)}


def campaign_grid(percents=(10, 2, 20, 5, 15)) -> list[Glass]:
    """Paper 1's grid: {SiO2, NBS} x {BaO, ZnO, TiO2} x percents, plus the undoped bases.

    Ordered so that any prefix spans both bases and all dopants (undoped first, then one
    percentage at a time), which lets a partly finished campaign already train models.
    """
    glasses = [Glass(base) for base in BASES]
    for pct in percents:
        for base in BASES:
            for dopant in DOPANTS:
                glasses.append(Glass(base, dopant, float(pct)))
    return glasses
