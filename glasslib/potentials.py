"""Interatomic potential parameter sets (data/potentials/*.json) -> LAMMPS commands."""

from __future__ import annotations

import json
from functools import lru_cache

from . import paths

DEFAULT_POTENTIAL = "pedone2006_B-du"


@lru_cache(maxsize=None)
def load_potential(name: str = DEFAULT_POTENTIAL) -> dict:
    """The parameter set stored as data/potentials/<name>.json."""
    available = sorted(p.stem for p in paths.POTENTIALS.glob("*.json"))
    if name not in available:
        raise ValueError(f"potential {name!r} is not available; choose one of {', '.join(available)}")
    return json.loads((paths.POTENTIALS / f"{name}.json").read_text())


def _pair_key(table: dict, a: str, b: str):
    for key in (f"{a}-{b}", f"{b}-{a}"):
        if key in table:
            return table[key]
    return None


def lammps_pair_commands(elements: list[str], name: str = DEFAULT_POTENTIAL) -> list[str]:
    """pair_style/pair_coeff/set-charge commands for LAMMPS atom types 1..n = `elements`."""
    pot = load_potential(name)
    missing = [el for el in elements if el not in pot["charges_e"]]
    if missing:
        raise ValueError(f"potential {name!r} has no parameters for {missing}; it covers "
                         f"{', '.join(pot['charges_e'])}")
    cut = pot["cutoffs_angstrom"]
    has_buck = any(_pair_key(pot["buck"], a, b) for a in elements for b in elements)
    styles = f"coul/dsf {pot['coul_dsf_alpha_per_angstrom']} {cut['coulomb']} pedone {cut['short_range']}"
    if has_buck:
        styles += f" buck {cut['short_range']}"
    cmds = [f"pair_style hybrid/overlay {styles}", "pair_coeff * * coul/dsf"]
    for i, a in enumerate(elements, start=1):
        for j, b in enumerate(elements, start=1):
            if j < i:
                continue
            ped = _pair_key(pot["pedone"], a, b)
            if ped:
                cmds.append(f"pair_coeff {i} {j} pedone {ped['D0']} {ped['alpha']} {ped['r0']} {ped['C0']}")
            else:
                cmds.append(f"pair_coeff {i} {j} pedone 0.0 1.0 1.0 0.0")
            if has_buck:
                bk = _pair_key(pot["buck"], a, b)
                if bk:
                    cmds.append(f"pair_coeff {i} {j} buck {bk['A']} {bk['rho']} {bk['C']}")
                else:
                    cmds.append(f"pair_coeff {i} {j} buck 0.0 1.0 0.0")
    for i, el in enumerate(elements, start=1):
        cmds.append(f"set type {i} charge {pot['charges_e'][el]}")
    return cmds
