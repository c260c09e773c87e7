"""Validation of the committed MD dataset against experiment (issue windows)."""

import gzip
import json

import pandas as pd
import pytest

from glasslib import paths
from glasslib.pcf import campaign, validation

GLASSES = campaign.load_glasses()
pytestmark = pytest.mark.skipif(not GLASSES, reason="no finished MD glass committed under data/md/glasses yet")


def test_every_structure_check_is_inside_its_window():
    checks = validation.validation_table(GLASSES)
    failed = checks[~checks["pass"]]
    assert len(checks) > 0
    assert failed.empty, f"\n{failed.to_string()}"


@pytest.mark.parametrize("meta", GLASSES, ids=lambda m: m["glass"])
def test_glass_files_match_their_hashes_and_metadata(meta):
    folder = campaign.GLASSES_DIR / meta["glass"]
    for name, digest in meta["sha256"].items():
        assert paths.sha256_of(folder / name) == digest, name
    rdf = pd.read_csv(folder / "rdf.csv.gz")
    assert rdf["r_angstrom"].max() >= 8.0
    assert meta["rdf_frames"] >= 50
    with gzip.open(folder / "final.data.gz", "rt") as handle:
        header = handle.read(2000)
    assert f"{sum(meta['atom_counts'].values())} atoms" in header
    for key in ("potential", "protocol", "seed", "lammps_version", "ovito_version", "final_density_g_cm3",
                "coordination_numbers", "atom_counts"):
        assert key in meta


def test_rdf_table_holds_every_finished_glass():
    table = pd.read_csv(campaign.RDF_TABLE)
    assert set(table.glass) == {m["glass"] for m in GLASSES}
    assert table.groupby(["glass", "pair"]).size().nunique() == 1  # same r grid for every RDF


def test_thermo_trace_follows_the_stored_run():
    """The whole log as a table: the melt at the packing density, the NBS liquid expanding at
    1 bar during the quench from 4000 K (a probe), and the end of the run at the glass's final
    density; with the barostat from 2000 K (the study) the volume is held down to 2000 K."""
    probe = campaign.PROBE_DIR / "NBS-undoped__50Kps__npt-from-melt__seed1"
    study = campaign.STUDY_DIR / "NBS-undoped__50Kps__seed1"
    if not ((probe / "log.lammps.gz").exists() and (study / "log.lammps.gz").exists()):
        pytest.skip("the 50 K/ps NBS runs are not committed")
    for run in (probe, study):
        meta = json.loads((run / "meta.json").read_text())
        trace = validation.thermo_trace(run)
        melt = trace[(trace.step > 0) & (trace.step <= 10000)]
        assert len(melt) >= 5 and (melt.density_g_cm3 - meta["initial_density_g_cm3"]).abs().max() < 1e-3
        assert abs(trace.density_g_cm3.iloc[-1] / meta["final_density_g_cm3"] - 1) < 0.01
        assert abs(trace.temperature_K.iloc[-20:].mean() - 300) < 15
    probe_trace, study_trace = validation.thermo_trace(probe), validation.thermo_trace(study)
    assert probe_trace.density_g_cm3.min() < 1.8 < 2.2 < json.loads((probe / "meta.json").read_text())["final_density_g_cm3"]
    hot = study_trace[(study_trace.step > 10000) & (study_trace.temperature_K > 2100)]
    assert len(hot) >= 20 and (hot.density_g_cm3 - 2.5).abs().max() < 1e-3        # the packing volume, held
    assert study_trace.density_g_cm3.min() > 2.2                                   # never the expanded liquid
