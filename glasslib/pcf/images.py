"""RDF <-> 64x64 grayscale image (paper 1 §V), and the inverse used by the pipeline.

An image column j holds r in [R_MIN, R_MAX] at centre r_j (0.125 A steps). Each column is
filled from the bottom up to a height h = log(1 + g) / log(1 + G_MAX) of the image, the top
pixel anti-aliased to the fractional part, so the column sum recovers h (and g) up to 8-bit
quantisation. The log compresses the tall first peaks of cation-O pairs (g up to ~30) while
keeping the g ~ 1 structure visible. Pixel values are floats in [0, 1] (255 * value for 8 bit).
"""

from __future__ import annotations

import numpy as np

SIZE = 64
R_MIN_ANGSTROM = 0.0
R_MAX_ANGSTROM = 8.0
G_MAX = 30.0


def r_columns(size: int = SIZE) -> np.ndarray:
    """Column centres in A."""
    width = (R_MAX_ANGSTROM - R_MIN_ANGSTROM) / size
    return R_MIN_ANGSTROM + width * (np.arange(size) + 0.5)


def _height(g):
    return np.log1p(np.clip(g, 0.0, G_MAX)) / np.log1p(G_MAX)


def _g_from_height(h):
    return np.expm1(np.clip(h, 0.0, 1.0) * np.log1p(G_MAX))


def rdf_to_image(r, g, size: int = SIZE, quantise: bool = True) -> np.ndarray:
    """One RDF (any r grid covering the image range) -> (size, size) image, row 0 at the top."""
    r, g = np.asarray(r, float), np.asarray(g, float)
    if r.ndim != 1 or r.shape != g.shape:
        raise ValueError(f"r {r.shape} and g {g.shape} must be 1-D of equal length")
    if r.min() > R_MIN_ANGSTROM + 0.1 or r.max() < R_MAX_ANGSTROM - 0.1:
        raise ValueError(f"the RDF covers r in [{r.min():.2f}, {r.max():.2f}] A; the image needs "
                         f"[{R_MIN_ANGSTROM}, {R_MAX_ANGSTROM}] A")
    heights = _height(np.interp(r_columns(size), r, g)) * size          # filled pixels per column
    rows_from_bottom = np.arange(size)[:, None]
    image = np.clip(heights[None, :] - rows_from_bottom, 0.0, 1.0)[::-1]
    if quantise:
        image = np.round(image * 255.0) / 255.0
    return image.astype(np.float32)


def image_to_rdf(image) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of rdf_to_image: (r_columns, g) from the column sums of the image."""
    image = np.asarray(image, float)
    if image.ndim == 3:
        image = image[..., 0]
    if image.ndim != 2 or image.shape[0] != image.shape[1]:
        raise ValueError(f"image must be square 2-D (or with one channel), got {image.shape}")
    size = image.shape[0]
    heights = np.clip(image, 0.0, 1.0).sum(axis=0) / size
    return r_columns(size), _g_from_height(heights)


def resample(r, g, n_points: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """g on n_points evenly spaced r in the image range (paper Fig. 8's 100-point RDF)."""
    grid = np.linspace(R_MIN_ANGSTROM, R_MAX_ANGSTROM, n_points)
    return grid, np.interp(grid, r, g)
