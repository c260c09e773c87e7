"""Structure checks of the MD glasses against experiment: first-peak positions, coordination
and density inside windows around measured values."""

from __future__ import annotations

import pandas as pd

from .campaign import load_glasses

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
