"""Structure checks of the MD glasses against experiment: first-peak positions, coordination
and density inside windows around measured values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from .campaign import load_glasses
from .compositions import Glass, campaign_grid

DENSITY_REFERENCE = paths.MD_DATA / "sciglass_density.csv"
# SciGlass mol% columns of the campaign's oxides
SCIGLASS_MOL_COLUMNS = {"SiO2": "SIO2", "B2O3": "B2O3", "Na2O": "NA2O", "BaO": "BAO", "ZnO": "ZNO", "TiO2": "TIO2"}
DENSITY_TOLERANCE = {"SiO2": 0.025, "NBS": 0.03}   # the windows for the undoped glasses

# Validation windows (issue: structure checks against experiment), first peaks in A.
VALIDATION_WINDOWS = {
    "SiO2": {"Si-O": (1.57, 1.67, 1.61), "O-O": (2.55, 2.72, 2.63), "Si-Si": (2.95, 3.25, 3.10),
             "CN Si-O": (3.9, 4.1, 4.0), "density": (2.0, 2.4, 2.20)},
    "NBS": {"B-O": (1.33, 1.52, 1.37), "Na-O": (2.2, 2.6, 2.35)},
    "BaO": {"Ba-O": (2.6, 3.0, 2.8)},
    "ZnO": {"Zn-O": (1.85, 2.10, 1.96)},
    "TiO2": {"Ti-O": (1.75, 2.00, 1.87)},
}


def validation_table(glasses: list[dict] | None = None) -> pd.DataFrame:
    """One row per (glass, check): value, accepted window, experimental value, pass/fail.
    Silica checks apply to undoped silica, NBS checks to every NBS glass, dopant checks to
    every glass with that dopant."""
    glasses = load_glasses() if glasses is None else glasses
    rows = []
    for meta in glasses:
        groups = []
        if meta["base"] == "SiO2" and not meta["dopant"]:
            groups.append("SiO2")
        if meta["base"] == "NBS":
            groups.append("NBS")
        if meta["dopant"]:
            groups.append(meta["dopant"])
        for group in groups:
            for check, (lo, hi, exp) in VALIDATION_WINDOWS[group].items():
                if check == "density":
                    value = meta["final_density_g_cm3"]
                elif check.startswith("CN "):
                    value = meta["coordination_numbers"].get(check[3:], float("nan"))
                else:
                    value = meta["first_peaks_angstrom"].get(check, float("nan"))
                rows.append({"glass": meta["glass"], "check": check, "value": value, "low": lo,
                             "high": hi, "experiment": exp, "pass": bool(lo <= value <= hi)})
    return pd.DataFrame(rows, columns=["glass", "check", "value", "low", "high", "experiment", "pass"])


def density_reference(raw: pd.DataFrame, glasses: list[Glass] | None = None, tol_mol: float = 2.0) -> pd.DataFrame:
    """Measured densities of SciGlass glasses matching each campaign composition: every base
    oxide within `tol_mol` mol% of the glass, the dopant within 30 % of its own mol% (so a 2 %
    glass never matches the undoped one) and the six campaign oxides making up >= 98 mol%.
    `raw` holds SciGlass's mol% columns (SIO2, B2O3, NA2O, BAO, ZNO, TIO2) and DENSITY."""
    glasses = campaign_grid() if glasses is None else glasses
    raw = raw.dropna(subset=["DENSITY"])
    raw = raw[(raw.DENSITY > 1.0) & (raw.DENSITY < 8.0)]
    mol = raw[list(SCIGLASS_MOL_COLUMNS.values())].fillna(0.0)
    rows = []
    for glass in glasses:
        match = mol.sum(axis=1) >= 98.0
        for oxide, column in SCIGLASS_MOL_COLUMNS.items():
            tol = min(tol_mol, 0.3 * glass.mol_percent) if oxide == glass.dopant else tol_mol
            match &= (mol[column] - glass.oxides.get(oxide, 0.0)).abs() <= tol
        dens = raw.DENSITY[match]
        rows.append({"glass": glass.name, "n": int(len(dens)),
                     "median_g_cm3": float(dens.median()) if len(dens) else float("nan"),
                     "q25_g_cm3": float(dens.quantile(0.25)) if len(dens) else float("nan"),
                     "q75_g_cm3": float(dens.quantile(0.75)) if len(dens) else float("nan")})
    return pd.DataFrame(rows)


def load_density_reference() -> pd.DataFrame:
    """The committed SciGlass density of each campaign composition (ODbL, see the CSV header)."""
    return pd.read_csv(paths.record_input(DENSITY_REFERENCE), comment="#")


