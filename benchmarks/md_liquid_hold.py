"""Does the NBS liquid at 2,000 K and 1 bar have one density, whichever way it came?

The quench probes (benchmarks/md_protocol_probe.py, notebook 05) found the NBS liquid at
2,000 K and 1 bar at 2.31 g/cm³ when it came from the compressed melt and at 2.05-2.10 g/cm³
when it came from the melt expanded at 1 bar. This reheats both 300 K glasses (the study's run
with the barostat from 4,000 K, and the probe with the barostat from 2,000 K) to `--hold-K`
under NPT and holds them there: if the two densities meet, the liquid's equilibrium density is
one, and the light glass comes from a liquid that had no time to reach it.

    python benchmarks/md_liquid_hold.py [--hold-K 2000] [--heat-ps 20] [--hold-ps 100]

Logs land in data/md-v2/protocol-probe/liquid-hold/<run>/log.lammps.gz; the mean density of
the last half of each hold is printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from glasslib.pcf import campaign, md, validation
from glasslib.pcf.compositions import Glass
from glasslib.pcf.potentials import NB3B_FILE, lammps_pair_commands, nb3b_file_text

PROBE_DIR = campaign.V2_ROOT / "protocol-probe"
OUT = PROBE_DIR / "liquid-hold"
SOURCES = (campaign.STUDY_DIR / "NBS-undoped__50Kps__seed1",
           PROBE_DIR / "NBS-undoped__50Kps__npt-below-2000K__seed1")


def hold(source: Path, hold_K: float, heat_ps: float, hold_ps: float) -> Path:
    meta = json.loads((source / "meta.json").read_text())
    glass = Glass(meta["base"]) if not meta["dopant"] else Glass(meta["base"], meta["dopant"], meta["mol_percent"])
    elements = list(meta["atom_counts"])
    protocol = replace(md.Protocol(), **{k: v for k, v in meta["protocol"].items() if k in md.Protocol.__annotations__})
    target = OUT / f"{source.name}__hold{hold_K:g}K"
    if (target / "log.lammps.gz").exists():
        return target
    work = Path(tempfile.mkdtemp(prefix="hold-"))
    with gzip.open(source / "final.data.gz", "rb") as src, open(work / "final.data", "wb") as dst:
        shutil.copyfileobj(src, dst)
    three_body = nb3b_file_text(elements, meta["potential"])
    if three_body:
        (work / NB3B_FILE).write_text(three_body)
    tdamp = 100 * protocol.timestep_fs / 1000.0
    barostat = f"iso {protocol.pressure_bar} {protocol.pressure_bar} {md.BAROSTAT_PS}"
    commands = (["units metal", "atom_style charge", "boundary p p p", "read_data final.data"]
                + lammps_pair_commands(elements, meta["potential"], glass.oxides) + md._settings(protocol)
                + [f"velocity all create {protocol.final_K} {meta['seed']} dist gaussian mom yes rot yes",
                   f"fix heat all npt temp {protocol.final_K} {hold_K} {tdamp} {barostat}",
                   f"run {protocol.steps(heat_ps)}", "unfix heat",
                   f"fix hold all npt temp {hold_K} {hold_K} {tdamp} {barostat}",
                   f"run {protocol.steps(hold_ps)}", "unfix hold"])
    old = Path.cwd()
    os.chdir(work)
    lmp = md.load_lammps().lammps(cmdargs=["-nocite", "-log", "log.lammps", "-screen", "none"])
    try:
        for cmd in commands:
            lmp.command(cmd)
    finally:
        lmp.close()
        os.chdir(old)
    target.mkdir(parents=True, exist_ok=True)
    with open(work / "log.lammps", "rb") as src, gzip.open(target / "log.lammps.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.rmtree(work, ignore_errors=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-K", type=float, default=2000.0)
    parser.add_argument("--heat-ps", type=float, default=20.0)
    parser.add_argument("--hold-ps", type=float, default=100.0)
    args = parser.parse_args()
    for source in SOURCES:
        if not (source / "final.data.gz").exists():
            print(f"{source.name}: not finished, skipped")
            continue
        trace = validation.thermo_trace(hold(source, args.hold_K, args.heat_ps, args.hold_ps))
        held = trace[trace.temperature_K > 0.9 * args.hold_K].tail(int(args.hold_ps / 2))
        print(f"{source.name}: {args.hold_K:g} K, 1 bar, mean density of the last {len(held)} ps "
              f"{held.density_g_cm3.mean():.3f} ± {held.density_g_cm3.std():.3f} g/cm³", flush=True)


if __name__ == "__main__":
    main()
