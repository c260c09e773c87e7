"""Structure checks of the MD glasses against experiment: first-peak positions, coordination
and density inside windows around measured values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .campaign import load_glasses
from .compositions import Glass, campaign_grid

DENSITY_REFERENCE = paths.MD_DATA / "sciglass_density.csv"
# SciGlass mol% columns of the campaign's oxides
SCIGLASS_MOL_COLUMNS = {"SiO2": "SIO2", "B2O3": "B2O3", "Na2O": "NA2O", "BaO": "BAO", "ZnO": "ZNO", "TiO2": "TIO2"}
DENSITY_TOLERANCE = {"SiO2": 0.025, "NBS": 0.03}   # the windows for the undoped glasses
# a SciGlass median this far from the line through the rest of its series is flagged (twice the
# undoped windows): a lone measurement that contradicts its neighbours is no reference
OFF_SERIES_TOLERANCE = 0.05

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


def off_series_references(density: pd.DataFrame, tolerance: float = OFF_SERIES_TOLERANCE) -> pd.Series:
    """Per glass of the density reference: True where its SciGlass median lies more than
    `tolerance` (relative) from the straight line through the other SciGlass medians of its series
    (same base and dopant, the undoped base at 0 mol% included); False where it lies within; NaN
    without a match or at either end of its series (an extrapolated line says little where a
    series curves, as TiO2-SiO2 does). Leave-one-out, so a wrong measurement cannot pull the line
    to itself; the line is Theil-Sen's (median of the pairwise slopes), so one wrong neighbour
    cannot pull it either."""
    grid = {g.name: g for g in campaign_grid()}
    ref = density.dropna(subset=["median_g_cm3"]).set_index("glass").median_g_cm3
    known = {name: grid[name] for name in ref.index if name in grid}
    out = pd.Series(float("nan"), index=density.glass.values, dtype=object)
    for name, glass in known.items():
        if glass.dopant is None:
            continue
        series = {other.mol_percent: ref[o] for o, other in known.items()
                  if o != name and other.base == glass.base and other.dopant in (glass.dopant, None)}
        if len(series) < 2 or not min(series) < glass.mol_percent < max(series):
            continue
        x, y = np.array(list(series), dtype=float), np.array(list(series.values()))
        i, j = np.triu_indices(len(x), 1)
        slope = np.median((y[j] - y[i]) / (x[j] - x[i]))
        expected = np.median(y - slope * x) + slope * glass.mol_percent
        out[name] = bool(abs(ref[name] / expected - 1) > tolerance)
    return out


def load_density_reference() -> pd.DataFrame:
    """The committed SciGlass density of each campaign composition (ODbL, see the CSV header)."""
    return pd.read_csv(paths.record_input(DENSITY_REFERENCE), comment="#")


def study_table(root=None) -> pd.DataFrame:
    """One row per finished run of the quench-rate study: glass, rate, seed and its checks."""
    from .campaign import STUDY_DIR
    from .md import thermostat_damping_ps

    rows = []
    root = Path(root or STUDY_DIR)
    for meta in load_glasses(root):
        st = meta["structure"]
        dens = meta.get("density_log", {}).get("density_g_cm3", [])
        half = len(dens) // 2
        rows.append({"glass": meta["glass"], "run": meta.get("name", meta["glass"]),
                     "rate_K_per_ps": meta["protocol"]["quench_rate_K_per_ps"],
                     "timestep_fs": meta["protocol"]["timestep_fs"],
                     "seed": meta["seed"], "npt_from_K": meta["protocol"].get("npt_from_K") or meta["protocol"]["melt_K"],
                     "hot_rate_K_per_ps": meta["protocol"].get("hot_rate_K_per_ps")
                     or meta["protocol"]["quench_rate_K_per_ps"],
                     "density_g_cm3": st["density_g_cm3"], "n4": st.get("n4"),
                     "nbo": st["oxygen"]["NBO"], "si_o_si_deg": st.get("si_o_si_mean_deg"),
                     "fsdp_per_angstrom": _fsdp(st),
                     "thermostat_damping_ps": thermostat_damping_ps(meta["protocol"]["timestep_fs"],
                                                                    meta["protocol"].get("thermostat_damping_ps")),
                     "thermostat_chain": meta["protocol"].get("thermostat_chain") or 3,
                     "production_temperature_K": production_temperature(root / meta.get("name", meta["glass"]),
                                                                        meta["protocol"]),
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


def production_temperature(run_dir, protocol: dict) -> float | None:
    """Mean kinetic temperature (K) of a stored run's production stage, from its log. The
    thermostat's target is protocol["final_K"]; a mean above it is heat the thermostat does not
    keep up with (BMP's three-body term heats an NBS glass: benchmarks/md_energy_drift.py)."""
    if not (Path(run_dir) / "log.lammps.gz").exists():
        return None
    trace = thermo_trace(run_dir)
    steps = protocol["production_ps"] * 1000.0 / protocol["timestep_fs"]
    production = trace[trace.step > trace.step.max() - steps]
    return float(production.temperature_K.mean()) if len(production) else None


BOLTZMANN_MEV_PER_K = 8.617333e-2


def nose_hoover_excess_K(heating_meV_per_atom_ps: float, damping_ps: float, chain: int = 3) -> float:
    """Estimated mean temperature excess of LAMMPS's 3-link Nose-Hoover chain (fix nvt/npt: masses
    Q1 = N_f k T tau^2, Q2 = Q3 = k T tau^2) that removes a steady heat input P per atom. At steady
    state the third link holds the second one's velocity near p2/Q2 = 1/tau (its equation averages
    p2^2/Q2 to k T), the first link's friction gamma = P / (3 k T) removes the heat, and its
    equation then needs 2K - N_f k T = gamma tau N_f k T: the mean temperature sits about
    dT = tau P / (3 k_B) above the target, whatever the target. A single thermostat (chain 1) has
    no second link: dT = 0. P is the NVE energy drift (benchmarks/md_energy_drift.py)."""
    if chain not in (1, 3) or not damping_ps > 0:
        raise ValueError(f"chain={chain!r} must be 1 or 3 (LAMMPS's default) and damping_ps={damping_ps!r} positive")
    return 0.0 if chain == 1 else damping_ps * heating_meV_per_atom_ps / (3.0 * BOLTZMANN_MEV_PER_K)


# the rule: the fastest rate whose values sit this close to the slowest rate's. The FSDP
# rule is silica's (its FSDP is a sharp, measured peak; a 1,000-atom NBS box has a weak one that
# moves by 0.3-0.5 1/A from seed to seed at one rate), N4 is NBS's (silica has no boron)
RATE_TOLERANCE = {"n4": 0.03, "density_g_cm3": 0.01, "fsdp_per_angstrom": 0.03}
RATE_CHECKS = {"SiO2-undoped": ("density_g_cm3", "fsdp_per_angstrom"), "NBS-undoped": ("density_g_cm3", "n4")}
SLOWEST_RATE, FASTEST_ALLOWED_RATE = 5.0, 20.0


def rate_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and SD over seeds of every check, per glass and quench rate."""
    cols = ["density_g_cm3", "n4", "nbo", "si_o_si_deg", "fsdp_per_angstrom"]
    return table.groupby(["glass", "rate_K_per_ps"])[cols].agg(["mean", "std", "count"])


def choose_rate(table: pd.DataFrame) -> float | None:
    """The campaign's quench rate: the fastest rate (never above 20 K/ps) whose mean density
    (within 1 %) of both undoped glasses, NBS N4 (within 0.03) and silica FSDP (within 0.03 1/A)
    match the 5 K/ps means; None until the 5 K/ps runs of every glass are done."""
    means = table.groupby(["glass", "rate_K_per_ps"]).mean(numeric_only=True)
    rates = sorted({r for _, r in means.index}, reverse=True)
    if any((glass, SLOWEST_RATE) not in means.index for glass in {g for g, _ in means.index}):
        return None
    for rate in [r for r in rates if r <= FASTEST_ALLOWED_RATE]:
        ok = True
        for glass in {g for g, _ in means.index}:
            if (glass, rate) not in means.index:
                ok = False
                break
            ref, here = means.loc[(glass, SLOWEST_RATE)], means.loc[(glass, rate)]
            for col in RATE_CHECKS.get(glass, tuple(RATE_TOLERANCE)):
                tol = RATE_TOLERANCE[col]
                if pd.isna(ref[col]) or pd.isna(here[col]):
                    continue
                diff = abs(here[col] - ref[col]) / (ref[col] if col == "density_g_cm3" else 1.0)
                ok &= bool(diff <= tol)
        if ok:
            return rate
    return SLOWEST_RATE


def rate_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Every study rate allowed for the campaign (20 K/ps and slower, 5 K/ps excluded) against the
    5 K/ps runs: protocol_comparison per rate (difference, tolerance, Welch's t), the rows behind
    choose_rate's decision. With two seeds a difference inside its tolerance can still be
    unresolved (|t| < 2 and an SE larger than the tolerance): the table says so in `resolved`.
    Empty until the 5 K/ps runs are done."""
    reference = table[table.rate_K_per_ps == SLOWEST_RATE]
    rates = sorted((r for r in table.rate_K_per_ps.unique() if SLOWEST_RATE < r <= FASTEST_ALLOWED_RATE), reverse=True)
    parts = []
    for rate in rates if len(reference) else []:
        part = protocol_comparison(reference, table[table.rate_K_per_ps == rate])
        part.insert(0, "rate_K_per_ps", rate)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["rate_K_per_ps", "glass", "check", "difference", "tolerance", "se",
                                     "welch_t", "within_tolerance", "resolved"])
    out = pd.concat(parts, ignore_index=True)
    # resolved: the tolerance test would not flip within one standard error either way
    gap = out.difference.abs()
    out["resolved"] = (gap + out.se <= out.tolerance) | (gap - out.se > out.tolerance)
    return out


