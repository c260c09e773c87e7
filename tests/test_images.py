import numpy as np
import pytest

from glasslib.pcf.images import G_MAX, R_MAX_ANGSTROM, image_to_rdf, r_columns, rdf_to_image, resample


def _rdf():
    r = np.arange(0, 10, 0.05) + 0.025
    g = np.where(r > 1.45, 1 + 12 * np.exp(-((r - 1.62) / 0.05) ** 2) + 0.3 * np.sin(3 * r) * np.exp(-r / 4), 0)
    return r, g


def test_image_shape_range_and_fill():
    r, g = _rdf()
    img = rdf_to_image(r, g)
    assert img.shape == (64, 64) and img.min() >= 0 and img.max() <= 1
    assert img[-1, 30] == 1.0 and img[0, 30] == 0.0  # filled from the bottom
    assert np.allclose(img * 255, np.round(img * 255), atol=1e-4)  # 8-bit levels


def test_round_trip_recovers_the_curve_on_the_columns():
    r, g = _rdf()
    rc, back = image_to_rdf(rdf_to_image(r, g, quantise=False))
    assert np.allclose(back, np.interp(rc, r, g), rtol=1e-4, atol=1e-4)
    rc, back8 = image_to_rdf(rdf_to_image(r, g))
    rel = np.abs(np.log1p(back8) - np.log1p(np.interp(rc, r, g))) / np.log1p(G_MAX)
    assert rel.max() < 1 / (255 * 64) * 64  # within one 8-bit level of one column


def test_columns_and_resample():
    rc = r_columns()
    assert rc[0] == pytest.approx(0.0625) and rc[-1] == pytest.approx(R_MAX_ANGSTROM - 0.0625)
    grid, values = resample(*_rdf(), 100)
    assert grid.shape == values.shape == (100,)


def test_bad_inputs():
    with pytest.raises(ValueError, match="covers r in"):
        rdf_to_image(np.linspace(0, 5, 50), np.ones(50))
    with pytest.raises(ValueError, match="must be 1-D of equal length"):
        rdf_to_image(np.linspace(0, 10, 50), np.ones(40))
    with pytest.raises(ValueError, match="must be square"):
        image_to_rdf(np.zeros((64, 32)))
