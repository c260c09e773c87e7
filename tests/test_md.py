"""The MD stage end to end on a tiny glass (the issue's <= 60 s smoke test), and the
campaign's resumability and failure handling."""

import json
import time

import pandas as pd
import pytest

from glasslib.pcf import campaign, structure
from glasslib.pcf.compositions import Glass
from glasslib.pcf.md import SMOKE_PROTOCOL, Protocol, lammps_input


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
    assert runs == [2000, 47000, 3000, 4000]
    assert any(c.startswith("fix melt all nvt temp 5000.0 5000.0") for c in cmds)
    assert any(c.startswith("fix relax all npt temp 300.0 300.0") and "iso 1.0 1.0" in c for c in cmds)


def test_bad_protocol():
    with pytest.raises(ValueError, match="quench_rate_K_per_ps=0"):
        Protocol(quench_rate_K_per_ps=0)


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
