"""Paper 1's pipeline (Fig. 5) as one estimator: fingerprint -> random forest -> latent vector
-> decoder -> 64x64 image -> g(r).

    pipe = RDFPipeline(epochs=800, seed=0).fit(train.X, train.images)
    r, g = pipe.predict_rdf("NBS", "ZnO", 7.5, "Zn-O")
    pipe.save(folder); RDFPipeline.load(folder)   # every hyperparameter comes back
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import joblib
import numpy as np

from .. import paths
from .autoencoder import RDFAutoencoder
from .fingerprint import fingerprint
from .forest import PAPER_FOREST, make_forest
from .images import image_to_rdf

PIPELINE_DIR = paths.MODELS / "rdf_pipeline"
FORMAT = "glasslib.rdf_pipeline/2"


class RDFPipeline:
    """The autoencoder (images -> 8 numbers -> images) and the random forest (58-number
    fingerprint -> the 8 numbers), fitted together; predictions go fingerprint -> forest ->
    decoder. Hyperparameters are the paper's unless given (800 epochs, forest of §V)."""

    def __init__(self, epochs: int = 800, batch_size: int = 16, learning_rate: float = 1e-3,
                 latent_activation: str = "relu", forest_params: dict | None = None, seed: int = 0):
        self.epochs, self.batch_size, self.learning_rate = epochs, batch_size, learning_rate
        self.latent_activation, self.forest_params, self.seed = latent_activation, forest_params, seed

    def get_params(self) -> dict:
        return {"epochs": self.epochs, "batch_size": self.batch_size, "learning_rate": self.learning_rate,
                "latent_activation": self.latent_activation, "forest_params": self.forest_params,
                "seed": self.seed}

    def fit(self, X, images, validation_images=None, autoencoder: RDFAutoencoder | None = None,
            verbose: int = 0) -> "RDFPipeline":
        """Train the autoencoder on `images` (or take an already fitted `autoencoder`, e.g.
        notebook 06's), then the forest from fingerprints `X` to the encoded images."""
        X = np.asarray(X, np.float32)
        if len(X) != len(images):
            raise ValueError(f"X has {len(X)} rows but there are {len(images)} images")
        if autoencoder is None:
            autoencoder = RDFAutoencoder(self.epochs, self.batch_size, self.learning_rate, self.seed,
                                         self.latent_activation).fit(images, validation_images, verbose)
        elif not hasattr(autoencoder, "decoder_"):
            raise ValueError("autoencoder must be fitted (or loaded) before it is given to fit")
        self.autoencoder_ = autoencoder
        self.forest_ = make_forest(self.seed, **(self.forest_params or {})).fit(X, autoencoder.encode(images))
        return self

    def predict_latent(self, X) -> np.ndarray:
        """The forest's 8 latent numbers for each fingerprint."""
        return self.forest_.predict(np.asarray(X, np.float32))

    def predict_images(self, X) -> np.ndarray:
        """Predicted 64x64 images (values 0-1) for fingerprints X (n, 58)."""
        return self.autoencoder_.decode(self.predict_latent(X).astype(np.float32))

    def predict_rdf(self, base: str, dopant: str | None, mol_percent: float, pair: str):
        """(r_angstrom, g) predicted for one pair of one glass."""
        image = self.predict_images(fingerprint(base, dopant, mol_percent, pair)[None])[0]
        return image_to_rdf(image)

    def save(self, folder: str | os.PathLike = PIPELINE_DIR, meta: dict | None = None) -> Path:
        """autoencoder/ (encoder, decoder, hyperparameters), forest.joblib and meta.json."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.autoencoder_.save(folder / "autoencoder")
        joblib.dump(self.forest_, folder / "forest.joblib", compress=3)
        body = {"format": FORMAT, "params": self.get_params(), **(meta or {})}
        (folder / "meta.json").write_text(json.dumps(body, indent=1, default=float) + "\n")
        return folder

    @classmethod
    def load(cls, folder: str | os.PathLike | None = None) -> "RDFPipeline":
        folder = Path(folder or PIPELINE_DIR)
        meta_file = folder / "meta.json"
        if not meta_file.exists():
            raise FileNotFoundError(f"no saved RDF pipeline in {folder}; run notebook 07 to train one")
        meta = json.loads(paths.record_input(meta_file).read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder} holds format {meta.get('format')!r}, not {FORMAT!r}; "
                             "retrain it with notebook 07")
        pipe = cls(**meta["params"])
        pipe.autoencoder_ = RDFAutoencoder.load(folder / "autoencoder")
        pipe.forest_ = joblib.load(paths.record_input(folder / "forest.joblib"))
        return pipe


def load_pipeline(folder: str | os.PathLike | None = None) -> RDFPipeline:
    """The saved pipeline (default: the shipped one in data/models/rdf_pipeline, trained on MD
    dataset v2; the one trained on v1 is in data/models/rdf_pipeline-md-v1)."""
    return RDFPipeline.load(folder)


__all__ = ["RDFPipeline", "load_pipeline", "PAPER_FOREST"]
