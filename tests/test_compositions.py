import pytest

from glasslib.pcf.compositions import BASES, DOPANTS, OXIDE_ATOMS, Glass, campaign_grid

FORMAL = {"Si": 4, "B": 3, "Na": 1, "Ba": 2, "Zn": 2, "Ti": 4, "O": -2}


@pytest.mark.parametrize("glass", campaign_grid(), ids=lambda g: g.name)
def test_counts_are_charge_neutral_and_close_to_target(glass):
    counts = glass.atom_counts(1000)
    assert sum(FORMAL[el] * n for el, n in counts.items()) == 0
    assert 1000 <= sum(counts.values()) <= 1010
    units = {}
    for oxide in glass.oxides:
        cation, per_unit = next((el, n) for el, n in OXIDE_ATOMS[oxide].items() if el != "O")
        units[oxide] = counts[cation] / per_unit
    for oxide, percent in glass.oxides.items():
        assert 100 * units[oxide] / sum(units.values()) == pytest.approx(percent, abs=0.6), oxide


def test_grid_covers_paper_design():
    grid = campaign_grid()
    assert len(grid) == 32
    assert {g.base for g in grid} == set(BASES)
    assert {g.dopant for g in grid if g.dopant} == set(DOPANTS)
    assert sorted({g.mol_percent for g in grid if g.dopant}) == [2, 5, 10, 15, 20]
    assert len({g.name for g in grid}) == 32


def test_density_estimate_is_base_density_when_undoped():
    assert Glass("SiO2").density_estimate_g_cm3() == pytest.approx(2.20)
    assert Glass("NBS", "BaO", 20).density_estimate_g_cm3() > Glass("NBS").density_estimate_g_cm3()


@pytest.mark.parametrize("kwargs, message", [
    (dict(base="SiO2", dopant="MgO", mol_percent=5), "dopant 'MgO' is not supported; choose one of BaO, TiO2, ZnO"),
    (dict(base="GeO2"), "base 'GeO2' is not supported"),
    (dict(base="NBS", dopant="ZnO", mol_percent=60), "outside (0, 50]"),
    (dict(base="NBS", dopant="ZnO", mol_percent=-1), "outside (0, 50]"),
])
def test_bad_glasses_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")):
        Glass(**kwargs)


def test_too_few_atoms_for_one_dopant_unit():
    with pytest.raises(ValueError, match="too few to hold one BaO unit"):
        Glass("SiO2", "BaO", 0.5).atom_counts(60)
