"""The MD stage end to end on a tiny glass (the issue's <= 60 s smoke test), and the
campaign's resumability and failure handling."""

import gzip
import hashlib
import json
import time
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest

from glasslib.pcf import campaign, structure
from glasslib.pcf.compositions import Glass, campaign_grid
from glasslib.pcf.md import SMOKE_PROTOCOL, Protocol, lammps_input, run_glass


def test_smoke_glass_end_to_end(tmp_path):
    start = time.perf_counter()
    meta = campaign.simulate_and_store(Glass("NBS", "ZnO", 10.0), tmp_path, n_atoms=200, protocol=SMOKE_PROTOCOL)
    elapsed = time.perf_counter() - start
    print(f"smoke glass: {elapsed:.1f} s")
    folder = tmp_path / "NBS-ZnO-10"
    stored_files = {"final.data.gz", "frames.dump.gz", "in.lammps", "log.lammps.gz", "potential.nb3b.screened",
                    "rdf.csv.gz"}
    assert sorted(p.name for p in folder.iterdir()) == sorted(stored_files | {"meta.json"})
    stored = json.loads((folder / "meta.json").read_text())
    assert stored["sha256"].keys() == stored_files
    # provenance: potential file hash and code version; the checks recompute from the kept frames
    assert stored["potential"] == "bmp2022" and len(stored["potential_sha256"]) == 64
    assert stored["glasslib_version"]
    frames = structure.read_dump(folder / "frames.dump.gz")
    assert len(frames) == campaign.FRAMES_KEPT
    assert abs(structure.n4(frames) - stored["structure"]["n4"]) < 0.25   # 5 of the frames vs all
    assert stored["density_log"]["density_g_cm3"] and 0 <= stored["structure"]["n4"] <= 1
    rdf = pd.read_csv(folder / "rdf.csv.gz")
    assert {"Si-O", "B-O", "Na-O", "Zn-O", "O-O"} <= set(rdf.columns)
    assert meta["rdf_frames"] in (SMOKE_PROTOCOL.n_frames, SMOKE_PROTOCOL.n_frames + 1)
    # even a 1-ps quench gives the Si-O bond: a broken potential or unit would not
    assert 1.5 < meta["first_peaks_angstrom"]["Si-O"] < 1.75
    assert 1.5 < meta["final_density_g_cm3"] < 4.0
    assert meta["lammps_version"] > 20200000 and meta["ovito_version"]


def test_input_script_follows_protocol():
    p = Protocol(melt_ps=2, quench_rate_K_per_ps=100, relax_ps=3, production_ps=4, frame_every_ps=0.5)
    cmds = lammps_input(Glass("SiO2"), 300, p, seed=3)
    runs = [int(c.split()[1]) for c in cmds if c.startswith("run ")]
    # melt, the 4700 K quench (47 ps) in ten 500 K segments that chain, relax, production
    assert runs[0] == 2000 and sum(runs[1:-2]) == 47000 and runs[-2:] == [3000, 4000]
    ramps = [c.split()[5:7] for c in cmds if c.startswith("fix quench all npt temp")]
    assert len(ramps) == 10 and ramps[0][0] == "5000" and ramps[-1][1] == "300"
    assert all(a[1] == b[0] for a, b in zip(ramps, ramps[1:]))
    assert any(c.startswith("fix melt all nvt temp 5000.0 5000.0") for c in cmds)
    assert any(c.startswith("fix relax all npt temp 300.0 300.0") and "iso 1.0 1.0" in c for c in cmds)


