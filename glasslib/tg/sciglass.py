"""SciGlass Tg data (paper 2 §II.A): fetch the raw table, clean it, report every filter.

The SciGlass tables (ODbL) ship inside the glasspy 0.4.0 wheel on PyPI as
glasspy/data/datafiles/select_SciGK.csv.zip. The wheel is downloaded without its
dependencies into a cache folder and read as a zip; glasspy itself is never installed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths

GLASSPY_VERSION = "0.4.0"
WHEEL_NAME = f"glasspy-{GLASSPY_VERSION}-py3-none-any.whl"
MEMBER = "glasspy/data/datafiles/select_SciGK.csv.zip"
# raw weight-% column -> chemical name, in the order of the 18 compounds of paper 2
COMPOUNDS = {
    "WSIO2": "SiO2", "WAL2O3": "Al2O3", "WB2O3": "B2O3", "WCAO": "CaO", "WK2O": "K2O",
    "WNA2O": "Na2O", "WPBO": "PbO", "WLi2O": "Li2O", "WMgO": "MgO", "WSRO": "SrO",
    "WBAO": "BaO", "WZNO": "ZnO", "WGEO2": "GeO2", "WZRO2": "ZrO2", "WTIO2": "TiO2",
    "WTEO2": "TeO2", "WFemOn": "FemOn", "WP2O5": "P2O5",
}
COMPONENTS = tuple(COMPOUNDS.values())
ID_COLUMNS = {"KOD": "publication_id", "GLASNO": "glass_id", "TG": "tg_celsius"}
SUM_RANGE_PERCENT = (95.0, 105.0)
FILTER_RULE = ("keep rows with TG present, no missing or negative weight-% among the 18 compounds, "
               "and their sum within [95, 105] wt% (paper 2: mass fractions summing to [0.95, 1.05]); "
               "fractions stored as mass fractions (wt%/100), not renormalised")
ATTRIBUTION = ("Contains information from the SciGlass database (EPAM Systems, released under the Open "
               "Database License (ODbL) v1.0, https://opendatacommons.org/licenses/odbl/1-0/), as "
               "redistributed in the glasspy 0.4.0 package (D. R. Cassar). The cleaned table is a "
               "derivative database and is likewise offered under the ODbL.")


def wheel_path(cache_dir: str | os.PathLike | None = None, download: bool = True) -> Path:
    """Path of the cached glasspy wheel, downloading it (no dependencies) if absent."""
    cache = Path(cache_dir or paths.CACHE / "glasspy")
    target = cache / WHEEL_NAME
    if target.exists() or not download:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:    # renamed into place whole (parallel tests)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               f"glasspy=={GLASSPY_VERSION}", "-d", tmp]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0 or not (Path(tmp) / WHEEL_NAME).exists():
            raise ConnectionError(f"could not download {WHEEL_NAME} from the package index:\n"
                                  f"{result.stderr[-1500:]}")
        os.replace(Path(tmp) / WHEEL_NAME, target)
    return target


def raw_bytes(path: str | os.PathLike | None = None) -> tuple[bytes, str]:
    """Bytes of select_SciGK.csv.zip and a description of where they came from.

    `path` may be the glasspy wheel, the select_SciGK.csv.zip file itself or the
    extracted tab-separated text; without it the cached (or downloaded) wheel is used.
    """
    source = Path(path) if path else wheel_path()
    if not source.exists():
        raise FileNotFoundError(f"raw SciGlass file {source} does not exist")
    paths.record_input(source)           # the figure's provenance names the raw file read
    if source.suffix == ".whl":
        try:
            with zipfile.ZipFile(source) as wheel:
                return wheel.read(MEMBER), f"{source.name}:{MEMBER}"
        except (zipfile.BadZipFile, KeyError) as err:
            raise ValueError(f"{source}: not a glasspy wheel holding {MEMBER} ({err})") from err
    return source.read_bytes(), source.name


def read_raw_columns(columns: list[str], path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Any columns of the raw select_SciGK table (e.g. mol% 'SIO2' and 'DENSITY' in g/cm3)."""
    data, where = raw_bytes(path)
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = archive.read(next(n for n in archive.namelist() if n.lower().endswith(".csv")))
    header = pd.read_csv(io.BytesIO(data), sep="\t", nrows=0, encoding="latin-1").columns
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValueError(f"{where}: no column(s) {missing}")
    return pd.read_csv(io.BytesIO(data), sep="\t", usecols=columns, encoding="latin-1", low_memory=False)


