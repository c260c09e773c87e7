import pytest

from glasslib.pcf.potentials import lammps_pair_commands, load_potential


def test_every_pair_of_every_element_is_covered_and_cited():
    pot = load_potential()
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
    cmds = lammps_pair_commands(["Si", "B", "O", "Na", "Zn"])
    assert cmds[0].startswith("pair_style hybrid/overlay coul/dsf")
    pedone = [c for c in cmds if " pedone " in c and c.startswith("pair_coeff")]
    assert len(pedone) == 15  # 5 types -> 15 unordered pairs
    assert any(c.startswith("pair_coeff 2 3 buck 12362.78") for c in cmds)  # B-O Buckingham
    assert "set type 3 charge -1.2" in cmds


def test_unknown_element_and_potential():
    with pytest.raises(ValueError, match="no parameters for \\['Mg'\\]"):
        lammps_pair_commands(["Si", "O", "Mg"])
    with pytest.raises(ValueError, match="potential 'bks' is not available"):
        load_potential("bks")
