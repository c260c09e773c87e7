import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from glasslib.pcf import autoencoder


def test_architecture_matches_the_paper():
    model, encoder, decoder = autoencoder.build_autoencoder()
    convs = [layer for layer in encoder.layers if layer.__class__.__name__ == "Conv2D"]
    pools = [layer for layer in encoder.layers if layer.__class__.__name__ == "MaxPooling2D"]
    assert [layer.filters for layer in convs] == [64, 32, 32, 16, 16, 8] and len(pools) == 6
    deconvs = [layer for layer in decoder.layers if layer.__class__.__name__ == "Conv2DTranspose"]
    ups = [layer for layer in decoder.layers if layer.__class__.__name__ == "UpSampling2D"]
    assert [layer.filters for layer in deconvs] == [8, 16, 16, 32, 32, 64] and len(ups) == 6
    assert not [layer for layer in model.layers + encoder.layers + decoder.layers if layer.__class__.__name__ == "Dense"]
    assert tuple(encoder.output.shape[1:]) == (8,)
    assert tuple(decoder.output.shape[1:]) == (64, 64, 1)


def test_fit_save_load(tmp_path):
    rng = np.random.default_rng(0)
    imgs = (rng.random((12, 64, 64)) > 0.5).astype("float32")
    ae = autoencoder.RDFAutoencoder(epochs=2, batch_size=4).fit(imgs, imgs[:4])
    assert len(ae.history_["loss"]) == 2 and "val_loss" in ae.history_
    latent = ae.encode(imgs)
    assert latent.shape == (12, 8)
    ae.save(tmp_path)
    again = autoencoder.RDFAutoencoder.load(tmp_path)
    assert np.allclose(again.decode(latent), ae.decode(latent), atol=1e-6)
    assert again.get_params() == ae.get_params() and again.history_ == ae.history_
    with pytest.raises(ValueError, match="images must be"):
        ae.encode(np.zeros((2, 64, 64, 3)))


