"""Paper 1's CNN autoencoder (Keras 3; TensorFlow backend by default, torch also works).

Encoder: six [Conv2D(3x3, same, ReLU) -> MaxPool(2)] with 64, 32, 32, 16, 16, 8 filters:
64x64x1 -> 1x1x8. Decoder: six [Conv2DTranspose(3x3, same, ReLU) -> UpSampling(2)] with
8, 16, 16, 32, 32, 64 filters: 1x1x8 -> 64x64x64, then a 3x3 Conv2D to one sigmoid channel
(the paper does not say how 64 channels become 1; this is the smallest choice). No dense layers.

With ReLU on the last encoder conv (the paper: ReLU everywhere) a latent unit can die: it is 0 for
every image and carries nothing. The full-profile model had 3 of 8 dead. ``latent_activation``
lets the bottleneck be linear instead (beyond the paper; ``"relu"`` stays the default and is what the
paper-faithful numbers use). benchmarks/rdf_autoencoder_variants.py compares the two.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np

from .. import paths

ENCODER_FILTERS = (64, 32, 32, 16, 16, 8)
DECODER_FILTERS = (8, 16, 16, 32, 32, 64)
LATENT_DIM = ENCODER_FILTERS[-1]
LATENT_ACTIVATIONS = ("relu", "linear")


def _check_activation(name: str) -> str:
    if name not in LATENT_ACTIVATIONS:
        raise ValueError(f"latent_activation {name!r} is not supported; choose one of {', '.join(LATENT_ACTIVATIONS)}")
    return name


def build_encoder(size: int = 64, latent_activation: str = "relu", seed: int = 0):
    """Six conv + pool stages, 64x64x1 -> 8 numbers; weights drawn from `seed`."""
    import keras
    from keras import layers

    _check_activation(latent_activation)
    inputs = keras.Input((size, size, 1), name="rdf_image")
    x = inputs
    for i, filters in enumerate(ENCODER_FILTERS):
        activation = latent_activation if i == len(ENCODER_FILTERS) - 1 else "relu"
        x = layers.Conv2D(filters, 3, padding="same", activation=activation, name=f"conv{i + 1}",
                          kernel_initializer=keras.initializers.GlorotUniform(seed + i))(x)
        x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    latent = layers.Flatten(name="latent")(x)
    return keras.Model(inputs, latent, name="encoder")


def build_decoder(size: int = 64, seed: int = 0):
    """8 numbers -> six transposed conv + upsampling stages -> one sigmoid channel."""
    import keras
    from keras import layers

    latent = keras.Input((LATENT_DIM,), name="latent_vector")
    x = layers.Reshape((1, 1, LATENT_DIM))(latent)
    for i, filters in enumerate(DECODER_FILTERS):
        x = layers.Conv2DTranspose(filters, 3, padding="same", activation="relu", name=f"deconv{i + 1}",
                                   kernel_initializer=keras.initializers.GlorotUniform(seed + 100 + i))(x)
        x = layers.UpSampling2D(2, name=f"up{i + 1}")(x)
    outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="to_gray",
                            kernel_initializer=keras.initializers.GlorotUniform(seed + 200))(x)
    return keras.Model(latent, outputs, name="decoder")


def build_autoencoder(size: int = 64, learning_rate: float = 1e-3, latent_activation: str = "relu",
                      seed: int = 0):
    """(autoencoder, encoder, decoder), compiled with Adam and MSE."""
    import keras

    encoder, decoder = build_encoder(size, latent_activation, seed), build_decoder(size, seed)
    inputs = keras.Input((size, size, 1))
    model = keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model, encoder, decoder


class RDFAutoencoder:
    """Fit/encode/decode wrapper with save/load (encoder, decoder and hyperparameters)."""

    def __init__(self, epochs: int = 800, batch_size: int = 16, learning_rate: float = 1e-3, seed: int = 0,
                 latent_activation: str = "relu"):
        if int(epochs) != epochs or epochs < 1:
            raise ValueError(f"epochs {epochs!r} must be a positive integer")
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size {batch_size!r} must be a positive integer")
        self.epochs, self.batch_size, self.learning_rate, self.seed = int(epochs), int(batch_size), learning_rate, seed
        self.latent_activation = _check_activation(latent_activation)

    def get_params(self) -> dict:
        return {"epochs": self.epochs, "batch_size": self.batch_size, "learning_rate": self.learning_rate,
                "seed": self.seed, "latent_activation": self.latent_activation}

    def fit(self, images, validation_images=None, verbose: int = 0, checkpoint: str | os.PathLike | None = None,
            checkpoint_every: int = 25, on_checkpoint=None):
        """Train on `images` (validation loss on `validation_images` when given).

        With `checkpoint` (a folder), the training state (model with its optimizer, epoch, loss
        history, shuffling generator) is written there every `checkpoint_every` epochs, and a
        training that finds a state for these hyperparameters and images (saved after no more
        epochs than this one asks for) continues from it: a killed run loses at most
        `checkpoint_every` epochs, and the numbers are those of an uninterrupted run.
        `on_checkpoint(folder, epoch)` is called after each state written (to commit it, say)."""
        import keras

        x = _as_batch(images)
        val = None if validation_images is None else (_as_batch(validation_images),) * 2
        # each epoch's order comes from the estimator's own generator: no global reseeding, the
        # caller's random state is left alone and the same seed gives the same numbers
        rng = np.random.default_rng(self.seed)
        self.history_, first, earlier_minutes = {}, 0, 0.0
        trained_on = self.trained_on_ = data_fingerprint(images, validation_images)
        self.saved_in_ = None
        state = _read_checkpoint(checkpoint, self, trained_on)
        if state is None:
            self.model_, self.encoder_, self.decoder_ = build_autoencoder(x.shape[1], self.learning_rate,
                                                                          self.latent_activation, self.seed)
        else:
            self.model_ = keras.models.load_model(Path(checkpoint) / state["model"])
            self.encoder_, self.decoder_ = self.model_.get_layer("encoder"), self.model_.get_layer("decoder")
            rng.bit_generator.state = state["rng"]
            self.history_, first, earlier_minutes = state["history"], state["epoch"], state["minutes"]
            print(f"continuing the training from epoch {first} of {self.epochs} saved in {paths.relative(checkpoint)}")
        self.resumed_from_epoch_ = first
        started = time.perf_counter()
        for epoch in range(first, self.epochs):
            order = rng.permutation(len(x))
            step = self.model_.fit(x[order], x[order], batch_size=self.batch_size, epochs=epoch + 1,
                                   initial_epoch=epoch, shuffle=False, validation_data=val, verbose=verbose)
            for key, values in step.history.items():
                self.history_.setdefault(key, []).extend(float(v) for v in values)
            if checkpoint is not None and ((epoch + 1) % checkpoint_every == 0 or epoch + 1 == self.epochs):
                _write_checkpoint(checkpoint, self, trained_on, rng, epoch + 1,
                                  earlier_minutes + (time.perf_counter() - started) / 60)
                if on_checkpoint is not None:
                    on_checkpoint(Path(checkpoint), epoch + 1)
        self.fit_minutes_ = earlier_minutes + (time.perf_counter() - started) / 60
        return self

    def encode(self, images) -> np.ndarray:
        return np.asarray(self.encoder_.predict(_as_batch(images), verbose=0))

    def decode(self, latent) -> np.ndarray:
        return np.asarray(self.decoder_.predict(np.asarray(latent, np.float32), verbose=0))[..., 0]

    def reconstruct(self, images) -> np.ndarray:
        return self.decode(self.encode(images))

    def dead_units(self, images) -> np.ndarray:
        """Indices of latent units that are 0 for every one of ``images`` (dead ReLUs)."""
        return np.flatnonzero(np.all(self.encode(images) == 0, axis=0))

    def mse(self, images) -> float:
        x = _as_batch(images)[..., 0]
        return float(np.mean((self.reconstruct(x) - x) ** 2))

    def fit_or_resume(self, folder: str | os.PathLike, images, validation_images=None,
                      checkpoint: str | os.PathLike | None = None, on_checkpoint=None) -> "RDFAutoencoder":
        """The model saved in `folder` when it was trained with these hyperparameters on exactly these
        images (a long run stopped after this training resumes without repeating it); otherwise
        `fit`, then `save` to `folder`. The training state lives in `checkpoint` while it runs
        (default: the git-ignored .cache/checkpoints/; a run that must survive a fresh machine
        passes a folder it commits, see `fit`'s on_checkpoint) and is removed once the model is saved."""
        trained_on = data_fingerprint(images, validation_images)
        params_file = Path(folder) / "params.json"
        if params_file.exists():
            saved = json.loads(params_file.read_text())
            if saved.get("params") == self.get_params() and saved.get("trained_on") == trained_on:
                trained = saved.get("fit_minutes")
                print(f"loaded the autoencoder already trained on these images from {paths.relative(folder)}"
                      + (f" (its training took {trained:.0f} minutes;" if trained is not None else " (")
                      + " delete that folder to train again)")
                return type(self).load(folder)
        if checkpoint is None:
            checkpoint = paths.CACHE / "checkpoints" / f"{Path(folder).name}-{trained_on}"
        self.fit(images, validation_images, checkpoint=checkpoint, on_checkpoint=on_checkpoint)
        self.save(folder)
        shutil.rmtree(checkpoint, ignore_errors=True)
        return self

    def save(self, folder: str | os.PathLike) -> Path:
        """encoder.keras, decoder.keras and params.json (hyperparameters, loss history, training
        minutes and the `data_fingerprint` of the images it was trained on). Saving into the folder
        this very model was loaded from or saved to leaves the files as they are."""
        folder = Path(folder)
        if getattr(self, "saved_in_", None) == folder.resolve() and (folder / "params.json").exists():
            return folder
        folder.mkdir(parents=True, exist_ok=True)
        self.encoder_.save(folder / "encoder.keras")
        self.decoder_.save(folder / "decoder.keras")
        body = {"params": self.get_params(), "history": getattr(self, "history_", None),
                "trained_on": getattr(self, "trained_on_", None), "fit_minutes": getattr(self, "fit_minutes_", None)}
        # written last and whole: a folder with params.json holds a complete model
        paths.replace_atomically(lambda tmp: tmp.write_text(json.dumps(body) + "\n"), folder / "params.json")
        self.saved_in_ = folder.resolve()
        return folder

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "RDFAutoencoder":
        """A saved autoencoder with the hyperparameters it was trained with."""
        import keras

        folder = Path(folder)
        params_file = folder / "params.json"
        if not params_file.exists():
            raise FileNotFoundError(f"no saved autoencoder in {folder} (params.json is missing)")
        saved = json.loads(paths.record_input(params_file).read_text())
        ae = cls(**saved["params"])
        if saved.get("history"):
            ae.history_ = saved["history"]
        if saved.get("fit_minutes") is not None:
            ae.fit_minutes_ = saved["fit_minutes"]
        ae.trained_on_ = saved.get("trained_on")
        ae.encoder_ = keras.models.load_model(paths.record_input(folder / "encoder.keras"))
        ae.decoder_ = keras.models.load_model(paths.record_input(folder / "decoder.keras"))
        ae.saved_in_ = folder.resolve()
        return ae


def data_fingerprint(images, validation_images=None) -> str:
    """SHA-256 (16 hex digits) of the training and validation images as float32, shapes included."""
    digest = hashlib.sha256()
    for x in (images, validation_images):
        x = np.zeros(0, np.float32) if x is None else np.ascontiguousarray(x, np.float32)
        digest.update(repr(x.shape).encode())
        digest.update(x.tobytes())
    return digest.hexdigest()[:16]


def _read_checkpoint(folder, ae: RDFAutoencoder, trained_on: str | None) -> dict | None:
    """The training state saved in `folder` when it belongs to this training, else None."""
    if folder is None or not (Path(folder) / "state.json").exists():
        return None
    state = json.loads((Path(folder) / "state.json").read_text())
    same = ({**state["params"], "epochs": None} == {**ae.get_params(), "epochs": None}
            and state["trained_on"] == trained_on)
    return state if same and state["epoch"] <= ae.epochs else None


def _write_checkpoint(folder, ae: RDFAutoencoder, trained_on: str, rng, epoch: int, minutes: float):
    """The model (with its optimizer state) under a new name first, then state.json written whole
    and naming it, then the older model removed: a kill at any point leaves a consistent pair."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model = f"model-epoch{epoch}.keras"
    ae.model_.save(folder / model)
    body = {"params": ae.get_params(), "trained_on": trained_on, "epoch": epoch,
            "model": model, "history": ae.history_, "rng": rng.bit_generator.state, "minutes": minutes}
    paths.replace_atomically(lambda tmp: tmp.write_text(json.dumps(body) + "\n"), folder / "state.json")
    for old in folder.glob("model-epoch*.keras"):
        if old.name != model:
            old.unlink()


def _as_batch(images) -> np.ndarray:
    x = np.asarray(images, np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[-1] != 1:
        raise ValueError(f"images must be (n, size, size[, 1]), got {np.shape(images)}")
    return x