def study_table(root=None) -> pd.DataFrame:
    """One row per finished run of the quench-rate study: glass, rate, seed and its checks."""
    from .campaign import STUDY_DIR

    rows = []
    for meta in load_glasses(root or STUDY_DIR):
        st = meta["structure"]
        dens = meta.get("density_log", {}).get("density_g_cm3", [])
        half = len(dens) // 2
        rows.append({"glass": meta["glass"], "rate_K_per_ps": meta["protocol"]["quench_rate_K_per_ps"],
                     "seed": meta["seed"], "npt_from_K": meta["protocol"].get("npt_from_K") or meta["protocol"]["melt_K"],
                     "density_g_cm3": st["density_g_cm3"], "n4": st.get("n4"),
                     "nbo": st["oxygen"]["NBO"], "si_o_si_deg": st.get("si_o_si_mean_deg"),
                     "fsdp_per_angstrom": _fsdp(st),
                     # relative density change between the two halves of relax + production
                     "density_drift": (sum(dens[half:]) / len(dens[half:]) / (sum(dens[:half]) / half) - 1)
                     if half else None,
                     "minutes": meta["wall_seconds"] / 60})
    return pd.DataFrame(rows)


def _fsdp(summary: dict) -> float | None:
    """The FSDP refitted from the stored neutron S(q), so the current fit rule (no peak at the
    window's edge) applies to runs stored before it; None where there is no peak."""
    from .structure import fsdp_fit

    sq = summary.get("neutron_sq")
    if not sq:
        return summary.get("fsdp_per_angstrom")
    try:
        return fsdp_fit(sq["q_per_angstrom"], sq["s"], sq["vectors"])
    except (RuntimeError, ValueError):
        return None


def thermo_trace(run_dir) -> pd.DataFrame:
    """Every thermo line of a stored run's log (log.lammps.gz): step, temperature (K), pressure
    (bar), density (g/cm³), potential energy (eV), through melt, quench, relaxation and production.
    Shows how the density follows the temperature during the quench."""
    import gzip

    rows, inside = [], False
    with gzip.open(Path(run_dir) / "log.lammps.gz", "rt") as handle:
        for line in handle:
            parts = line.split()
            if parts[:2] == ["Step", "Temp"]:
                inside = True
                continue
            if inside and len(parts) == 5:
                try:
                    rows.append([float(v) for v in parts])
                    continue
                except ValueError:
                    pass
            inside = False
    table = pd.DataFrame(rows, columns=["step", "temperature_K", "pressure_bar", "density_g_cm3", "pot_eng_eV"])
    return table.drop_duplicates("step", keep="last").reset_index(drop=True)


# the rule: the fastest rate whose values sit this close to the slowest rate's
RATE_TOLERANCE = {"n4": 0.03, "density_g_cm3": 0.01, "fsdp_per_angstrom": 0.03}
SLOWEST_RATE, FASTEST_ALLOWED_RATE = 5.0, 20.0


def rate_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and SD over seeds of every check, per glass and quench rate."""
    cols = ["density_g_cm3", "n4", "nbo", "si_o_si_deg", "fsdp_per_angstrom"]
    return table.groupby(["glass", "rate_K_per_ps"])[cols].agg(["mean", "std", "count"])


def choose_rate(table: pd.DataFrame) -> float | None:
    """The campaign's quench rate: the fastest rate (never above 20 K/ps) whose mean N4 (within
    0.03), density (within 1 %) and silica FSDP (within 0.03 1/A) match the 5 K/ps means of both
    undoped glasses; None until the 5 K/ps runs are done."""
    means = table.groupby(["glass", "rate_K_per_ps"]).mean(numeric_only=True)
    rates = sorted({r for _, r in means.index}, reverse=True)
    if SLOWEST_RATE not in rates:
        return None
    for rate in [r for r in rates if r <= FASTEST_ALLOWED_RATE]:
        ok = True
        for glass in {g for g, _ in means.index}:
            if (glass, rate) not in means.index:
                ok = False
                break
            ref, here = means.loc[(glass, SLOWEST_RATE)], means.loc[(glass, rate)]
            for col, tol in RATE_TOLERANCE.items():
                if pd.isna(ref[col]) or pd.isna(here[col]):
                    continue
                diff = abs(here[col] - ref[col]) / (ref[col] if col == "density_g_cm3" else 1.0)
                ok &= bool(diff <= tol)
        if ok:
            return rate
    return SLOWEST_RATE