TIMESTEP_TEMPERATURE_WINDOW_K = 5.0   # a 2 fs candidate must hold its glass this close to the target


def study_protocol_runs(study: pd.DataFrame, probe: pd.DataFrame, rate: float) -> pd.DataFrame:
    """The 1 fs, analytic study protocol at `rate`: the study's runs and the probe's __dt1fs__ seeds."""
    analytic = ~probe.run.str.contains("__table", regex=False)
    return pd.concat([study[study.rate_K_per_ps == rate],
                      probe[probe.run.str.contains("__dt1fs__", regex=False) & analytic & (probe.rate_K_per_ps == rate)]])


def protocol_comparison(reference: pd.DataFrame, candidate: pd.DataFrame) -> pd.DataFrame:
    """Per undoped glass and rate-study check, a candidate protocol's runs against the reference
    runs: mean, SD and seeds of each, the difference (relative for density), the rate study's
    tolerance, the standard error of the difference (se), Welch's t and whether the difference is
    within the tolerance. |t| < 2 is inside the seed spread: not distinguishable. With a single
    candidate seed, the reference's SD stands for the candidate's too."""
    rows = []
    for glass, checks in RATE_CHECKS.items():
        a, b = reference[reference.glass == glass], candidate[candidate.glass == glass]
        for col in (c for c in checks if c in reference.columns and c in candidate.columns):
            x, y = a[col].dropna(), b[col].dropna()
            if x.empty or y.empty:
                continue
            scale = x.mean() if col == "density_g_cm3" else 1.0
            diff = (y.mean() - x.mean()) / scale
            if min(len(x), len(y)) > 1:
                se = (x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y)) ** 0.5 / scale
            elif len(x) > 1:       # one candidate seed: its spread taken as the reference's
                se = x.std() * (1.0 / len(x) + 1.0) ** 0.5 / scale
            else:
                se = float("nan")
            rows.append({"glass": glass, "check": col, "mean_reference": x.mean(), "sd_reference": x.std(), "seeds_reference": len(x),
                         "mean_candidate": y.mean(), "sd_candidate": y.std(), "seeds_candidate": len(y),
                         "difference": diff, "relative": col == "density_g_cm3", "tolerance": RATE_TOLERANCE[col],
                         "se": se, "welch_t": diff / se if se > 0 else float("nan"),
                         "within_tolerance": bool(abs(diff) <= RATE_TOLERANCE[col])})
    return pd.DataFrame(rows)


