"""Structure checks of MD glasses on hand-made configurations with known answers."""

import numpy as np
import pandas as pd
import pytest

from glasslib.pcf import structure, validation


def _frame(atoms, box=20.0):
    elements = np.array([a for a, _ in atoms])
    xyz = np.array([p for _, p in atoms], float) % box
    return structure.Frame(elements, xyz, np.array([box, box, box]))


def _borons():
    """B1 with four O at 1.47 A (a BO4), B2 with three O at 1.37 A (a BO3), far apart; the
    oxygens of B1 at the box edge test the periodic wrap."""
    atoms = [("B", (0.0, 0.0, 0.0))]
    atoms += [("O", v) for v in 1.47 * np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]) / np.sqrt(3)]
    atoms += [("B", (10.0, 10.0, 10.0))]
    atoms += [("O", (10 + 1.37 * np.cos(t), 10 + 1.37 * np.sin(t), 10.0)) for t in (0, 2.0944, 4.1888)]
    return _frame(atoms)


def test_n4_counts_four_coordinated_boron_across_the_periodic_boundary():
    frame = _borons()
    assert structure.n4([frame]) == 0.5
    assert structure.coordination_histogram([frame], "B") == {3: 0.5, 4: 0.5}


def test_oxygen_species_and_angles():
    si = [("Si", (0.0, 0.0, 0.0)), ("Si", (3.0, 0.0, 0.0)), ("O", (1.5, 0.4, 0.0)), ("O", (-1.6, 0.0, 0.0))]
    frame = _frame(si)
    species = structure.oxygen_species([frame], formers=("Si",))
    assert species["BO"] == 0.5 and species["NBO"] == 0.5
    angle = structure.tot_angles([frame], "Si")
    expected = np.degrees(2 * np.arctan(1.5 / 0.4))
    assert angle == pytest.approx([expected], abs=1e-6)


def test_dell_bray_values():
    assert structure.dell_bray_n4(1.0, 3.0) == pytest.approx(0.6875)   # the NBS base glass
    assert structure.dell_bray_n4(0.3, 3.0) == pytest.approx(0.3)      # every Na makes a BO4
    assert structure.dell_bray_n4(2.0, 3.0) < 0.6875                    # NBO form past R_d1


def test_neutron_sq_of_a_crystal_peaks_at_its_bragg_vector():
    a, n = 3.0, 6
    grid = np.stack(np.meshgrid(*[np.arange(n)] * 3, indexing="ij"), -1).reshape(-1, 3) * a
    frame = structure.Frame(np.array(["Si"] * len(grid)), grid.astype(float), np.full(3, a * n))
    q, s, counts = structure.neutron_sq_direct([frame], q_max=2.5, dq=0.05)
    assert q[np.argmax(s)] == pytest.approx(2 * np.pi / a, abs=0.05)


def test_neutron_sq_of_an_ideal_gas_is_flat():
    rng = np.random.default_rng(0)
    frame = structure.Frame(np.array(["O"] * 3000), rng.random((3000, 3)) * 30, np.full(3, 30.0))
    q, s, counts = structure.neutron_sq_direct([frame], q_max=4.0, dq=0.2)
    assert np.average(s, weights=counts) == pytest.approx(1.0, abs=0.05)


def test_quench_rate_rule():
    rows = []
    for glass, n4 in (("SiO2-undoped", None), ("NBS-undoped", 0.65)):
        for rate, shift in ((50.0, 0.05), (20.0, 0.02), (10.0, 0.01), (5.0, 0.0)):
            for seed in (1, 2):
                rows.append({"glass": glass, "rate_K_per_ps": rate, "seed": seed,
                             "density_g_cm3": 2.2 * (1 + shift / 10), "n4": None if n4 is None else n4 + shift,
                             "nbo": 0.1, "si_o_si_deg": 145.0, "fsdp_per_angstrom": 1.5 + shift})
    table = pd.DataFrame(rows)
    # 20 K/ps: N4 +0.02, density +0.2 %, FSDP +0.02 -> within 0.03 / 1 % / 0.03 of 5 K/ps
    assert validation.choose_rate(table) == 20.0
    table.loc[table.rate_K_per_ps == 20.0, "n4"] = 0.70   # N4 of 20 K/ps now 0.05 away
    assert validation.choose_rate(table) == 10.0
    assert validation.choose_rate(table[table.rate_K_per_ps > 5.0]) is None


def test_fsdp_fit_refuses_a_curve_without_a_peak():
    """A rising S(q) with no maximum inside the window (the weak FSDP of a borosilicate) must
    not come back as a peak at the window's edge."""
    q = np.linspace(0.8, 2.6, 60)
    with pytest.raises(RuntimeError, match="no FSDP"):
        structure.fsdp_fit(q, 0.2 + 0.5 * q, np.full(len(q), 50))
