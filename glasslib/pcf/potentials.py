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
PAIR_TABLE_FILE = "potential.pair.table"
COULOMB_EV_ANGSTROM = 14.399645     # e^2 / (4 pi eps0) in eV A: LAMMPS's qqr2e in metal units
TABLE_INNER_ANGSTROM = 0.5          # no pair of a 4,000 K melt comes this close (Coulomb + Morse walls)


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


def pair_energy_force(a: str, b: str, r, name: str = DEFAULT_POTENTIAL,
                      oxides: dict[str, float] | None = None):
    """Energy (eV) and force -dE/dr (eV/A) of the pair terms between elements a and b at
    distances r (A): coul/dsf (Fennell-Gezelter damped, shifted force) up to the Coulomb cut-off,
    Pedone and Buckingham up to the short-range one, as LAMMPS's analytic styles compute them
    (coul/dsf's per-atom self energy, a constant, is left out: it moves no atom)."""
    import numpy as np
    from scipy.special import erfc

    pot = load_potential(name)
    r = np.asarray(r, dtype=float)
    alpha, cut = pot["coul_dsf_alpha_per_angstrom"], pot["cutoffs_angstrom"]
    rc, rs = cut["coulomb"], cut["short_range"]
    qq = pot["charges_e"][a] * pot["charges_e"][b] * COULOMB_EV_ANGSTROM
    gauss = 2.0 * alpha / math.sqrt(math.pi)
    f_shift = erfc(alpha * rc) / rc ** 2 + gauss * math.exp(-(alpha * rc) ** 2) / rc
    inside = r < rc
    energy = inside * qq * (erfc(alpha * r) / r - erfc(alpha * rc) / rc + f_shift * (r - rc))
    force = inside * qq * (erfc(alpha * r) / r ** 2 + gauss * np.exp(-(alpha * r) ** 2) / r - f_shift)
    short = r < rs
    ped = _pair_key(pedone_terms(name, oxides), a, b)
    if ped:
        x = np.exp(-ped["alpha"] * (r - ped["r0"]))
        energy = energy + short * (ped["D0"] * (x * x - 2.0 * x) + ped["C0"] / r ** 12)
        force = force + short * (2.0 * ped["alpha"] * ped["D0"] * (x * x - x) + 12.0 * ped["C0"] / r ** 13)
    bk = _pair_key(pot.get("buck", {}), a, b)
    if bk:
        energy = energy + short * (bk["A"] * np.exp(-r / bk["rho"]) - bk["C"] / r ** 6)
        force = force + short * (bk["A"] / bk["rho"] * np.exp(-r / bk["rho"]) - 6.0 * bk["C"] / r ** 7)
    return energy, force


def pair_table_text(elements: list[str], points: int, name: str = DEFAULT_POTENTIAL,
                    oxides: dict[str, float] | None = None) -> str:
    """A LAMMPS pair_style table file holding every pair term of the set for the elements
    present, one section <a>_<b> per pair, `points` values evenly spaced in r^2 from
    TABLE_INNER_ANGSTROM to the Coulomb cut-off (benchmarks/md_pair_table.py measures its force
    error against the analytic styles and its speed)."""
    import numpy as np

    pot = load_potential(name)
    rc = pot["cutoffs_angstrom"]["coulomb"]
    r = np.sqrt(np.linspace(TABLE_INNER_ANGSTROM ** 2, rc ** 2, points))
    index = np.arange(1, points + 1)
    parts = [f"# {pot['id']}: coul/dsf + pedone + buck pair terms, r in A, E in eV, F in eV/A\n"]
    for i, a in enumerate(elements):
        for b in elements[i:]:
            energy, force = pair_energy_force(a, b, r, name, oxides)
            rows = "\n".join(f"{k} {x:.12g} {e:.12g} {f:.12g}" for k, x, e, f in zip(index, r, energy, force))
            parts.append(f"\n{a}_{b}\nN {points} RSQ {TABLE_INNER_ANGSTROM} {rc}\n\n{rows}\n")
    return "".join(parts)


def lammps_pair_commands(elements: list[str], name: str = DEFAULT_POTENTIAL,
                         oxides: dict[str, float] | None = None, table_points: int | None = None) -> list[str]:
    """pair_style/pair_coeff/set-charge commands for LAMMPS atom types 1..n = `elements`.

    `oxides` (mol%) evaluates composition-dependent terms. A set with three-body terms reads
    NB3B_FILE from the working directory (write `nb3b_file_text` there first). table_points:
    the pair terms as one cubic-spline table of that many points (PAIR_TABLE_FILE, written by
    `pair_table_text`) instead of three analytic styles: one pass over the neighbours.
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
    if table_points is not None:
        table = f"table spline {table_points}"
        cmds = [f"pair_style hybrid/overlay {table} nb3b/screened" if three_body else f"pair_style {table}"]
        for i, a in enumerate(elements, start=1):
            for j, b in enumerate(elements[i - 1:], start=i):
                cmds.append(f"pair_coeff {i} {j}{' table' if three_body else ''} {PAIR_TABLE_FILE} {a}_{b} "
                            f"{cut['coulomb']}")
        return cmds + _three_body_and_charges(pot, elements, three_body)
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
    return cmds + _three_body_and_charges(pot, elements, three_body)


def _three_body_and_charges(pot: dict, elements: list[str], three_body: str | None) -> list[str]:
    cmds = []
    if three_body:
        active = {line.split()[0] for line in three_body.splitlines()[1:]}
        cmds.append(f"pair_coeff * * nb3b/screened {NB3B_FILE} "
                    + " ".join(el if el in active else "NULL" for el in elements))
    for i, el in enumerate(elements, start=1):
        cmds.append(f"set type {i} charge {pot['charges_e'][el]}")
    return cmds