def timestep_comparison(study: pd.DataFrame, probe: pd.DataFrame, rate: float = 50.0,
                        target_K: float = 300.0) -> pd.DataFrame:
    """May the campaign run at 2 fs? protocol_comparison of the 1 fs study protocol (the study's
    runs at `rate` and the probe's __dt1fs__ seeds) and the 2 fs probe runs a 2 fs campaign
    would accept: production within TIMESTEP_TEMPERATURE_WINDOW_K of target_K (a Nose-Hoover
    chain that leaves NBS 20-30 K hot is another protocol, not another timestep): 1 fs is the
    reference, 2 fs the candidate."""
    two = probe[(probe.timestep_fs == 2.0) & (probe.rate_K_per_ps == rate) & ~probe.run.str.contains("__table", regex=False)
                & ((probe.production_temperature_K - target_K).abs() <= TIMESTEP_TEMPERATURE_WINDOW_K)]
    return protocol_comparison(study_protocol_runs(study, probe, rate), two)


def table_comparison(study: pd.DataFrame, probe: pd.DataFrame, points: int = 5000, rate: float = 50.0) -> pd.DataFrame:
    """The same glasses with the pair terms as a spline table (probe runs named __table<points>)
    (the candidate) against the analytic 1 fs study protocol (the reference): protocol_comparison."""
    table = probe[probe.run.str.contains(f"__table{points}__", regex=False) & (probe.rate_K_per_ps == rate)]
    return protocol_comparison(study_protocol_runs(study, probe, rate), table)


