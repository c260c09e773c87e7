# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (glass-ml)
#     language: python
#     name: glass-ml
# ---

# %% [markdown]
# # 02 · DeepGlassNet vs classical baselines and ablations — paper 2, Figs. 7 and 10
#
# **Reproduces:** Fig. 7 (AUC and Precision@100 of DeepGlassNet vs KNN, RF, SVM, DT, MLP over Tg bands
# of width 100, 50, 20 and 10 °C in 300–800 °C) and Fig. 10 (ablations: without the interaction module,
# without augmentation).
#
# **Paper reports:** DeepGlassNet "significantly outperforms" all five baselines in every band; removing
# either the interaction module (graph convolution + attention) or the augmentation lowers its scores.
#
# **Here, beyond the paper:** a gradient-boosting baseline (HGB), and every comparison on the paper's
# random split **and** on a leave-publication-out split (no publication on both sides).
# Choices the paper leaves open (all in `glasslib.tg.model`): σ of Eq. (1) = 0.05, embedding
# d = 8, rank f = 5, hidden 64, output 16, Adam lr 2e-3, batch 512 anchors, no temperature in Eq. (11);
# SVM is fitted on a seeded subsample of at most 10,000 rows (RBF-SVM fitting is O(n²)).

# %% tags=["parameters"]
profile = "quick"  # "quick" (CI, minutes) or "full" (paper scale)
seed = 0
variant = None  # set by `reproduce --set ...`: that run's figures and models go to a folder of this name

# %%
import matplotlib.pyplot as plt
import pandas as pd
from glasslib import notebook_run
from glasslib.tg import baselines, reported
from glasslib.tg.dataset import TgProblem

run = notebook_run("02_deepglassnet_benchmark", profile, seed, variant=variant)
ALL_BANDS = [(a, a + w) for w in (100, 50, 20, 10) for a in range(300, 800, 100)]
BANDS = run.pick([(500, 600), (500, 520)], ALL_BANDS)
DGN = dict(epochs=run.pick(8, 60), embed_dim=8, hidden_dim=64, out_dim=16, batch_size=512)
SVM_CAP = run.pick(3000, 10000)
SPLITS = ("random", "publication")
print(len(BANDS), "bands x", len(SPLITS), "splits; DeepGlassNet", DGN)

# %%
# full profile: every finished (split, band) block is appended to a cache, so a stopped run resumes
cache = run.figure_dir / "comparison.jsonl" if run.full else None
results = baselines.compare_bands(BANDS, SPLITS, DGN, svm_max_train=SVM_CAP, seed=seed, cache=cache)
records = results.drop(columns="seconds").to_dict("records")   # timings are printed, not stored
results.pivot_table(index=["split", "band"], columns="model", values="auc").round(3)

# %% [markdown]
# ## Fig. 7: AUC and Precision@100 per band (random split left, leave-publication-out right)

# %%
order = ["DeepGlassNet", "KNN", "RF", "SVM", "DT", "MLP", "HGB"]
fig, axes = plt.subplots(2, len(SPLITS), figsize=(6 * len(SPLITS), 7), squeeze=False)
for j, split in enumerate(SPLITS):
    sub = results[results.split == split]
    for i, metric in enumerate(["auc", "precision@100"]):
        piv = sub.pivot_table(index="band", columns="model", values=metric, sort=False)[order]
        piv.plot.bar(ax=axes[i, j], width=0.85, legend=(i == 0 and j == 0), rot=60)
        axes[i, j].set(title=f"{metric} — {split} split", ylabel=metric, xlabel="Tg band (°C)", ylim=(0.4 if metric == "auc" else 0, 1.0))
axes[0, 0].legend(ncol=4, fontsize=7, loc="lower left")
fig.tight_layout()
run.save_fig(fig, "fig7_auc_precision")

# %% [markdown]
# ## Fig. 10: ablations (random split, 500–600 °C and the narrowest band)

# %%
from glasslib.tg.model import DeepGlassNetClassifier
from glasslib.tg.metrics import auc, precision_at_k

ablation = []
for band in run.pick([(500, 600), (500, 520)], [(300, 400), (500, 600), (700, 800), (500, 520), (500, 510)]):
    prob = TgProblem(band, "random", 0)   # the paper's fixed split; seed varies the models
    for name, kw in (("DeepGlassNet", {}), ("w/o Iter", {"interaction": False}), ("w/o Augmentation", {"augment": False})):
        m = DeepGlassNetClassifier(seed=seed, **{**DGN, **kw}).fit(prob.X_train, prob.y_train)
        s = m.decision_function(prob.X_val)
        ablation.append({"band": f"{band[0]}-{band[1]}", "variant": name, "auc": auc(s, prob.y_val),
                         "precision@100": precision_at_k(s, prob.y_val, 100)})
ablation = pd.DataFrame(ablation)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for ax, metric in zip(axes, ["auc", "precision@100"]):
    ablation.pivot_table(index="band", columns="variant", values=metric, sort=False).plot.bar(ax=ax, rot=0)
    ax.set(ylabel=metric, xlabel="Tg band (°C)", ylim=(0.5, 1.0), title=f"Fig. 10 — {metric}")
