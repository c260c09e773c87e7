import numpy as np
import pytest
import torch

from glasslib.deepglassnet import DeepGlassNet, DeepGlassNetClassifier, contrastive_loss, sample_triplets
from glasslib.metrics import auc


def _toy(n=1200, seed=0):
    """Compositions on the 18-simplex; target when component 0 outweighs component 1."""
    rng = np.random.default_rng(seed)
    X = rng.dirichlet(np.ones(18) * 0.5, size=n).astype(np.float32)
    y = (X[:, 0] > X[:, 1]).astype(int)
    return X, y


def test_adjacency_is_symmetric_with_unit_diagonal():
    net = DeepGlassNet()
    a = net.adjacency()
    assert torch.allclose(a, a.T)
    assert torch.allclose(torch.diagonal(a), torch.ones(18), atol=1e-6)


def test_fast_forward_equals_the_equations_written_out():
    torch.manual_seed(0)
    for interaction in (True, False):
        net = DeepGlassNet(interaction=interaction).eval()
        with torch.no_grad():
            net.V.normal_()
        x = torch.randn(7, 18)
        f = net(x)
        assert f.shape == (7, 16)
        assert torch.allclose(f.norm(dim=1), torch.ones(7), atol=1e-5)
        assert torch.allclose(f, net.forward_reference(x), atol=1e-5)


def test_ablation_without_interaction_ignores_V():
    torch.manual_seed(0)
    net = DeepGlassNet(interaction=False).eval()
    x = torch.randn(3, 18)
    before = net(x)
    with torch.no_grad():
        net.V.add_(1.0)
    assert torch.equal(before, net(x))


def test_loss_is_eq11():
    f = torch.tensor([[1.0, 0.0]])
    pos, neg = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]])
    expected = -np.log(np.e / (np.e + 1.0))
    assert contrastive_loss(f, pos, neg).item() == pytest.approx(expected, rel=1e-6)


def test_triplets_have_the_right_classes():
    y = torch.tensor([1, 0, 0, 1, 0, 1, 0, 0])
    pos, neg = sample_triplets(y, torch.Generator().manual_seed(0))
    assert torch.equal(y[pos], y) and torch.equal(y[neg], 1 - y)


def test_training_learns_and_is_deterministic(tmp_path):
    X, y = _toy()
    Xv, yv = _toy(600, seed=1)
    a = DeepGlassNetClassifier(epochs=6, batch_size=64, seed=3).fit(X, y, eval_set=(Xv, yv), snapshot_epochs=(0, 6))
    b = DeepGlassNetClassifier(epochs=6, batch_size=64, seed=3).fit(X, y)
    sa, sb = a.decision_function(Xv), b.decision_function(Xv)
    assert np.array_equal(sa, sb)
    assert auc(sa, yv) > 0.9
    assert a.history_["val_auc"][-1] > a.history_["val_auc"][0]
    assert set(a.snapshots_) == {0, 6} and a.snapshots_[6]["features"].shape == (600, 16)
    path = a.save(tmp_path / "m.pt")
    blob = torch.load(path, weights_only=True)  # the one-file format loads without pickle
    assert set(blob) >= {"state_dict", "mean", "std", "center", "params"}
    c = DeepGlassNetClassifier.load(path)
    assert np.array_equal(c.decision_function(Xv), sa)


def test_bad_input():
    X, y = _toy(100)
    with pytest.raises(ValueError, match="both target"):
        DeepGlassNetClassifier(epochs=1).fit(X, np.zeros(100))
    model = DeepGlassNetClassifier(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 18\)"):
        model.decision_function(np.zeros((3, 5)))
