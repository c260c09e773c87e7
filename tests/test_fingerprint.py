import numpy as np
import pytest

from glasslib.pcf.fingerprint import N_FEATURES, fingerprint


def test_length_and_blocks():
    fp = fingerprint("NBS", "ZnO", 10.0, "Zn-O")
    assert N_FEATURES == 58 and fp.shape == (58,)
    assert fp[:3].tolist() == [1, 1, 1]
    assert fp[3:9].tolist() == pytest.approx([0, 0, 1, 0, 0, 0.1])
    pairs = fp[9:].reshape(7, 7)
    assert np.array_equal(pairs, pairs.T) and pairs.sum() == 2
    assert pairs[6, 2] == pairs[2, 6] == 1  # (Zn, O) in the order Si, B, O, Ba, Na, Ti, Zn


def test_silica_and_like_pairs():
    fp = fingerprint("SiO2", None, 0.0, "Si-Si")
    assert fp[:3].tolist() == [0, 0, 1]
    assert fp[3:9].sum() == 0
    assert fp[9:].reshape(7, 7)[0, 0] == 1 and fp[9:].sum() == 1
    assert np.array_equal(fingerprint("SiO2", "BaO", 5, "O-Ba"), fingerprint("SiO2", "BaO", 5, "Ba-O"))


@pytest.mark.parametrize("args, message", [
    (("SiO2", "MgO", 5, "Si-O"), "dopant 'MgO' is not supported; choose one of BaO, TiO2, ZnO or none"),
    (("SiO2", "BaO", 70, "Si-O"), r"outside \(0, 50\]"),
    (("SiO2", "BaO", 5, "Si-Cl"), "pair 'Si-Cl' is not of the form"),
    (("SiO2", "BaO", 5, "SiO"), "pair 'SiO' is not of the form"),
    (("SiO2", "BaO", 5, "B-O"), "pair B-O does not occur in SiO2 \\+ BaO"),
    (("GeO2", None, 0, "Si-O"), "base 'GeO2' is not supported"),
    (("SiO2", None, 5, "Si-O"), "given for an undoped glass"),
])
def test_bad_inputs(args, message):
    with pytest.raises(ValueError, match=message):
        fingerprint(*args)