run.save_fig(fig, "fig10_ablation")
ablation.round(3)

# %%
run.save_metrics({"dgn": DGN, "comparison": records, "ablation": ablation.to_dict("records")})


# %% [markdown]
# The headline metrics of this run against the quick profile's seed study (`benchmarks/quick_seed_study.py`):
# a metric outside its tolerance fails the notebook test.

# %%
run.check_metrics()

# %% [markdown]
# ## One seed, several floating-point paths: why one 20 °C band is shown but not checked
#
# Training repeats bit for bit at one thread count on one machine. Another thread count, or another
# CPU's vector kernels, changes the order of floating-point sums, and a few epochs of training can
# amplify that. `benchmarks/deepglassnet_numerics.py` trained this notebook's quick DeepGlassNet with
# seed 0 under four floating-point paths, each in a fresh process, and with seeds 0–2 on the native
# path. The result is stored, not rerun here. Where the spread over paths is far above the spread over
# seeds, a seed study on one machine understates how far the number moves elsewhere. That band's
# AUC is then not a number to check, or to compare between models, from a single run: the publication
# split's 20 °C band. On the random split the same paths and seeds stay close, so its 20 °C band is
# checked, with a tolerance that takes in the spread over paths as well as over seeds.

# %%
import json
from glasslib import paths

numerics = pd.DataFrame(json.loads((paths.ROOT / "benchmarks/results/deepglassnet_numerics.json").read_text())["records"])
native_path = numerics.path.iloc[0]                     # the native path, one thread: the only one with every seed
blocks = numerics.groupby(["split", "band"], sort=False)
fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for i, ((split, band), block) in enumerate(blocks):
    on_native, seed0 = block[block.path == native_path], block[block.seed == 0]
    ax.scatter([i - 0.12] * len(on_native), on_native.auc, color="tab:blue", marker="o",
               label="seeds 0–2, native path (1 thread)" if i == 0 else None)
    ax.scatter([i + 0.12] * len(seed0), seed0.auc, color="tab:red", marker="x",
               label=f"seed 0, {len(seed0)} floating-point paths" if i == 0 else None)
ax.axhline(0.5, color="grey", lw=0.8, ls=":")
ax.set(xticks=range(blocks.ngroups), xticklabels=[f"{s}\n{b} °C" for s, b in blocks.groups], ylabel="validation AUC",
       title="DeepGlassNet, quick profile (8 epochs): same data, same seed")
ax.legend(fontsize=8, loc="lower left")
run.save_fig(fig, "dgn_floating_point_paths")
print("paths:", "; ".join(numerics.path.unique()))
pd.DataFrame({"AUC, seed 0, lowest path": blocks.apply(lambda b: b[b.seed == 0].auc.min()),
              "AUC, seed 0, highest path": blocks.apply(lambda b: b[b.seed == 0].auc.max()),
              "SD over seeds 0–2 (native)": blocks.apply(lambda b: b[b.path == native_path].auc.std())}).round(3)

# %% [markdown]
# ## Paper vs this repository

# %%
wins = {}
for split in SPLITS:
    piv = results[results.split == split].pivot_table(index="band", columns="model", values="auc")
    paper5 = list(reported.PAPER_BASELINES)
    wins[split] = int((piv["DeepGlassNet"] >= piv[paper5].max(axis=1)).sum())
    print(f"{split:12s}: DeepGlassNet AUC >= every paper baseline in {wins[split]} of {len(piv)} bands; "
          f"mean AUC DGN {piv['DeepGlassNet'].mean():.3f} | best baseline per band mean {piv[paper5].max(axis=1).mean():.3f} "
          f"| RF {piv['RF'].mean():.3f} | HGB {piv['HGB'].mean():.3f}")
print("paper: DeepGlassNet best in every band (Fig. 7)")

# %% [markdown]
# ## Exercises
#
# 1. From `results`, in how many (split, band) blocks does DeepGlassNet's Precision@100 beat the random
#    forest's? Is that the same answer as for the AUC?
# 2. Add `"composition"` to `SPLITS` and rerun: how much do the AUCs drop when no composition is on both
#    sides of the split? (Notebook 08 does this with seeds and intervals.)
# 3. One seed per model: why is a single difference of 0.01 AUC in this table no evidence either way?

# %% tags=["hide-input"]
# Solution to exercise 1 (exercise 3: see notebook 08's paired bootstrap)
piv = results.pivot_table(index=["split", "band"], columns="model", values=["auc", "precision@100"])
for metric in ("precision@100", "auc"):
    wins = int((piv[metric]["DeepGlassNet"] > piv[metric]["RF"]).sum())
    print(f"{metric}: DeepGlassNet above RF in {wins} of {len(piv)} blocks")

# %%
print(run.closing_line())   # the machine and the minutes this run took
if cache is not None:
    print(f"(the {len(results.groupby(['split', 'band']))} comparison blocks, read from {cache.name} where an earlier run "
          f"had finished them, took {results.seconds.sum() / 60:.0f} minutes of fitting when they ran)")