def read_raw(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The raw select_SciGK table: ids, TG and the 18 weight-% columns."""
    return parse_raw(*raw_bytes(path))


def parse_raw(data: bytes, where: str) -> pd.DataFrame:
    """Parse the bytes of select_SciGK (zip or tab-separated text); `where` names the source."""
    try:
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(names) != 1:
                    raise ValueError(f"expected one .csv member, found {archive.namelist()}")
                text = archive.read(names[0])
        else:
            text = data
        wanted = list(ID_COLUMNS) + list(COMPOUNDS)
        header = pd.read_csv(io.BytesIO(text), sep="\t", nrows=0, encoding="latin-1").columns
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ValueError(f"missing columns {missing}")
        frame = pd.read_csv(io.BytesIO(text), sep="\t", usecols=wanted, encoding="latin-1",
                            low_memory=False)
        bad = [c for c in wanted if not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise ValueError(f"non-numeric values in columns {bad}")
    except (zipfile.BadZipFile, pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"malformed raw SciGlass file {where}: {err}") from err
    return frame


def clean(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Apply paper 2's filter; return the cleaned table and the rows each filter removed."""
    comp = raw[list(COMPOUNDS)]
    report = {"raw_rows": int(len(raw))}
    keep = raw["TG"].notna().to_numpy().copy()
    report["removed_no_tg"] = int((~keep).sum())
    has_nan = comp.isna().any(axis=1).to_numpy() & keep
    report["removed_nan_fraction"] = int(has_nan.sum())
    keep &= ~has_nan
    negative = (comp.fillna(0) < 0).any(axis=1).to_numpy() & keep
    report["removed_negative_fraction"] = int(negative.sum())
    keep &= ~negative
    total = comp.fillna(0).sum(axis=1).to_numpy()
    lo, hi = SUM_RANGE_PERCENT
    out = ~((total >= lo) & (total <= hi)) & keep
    report["removed_sum_out_of_range"] = int(out.sum())
    keep &= ~out
    kept = raw.loc[keep]
    table = pd.DataFrame({"publication_id": kept["KOD"].astype(np.int64),
                          "glass_id": kept["GLASNO"].astype(np.int64)})
    for raw_col, name in COMPOUNDS.items():
        table[name] = (kept[raw_col].to_numpy() / 100.0).round(6)
    table["tg_celsius"] = kept["TG"].to_numpy().round(3)
    table = table.sort_values(["publication_id", "glass_id"], kind="stable").reset_index(drop=True)
    report["kept_rows"] = int(len(table))
    return table, report


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The canonical text form of the cleaned table (what the committed file holds)."""
    return table.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode()


def build(raw_path: str | os.PathLike | None = None, target: str | os.PathLike | None = None,
          provenance: str | os.PathLike | None = None) -> tuple[pd.DataFrame, dict]:
    """Rebuild the cleaned dataset and its provenance file from the raw data."""
    data, where = raw_bytes(raw_path)
    table, report = clean(parse_raw(data, where))
    text = to_csv_bytes(table)
    target = Path(target or paths.SCIGLASS_CLEAN)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw_out, gzip.GzipFile(fileobj=raw_out, mode="wb", mtime=0,
                                                     filename="") as out:
        out.write(text)
    prov = {
        "source": where, "glasspy_version": GLASSPY_VERSION,
        "raw_sha256": hashlib.sha256(data).hexdigest(),
        "filter_rule": FILTER_RULE, "row_counts": report,
        "paper_row_count": 35176, "paper_sciglass_version": "7.12",
        "columns": list(table.columns), "cleaned_csv_sha256": hashlib.sha256(text).hexdigest(),
        "licence": "ODbL-1.0", "attribution": ATTRIBUTION,
        "built_by": "glasslib.sciglass.build",
    }
    Path(provenance or paths.SCIGLASS_PROVENANCE).write_text(json.dumps(prov, indent=2) + "\n")
    return table, prov


def load_clean(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The committed cleaned table (publication_id, glass_id, 18 fractions, tg_celsius)."""
    path = Path(path or paths.SCIGLASS_CLEAN)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; rebuild it with `glasslib sciglass-build`")
    return pd.read_csv(paths.record_input(path))
