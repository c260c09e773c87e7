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
# # 00 · Overview of the glass-ML companion
#
# This repository reproduces two machine-learning papers on oxide glasses from real data and real models,
# notebook by notebook, and goes beyond them where a reader gains (harder honest evaluations, speed,
# saved models, interactivity).
#
# 1. **Ayush, Sahu, Ali, Patra — *Predicting Pair Correlation Functions of Glasses using Machine Learning*.**
#    MD (LAMMPS) glasses → partial RDFs (OVITO) → 64×64 images → CNN autoencoder (Keras) → 8 latent numbers;
#    a random forest maps a 58-dim fingerprint to the latent vector; the decoder gives back the RDF.
#    The paper's MD data were never released: `data/md-v2/` is this project's own campaign (dataset v2;
#    `data/md/` holds the first one, v1, kept as the "before").
# 2. **Chen, Liu, Liu, Li — *Self-Supervised Learning for Glass Composition Screening*.** SciGlass
#    compositions (18 oxides) and Tg; "is Tg in [a, b]?" as contrastive classification with DeepGlassNet
#    (PyTorch), compared with KNN/RF/SVM/DT/MLP, ablated, and used to screen ~350k candidate glasses.
#
# **Run everything:** `bash companion.sh reproduce` (quick profile; `--profile full` for paper scale).
# **Test:** `bash companion.sh test`.
#
# | paper figure | notebook | the figure here |
# |---|---|---|
# | P2 Fig. 2(a, b) Tg histograms, t-SNE | `01_sciglass_tg_dataset` | reproduced |
# | P2 Fig. 7 AUC / Precision@100 vs baselines | `02_deepglassnet_benchmark` | reproduced (+ HGB, + leave-publication-out) |
# | P2 Fig. 10 ablations | `02_deepglassnet_benchmark` | reproduced |
# | P2 Fig. 8 t-SNE of learned features | `03_deepglassnet_training` | reproduced |
# | P2 Fig. 9 loss/AUC per epoch, ROC | `03_deepglassnet_training` | reproduced |
# | P2 §IV.A screening top-5 per band | `04_screening` | reproduced, with a domain flag and a calibrated probability per candidate |
# | P2 Figs. 3–6 (schematics) | — | schematic drawings, nothing to compute |
# | P2 Figs. 11–12 XRD, DSC of made glasses | — | **not reproducible**: laboratory experiments |
# | P1 §II MD data, Fig. 1 snapshot | `05_md_glass_dataset` | reproduced with own MD (scaled down) |
# | P1 Fig. 1 fingerprint | `06_rdf_autoencoder` | reproduced |
# | P1 Fig. 3 feature maps | `06_rdf_autoencoder` | reproduced |
# | P1 Fig. 6(a, b) AE training, reconstructions | `06_rdf_autoencoder` | reproduced |
# | P1 Figs. 2, 4, 5 (schematics) | — | schematic drawings |
# | P1 Fig. 7 RF hyperparameter sweeps | `07_rdf_forest_pipeline` | reproduced |
# | P1 Fig. 8 direct vs latent RF parity | `07_rdf_forest_pipeline` | reproduced |
# | P1 Fig. 9 predicted vs MD RDFs | `07_rdf_forest_pipeline` | reproduced (+ all held-out RDFs, + whole-glass hold-out) |
# | P1 errors beside the MD noise floor (the scatter between MD replicas of one glass) | `06_rdf_autoencoder`, `07_rdf_forest_pipeline` | beyond the paper: how much of the error any model must keep |
# | P1 quench-rate study, dataset v2 against experiment (N4, density, S(q)) | `05_md_glass_dataset` | beyond the paper: the 48-run campaign (and 2 extra seeds) is complete; notebooks 06–07 train on it |
# | P2 claims under seeds and intervals, the label-noise ceiling, regression, GlassNet, 4 splits | `08_tg_claims_tested` | beyond the papers: each claim judged reproduced / not reproduced / not distinguishable |
#
# A figure made here is not a claim confirmed: whether each paper's claims hold is the next cell,
# generated from the paper-scale metrics files (`glasslib.report.claims()`), never typed.

# %% tags=["parameters"]
profile = "quick"  # "quick" (CI, minutes) or "full" (paper scale)
seed = 0

# %%
# NBVAL_CHECK_OUTPUT
from glasslib import reproduce
for nb in reproduce.numbered_notebooks():
    print(nb.name)

# %%
import pandas as pd
from glasslib import report

pd.set_option("display.max_colwidth", None)
pd.DataFrame(report.claims())

# %%
from glasslib import paths

for stem in [p.stem for p in reproduce.numbered_notebooks()]:
    folder = paths.FIGURES / stem
    figs = sorted(folder.glob("*.png")) if folder.exists() else []
    full = sorted((folder / "full").glob("*.png")) if (folder / "full").exists() else []
    print(f"{stem}: {len(figs)} quick-profile figures, {len(full)} full-profile figures")

# %% [markdown]
# ## Exercises
#
# 1. Which of the papers' claims does this companion mark as **not reproduced**? Find them in the
#    generated results table (`glasslib.report.table()`).
# 2. Every figure has a provenance entry. For `figures/01_sciglass_tg_dataset/fig2b_tsne.png`, which data
#    files (and which SHA-256) went into it?

# %% tags=["hide-input"]
# Solution to exercises 1 and 2
import json

from glasslib import paths, report

print("\n".join(line for line in report.table().splitlines() if "not reproduced" in line or "not met" in line))
prov = json.loads((paths.FIGURES / "01_sciglass_tg_dataset" / "provenance.json").read_text())
print(json.dumps(prov["fig2b_tsne.png"]["inputs"], indent=1))
