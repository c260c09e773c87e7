"""Simulated picoseconds per hour per core of the MD stage, for speed levers (issue: MD glasses).

    python benchmarks/md_speed.py [--glass NBS] [--steps 2000]

Runs the same 1,000-atom melt (NVT at 4000 K) with each variant of the neighbour-list skin and
the short-range cutoff, one core, and prints ps/hour. Variants change no physics except the
cutoff one (the Morse tails beyond 5.5 A are below 0.01 eV per pair).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace

from glasslib.pcf import md, potentials
from glasslib.pcf.compositions import Glass

VARIANTS = {"skin 2.0 A, short range 7.0 A (until v2 study 20 K/ps)": (2.0, None),
            "skin 1.0 A (campaign since)": (1.0, None),
            "skin 1.0 A, short range 5.5 A": (1.0, 5.5)}


def ps_per_hour(glass: Glass, skin: float, short_range: float | None, steps: int,
                temperature: float = 4000.0) -> float:
    protocol = replace(md.STUDY_MELT, melt_ps=steps / 1000.0, melt_K=temperature)
    cmds = md.lammps_input(glass, 1000, protocol, seed=1)
    cmds = [f"neighbor {skin} bin" if c.startswith("neighbor ") else c for c in cmds]
    if short_range:
        cmds = [c.replace(" pedone 7.0", f" pedone {short_range}").replace(" buck 7.0", f" buck {short_range}")
                for c in cmds]
    lammps = md.load_lammps()
    with tempfile.TemporaryDirectory() as tmp:
        old = os.getcwd()
        os.chdir(tmp)
        text = potentials.nb3b_file_text(list(glass.atom_counts(1000)))
        if text:
            with open(potentials.NB3B_FILE, "w") as handle:
                handle.write(text)
        lmp = lammps.lammps(cmdargs=["-nocite", "-log", "none", "-screen", "none"])
        try:
            start_run = next(i for i, c in enumerate(cmds) if c.startswith("run "))
            for c in cmds[:start_run]:
                lmp.command(c)
            started = time.perf_counter()
            lmp.command(cmds[start_run])          # the melt run only
            seconds = time.perf_counter() - started
        finally:
            lmp.close()
            os.chdir(old)
    return steps / 1000.0 / seconds * 3600.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glass", default="SiO2", choices=["SiO2", "NBS"])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--temperature", type=float, default=4000.0, help="K of the NVT run (default 4000)")
    args = parser.parse_args(argv)
    glass = Glass(args.glass)
    print(f"{glass.name}, 1000 atoms, {args.steps} steps at {args.temperature:g} K, one core")
    for name, (skin, cut) in VARIANTS.items():
        print(f"{name:42s} {ps_per_hour(glass, skin, cut, args.steps, args.temperature):8.0f} ps/hour/core", flush=True)


if __name__ == "__main__":
    main()
