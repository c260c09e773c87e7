"""Can dataset v2 run with a 2 fs timestep, or with its pair terms tabulated? Probes of the speed levers.

The study's 50 K/ps protocol (`campaign.study_protocol`) with timestep_fs=2 (the thermostat's
damping stays 100 steps), same glass and seeds as the committed 1 fs study runs. The 2 fs step
is acceptable for the campaign if N4, density and FSDP land inside the 1 fs runs' seed spread
(and within the rate study's tolerances: 0.03, 1 %, 0.03 1/A), and no run loses atoms. The same
holds for the pair terms as a spline table (--timestep-fs 1 --table-points 5000: about twice the
ps per hour, benchmarks/md_pair_table.py).

    python benchmarks/md_timestep_probe.py [--glass NBS|SiO2] [--seeds 1 2] [--timestep-fs 2] [--damping-ps 0.1] [--tchain 1] [--table-points 5000] [--commit]

Runs land in data/md-v2/protocol-probe/<glass>__50Kps__dt2fs__seed<k>/ (resumable), and the
comparison with the 1 fs runs is printed, with the simulated ps per hour of each.
"""

from __future__ import annotations

import argparse
from dataclasses import replace


from glasslib.pcf import campaign, validation
from glasslib.pcf.compositions import Glass

RATE = 50.0
CHECKS = ["density_g_cm3", "n4", "nbo", "si_o_si_deg", "fsdp_per_angstrom", "production_temperature_K"]


def probe_runs(base: str, seeds, timestep_fs: float = 2.0, damping_ps: float | None = None,
               chain: int | None = None, table_points: int | None = None) -> list[campaign.MDRun]:
    """damping_ps=None keeps the thermostat's 100-step damping (0.2 ps at 2 fs); 0.1 keeps the 1 fs
    runs' coupling, which matters where the three-body term heats the glass (NBS). chain=1 runs a
    single Nose-Hoover thermostat instead of LAMMPS's chain of 3 (validation.nose_hoover_excess_K).
    table_points: the pair terms as a spline table (Protocol.pair_table_points), named __table<N>."""
    glass = Glass(base)
    protocol = replace(campaign.study_protocol(glass, RATE), timestep_fs=float(timestep_fs),
                       thermostat_damping_ps=damping_ps, thermostat_chain=chain, pair_table_points=table_points)
    damp = f"__damp{damping_ps:g}ps" if damping_ps else ""
    damp += f"__tchain{chain}" if chain is not None else ""
    damp += f"__table{table_points}" if table_points is not None else ""
    return [campaign.MDRun(f"{glass.name}__{RATE:g}Kps__dt{timestep_fs:g}fs{damp}__seed{s}", glass, protocol, s)
            for s in seeds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glass", choices=["NBS", "SiO2"], default="NBS")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1])
    parser.add_argument("--timestep-fs", type=float, default=2.0,
                        help="timestep in fs (1: a new seed of the 1 fs study protocol, for comparison)")
    parser.add_argument("--damping-ps", type=float, default=None,
                        help="thermostat damping time in ps (default: 100 timesteps)")
    parser.add_argument("--tchain", type=int, default=None,
                        help="links of the Nose-Hoover chain (default: LAMMPS's 3; 1 = a single thermostat)")
    parser.add_argument("--table-points", type=int, default=None,
                        help="the pair terms as a spline table of this many points (default: analytic styles)")
    parser.add_argument("--commit", action="store_true", help="git-commit each finished run and checkpoints")
    args = parser.parse_args()
    campaign.run_campaign(runs=probe_runs(args.glass, args.seeds, args.timestep_fs, args.damping_ps, args.tchain,
                                                     args.table_points),
                          root=campaign.PROBE_DIR, n_workers=1,
                          commit=args.commit, rdf_table=False)
    study = validation.study_table()
    probe = validation.study_table(campaign.PROBE_DIR)
    name = Glass(args.glass).name
    # the 1 fs analytic study protocol: the study's runs and the probe's __dt1fs__ seeds
    one = validation.study_protocol_runs(study, probe, RATE)
    one = one[one.glass == name]
    two = probe[(probe.glass == name) & (probe.timestep_fs == 2.0) & ~probe.run.str.contains("__table", regex=False)]
    groups = {"1 fs (study and 1 fs probes)": one}
    for points, runs in probe[(probe.glass == name) & probe.run.str.contains("__table", regex=False)].groupby(
            probe.run.str.extract(r"__table(\d+)__", expand=False)):
        groups[f"1 fs, pair terms as a {points}-point table (probe)"] = runs
    for (tau, chain), runs in two.groupby(["thermostat_damping_ps", "thermostat_chain"]):
        groups[f"2 fs, {tau:g} ps damping, Nose-Hoover chain of {chain} (probe)"] = runs
    for label, runs in groups.items():
        if runs.empty:
            continue
        stats = "; ".join(f"{c} {runs[c].mean():.3f} ± {runs[c].std():.3f}" for c in CHECKS if runs[c].notna().any())
        print(f"{name}, {label}, {len(runs)} seed(s): {stats}; {runs.minutes.mean():.1f} min per run")


if __name__ == "__main__":
    main()
