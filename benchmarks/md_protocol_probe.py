"""Why is the v2 NBS glass 7 % lighter than measured? A probe of the quench protocol.

In the study's protocol the quench runs at 1 bar from the 4,000 K melt: the NBS liquid expands
at once from 2.50 to about 1.5 g/cm³ (log of NBS-undoped__50Kps__seed1) and compacts again on
cooling, to 2.35 g/cm³ at 300 K (SciGlass: 2.52). Silica does not do this (2.21 g/cm³). This
probe quenches the same glass at the same rate and seed, but keeps the melt's volume down to
`--npt-from` K and only then lets the barostat act:

- if the glass comes out as light, the potential's equation of state sets the density, and the
  hot expansion is harmless;
- if it comes out denser, the expansion near the liquid's vapour line leaves the glass light,
  and the campaign's protocol should switch to constant pressure only below that temperature.

    python benchmarks/md_protocol_probe.py [--npt-from 2000] [--glass NBS|SiO2] [--seeds 1] [--commit]

Runs land in data/md-v2/protocol-probe/ (input, log, frames, checks; resumable), and the
comparison is printed beside the study's 50 K/ps runs.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import pandas as pd

from glasslib.pcf import campaign, validation
from glasslib.pcf.compositions import Glass

PROBE_DIR = campaign.PROBE_DIR


def probe_runs(npt_from_K: float, seeds, rate: float = 50.0, base: str = "NBS") -> list[campaign.MDRun]:
    protocol = replace(campaign.STUDY_PROTOCOL, quench_rate_K_per_ps=rate, npt_from_K=float(npt_from_K))
    glass = Glass(base)
    return [campaign.MDRun(f"{glass.name}__{rate:g}Kps__npt-below-{npt_from_K:g}K__seed{s}", glass, protocol, s)
            for s in seeds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npt-from", type=float, default=2000.0, help="barostat on below this temperature (K)")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1])
    parser.add_argument("--glass", choices=["NBS", "SiO2"], default="NBS",
                        help="the undoped glass (SiO2: does the switch leave silica's checks intact?)")
    parser.add_argument("--commit", action="store_true", help="git-commit each finished run and checkpoints")
    args = parser.parse_args()
    campaign.run_campaign(runs=probe_runs(args.npt_from, args.seeds, base=args.glass), root=PROBE_DIR,
                          n_workers=1, commit=args.commit, rdf_table=False)
    cols = ["glass", "npt_from_K", "seed", "density_g_cm3", "n4", "nbo", "si_o_si_deg", "fsdp_per_angstrom",
            "density_drift", "minutes"]
    study = validation.study_table()
    probe = validation.study_table(PROBE_DIR)
    both = pd.concat([study[study.rate_K_per_ps == 50.0], probe]).sort_values(["glass", "npt_from_K", "seed"])
    print("50 K/ps, barostat from the melt (4000 K, the study) or from npt_from_K (the probes):")
    print(both[cols].round(4).to_string(index=False))
    print("measured: silica 2.20 g/cm³, FSDP 1.40-1.60 1/Å; NBS 60/20/20 2.52 g/cm³ (SciGlass), "
          "Dell-Bray N4 0.6875")


if __name__ == "__main__":
    main()