def campaign_comparison(study: pd.DataFrame, campaign_runs: pd.DataFrame, rate: float) -> pd.DataFrame:
    """The campaign's undoped replicas (pair terms as a spline table, the study's protocol
    otherwise) against the study's analytic runs at the same quench rate: protocol_comparison,
    the check that the table does not change slowly quenched glasses either (table_comparison
    checks it at 50 K/ps). Both tables as study_table returns them."""
    at_rate = study[study.rate_K_per_ps == rate]
    return protocol_comparison(at_rate, campaign_runs[campaign_runs.rate_K_per_ps == rate])


def pooled_choice(study: pd.DataFrame, campaign_runs: pd.DataFrame) -> float | None:
    """choose_rate with the campaign's undoped replicas counted as further seeds of their rate:
    what the rule would say if the spline table and the analytic terms made the same glass."""
    undoped = campaign_runs[campaign_runs.glass.isin(RATE_CHECKS)]
    return choose_rate(pd.concat([study, undoped], ignore_index=True))


SECOND_PEAK_WINDOW = (2.3, 3.6)      # 1/A, where the fit looks for silica's second S(q) peak
EXPERIMENT_WINDOWS = {"fsdp_per_angstrom": (1.40, 1.60), "second_peak_per_angstrom": (2.8, 3.1)}


def _second_peak(summary: dict) -> float | None:
    from .structure import fsdp_fit

    sq = summary.get("neutron_sq")
    try:
        return fsdp_fit(sq["q_per_angstrom"], sq["s"], sq["vectors"], window=SECOND_PEAK_WINDOW) if sq else None
    except (RuntimeError, ValueError):
        return None