def test_quench_switches_to_constant_pressure_at_npt_from_K():
    p = Protocol(melt_K=4000, quench_rate_K_per_ps=100, npt_from_K=2000)
    cmds = [c for c in lammps_input(Glass("SiO2"), 300, p, seed=3)]
    quench = [(c.split()[3], float(c.split()[5]), float(c.split()[6]), int(r.split()[1]))
              for c, r in zip(cmds, cmds[1:]) if c.startswith("fix quench")]
    assert [q[0] for q in quench] == ["nvt"] * 5 + ["npt"] * 4          # 4000 -> 2000 K at the melt's volume
    assert quench[4][1:3] == (2150.0, 2000.0) and quench[5][1:3] == (2000.0, 1687.5)
    assert all(a[2] == b[1] for a, b in zip(quench, quench[1:]))
    assert sum(q[3] for q in quench) == 37000                               # 3700 K at 100 K/ps, 1 fs steps
    # the same temperature at the same step as the single-ensemble ramp: a 150 K piece gets 1,500 steps
    assert quench[4][3] == 1500


def test_hot_liquid_can_cool_faster_than_the_glass_forms():
    p = Protocol(melt_K=4000, quench_rate_K_per_ps=10, npt_from_K=2000, hot_rate_K_per_ps=50)
    cmds = lammps_input(Glass("NBS"), 300, p, seed=3)
    quench = [(c.split()[3], float(c.split()[5]), float(c.split()[6]), int(r.split()[1]))
              for c, r in zip(cmds, cmds[1:]) if c.startswith("fix quench")]
    nvt = [q for q in quench if q[0] == "nvt"]
    npt = [q for q in quench if q[0] == "npt"]
    assert nvt[0][1] == 4000 and nvt[-1][2] == 2000 and npt[0][1] == 2000 and npt[-1][2] == 300
    assert sum(q[3] for q in nvt) == 40_000            # 2000 K at 50 K/ps, 1 fs steps
    assert sum(q[3] for q in npt) == 170_000           # 1700 K at 10 K/ps
    for _, t0, t1, steps in quench:                     # each piece at its own part's rate, <= 25 ps
        assert abs(steps - (t0 - t1) / (50 if t0 > 2000 else 10) * 1000) <= 1 and steps <= 25_000
    assert len(nvt) == 4 and len(npt) == 7                # 500 K pieces above, 25 ps (250 K) pieces below
    assert p.quench_ps == 210 and p.quench_ps_to(2000) == 40
    # a slow one-rate quench is cut every 25 ps too: 3700 K at 5 K/ps in 30 pieces
    slow = [c for c in lammps_input(Glass("SiO2"), 300, Protocol(melt_K=4000, quench_rate_K_per_ps=5), 3)
            if c.startswith("fix quench")]
    assert len(slow) == 30
    with pytest.raises(ValueError, match="hot_rate_K_per_ps 50 needs npt_from_K"):
        Protocol(hot_rate_K_per_ps=50)
    with pytest.raises(ValueError, match="hot_rate_K_per_ps=0 must be positive"):
        Protocol(melt_K=4000, npt_from_K=2000, hot_rate_K_per_ps=0)


def test_v2_protocol_starts_the_barostat_per_base_glass():
    # the probes: silica at 1 bar from the melt; NBS keeps the melt's volume down to 2000 K
    runs = {r.name: r for r in campaign.v2_campaign_runs(20)}
    for name, run in runs.items():
        expected = None if name.startswith("SiO2") else 2000.0
        assert run.protocol.npt_from_K == expected, name
        assert run.protocol.hot_rate_K_per_ps == (None if expected is None else 50.0), name   # at 20 K/ps
        assert run.protocol.quench_rate_K_per_ps == 20 and run.protocol.quench_ensemble == "npt"
        assert run.protocol.pair_table_points == 5000, name         # the campaign runs the tabulated pair terms
    study = campaign.quench_study_runs(rates=[5], seeds=[3])
    assert {r.protocol.pair_table_points for r in study} == {None}   # the study the analytic ones
    assert {(r.name, r.protocol.npt_from_K) for r in study} == {("SiO2-undoped__5Kps__seed3", None),
                                                                 ("NBS-undoped__5Kps__seed3", 2000.0)}
    slow_nbs = next(r.protocol for r in study if r.name.startswith("NBS"))
    assert slow_nbs.quench_ps == 2000 / 50 + 1700 / 5           # 380 ps instead of 740
    # at 50 K/ps the NBS input is that of the committed 50 K/ps study runs (made before the hot rate)
    committed = json.loads((campaign.STUDY_DIR / "NBS-undoped__50Kps__seed1" / "meta.json").read_text())["protocol"]
    fast = next(r for r in campaign.quench_study_runs(rates=[50], seeds=[1]) if r.name.startswith("NBS"))
    assert lammps_input(fast.glass, 1000, fast.protocol, 1) == lammps_input(fast.glass, 1000, Protocol(**committed), 1)
    with pytest.raises(ValueError, match="base glass 'GeO2' has no protocol; choose one of SiO2, NBS"):
        campaign.study_protocol(SimpleNamespace(base="GeO2"), 20)


