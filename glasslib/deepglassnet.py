"""DeepGlassNet (paper 2 §II.C-G) in PyTorch, wrapped as a scikit-learn-like estimator.

Forward pass: z-scored fractions x (Eq. 2) -> proportion-modulated embedding h_i = x_i e_i
(Eq. 3) -> graph convolution with A = V V^T, unit-norm rows of V (Eqs. 4-6) -> scaled
dot-product self-attention over the components (Eqs. 7-9) -> projection head Linear-BN-
ReLU-Linear (Eq. 10) -> L2 normalisation. Trained on triplets with the contrastive loss of
Eq. (11); scored by the inner product with the target-class centre (Eq. 12).

Choices the paper leaves open are hyperparameters with the defaults documented in
notebooks/03_deepglassnet_training.ipynb (sigma, dimensions, epochs, batch size, lr).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import paths
from .metrics import auc


class DeepGlassNet(nn.Module):
    """The network of Fig. 3: embedding, interaction module (graph conv + attention), head."""

    def __init__(self, n_components: int = 18, embed_dim: int = 8, rank: int = 5,
                 hidden_dim: int = 64, out_dim: int = 16, interaction: bool = True):
        super().__init__()
        self.n, self.interaction = n_components, interaction
        self.embedding = nn.Parameter(torch.randn(n_components, embed_dim) / math.sqrt(embed_dim))
        self.V = nn.Parameter(torch.randn(n_components, rank))
        self.qkv = nn.Linear(embed_dim, 3 * embed_dim, bias=False)  # W_Q, W_K, W_V stacked
        self.head = nn.Sequential(nn.Linear(n_components * embed_dim, hidden_dim),
                                  nn.BatchNorm1d(hidden_dim), nn.ReLU(),
                                  nn.Linear(hidden_dim, out_dim))

    def adjacency(self) -> torch.Tensor:
        """Eqs. (4)-(5): A = V V^T with unit-norm rows of V, so A is symmetric with diag(A) = 1."""
        v = F.normalize(self.V, dim=1)
        return v @ v.T

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Eqs. (3)-(10). Because x enters Eqs. (3), (6) and (7) linearly, Q, K and V of a
        whole batch are one matrix product x @ W with W[j, (i, c)] = (I + M)_ij (W e_j)_c,
        M the off-diagonal A / (n - 1); `forward_reference` spells the equations out."""
        if not self.interaction:
            u = x.unsqueeze(-1) * self.embedding                 # Eq. (3) only: "w/o Iter"
        else:
            n, d = self.embedding.shape
            a = self.adjacency()
            mix = torch.eye(n) + (a - torch.diag_embed(torch.diagonal(a))) / (n - 1)  # Eq. (6)
            proj = self.qkv(self.embedding)                       # (n, 3d): W_{Q,K,V} e_j, Eq. (7)
            scale = torch.ones(3 * d)
            scale[:d] = 1.0 / math.sqrt(d)                        # the 1/sqrt(d_k) of Eq. (8), on Q
            w = mix.T.unsqueeze(-1) * (proj * scale).unsqueeze(1)  # w[j, i, :] = mix_ij W e_j
            q, k, v = (x @ w.reshape(n, -1)).view(len(x), n, 3 * d).chunk(3, dim=-1)
            u = torch.softmax(q @ k.transpose(1, 2), dim=-1) @ v  # Eqs. (8)-(9)
        return F.normalize(self.head(u.flatten(1)), dim=1)        # Eq. (10) + L2 norm

    def forward_reference(self, x: torch.Tensor) -> torch.Tensor:
        """The same network written equation by equation (slower; used by the tests)."""
        h = x.unsqueeze(-1) * self.embedding                      # Eq. (3): (B, n, d)
        if self.interaction:
            a = self.adjacency()
            n = self.n
            z = torch.stack([h[:, i] + sum(a[i, j] * h[:, j] for j in range(n) if j != i) / (n - 1)
                             for i in range(n)], dim=1)           # Eq. (6)
            q, k, v = self.qkv(z).chunk(3, dim=-1)                # Eq. (7)
            alpha = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(k.shape[-1]), dim=-1)  # Eq. (8)
            h = alpha @ v                                         # Eq. (9)
        return F.normalize(self.head(h.flatten(1)), dim=1)