def dell_bray_reference(oxides: dict[str, float], potential: str | None = None) -> float | None:
    """Dell-Bray N4 of a borosilicate, with R and K counted as the potential counts them
    (R = (Na2O + BaO) / B2O3, K = SiO2 / B2O3; ZnO and TiO2 in neither); None without boron."""
    from .potentials import DEFAULT_POTENTIAL, boron_ratios, load_potential
    from .structure import dell_bray_n4

    if not oxides.get("B2O3"):
        return None
    R, K = boron_ratios(oxides, load_potential(potential or DEFAULT_POTENTIAL)["boron_D0_model"])
    return dell_bray_n4(R, K)


def replica_table(glasses: list[dict], density: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per glass of a dataset with replicas: every structure check as mean and SD over
    its seeds, beside experiment. Density against the SciGlass median of the same composition
    (silica within 2.5 %, NBS within 3 % for the undoped glasses; the rest reported), N4 against
    Dell-Bray with the potential's R and K, silica's FSDP and second S(q) peak against neutron
    diffraction. `glasses` are metadata as `campaign.load_glasses` returns them."""
    density = load_density_reference() if density is None else density
    reference = density.set_index("glass")
    rows = []
    for meta in glasses:
        st = meta["structure"]
        rows.append({"glass": meta["glass"], "base": meta["base"], "seed": meta["seed"],
                     "density_g_cm3": st["density_g_cm3"], "n4": st.get("n4"), "nbo": st["oxygen"]["NBO"],
                     "si_o_si_deg": st.get("si_o_si_mean_deg"), "fsdp_per_angstrom": _fsdp(st),
                     "second_peak_per_angstrom": _second_peak(st),
                     "dell_bray_n4": dell_bray_reference(meta["oxide_mol_percent"], meta.get("potential"))})
    runs = pd.DataFrame(rows)
    if runs.empty:
        return runs
    checks = ["density_g_cm3", "n4", "nbo", "si_o_si_deg", "fsdp_per_angstrom", "second_peak_per_angstrom"]
    grouped = runs.groupby("glass", sort=False)
    table = grouped[checks].agg(["mean", "std"])
    table.columns = [f"{col}_{stat}" for col, stat in table.columns]
    table.insert(0, "seeds", grouped.seed.apply(lambda s: ",".join(str(v) for v in sorted(s))))
    table.insert(0, "n_seeds", grouped.seed.nunique())
    table.insert(0, "base", grouped.base.first())
    table["dell_bray_n4"] = grouped.dell_bray_n4.first()
    table["n4_minus_dell_bray"] = table.n4_mean - table.dell_bray_n4
    table["sciglass_density_g_cm3"] = [reference.median_g_cm3.get(g, float("nan")) for g in table.index]
    table["sciglass_n"] = [int(reference.n.get(g, 0)) for g in table.index]
    table["density_deviation_percent"] = 100 * (table.density_g_cm3_mean / table.sciglass_density_g_cm3 - 1)
    off = off_series_references(density)
    table["sciglass_off_series"] = [off.get(g, float("nan")) for g in table.index]
    # the windows, on the undoped glasses; NaN where no window applies
    tol = pd.Series({g: DENSITY_TOLERANCE[b] for g, b in table.base.items() if g == f"{b}-undoped"})
    table["density_ok"] = [bool(abs(d) <= 100 * tol[g]) if g in tol and pd.notna(d) else None
                           for g, d in table.density_deviation_percent.items()]
    table["n4_ok"] = [bool(abs(v) <= 0.10) if g == "NBS-undoped" and pd.notna(v) else None
                      for g, v in table.n4_minus_dell_bray.items()]
    for col, (lo, hi) in EXPERIMENT_WINDOWS.items():
        table[col.replace("_per_angstrom", "_ok")] = [
            bool(lo <= v <= hi) if g == "SiO2-undoped" and pd.notna(v) else None
            for g, v in table[f"{col}_mean"].items()]
    return table.reset_index()
