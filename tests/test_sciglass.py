import gzip
import hashlib
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from glasslib import paths
from glasslib.tg import sciglass


def _raw_frame(rows):
    """A miniature select_SciGK table with the real column names."""
    return pd.DataFrame([{**{col: 0.0 for col in sciglass.COMPOUNDS}, **row} for row in rows])


def test_clean_counts_every_filter():
    raw = _raw_frame([
        {"KOD": 1, "GLASNO": 1, "TG": 500.0, "WSIO2": 70.0, "WNA2O": 30.0},    # kept
        {"KOD": 1, "GLASNO": 2, "TG": np.nan, "WSIO2": 100.0},                 # no Tg
        {"KOD": 2, "GLASNO": 3, "TG": 400.0, "WSIO2": np.nan, "WNA2O": 99.0},  # NaN fraction
        {"KOD": 2, "GLASNO": 4, "TG": 400.0, "WSIO2": 101.0, "WNA2O": -1.0},   # negative
        {"KOD": 3, "GLASNO": 5, "TG": 450.0, "WSIO2": 80.0},                   # sum 80
        {"KOD": 3, "GLASNO": 6, "TG": 450.0, "WSIO2": 104.9},                  # sum 104.9: kept
    ])
    table, report = sciglass.clean(raw)
    assert report == {"raw_rows": 6, "removed_no_tg": 1, "removed_nan_fraction": 1,
                      "removed_negative_fraction": 1, "removed_sum_out_of_range": 1, "kept_rows": 2}
    assert list(table.glass_id) == [1, 6]
    assert list(table.columns) == ["publication_id", "glass_id", *sciglass.COMPONENTS, "tg_celsius"]
    assert table.loc[0, "SiO2"] == pytest.approx(0.7) and table.loc[0, "Na2O"] == pytest.approx(0.3)


def test_malformed_raw_files_name_the_file_and_problem(tmp_path):
    missing = tmp_path / "missing_cols.csv"
    missing.write_text("KOD\tGLASNO\tTG\n1\t2\t300\n")
    with pytest.raises(ValueError, match=r"malformed raw SciGlass file missing_cols.csv: missing columns \['WSIO2'"):
        sciglass.read_raw(missing)
    not_a_wheel = tmp_path / "fake.whl"
    not_a_wheel.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="fake.whl: not a glasspy wheel"):
        sciglass.read_raw(not_a_wheel)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        sciglass.read_raw(tmp_path / "nowhere.csv")
    text = "\t".join(["KOD", "GLASNO", "TG", *sciglass.COMPOUNDS]) + "\n" + "\t".join(["1", "2", "abc"] + ["0"] * 18) + "\n"
    bad = tmp_path / "select_SciGK.csv.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("SciGK.csv", text)
    with pytest.raises(ValueError, match=r"non-numeric values in columns \['TG'\]"):
        sciglass.read_raw(bad)


def test_committed_dataset_matches_its_provenance():
    prov = json.loads(paths.SCIGLASS_PROVENANCE.read_text())
    with gzip.open(paths.SCIGLASS_CLEAN, "rb") as handle:
        text = handle.read()
    assert hashlib.sha256(text).hexdigest() == prov["cleaned_csv_sha256"]
    assert prov["licence"] == "ODbL-1.0" and "SciGlass" in prov["attribution"]
    table = sciglass.load_clean()
    assert len(table) == prov["row_counts"]["kept_rows"]
    assert abs(len(table) - 35176) / 35176 < 0.01  # within 1 % of the paper
    sums = table[list(sciglass.COMPONENTS)].sum(axis=1)
    assert sums.between(0.95 - 1e-5, 1.05 + 1e-5).all()  # stored with 6 significant digits
    assert table.tg_celsius.notna().all()


@pytest.mark.network
def test_rebuild_from_raw_is_identical(tmp_path):
    try:
        wheel = sciglass.wheel_path()
    except ConnectionError as err:
        pytest.skip(f"package index unreachable, cannot fetch {sciglass.WHEEL_NAME}: {str(err)[:200]}")
    target, prov_path = tmp_path / "clean.csv.gz", tmp_path / "prov.json"
    table, prov = sciglass.build(wheel, target, prov_path)
    committed = json.loads(paths.SCIGLASS_PROVENANCE.read_text())
    assert prov["raw_sha256"] == committed["raw_sha256"]
    assert prov["row_counts"] == committed["row_counts"]
    with gzip.open(target, "rb") as a, gzip.open(paths.SCIGLASS_CLEAN, "rb") as b:
        assert a.read() == b.read()