def test_thermostat_damping_is_100_steps_unless_given_in_ps():
    def dampings(**kw):
        cmds = lammps_input(Glass("SiO2"), 300, Protocol(**kw), seed=3)
        return {c.split()[7] for c in cmds if c.startswith("fix ") and " temp " in c}   # fix ID all nvt|npt temp T0 T1 damp
    assert dampings() == {"0.1"}
    assert dampings(timestep_fs=2.0) == {"0.2"}
    assert dampings(timestep_fs=2.0, thermostat_damping_ps=0.1) == {"0.1"}
    with pytest.raises(ValueError, match="thermostat_damping_ps=-0.1 must be positive"):
        Protocol(thermostat_damping_ps=-0.1)


def test_thermostat_chain_is_lammps_default_unless_given():
    def fixes(**kw):
        return [c for c in lammps_input(Glass("SiO2"), 300, Protocol(**kw), seed=3) if c.startswith("fix ") and " temp " in c]
    assert fixes() and not any("tchain" in c for c in fixes())          # the stored inputs stay as they were
    single = fixes(thermostat_chain=1, thermostat_damping_ps=0.05)
    assert len(single) == len(fixes()) and all(" temp " in c and "0.05 tchain 1" in c for c in single)
    with pytest.raises(ValueError, match="thermostat_chain=1.5 must be a whole number of links"):
        Protocol(thermostat_chain=1.5)
    with pytest.raises(ValueError, match="thermostat_chain=0 must be positive"):
        Protocol(thermostat_chain=0)


def test_bad_protocol():
    with pytest.raises(ValueError, match="quench_rate_K_per_ps=0"):
        Protocol(quench_rate_K_per_ps=0)
    with pytest.raises(ValueError, match="npt_from_K 5000 needs quench_ensemble 'npt' and must lie between"):
        Protocol(melt_K=4000, npt_from_K=5000)
    with pytest.raises(ValueError, match="npt_from_K 2000 needs quench_ensemble 'npt'"):
        Protocol(melt_K=4000, npt_from_K=2000, quench_ensemble="nvt")


def test_campaign_resumes_and_reports_failures(tmp_path):
    glasses = [Glass("SiO2"), Glass("SiO2", "TiO2", 5.0)]
    root = tmp_path / "glasses"
    # a leftover of an interrupted run must never count as finished
    (root / ".SiO2-undoped.partial").mkdir(parents=True)
    (root / "SiO2-TiO2-05").mkdir()
    assert not campaign.is_finished(glasses[1], root)
    broken = Protocol(melt_ps=0.2, quench_rate_K_per_ps=5000, relax_ps=0.2, production_ps=0.2,
                      frame_every_ps=0.05, overlap_angstrom=9.0)  # impossible packing: LAMMPS fails
    first = campaign.run_campaign(glasses[:1], root, n_atoms=150, protocol=broken, n_workers=1, progress=False)
    assert first[0]["ok"] is False and "LAMMPS failed for SiO2-undoped" in first[0]["error"]
    second = campaign.run_campaign(glasses, root, n_atoms=150, protocol=SMOKE_PROTOCOL, n_workers=2, progress=False)
    assert sorted(r["glass"] for r in second if r["ok"]) == ["SiO2-TiO2-05", "SiO2-undoped"]
    assert not (root / ".SiO2-undoped.partial").exists()
    third = campaign.run_campaign(glasses, root, n_atoms=150, protocol=SMOKE_PROTOCOL, n_workers=1, progress=False)
    assert third == []  # nothing left to do
    table = pd.read_csv(tmp_path / "rdf_table.csv.gz")
    assert set(table.glass) == {"SiO2-undoped", "SiO2-TiO2-05"}
    assert set(table.pair[table.glass == "SiO2-undoped"]) == {"Si-Si", "Si-O", "O-O"}


