"""Partial RDFs through OVITO on an ideal gas, where every g(r) is 1 by construction: a
minority species' like-pair curve must level off at 1 after the N(N-1) normalisation (at
(N-1)/N before it), and the pair count behind each curve must match the known density."""

import numpy as np
import pytest

from glasslib.pcf.rdf import first_shell_pairs, normalise_like_pairs, partial_rdfs


def _ideal_gas_dump(path, counts, box, frames, seed=0):
    rng = np.random.default_rng(seed)
    n = sum(counts.values())
    elements = [el for el, k in counts.items() for _ in range(k)]
    with open(path, "w") as handle:
        for step in range(frames):
            xyz = rng.random((n, 3)) * box
            handle.write(f"ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{n}\n"
                         f"ITEM: BOX BOUNDS pp pp pp\n0 {box}\n0 {box}\n0 {box}\nITEM: ATOMS id element x y z\n")
            handle.writelines(f"{i + 1} {el} {x:.4f} {y:.4f} {z:.4f}\n" for i, (el, (x, y, z)) in enumerate(zip(elements, xyz)))


def test_minority_like_pairs_level_off_at_one(tmp_path):
    counts, box, frames = {"Si": 300, "O": 600, "Zn": 4}, 22.0, 300
    dump = tmp_path / "gas.dump"
    _ideal_gas_dump(dump, counts, box, frames)
    raw = partial_rdfs(dump, r_max=10.0, n_bins=50)
    fixed = normalise_like_pairs(raw, counts)
    far = raw.r_angstrom > 4.0                       # good statistics, away from r = 0
    assert abs(raw.loc[far, "Zn-Zn"].mean() - 3 / 4) < 0.06          # (N-1)/N before
    assert abs(fixed.loc[far, "Zn-Zn"].mean() - 1.0) < 0.08          # 1 after
    assert abs(fixed.loc[far, "Si-O"].mean() - 1.0) < 0.01           # unlike pairs untouched
    assert np.allclose(fixed["Si-O"], raw["Si-O"])
    pairs = first_shell_pairs(fixed, counts, [box] * 3, frames, r_cut=5.0)
    sphere = 4 / 3 * np.pi * 5.0 ** 3 / box ** 3
    expected_zn = 4 * 3 / 2 * sphere * frames        # distinct Zn pairs closer than 5 A, all frames
    assert abs(pairs["Zn-Zn"] - expected_zn) < 0.25 * expected_zn
    assert abs(pairs["Si-O"] - 300 * 600 * sphere * frames) < 0.03 * 300 * 600 * sphere * frames


def test_curves_with_too_few_pairs_are_left_out_of_the_dataset(tmp_path):
    """Dataset v2 counts the pairs behind each curve; the loader drops those under the
    threshold (and lists them), keeps the rest, and keeps everything when asked to."""
    import gzip
    import json

    import pandas as pd

    from glasslib.pcf import campaign, dataset
    from glasslib.pcf.rdf import PAIR_COUNT_THRESHOLD

    r = np.arange(0.025, 10, 0.05)
    for name, zn_pairs in (("NBS-ZnO-02", 12), ("NBS-ZnO-10", 400)):
        folder = tmp_path / "glasses" / name
        folder.mkdir(parents=True)
        pd.DataFrame({"r_angstrom": r, "Zn-Zn": 1.0 - np.exp(-r), "Si-O": 1.0 + np.exp(-(r - 1.6) ** 2)}).to_csv(
            folder / "rdf.csv.gz", index=False)
        meta = {"name": name, "base": "NBS", "dopant": "ZnO", "mol_percent": int(name[-2:]),
                "first_shell_pairs": {"Zn-Zn": zn_pairs, "Si-O": 90000}}
        (folder / "meta.json").write_text(json.dumps(meta))
    table = campaign.write_rdf_table(tmp_path / "glasses")
    target = tmp_path / "rdf_table.csv.gz"
    written = target.read_bytes()
    assert written[4:8] == bytes(4)     # gzip header MTIME unset: a rerun over the same glasses changes no byte
    target.write_bytes(gzip.compress(gzip.decompress(written), mtime=1234))   # same text, other bytes
    campaign.write_rdf_table(tmp_path / "glasses")
    assert gzip.decompress(target.read_bytes()) == gzip.decompress(written)
    assert target.read_bytes()[4:8] != bytes(4)     # an unchanged table is left as it was
    assert sorted(table.drop_duplicates(["glass", "pair"]).first_shell_pairs) == [12, 400, 90000, 90000]

    kept = dataset.load_rdf_dataset(table)
    assert 12 < PAIR_COUNT_THRESHOLD < 400
    assert sorted(zip(kept.rows.glass, kept.rows.pair)) == [("NBS-ZnO-02", "Si-O"), ("NBS-ZnO-10", "Si-O"),
                                                             ("NBS-ZnO-10", "Zn-Zn")]
    assert kept.excluded.to_dict("records") == [{"glass": "NBS-ZnO-02", "pair": "Zn-Zn", "first_shell_pairs": 12}]
    assert len(dataset.load_rdf_dataset(table, min_pairs=None)) == 4
    assert len(dataset.load_rdf_dataset(table, min_pairs=500)) == 2
    with pytest.raises(ValueError, match="min_pairs=-1"):
        dataset.load_rdf_dataset(table, min_pairs=-1)