def contrastive_loss(f, f_pos, f_neg, temperature: float = 1.0) -> torch.Tensor:
    """Eq. (11): -log(e^<f,f+> / (e^<f,f+> + e^<f,f->)) = softplus(<f,f-> - <f,f+>)."""
    s_pos = (f * f_pos).sum(1) / temperature
    s_neg = (f * f_neg).sum(1) / temperature
    return F.softplus(s_neg - s_pos).mean()


def sample_triplets(y: torch.Tensor, generator: torch.Generator):
    """For every anchor, a random same-class positive and other-class negative (vectorised)."""
    pos_pool = torch.nonzero(y == 1).squeeze(1)
    neg_pool = torch.nonzero(y == 0).squeeze(1)
    n = len(y)
    pick_pos = pos_pool[torch.randint(len(pos_pool), (n,), generator=generator)]
    pick_neg = neg_pool[torch.randint(len(neg_pool), (n,), generator=generator)]
    is_pos = y == 1
    same = torch.where(is_pos, pick_pos, pick_neg)
    other = torch.where(is_pos, pick_neg, pick_pos)
    return same, other


class DeepGlassNetClassifier:
    """Tg-band screening with DeepGlassNet, scikit-learn style.

    fit(X, y): X are raw mass fractions (n_samples, 18), y the 0/1 band labels.
    decision_function(X): similarity to the target-class centre (Eq. 12), higher = in band.
    """

    def __init__(self, embed_dim=8, rank=5, hidden_dim=64, out_dim=16, interaction=True,
                 augment=True, sigma=0.05, epochs=60, batch_size=512, lr=2e-3,
                 weight_decay=1e-5, temperature=1.0, seed=0, band=None, n_threads=None):
        self.embed_dim, self.rank, self.hidden_dim, self.out_dim = embed_dim, rank, hidden_dim, out_dim
        self.interaction, self.augment, self.sigma = interaction, augment, sigma
        self.epochs, self.batch_size, self.lr, self.weight_decay = epochs, batch_size, lr, weight_decay
        self.temperature, self.seed, self.band, self.n_threads = temperature, seed, band, n_threads

    # -- helpers ------------------------------------------------------------------------
    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("embed_dim", "rank", "hidden_dim", "out_dim",
                                              "interaction", "augment", "sigma", "epochs",
                                              "batch_size", "lr", "weight_decay", "temperature",
                                              "seed", "band", "n_threads")}

    def _normalise(self, X: torch.Tensor) -> torch.Tensor:
        return (X - self.mean_) / self.std_                        # Eq. (2)

    def _validate_X(self, X) -> torch.Tensor:
        X = np.asarray(X, dtype=np.float32)
        expected = self.mean_.shape[0] if hasattr(self, "mean_") else None
        if X.ndim != 2 or (expected is not None and X.shape[1] != expected):
            raise ValueError(f"X must have shape (n_samples, {expected or 'n_components'}), got {X.shape}")
        return torch.from_numpy(X)

    def _features(self, X: torch.Tensor, batch: int = 65536) -> torch.Tensor:
        self.model_.eval()
        with torch.inference_mode():
            return torch.cat([self.model_(self._normalise(X[i:i + batch]))
                              for i in range(0, len(X), batch)]) if len(X) else torch.empty(0, self.out_dim)

    # -- estimator API ------------------------------------------------------------------
    def fit(self, X, y, eval_set=None, snapshot_epochs=(), progress=False):
        """Train on triplets; eval_set=(X_val, y_val) records validation AUC per epoch, and
        snapshot_epochs stores validation features at those epochs (paper Figs. 8-9)."""
        if self.n_threads:
            torch.set_num_threads(int(self.n_threads))
        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y).astype(np.int64)
        if X.ndim != 2 or len(X) != len(y):
            raise ValueError(f"X {X.shape} and y {y.shape} do not match")
        if not (0 < y.sum() < len(y)):
            raise ValueError("y needs both target (1) and non-target (0) samples")
        torch.manual_seed(self.seed)
        gen = torch.Generator().manual_seed(self.seed)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        self.mean_ = Xt.mean(0)
        self.std_ = Xt.std(0).clamp_min(1e-6)
        self.model_ = DeepGlassNet(X.shape[1], self.embed_dim, self.rank, self.hidden_dim,
                                   self.out_dim, self.interaction)
        opt = torch.optim.Adam(self.model_.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        self.history_ = {"epoch": [], "loss": [], "val_auc": []}
        self.snapshots_ = {}
        if eval_set is not None:
            X_val, y_val = torch.from_numpy(np.asarray(eval_set[0], np.float32)), np.asarray(eval_set[1])
            if 0 in snapshot_epochs:
                self._record(0, X_val, y_val, Xt, yt, snapshot=True, loss=float("nan"))
        epochs = range(1, self.epochs + 1)
        if progress:
            from tqdm.auto import tqdm

            epochs = tqdm(epochs, desc="epochs", leave=False)
        n = len(yt)
        for epoch in epochs:
            self.model_.train()
            order = torch.randperm(n, generator=gen)
            pos_idx, neg_idx = sample_triplets(yt, gen)
            total = 0.0
            for start in range(0, n, self.batch_size):
                anchors = order[start:start + self.batch_size]
                if len(anchors) < 2:
                    continue
                idx = torch.cat([anchors, pos_idx[anchors], neg_idx[anchors]])
                xb = Xt[idx]
                if self.augment:                                        # Eq. (1)
                    xb = xb * (1 + self.sigma * torch.randn(xb.shape, generator=gen))
                f = self.model_(self._normalise(xb))
                b = len(anchors)
                loss = contrastive_loss(f[:b], f[b:2 * b], f[2 * b:], self.temperature)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                total += loss.item() * b
            if eval_set is not None:
                self._record(epoch, X_val, y_val, Xt, yt, snapshot=epoch in snapshot_epochs,
                             loss=total / n)
            else:
                self.history_["epoch"].append(epoch)
                self.history_["loss"].append(total / n)
        self.center_ = self._class_center(Xt, yt)
        return self

    def _class_center(self, Xt, yt) -> torch.Tensor:
        """Mean feature of the training targets (no augmentation), the f_c of Eq. (12)."""
        return self._features(Xt[yt == 1]).mean(0)

    def _record(self, epoch, X_val, y_val, Xt, yt, snapshot, loss):
        self.center_ = self._class_center(Xt, yt)
        feats = self._features(X_val)
        scores = (feats @ self.center_).numpy()
        self.history_["epoch"].append(epoch)
        self.history_["loss"].append(loss)
        self.history_["val_auc"].append(auc(scores, y_val))
        if snapshot:
            self.snapshots_[epoch] = {"features": feats.numpy().copy(), "scores": scores}

    def transform(self, X) -> np.ndarray:
        """Learned L2-normalised features of X (n_samples, out_dim)."""
        return self._features(self._validate_X(X)).numpy()

    def decision_function(self, X, batch: int = 65536) -> np.ndarray:
        """Eq. (12): inner product of each sample's feature with the target-class centre."""
        Xt = self._validate_X(X)
        return (self._features(Xt, batch) @ self.center_).numpy()

    def score(self, X, y) -> float:
        """AUC of Eq. (13) on (X, y)."""
        return auc(self.decision_function(X), y)

    # -- persistence --------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """One file: weights, hyperparameters, normalisation, band and class centre.
        Loadable with torch.load(weights_only=True)."""
        params = self.get_params()
        params["band"] = None if self.band is None else [float(v) for v in self.band]
        blob = {"format": "glasslib.deepglassnet/1", "params": params,
                "n_components": int(self.mean_.shape[0]),
                "state_dict": self.model_.state_dict(), "mean": self.mean_, "std": self.std_,
                "center": self.center_}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(blob, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "DeepGlassNetClassifier":
        blob = torch.load(paths.record_input(path), weights_only=True)
        if blob.get("format") != "glasslib.deepglassnet/1":
            raise ValueError(f"{path} is not a saved DeepGlassNetClassifier")
        params = dict(blob["params"])
        if params.get("band") is not None:
            params["band"] = tuple(params["band"])
        est = cls(**params)
        est.mean_, est.std_, est.center_ = blob["mean"], blob["std"], blob["center"]
        est.model_ = DeepGlassNet(blob["n_components"], est.embed_dim, est.rank, est.hidden_dim,
                                  est.out_dim, est.interaction)
        est.model_.load_state_dict(blob["state_dict"])
        est.model_.eval()
        return est