class _Killed(Exception):
    pass


def test_killed_run_resumes_from_its_checkpoint(tmp_path):
    """A run killed after its third stage resumes there (not from the start) and finishes."""
    glass, protocol = Glass("SiO2"), replace(SMOKE_PROTOCOL, quench_rate_K_per_ps=4700.0)  # 1 ps quench
    seen = []

    def kill_after_third(workdir):
        seen.append(json.loads((workdir / "checkpoint.json").read_text())["stage"])
        if len(seen) == 3:
            raise _Killed

    work = tmp_path / "work"
    with pytest.raises(RuntimeError, match="LAMMPS failed"):
        run_glass(glass, work, n_atoms=150, protocol=protocol, seed=4, on_checkpoint=kill_after_third)
    assert seen == ["melt", "quench 1/10 (5000 -> 4530 K)", "quench 2/10 (4530 -> 4060 K)"]
    root = tmp_path / "glasses"
    campaign._save_checkpoint(work, campaign.checkpoint_dir(root, "SiO2-undoped"), None, [0.0])
    meta = campaign.simulate_and_store(glass, root, n_atoms=150, protocol=protocol, seed=4)
    assert meta["resumed_stages"] == 3 and meta["resumes"] == 1
    assert not campaign.checkpoint_dir(root, "SiO2-undoped").exists()
    log = gzip.open(root / "SiO2-undoped" / "log.lammps.gz", "rt").read()
    assert log.count("minimize") == 1 and "read_data checkpoint.data" in log   # one log, appended
    assert 1.5 < meta["first_peaks_angstrom"]["Si-O"] < 1.75
    # a checkpoint of another input is not resumed
    again = campaign.simulate_and_store(glass, tmp_path / "other", n_atoms=150, protocol=protocol, seed=5)
    assert again["resumed_stages"] == 0


def test_advanced_run_stops_before_production_and_finishes_from_its_checkpoint(tmp_path):
    """md-advance's path (a lent machine): processes carry runs up to 'production' and leave
    only a checkpoint; the campaign then resumes each there and stores the glass."""
    glass, protocol = Glass("SiO2"), replace(SMOKE_PROTOCOL, quench_rate_K_per_ps=4700.0)  # 1 ps quench
    with pytest.raises(ValueError, match="'anneal' is not a stage.*relax, production"):
        run_glass(glass, tmp_path / "bad", n_atoms=150, protocol=protocol, seed=4, stop_before="anneal")
    root = tmp_path / "glasses"
    run = campaign.MDRun("SiO2-undoped__seed4", glass, protocol, 4)
    [status] = campaign.advance_runs([run], root, n_workers=1, n_atoms=150)
    assert status == {"glass": "SiO2-undoped__seed4", "ok": True}
    saved = campaign.checkpoint_dir(root, run.name)
    state = json.loads(gzip.open(saved / "checkpoint.json.gz", "rt").read())
    assert state["stage"] == "relax" and not (root / run.name).exists()
    [done] = campaign.run_campaign(runs=[run], root=root, n_atoms=150, n_workers=1, progress=False, rdf_table=False)
    assert done["ok"]
    meta = json.loads((root / run.name / "meta.json").read_text())
    assert meta["resumed_stages"] == state["stages_done"] == 12 and meta["rdf_frames"] == 51
    assert not saved.exists()


