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
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data
from torch import nn

from .. import paths
from .metrics import auc

FORMAT = "glasslib.deepglassnet/2"


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

    def qkv_weights(self) -> torch.Tensor:
        """W (n, 3 n d) with x @ W = [K | Q^T | V] of Eqs. (3), (6), (7) for a batch x (B, n)."""
        n, d = self.embedding.shape
        a = self.adjacency()
        mix = torch.eye(n) + (a - torch.diag_embed(torch.diagonal(a))) / (n - 1)  # Eq. (6)
        proj = self.qkv(self.embedding)                           # (n, 3d): W_{Q,K,V} e_j, Eq. (7)
        scale = torch.ones(3 * d)
        scale[:d] = 1.0 / math.sqrt(d)                            # the 1/sqrt(d_k) of Eq. (8), on Q
        w = mix.T.unsqueeze(-1) * (proj * scale).unsqueeze(1)     # w[j, i, :] = mix_ij W e_j
        wq, wk, wv = w.chunk(3, dim=-1)
        # laid out for the CPU: Q transposed (d, n) per sample, so S^T = K Q^T comes out with
        # the softmax axis (over keys j) second; a softmax over a middle axis vectorises
        # along the contiguous one, about 2x faster than over a last axis of length 18
        return torch.cat([wk.reshape(n, -1), wq.transpose(1, 2).reshape(n, -1), wv.reshape(n, -1)], dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Eqs. (3)-(10). Because x enters Eqs. (3), (6) and (7) linearly, Q, K and V of a
        whole batch are one matrix product x @ W with W[j, (i, c)] = (I + M)_ij (W e_j)_c,
        M the off-diagonal A / (n - 1); `forward_reference` spells the equations out."""
        if not self.interaction:
            u = x.unsqueeze(-1) * self.embedding                 # Eq. (3) only: "w/o Iter"
        else:
            n, d = self.embedding.shape
            out = x @ self.qkv_weights()
            k = out[:, : n * d].view(len(x), n, d)
            qt = out[:, n * d: 2 * n * d].view(len(x), d, n)
            v = out[:, 2 * n * d:].view(len(x), n, d)
            alpha_t = torch.softmax(torch.bmm(k, qt), dim=1)      # Eq. (8), transposed: [j, i]
            u = torch.bmm(alpha_t.transpose(1, 2), v)             # Eq. (9)
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


class DeepGlassNetClassifier(ClassifierMixin, TransformerMixin, BaseEstimator):
    """Tg-band screening with DeepGlassNet, a scikit-learn estimator (binary only).

    fit(X, y): X are raw mass fractions (n_samples, n_components); y has exactly two labels,
    the larger one (e.g. 1, or True) being "Tg in the band".
    decision_function(X): similarity to the target-class centre (Eq. 12), higher = in band.
    predict(X): the nearer of the two class centres in feature space.
    No predict_proba: Eq. (12) is a cosine similarity, not a probability; calibrate it
    (e.g. sklearn's CalibratedClassifierCV, which uses decision_function) where one is needed.
    Seeding is local: fit draws from its own generators and leaves the caller's state alone.
    """

    def __init__(self, embed_dim=8, rank=5, hidden_dim=64, out_dim=16, interaction=True,
                 augment=True, sigma=0.05, epochs=60, batch_size=512, lr=2e-3,
                 weight_decay=1e-5, temperature=1.0, seed=0, band=None, n_threads=None):
        self.embed_dim, self.rank, self.hidden_dim, self.out_dim = embed_dim, rank, hidden_dim, out_dim
        self.interaction, self.augment, self.sigma = interaction, augment, sigma
        self.epochs, self.batch_size, self.lr, self.weight_decay = epochs, batch_size, lr, weight_decay
        self.temperature, self.seed, self.band, self.n_threads = temperature, seed, band, n_threads

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    # -- helpers ------------------------------------------------------------------------
    def _check_params(self) -> None:
        for name in ("embed_dim", "rank", "hidden_dim", "out_dim", "epochs"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"{name}={value!r} must be a positive integer")
        if isinstance(self.batch_size, bool) or int(self.batch_size) != self.batch_size or self.batch_size < 2:
            raise ValueError(f"batch_size={self.batch_size!r} must be an integer >= 2 "
                             "(a triplet batch needs at least two anchors)")
        for name in ("sigma", "temperature", "lr"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{name}={value!r} must be a positive number")
        if self.weight_decay < 0:
            raise ValueError(f"weight_decay={self.weight_decay!r} must be >= 0")

    def _normalise(self, X: torch.Tensor) -> torch.Tensor:
        return (X - self.mean_) / self.std_                        # Eq. (2)

    def _validate_X(self, X) -> torch.Tensor:
        check_is_fitted(self, "center_")
        X = validate_data(self, X, reset=False, dtype=np.float32)
        return torch.from_numpy(np.ascontiguousarray(X))

    def _binary(self, y) -> np.ndarray:
        """y as 0/1 with classes_[1] -> 1; anything but two classes is refused."""
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(f"Only binary classification is supported. The type of the target is "
                             f"{type_of_target(y)}. y must hold exactly two classes (in band / not in band); "
                             f"it holds {len(classes)} class{'' if len(classes) == 1 else 'es'}: {classes[:5].tolist()}")
        return (np.asarray(y) == classes[1]).astype(np.int64), classes

    def _features(self, X: torch.Tensor, batch: int = 65536) -> torch.Tensor:
        self.model_.eval()
        with torch.inference_mode():
            return torch.cat([self.model_(self._normalise(X[i:i + batch]))
                              for i in range(0, len(X), batch)]) if len(X) else torch.empty(0, self.out_dim)

    # -- estimator API ------------------------------------------------------------------
    def fit(self, X, y, eval_set=None, snapshot_epochs=(), progress=False):
        """Train on triplets; eval_set=(X_val, y_val) records validation AUC per epoch, and
        snapshot_epochs stores validation features at those epochs (paper Figs. 8-9)."""
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float32)
        y01, self.classes_ = self._binary(y)
        if eval_set is not None:
            if len(eval_set) != 2:
                raise ValueError("eval_set must be a pair (X_val, y_val)")
            X_val, y_val = check_X_y(eval_set[0], eval_set[1], dtype=np.float32)
            if X_val.shape[1] != X.shape[1]:
                raise ValueError(f"eval_set X has {X_val.shape[1]} features, X has {X.shape[1]}")
            unknown = np.setdiff1d(np.unique(y_val), self.classes_).tolist()
            if unknown:
                raise ValueError(f"eval_set y has labels {unknown} not seen in y ({self.classes_.tolist()})")
            X_val, y_val = torch.from_numpy(X_val), (np.asarray(y_val) == self.classes_[1]).astype(np.int64)
        if self.n_threads:
            torch.set_num_threads(int(self.n_threads))
        deterministic = torch.are_deterministic_algorithms_enabled()
        with torch.random.fork_rng(devices=[]):                     # local seed, caller's state kept
            torch.manual_seed(self.seed)
            torch.use_deterministic_algorithms(True, warn_only=True)  # same seed, same numbers
            try:
                self._train(torch.from_numpy(X), torch.from_numpy(y01), X_val if eval_set is not None else None,
                            y_val if eval_set is not None else None, snapshot_epochs, progress)
            finally:
                torch.use_deterministic_algorithms(deterministic)
        return self

    def _train(self, Xt, yt, X_val, y_val, snapshot_epochs, progress):
        gen = torch.Generator().manual_seed(self.seed)
        self.mean_ = Xt.mean(0)
        self.std_ = Xt.std(0).clamp_min(1e-6)
        self.model_ = DeepGlassNet(Xt.shape[1], self.embed_dim, self.rank, self.hidden_dim,
                                   self.out_dim, self.interaction)
        opt = torch.optim.Adam(self.model_.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        self.history_ = {"epoch": [], "loss": [], "val_auc": []}
        self.snapshots_ = {}
        if X_val is not None and 0 in snapshot_epochs:
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
                if len(anchors) < 2:                                    # BatchNorm needs two
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
            if X_val is not None:
                self._record(epoch, X_val, y_val, Xt, yt, snapshot=epoch in snapshot_epochs, loss=total / n)
            else:
                self.history_["epoch"].append(epoch)
                self.history_["loss"].append(total / n)
        self.center_ = self._class_center(Xt, yt)
        self.other_center_ = self._features(Xt[yt == 0]).mean(0)

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

    def grid_scorer(self, columns, scale: float, chunk: int = 2048):
        """decision_function for a screening grid, fed the grid's integer units directly:
        X[:, columns] = units * scale and every other column 0. The normalisation of Eq. (2), the
        fixed columns, the grid's scale and the head's BatchNorm are folded into the weights, and
        the softmax of Eq. (8) is normalised after its product with V (one division per output
        instead of per weight). Equal to decision_function to float32 rounding (tests); the
        ratio of the two speeds is printed by benchmarks/screen_fine_grid.py. None for the
        "w/o Iter" variant, which has no attention to fuse: the caller falls back then."""
        check_is_fitted(self, "center_")
        if not self.interaction:
            return None
        return _GridScorer(self, [int(c) for c in columns], float(scale), int(chunk))

    def predict(self, X) -> np.ndarray:
        """The label of the nearer class centre (the target one on ties)."""
        feats = self._features(self._validate_X(X))
        if self.other_center_ is None:
            raise ValueError("this model was saved by glasslib < 0.2 without the non-target centre; "
                             "decision_function works, predict needs it refitted")
        nearer_target = (feats @ self.center_ >= feats @ self.other_center_).numpy()
        return self.classes_[nearer_target.astype(int)]

    def score(self, X, y) -> float:
        """AUC of Eq. (13) on (X, y)."""
        y01 = (np.asarray(y) == self.classes_[1]).astype(int)
        return auc(self.decision_function(X), y01)

    # -- persistence --------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """One file: weights, hyperparameters, normalisation, band and class centre.
        Loadable with torch.load(weights_only=True)."""
        params = self.get_params()
        params["band"] = None if self.band is None else [float(v) for v in self.band]
        blob = {"format": FORMAT, "params": params,
                "n_components": int(self.mean_.shape[0]),
                "state_dict": self.model_.state_dict(), "mean": self.mean_, "std": self.std_,
                "center": self.center_, "other_center": self.other_center_,
                "classes": torch.as_tensor(self.classes_.astype(np.int64))}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(blob, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "DeepGlassNetClassifier":
        blob = torch.load(paths.record_input(path), weights_only=True)
        if blob.get("format") not in (FORMAT, "glasslib.deepglassnet/1"):
            raise ValueError(f"{path} is not a saved DeepGlassNetClassifier")
        params = dict(blob["params"])
        if params.get("band") is not None:
            params["band"] = tuple(params["band"])
        est = cls(**params)
        est.mean_, est.std_, est.center_ = blob["mean"], blob["std"], blob["center"]
        # format 1 (before predict existed) kept neither the other centre nor the labels
        est.other_center_ = blob.get("other_center")
        est.classes_ = blob["classes"].numpy() if "classes" in blob else np.array([0, 1])
        est.n_features_in_ = int(blob["n_components"])
        est.model_ = DeepGlassNet(blob["n_components"], est.embed_dim, est.rank, est.hidden_dim,
                                  est.out_dim, est.interaction)
        est.model_.load_state_dict(blob["state_dict"])
        est.model_.eval()
        return est


class _GridScorer:
    """DeepGlassNetClassifier.grid_scorer: units (B, len(columns)) int -> scores (B,) float32."""

    def __init__(self, est: DeepGlassNetClassifier, columns: list[int], scale: float, chunk: int):
        net = est.model_.eval()
        n, d = net.embedding.shape
        self.n, self.d, self.chunk = n, d, chunk
        with torch.inference_mode():
            w = net.qkv_weights()
            std, mean = est.std_.float(), est.mean_.float()
            # ((x - mean) / std) @ W with x zero outside `columns` and x = units * scale inside
            self.w_in = (w[columns] * (scale / std[columns])[:, None]).contiguous()
            self.b_in = -(mean / std) @ w
            lin1, bn, _relu, lin2 = net.head
            g = bn.weight / torch.sqrt(bn.running_var + bn.eps)  # eval BatchNorm folded into lin1
            self.w1 = (lin1.weight * g[:, None]).T.contiguous()
            self.b1 = (lin1.bias - bn.running_mean) * g + bn.bias
            self.w2, self.b2 = lin2.weight.T.contiguous(), lin2.bias.clone()
            self.center = est.center_.float().clone()

    def __call__(self, units: np.ndarray) -> np.ndarray:
        x = torch.from_numpy(np.ascontiguousarray(units, dtype=np.float32))
        n, d = self.n, self.d
        with torch.inference_mode():
            parts = []
            for i in range(0, len(x), self.chunk):        # chunks that stay in cache
                out = torch.addmm(self.b_in, x[i:i + self.chunk], self.w_in)
                b = len(out)
                k = out[:, : n * d].view(b, n, d)
                qt = out[:, n * d: 2 * n * d].view(b, d, n)
                v = out[:, 2 * n * d:].view(b, n, d)
                s = torch.bmm(k, qt)                       # S^T: keys j along axis 1
                s.sub_(s.amax(1, keepdim=True)).exp_()
                u = torch.bmm(s.transpose(1, 2), v).div_(s.sum(1).unsqueeze(-1))   # Eqs. (8)-(9)
                h = torch.addmm(self.b1, u.flatten(1), self.w1).clamp_min_(0)
                f = torch.addmm(self.b2, h, self.w2)
                parts.append((f @ self.center) / f.norm(dim=1).clamp_min(1e-12))   # Eqs. (10), (12)
            return (torch.cat(parts) if parts else torch.empty(0)).numpy()
