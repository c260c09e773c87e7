"""Interatomic potential parameter sets (data/potentials/*.json) -> LAMMPS commands and files.

A set holds charges, Pedone (Morse + C/r^12) pair terms, Buckingham pair terms, optional
screened three-body terms (LAMMPS nb3b/screened) and, for BMP, a B-O well depth that depends
on the glass composition (`boron_d0`).
"""

from __future__ import annotations

import itertools
import json
import math
from functools import lru_cache

from .. import paths

DEFAULT_POTENTIAL = "bmp2022"
NB3B_FILE = "potential.nb3b.screened"


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


def boron_ratios(oxides: dict[str, float], model: dict) -> tuple[float, float]:
    """(R, K) of a glass in mol% of oxides: R = modifier oxides / B2O3, K = SiO2 / B2O3."""
    b2o3 = oxides.get("B2O3", 0.0)
    if b2o3 <= 0:
        raise ValueError("R and K are defined only for glasses with B2O3")
    modifiers = sum(weight * oxides.get(ox, 0.0) for ox, weight in model["modifiers_in_R"].items())
    return modifiers / b2o3, oxides.get("SiO2", 0.0) / b2o3


def boron_d0(R: float, K: float, model: dict | None = None) -> float:
    """BMP's composition-dependent B-O Morse well depth D0 (eV) at ratios R and K."""
    model = model or load_potential("bmp2022")["boron_D0_model"]
    a0, a1, a2 = model["a"]
    c0, c1, c2 = model["c"]
    inv = 1.0 / (R + 1.0) ** 2
    return ((a0 + inv) * math.exp(a1 * R + a2 * K) + (c0 + inv) * math.exp(c1 * R + c2 * K)
            + model["k3"] * K ** 3 + model["r1"] * R)


def pedone_terms(name: str, oxides: dict[str, float] | None = None) -> dict:
    """The Pedone pair table of a set, with composition-dependent entries evaluated."""
    pot = load_potential(name)
    table = {}
    for pair, term in pot["pedone"].items():
        term = dict(term)
        if term["D0"] == "boron_D0":
            if oxides is None or not oxides.get("B2O3"):
                continue                               # no boron, no B-O term
            term["D0"] = boron_d0(*boron_ratios(oxides, pot["boron_D0_model"]), pot["boron_D0_model"])
        table[pair] = term
    return table


def nb3b_file_text(elements: list[str], name: str = DEFAULT_POTENTIAL) -> str | None:
    """The nb3b/screened parameter file for the elements present (every triplet listed, as LAMMPS
    requires; unlisted triplets get zeros), or None when the set has no three-body terms."""
    pot = load_potential(name)
    entries = [e for e in pot.get("nb3b_screened", []) if {e["center"], *e["ends"]} <= set(elements)]
    if not entries:
        return None
    active = sorted({el for e in entries for el in (e["center"], *e["ends"])})
    table = {}
    for e in entries:
        j, k = e["ends"]
        for ends in {(j, k), (k, j)}:                  # both neighbour orders of a mixed triplet
            table[(e["center"], *ends)] = e
    lines = [f"# {pot['id']}: center end end K theta0 rho cutoff"]
    for i, j, k in itertools.product(active, repeat=3):
        e = table.get((i, j, k))
        lines.append(f"{i} {j} {k} " + (f"{e['K']} {e['theta0']} {e['rho']} {e['cutoff']}" if e else "0.0 0.0 1.0 0.0"))
    return "\n".join(lines) + "\n"


def lammps_pair_commands(elements: list[str], name: str = DEFAULT_POTENTIAL,
                         oxides: dict[str, float] | None = None) -> list[str]:
    """pair_style/pair_coeff/set-charge commands for LAMMPS atom types 1..n = `elements`.

    `oxides` (mol%) evaluates composition-dependent terms. A set with three-body terms reads
    NB3B_FILE from the working directory (write `nb3b_file_text` there first).
    """
    pot = load_potential(name)
    missing = [el for el in elements if el not in pot["charges_e"]]
    if missing:
        raise ValueError(f"potential {name!r} has no parameters for {missing}; it covers "
                         f"{', '.join(pot['charges_e'])}")
    pedone = pedone_terms(name, oxides)
    if "B" in elements and _pair_key(pedone, "B", "O") is None:
        raise ValueError(f"potential {name!r} needs the glass's oxides to set its B-O term")
    cut = pot["cutoffs_angstrom"]
    buck = {pair: term for pair, term in pot.get("buck", {}).items()
            if set(pair.split("-")) <= set(elements)}
    three_body = nb3b_file_text(elements, name)
    styles = f"coul/dsf {pot['coul_dsf_alpha_per_angstrom']} {cut['coulomb']} pedone {cut['short_range']}"
    if buck:
        styles += f" buck {cut['short_range']}"
    if three_body:
        styles += " nb3b/screened"
    cmds = [f"pair_style hybrid/overlay {styles}", "pair_coeff * * coul/dsf"]
    for i, a in enumerate(elements, start=1):
        for j, b in enumerate(elements, start=1):
            if j < i:
                continue
            ped = _pair_key(pedone, a, b)
            if ped:
                cmds.append(f"pair_coeff {i} {j} pedone {ped['D0']} {ped['alpha']} {ped['r0']} {ped['C0']}")
            else:
                cmds.append(f"pair_coeff {i} {j} pedone 0.0 1.0 1.0 0.0")
            if buck:
                bk = _pair_key(buck, a, b)
                cmds.append(f"pair_coeff {i} {j} buck {bk['A']} {bk['rho']} {bk['C']}" if bk
                            else f"pair_coeff {i} {j} buck 0.0 1.0 0.0")
    if three_body:
        active = {line.split()[0] for line in three_body.splitlines()[1:]}
        cmds.append(f"pair_coeff * * nb3b/screened {NB3B_FILE} "
                    + " ".join(el if el in active else "NULL" for el in elements))
    for i, el in enumerate(elements, start=1):
        cmds.append(f"set type {i} charge {pot['charges_e'][el]}")
    return cmds
