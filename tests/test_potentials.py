import pytest

from glasslib.pcf.compositions import Glass
from glasslib.pcf.potentials import boron_d0, boron_ratios, lammps_pair_commands, load_potential, nb3b_file_text


@pytest.mark.parametrize("name", ["bmp2022", "pedone2006_B-du"])
def test_every_pair_of_every_element_is_covered_and_cited(name):
    pot = load_potential(name)
    elements = ["Si", "B", "O", "Ba", "Na", "Ti", "Zn"]
    assert set(pot["charges_e"]) == set(elements)
    assert sum(q * n for q, n in zip([pot["charges_e"][e] for e in ("Si", "O")], (1, 2))) == pytest.approx(0)
    for table in ("pedone", "buck"):
        for pair, entry in pot[table].items():
            assert entry["ref"] in pot["references"], pair
    cations = [e for e in elements if e != "O"]
    for c in cations:
        assert f"{c}-O" in pot["pedone"] or f"{c}-O" in pot["buck"], c


def test_lammps_commands_cover_all_type_pairs():
    cmds = lammps_pair_commands(["Si", "B", "O", "Na", "Zn"], "pedone2006_B-du")
    assert cmds[0].startswith("pair_style hybrid/overlay coul/dsf")
    pedone = [c for c in cmds if " pedone " in c and c.startswith("pair_coeff")]
    assert len(pedone) == 15  # 5 types -> 15 unordered pairs
    assert any(c.startswith("pair_coeff 2 3 buck 12362.78") for c in cmds)  # B-O Buckingham
    assert "set type 3 charge -1.2" in cmds


def test_bmp_boron_depends_on_composition():
    model = load_potential("bmp2022")["boron_D0_model"]
    assert boron_ratios(Glass("NBS").oxides, model) == pytest.approx((1.0, 3.0))
    # BaO counts as a modifier in R, ZnO and TiO2 do not
    assert boron_ratios(Glass("NBS", "BaO", 10).oxides, model)[0] == pytest.approx((18 + 10) / 18)
    assert boron_ratios(Glass("NBS", "ZnO", 10).oxides, model)[0] == pytest.approx(1.0)
    d_nbs = boron_d0(1.0, 3.0, model)
    assert 2.5 < d_nbs < 3.0 and boron_d0(2.0, 3.0, model) != d_nbs
    cmds = lammps_pair_commands(["Si", "B", "O", "Na"], "bmp2022", Glass("NBS").oxides)
    assert f"pair_coeff 2 3 pedone {d_nbs} 2.64333 1.43667 0.0" in cmds
    assert cmds[-5] == "pair_coeff * * nb3b/screened potential.nb3b.screened Si B O NULL"
    with pytest.raises(ValueError, match="needs the glass's oxides"):
        lammps_pair_commands(["Si", "B", "O", "Na"], "bmp2022")


def test_bmp_three_body_file_lists_every_triplet_centred_on_oxygen():
    text = nb3b_file_text(["Si", "B", "O", "Na"], "bmp2022")
    lines = [line.split() for line in text.splitlines()[1:]]
    assert len(lines) == 27                                   # (Si, B, O)^3; Na takes no part
    terms = {tuple(line[:3]): float(line[3]) for line in lines}
    assert terms[("O", "Si", "Si")] == 12.5 and terms[("O", "B", "Si")] == terms[("O", "Si", "B")] == 30.0
    assert terms[("Si", "O", "O")] == 0.0
    assert nb3b_file_text(["Na", "O"], "bmp2022") is None


def test_unknown_element_and_potential():
    with pytest.raises(ValueError, match="no parameters for \\['Mg'\\]"):
        lammps_pair_commands(["Si", "O", "Mg"])
    with pytest.raises(ValueError, match="potential 'bks' is not available"):
        load_potential("bks")
