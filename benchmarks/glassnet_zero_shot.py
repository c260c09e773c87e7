"""GlassNet (Cassar 2023), the Tg predictor practitioners use, zero-shot on this companion's
SciGlass rows: writes its Tg prediction for every cleaned row, and whether GlassNet trained on
that composition, with provenance. Notebook 08 scores it on every band and split.

glasspy is GPL-3.0, so it stays out of glasslib and out of the companion's environment. This
script runs in its own virtual environment and imports nothing from glasslib:

    python3 -m venv .venv-glassnet
    .venv-glassnet/bin/pip install torch==2.13.0 glasspy==0.4.6 "numpy<2"
    .venv-glassnet/bin/python benchmarks/glassnet_zero_shot.py

Input: data/sciglass/sciglass_tg_clean.csv.gz (18 oxide mass fractions). GlassNet takes molar
oxide fractions and answers in kelvin. "Trained on" means the composition, as GlassNet's own
data pipeline represents it (atomic element fractions rounded to 3 decimals, duplicates merged),
is in GlassNet's training split (its `get_training_dataset`, the 90 % of the GlassNet paper).
GlassNet's training data (for the "trained on" column) is SciGlass as glasspy reads it; glasspy
0.4.6 would download it from Zenodo, so the script takes the same files from the glasspy 0.4.0
wheel that `glasslib sciglass-build` keeps in .cache/glasspy/ (offline).
Output: data/glassnet/tg_predictions.csv.gz and data/glassnet/PROVENANCE.json.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "data" / "sciglass" / "sciglass_tg_clean.csv.gz"
OUT = ROOT / "data" / "glassnet"
OXIDES = ("SiO2", "Al2O3", "B2O3", "CaO", "K2O", "Na2O", "PbO", "Li2O", "MgO", "SrO", "BaO", "ZnO", "GeO2",
          "ZrO2", "TiO2", "TeO2", "FemOn", "P2O5")
# SciGlass's "FemOn" (iron oxide of unstated valence) enters GlassNet as Fe2O3
AS_COMPOUND = {"FemOn": "Fe2O3"}
ATOMIC_MASS = {"Si": 28.085, "B": 10.81, "Al": 26.982, "Mg": 24.305, "Ca": 40.078, "Ba": 137.327, "Li": 6.94,
               "Na": 22.990, "K": 39.098, "Zn": 65.38, "Sr": 87.62, "Pb": 207.2, "Ti": 47.867, "Zr": 91.224,
               "P": 30.974, "Fe": 55.845, "Ge": 72.630, "Te": 127.60, "O": 15.999}


def formula(oxide: str) -> dict[str, int]:
    oxide = AS_COMPOUND.get(oxide, oxide)
    return {el: int(n or 1) for el, n in re.findall(r"([A-Z][a-z]?)(\d*)", oxide)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


DATA_FILES = ("select_AtMol.csv.zip", "select_SciGK.csv.zip", "select_Gcomp.csv.zip")
DATA_WHEEL = ROOT / ".cache" / "glasspy" / "glasspy-0.4.0-py3-none-any.whl"   # `glasslib sciglass-build` keeps it


def sciglass_files() -> dict[str, str]:
    """glasspy >= 0.4.5 downloads SciGlass from Zenodo on first use; offline, the same three files
    come from the glasspy 0.4.0 wheel, which ships them. Returns their SHA-256."""
    import zipfile

    from platformdirs import user_data_dir

    target = Path(user_data_dir("GlassPy"))
    missing = [f for f in DATA_FILES if not (target / f).is_file()]
    if missing:
        if not DATA_WHEEL.exists():
            raise SystemExit(f"{missing} are not in {target} and {DATA_WHEEL} is missing "
                             "(run `glasslib sciglass-build` once to fetch the wheel)")
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(DATA_WHEEL) as wheel:
            for name in missing:
                (target / name).write_bytes(wheel.read(f"glasspy/data/datafiles/{name}"))
    return {name: sha256(target / name) for name in DATA_FILES}


def main() -> None:
    data_files = sciglass_files()
    from glasspy.predict import GlassNet

    table = pd.read_csv(CLEAN)
    oxides = [c for c in OXIDES if c in table.columns]
    missing = set(OXIDES) - set(oxides)
    if missing:
        raise SystemExit(f"the clean table lacks {sorted(missing)}")
    molar_mass = np.array([sum(ATOMIC_MASS[el] * n for el, n in formula(o).items()) for o in oxides])
    moles = table[oxides].to_numpy(float) / molar_mass
    molar = moles / moles.sum(1, keepdims=True)
    composition = pd.DataFrame(molar, columns=[AS_COMPOUND.get(o, o) for o in oxides])

    model = GlassNet()
    start = time.perf_counter()
    tg_kelvin = model.predict(composition)["Tg"].to_numpy()
    seconds = time.perf_counter() - start

    # the compositions GlassNet trained on, in its own representation: element fractions, 3 decimals
    train = model.get_training_dataset()
    elements = train["elements"]
    atoms = np.zeros((len(table), len(elements.columns)))
    for k, oxide in enumerate(oxides):
        for el, n in formula(oxide).items():
            if el in elements.columns:
                atoms[:, list(elements.columns).index(el)] += molar[:, k] * n
    atoms /= atoms.sum(1, keepdims=True)
    seen = {tuple(row) for row in np.round(elements.to_numpy(float), 3)}
    trained_on = np.array([tuple(row) in seen for row in np.round(atoms, 3)])

    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"row": np.arange(len(table)), "glass_id": table["glass_id"],
                  "tg_glassnet_celsius": np.round(tg_kelvin - 273.15, 2), "trained_on": trained_on}
                 ).to_csv(OUT / "tg_predictions.csv.gz", index=False)
    provenance = {
        "model": "GlassNet (Cassar 2023, Ceramics International 49, 36013-36024, 10.1016/j.ceramint.2023.08.281)",
        "glasspy": metadata.version("glasspy"), "torch": metadata.version("torch"),
        "licence": "glasspy is GPL-3.0; only its predictions are stored here (data, not code)",
        "input": {"path": str(CLEAN.relative_to(ROOT)), "sha256": sha256(CLEAN)},
        "conversion": "mass fractions of 18 oxides -> molar oxide fractions (atomic masses, IUPAC); FemOn as Fe2O3",
        "glassnet_data_files_sha256": data_files,
        "trained_on_rule": "element fractions rounded to 3 decimals found in GlassNet.get_training_dataset()",
        "rows": int(len(table)), "rows_trained_on": int(trained_on.sum()),
        "attribution": "contains information from the SciGlass database (EPAM Systems), ODbL",
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n")
    print(f"{len(table):,} rows predicted in {seconds:.1f} s; GlassNet trained on {trained_on.mean():.1%} of them")


if __name__ == "__main__":
    main()