def test_tabulated_pair_terms_run_a_whole_melt_quench(tmp_path):
    """Protocol.pair_table_points: the input uses the spline table (and still the three-body
    term), the 5,000 K melt never brings a pair inside the table's 0.5 A inner edge (LAMMPS would
    stop), the table's SHA-256 is recorded, and a bad table size is refused by name."""
    from glasslib.pcf import potentials

    with pytest.raises(ValueError, match="pair_table_points=50 must be a whole number >= 100"):
        replace(SMOKE_PROTOCOL, pair_table_points=50)
    glass, protocol = Glass("NBS"), replace(SMOKE_PROTOCOL, pair_table_points=2000)
    meta = run_glass(glass, tmp_path, n_atoms=150, protocol=protocol, seed=4)
    script = (tmp_path / "in.lammps").read_text()
    assert "pair_style hybrid/overlay table spline 2000 nb3b/screened" in script and "coul/dsf" not in script
    written = (tmp_path / potentials.PAIR_TABLE_FILE).read_bytes()
    assert meta["pair_table_sha256"] == hashlib.sha256(written).hexdigest()
    assert written.count(b"\nN 2000 RSQ 0.5 8.0\n") == 10          # Si, B, O, Na: 10 pairs
    assert 1.8 < meta["final_density_g_cm3"] < 3.2


def test_v2_campaign_runs_every_glass_once_and_the_replicas_undoped_first():
    runs = campaign.v2_campaign_runs(10)
    names = [r.name for r in runs]
    assert len(names) == len(set(names)) == 32 + 8 * 2
    assert names[:6] == ["SiO2-undoped__seed1", "SiO2-undoped__seed2", "SiO2-undoped__seed3",
                         "NBS-undoped__seed1", "NBS-undoped__seed2", "NBS-undoped__seed3"]
    assert {r.glass.name for r in runs} == {g.name for g in campaign_grid()}
    seeds = pd.Series([r.glass.name for r in runs]).value_counts()
    assert set(seeds[seeds == 3].index) == set(campaign.V2_REPLICA_GLASSES)
    assert all(r.seed == int(r.name.rsplit("seed", 1)[1]) for r in runs)
    with pytest.raises(ValueError, match="50 K/ps is faster than the 20 K/ps"):
        campaign.v2_campaign_runs(50)


def test_v2_campaign_extra_seeds_of_chosen_glasses():
    runs = campaign.v2_campaign_runs(5, glasses=["NBS-undoped"], extra_seeds=[4, 5])
    assert [r.name for r in runs] == [f"NBS-undoped__seed{s}" for s in (1, 2, 3, 4, 5)]
    assert [r.seed for r in runs] == [1, 2, 3, 4, 5]
    assert runs[3].protocol == runs[0].protocol                 # the campaign's protocol, table included
    default = campaign.v2_campaign_runs(5, extra_seeds=[4])     # one more replica of every replica glass
    assert len(default) == 48 + 8 and {r.glass.name for r in default[48:]} == set(campaign.V2_REPLICA_GLASSES)
    with pytest.raises(ValueError, match="glass 'GeO2-undoped' is not in the campaign; choose from SiO2-undoped"):
        campaign.v2_campaign_runs(5, glasses=["GeO2-undoped"])
    with pytest.raises(ValueError, match="extra seed 2 must be a positive integer other than the replica seeds 1, 2, 3"):
        campaign.v2_campaign_runs(5, extra_seeds=[2])


def test_study_replicas_can_be_added_per_glass_and_rate():
    runs = campaign.quench_study_runs(rates=[5, 20], seeds=[3], glasses=["NBS-undoped"])
    assert [r.name for r in runs] == ["NBS-undoped__20Kps__seed3", "NBS-undoped__5Kps__seed3"]
    assert [r.seed for r in runs] == [3, 3]
    default = campaign.quench_study_runs()
    assert len(default) == 16 and {r.glass.name for r in default} == set(campaign.STUDY_GLASSES)