def test_runs_on_the_torch_backend():
    code = ("import numpy as np, keras; from glasslib.pcf import autoencoder; "
            "ae = autoencoder.RDFAutoencoder(epochs=1, batch_size=4).fit(np.zeros((4, 64, 64), 'float32')); "
            "print(keras.backend.backend(), ae.encode(np.zeros((1, 64, 64), 'float32')).shape)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "KERAS_BACKEND": "torch"}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("torch (1, 8)")


def test_latent_activation_choice_and_dead_units():
    _, relu_encoder, _ = autoencoder.build_autoencoder()
    _, linear_encoder, _ = autoencoder.build_autoencoder(latent_activation="linear")
    assert relu_encoder.get_layer("conv6").activation.__name__ == "relu"
    assert linear_encoder.get_layer("conv6").activation.__name__ == "linear"
    # the other five convolutions stay ReLU in both variants
    assert linear_encoder.get_layer("conv5").activation.__name__ == "relu"
    with pytest.raises(ValueError, match="latent_activation 'tanh'.*relu, linear"):
        autoencoder.RDFAutoencoder(latent_activation="tanh")

    rng = np.random.default_rng(1)
    imgs = rng.random((6, 64, 64)).astype("float32")
    ae = autoencoder.RDFAutoencoder(epochs=1, batch_size=3, latent_activation="linear").fit(imgs)
    latent = ae.encode(imgs)
    # a linear bottleneck gives signed values; ReLU never does
    assert (latent < 0).any()
    # kill one unit by hand: its conv6 bias very negative, weights zero -> 0 for every image
    conv6 = autoencoder.RDFAutoencoder(epochs=1, batch_size=3).fit(imgs)
    layer = conv6.encoder_.get_layer("conv6")
    kernel, bias = (np.array(w) for w in layer.get_weights())
    kernel[..., 3], bias[3] = 0.0, -1.0
    layer.set_weights([kernel, bias])
    assert 3 in conv6.dead_units(imgs)
    assert conv6.encode(imgs)[:, 3].max() == 0.0


def test_same_seed_same_numbers_on_cpu():
    rng = np.random.default_rng(2)
    imgs = rng.random((8, 64, 64)).astype("float32")
    def fit(seed):
        return autoencoder.RDFAutoencoder(epochs=2, batch_size=4, seed=seed).fit(imgs)
    a, b, c = fit(0), fit(0), fit(1)
    assert a.history_["loss"] == b.history_["loss"]
    # the caller's global seed does not drive the result (fit draws from its own seed); TensorFlow
    # may reorder float sums after a reseed, so only round-off is allowed
    keras.utils.set_random_seed(123)
    assert np.allclose(fit(0).history_["loss"], a.history_["loss"], rtol=1e-4)
    assert np.array_equal(a.encode(imgs), b.encode(imgs))
    assert not np.allclose(a.encode(imgs), c.encode(imgs))


def test_fit_leaves_the_global_random_state_alone():
    imgs = np.zeros((4, 64, 64), "float32")
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    autoencoder.RDFAutoencoder(epochs=1, batch_size=2).fit(imgs)
    assert np.random.rand() == expected


def test_linear_bottleneck_survives_save_and_load(tmp_path):
    ae = autoencoder.RDFAutoencoder(epochs=1, batch_size=2, latent_activation="linear", learning_rate=5e-4)
    ae.fit(np.zeros((4, 64, 64), "float32")).save(tmp_path)
    again = autoencoder.RDFAutoencoder.load(tmp_path)
    assert again.latent_activation == "linear" and again.learning_rate == 5e-4


@pytest.mark.parametrize("kwargs", [{"epochs": 0}, {"batch_size": 0}])
def test_bad_hyperparameters(kwargs):
    with pytest.raises(ValueError, match=f"{next(iter(kwargs))} 0 must be a positive integer"):
        autoencoder.RDFAutoencoder(**kwargs)


def test_a_stopped_run_resumes_from_the_model_trained_on_the_same_images(tmp_path, capsys):
    """fit_or_resume trains and saves once; called again with the same hyperparameters and images it
    loads that model (same weights, no training, and says how long the saved training took); other
    images or other epochs train anew."""
    rng = np.random.default_rng(1)
    imgs = rng.random((8, 64, 64)).astype("float32")
    first = autoencoder.RDFAutoencoder(epochs=1, batch_size=4).fit_or_resume(tmp_path, imgs, imgs[:2])
    again = autoencoder.RDFAutoencoder(epochs=1, batch_size=4)
    again.fit = None          # resuming must not train: calling fit would raise TypeError
    capsys.readouterr()
    again = again.fit_or_resume(tmp_path, imgs, imgs[:2])
    assert np.array_equal(again.encode(imgs), first.encode(imgs)) and again.history_ == first.history_
    saved_minutes = json.loads((tmp_path / "params.json").read_text())["fit_minutes"]
    assert 0 < saved_minutes == first.fit_minutes_ == again.fit_minutes_
    assert "loaded the autoencoder" in capsys.readouterr().out
    other = imgs.copy()
    other[0, 0, 0] += 0.5
    assert autoencoder.data_fingerprint(other, imgs[:2]) != autoencoder.data_fingerprint(imgs, imgs[:2])
    retrained = autoencoder.RDFAutoencoder(epochs=1, batch_size=4, seed=3).fit_or_resume(tmp_path, other, imgs[:2])
    assert not np.array_equal(retrained.encode(imgs), first.encode(imgs))
    params = json.loads((tmp_path / "params.json").read_text())
    assert params["trained_on"] == autoencoder.data_fingerprint(other, imgs[:2]) and params["params"]["seed"] == 3


def test_a_pipeline_saved_beside_its_autoencoder_leaves_that_model_resumable(tmp_path, capsys):
    """Notebook 07 saves its pipeline into the folder of notebook 06's autoencoder: the autoencoder's
    files stay byte for byte as 06 wrote them, fingerprint included, so 06 still loads it."""
    from glasslib.pcf.pipeline import RDFPipeline

    rng = np.random.default_rng(2)
    imgs = rng.random((8, 64, 64)).astype("float32")
    autoencoder.RDFAutoencoder(epochs=1, batch_size=4).fit_or_resume(tmp_path / "autoencoder", imgs)
    before = {f.name: f.read_bytes() for f in (tmp_path / "autoencoder").iterdir()}
    ae = autoencoder.RDFAutoencoder.load(tmp_path / "autoencoder")
    RDFPipeline(epochs=1, batch_size=4).fit(rng.random((8, 58)), imgs, autoencoder=ae).save(tmp_path)
    assert {f.name: f.read_bytes() for f in (tmp_path / "autoencoder").iterdir()} == before
    again = autoencoder.RDFAutoencoder(epochs=1, batch_size=4)
    again.fit = None          # loading must not train
    again.fit_or_resume(tmp_path / "autoencoder", imgs)
    # saved elsewhere, the loaded model carries its fingerprint along
    ae.save(tmp_path / "copy")
    copy = json.loads((tmp_path / "copy" / "params.json").read_text())
    assert copy["trained_on"] == autoencoder.data_fingerprint(imgs) and copy["fit_minutes"] > 0


def test_a_killed_training_continues_from_its_checkpoint_with_the_same_numbers(tmp_path, capsys):
    """A training stopped after 2 of 4 epochs (its checkpoint is what a kill leaves) and continued
    gives the weights and loss history of an uninterrupted 4-epoch training; a checkpoint of other
    images is ignored."""
    rng = np.random.default_rng(2)
    imgs, val = rng.random((8, 64, 64)).astype("float32"), rng.random((2, 64, 64)).astype("float32")
    whole = autoencoder.RDFAutoencoder(epochs=4, batch_size=4).fit(imgs, val)
    autoencoder.RDFAutoencoder(epochs=2, batch_size=4).fit(imgs, val, checkpoint=tmp_path, checkpoint_every=1)
    assert json.loads((tmp_path / "state.json").read_text())["epoch"] == 2
    assert [p.name for p in tmp_path.glob("*.keras")] == ["model-epoch2.keras"]
    capsys.readouterr()
    continued = autoencoder.RDFAutoencoder(epochs=4, batch_size=4).fit(imgs, val, checkpoint=tmp_path)
    assert continued.resumed_from_epoch_ == 2 and "from epoch 2 of 4" in capsys.readouterr().out
    assert len(continued.history_["loss"]) == 4
    np.testing.assert_allclose(continued.history_["loss"], whole.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(continued.encode(val), whole.encode(val), rtol=1e-4, atol=1e-6)
    other = autoencoder.RDFAutoencoder(epochs=4, batch_size=4).fit(imgs[::-1], val, checkpoint=tmp_path)
    assert other.resumed_from_epoch_ == 0


def test_a_training_kept_in_a_given_checkpoint_folder_resumes_there_and_reports_each_state(tmp_path, capsys):
    """A run that must outlive the machine (the paper-scale seed trainings commit their state) names
    its checkpoint folder: fit_or_resume continues from the state found there, calls on_checkpoint
    with each state it writes, and removes the folder once the model is saved."""
    rng = np.random.default_rng(4)
    imgs = rng.random((8, 64, 64)).astype("float32")
    state = tmp_path / "committed-state"
    autoencoder.RDFAutoencoder(epochs=1, batch_size=4).fit(imgs, checkpoint=state, checkpoint_every=1)
    written = []
    capsys.readouterr()
    ae = autoencoder.RDFAutoencoder(epochs=2, batch_size=4).fit_or_resume(
        tmp_path / "model", imgs, checkpoint=state, on_checkpoint=lambda where, epoch: written.append((where, epoch)))
    assert ae.resumed_from_epoch_ == 1 and "from epoch 1 of 2" in capsys.readouterr().out
    assert written == [(state, 2)]
    assert not state.exists() and (tmp_path / "model" / "params.json").exists()
