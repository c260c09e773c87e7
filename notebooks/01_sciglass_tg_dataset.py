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
# # 01 · SciGlass Tg dataset — paper 2, Fig. 2
#
# **Reproduces:** Chen et al., *Self-Supervised Learning for Glass Composition Screening*, §II.A and
# Fig. 2: (a) histograms of Tg in the original and cleaned SciGlass data, (b) t-SNE of the
# 18-compound compositions with Tg as colour.
#
# **Paper reports:** SciGlass 7.12, ~442,000 compositions given as mass fractions of 18 compounds;
# keeping rows with a Tg label and fractions summing to [0.95, 1.05] leaves **35,176** samples,
# split 80/20 into **28,153** training and **7,023** validation rows. Tg concentrates in 300–600 °C
# (long-tailed).
#
# **Here:** the SciGlass tables shipped in the glasspy 0.4.0 wheel (ODbL; see `data/sciglass/PROVENANCE.json`).
# Beyond the paper we also build a *leave-publication-out* split: SciGlass holds many near-identical
# series from one paper, and a random split puts siblings on both sides.

# %% tags=["parameters"]
profile = "quick"  # "quick" (CI, minutes) or "full" (paper scale)
seed = 0
variant = None  # set by `reproduce --set ...`: that run's figures and models go to a folder of this name

# %%
import json
import matplotlib.pyplot as plt
import numpy as np
from glasslib import notebook_run, paths
from glasslib.tg import dataset as tg_dataset, reported, sciglass

run = notebook_run("01_sciglass_tg_dataset", profile, seed, variant=variant)
TSNE_POINTS = run.pick(1500, 8000)

# %%
# NBVAL_CHECK_OUTPUT
table = sciglass.load_clean()
prov = json.loads(paths.SCIGLASS_PROVENANCE.read_text())
print("filter report:", prov["row_counts"])
print("cleaned rows:", len(table), "| columns:", list(table.columns[2:-1]))
train, val = tg_dataset.load_split("random", 0)       # the committed splits (seed 0)
train_p, val_p = tg_dataset.load_split("publication", 0)
print(f"random split: {len(train)} train / {len(val)} validation")
print(f"leave-publication-out split: {len(train_p)} train / {len(val_p)} validation, "
      f"publications shared: {len(set(table.publication_id.iloc[train_p]) & set(table.publication_id.iloc[val_p]))}")

# %% [markdown]
# ## Fig. 2(a): Tg in the original (every row with a Tg) and the cleaned data

# %%
raw = sciglass.read_raw()
tg_all = raw["TG"].dropna().to_numpy()
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
bins = np.arange(-100, 1300, 25)
for ax, data, name in ((axes[0], tg_all, f"original ({len(tg_all):,} rows with Tg)"),
                       (axes[1], table.tg_celsius, f"cleaned ({len(table):,} rows)")):
    ax.hist(data, bins=bins, color="tab:blue" if ax is axes[0] else "tab:orange")
    ax.set(title=name, xlabel="Tg (°C)", ylabel="count")
    ax.axvspan(300, 600, color="grey", alpha=0.15, label="300–600 °C")
    ax.legend()
run.save_fig(fig, "fig2a_tg_histograms")

# %% [markdown]
# ## Fig. 2(b): t-SNE of the compositions, coloured by Tg
#
# A seeded random subsample (quick: 1,500 rows, full: 8,000) keeps t-SNE's O(n²) memory small.

# %%
from sklearn.manifold import TSNE

rng = np.random.default_rng(seed)
pick = np.sort(rng.choice(len(table), TSNE_POINTS, replace=False))
X = table[list(sciglass.COMPONENTS)].to_numpy()[pick]
emb = TSNE(n_components=2, init="pca", random_state=seed, perplexity=30).fit_transform(X)
fig = plt.figure(figsize=(11, 4.5))
ax = fig.add_subplot(1, 2, 1)
sc = ax.scatter(emb[:, 0], emb[:, 1], c=table.tg_celsius.iloc[pick], s=4, cmap="viridis")
fig.colorbar(sc, ax=ax, label="Tg (°C)")
ax.set(title="t-SNE of 18 mass fractions", xlabel="t-SNE 1", ylabel="t-SNE 2")
ax3 = fig.add_subplot(1, 2, 2, projection="3d")
ax3.scatter(emb[:, 0], emb[:, 1], table.tg_celsius.iloc[pick], c=table.tg_celsius.iloc[pick], s=2, cmap="viridis")
ax3.set(xlabel="t-SNE 1", ylabel="t-SNE 2", zlabel="Tg (°C)", title="Tg as z-axis (paper's view)")
run.save_fig(fig, "fig2b_tsne")

# %% [markdown]
# ## Paper vs this repository

# %%
# NBVAL_CHECK_OUTPUT
rows = [("cleaned samples", reported.CLEANED_ROWS, len(table)),
        ("training rows (random 80/20)", reported.TRAIN_ROWS, len(train)),
        ("validation rows (random 80/20)", reported.VALIDATION_ROWS, len(val))]
print(f"{'quantity':34s}{'paper':>10s}{'here':>10s}")
for name, paper, here in rows:
    print(f"{name:34s}{paper:>10,d}{here:>10,d}")
print(f"difference in cleaned rows: {100 * (len(table) - reported.CLEANED_ROWS) / reported.CLEANED_ROWS:+.2f} %")
run.save_metrics({"cleaned_rows": len(table), "random_train": len(train), "random_validation": len(val),
                  "publication_train": len(train_p), "publication_validation": len(val_p)})


# %% [markdown]
# The headline metrics of this run against the quick profile's seed study (`benchmarks/quick_seed_study.py`):
# a metric outside its tolerance fails the notebook test.

# %%
run.check_metrics()

# %% [markdown]
# ## Exercises
#
# 1. What share of the cleaned glasses has Tg in 500–600 °C, and is it the same in the training and
#    validation rows of the random split? (Precision@100 of a random ranking equals that share.)
# 2. How many publications contribute more than 100 glasses, and what share of all rows do they hold?
#    Why does that make the leave-publication-out split harder than the random one?
# 3. Which oxide is present (non-zero) in the most glasses?

# %% tags=["hide-input"]
# Solutions
in_band = table.tg_celsius.between(500, 600, inclusive="left")
print(f"1. 500-600 °C: {in_band.mean():.1%} of all rows, {in_band.iloc[train].mean():.1%} train, "
      f"{in_band.iloc[val].mean():.1%} validation")
per_pub = table.publication_id.value_counts()
big = per_pub[per_pub > 100]
print(f"2. {len(big)} publications with > 100 glasses hold {big.sum() / len(table):.1%} of the rows")
present = (table[list(sciglass.COMPONENTS)] > 0).sum().sort_values(ascending=False)
print(f"3. most common oxide: {present.index[0]} in {present.iloc[0]:,} glasses")

# %%
print(run.closing_line())   # the machine and the minutes this run took
