"""The rendered book: a static HTML site of the reading copy, built offline from the stored
notebook outputs (Sphinx + MyST-NB, the engine of Jupyter Book 1; nothing is re-executed).

    glasslib book [--out build/book]     # or: bash companion.sh book

Pages: an overview with the generated results table, then every numbered notebook. Where a
full-profile (paper-scale) executed copy exists in notebooks/full/ under the notebook's own name it
is the page; otherwise the committed quick-profile notebook is, and the page says so. Runs with
other settings (notebooks/full/NN_name.seed-4.ipynb, ...) are never a page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from . import paths

CONF = '''
project = "glass-ML companion"
author = "the glass-ML companion authors"
extensions = ["myst_nb"]
nb_execution_mode = "off"              # the stored outputs are the page; never re-executed
myst_enable_extensions = ["dollarmath", "colon_fence"]
html_theme = "sphinx_book_theme"
html_title = "glass-ML companion"
html_theme_options = {"show_toc_level": 2}
html_show_sourcelink = False
exclude_patterns = ["_build"]
suppress_warnings = ["mystnb.unknown_mime_type", "misc.highlighting_failure", "myst.header"]
'''


def full_copy(notebook: Path) -> Path:
    """Where the full-profile (paper-scale) executed copy of a numbered notebook is kept."""
    return paths.NOTEBOOKS / "full" / notebook.name


def reading_copy() -> list[tuple[Path, str]]:
    """(notebook, profile) of each numbered notebook: the full-profile copy where there is one."""
    from .reproduce import numbered_notebooks

    out = []
    for nb in numbered_notebooks():
        out.append((full_copy(nb), "full") if full_copy(nb).exists() else (nb, "quick"))
    return out


def describe(page: Path, profile: str) -> str:
    """Which run a reading copy is: 'quick (CI) profile', 'paper-scale (full profile), md_dataset-v1'."""
    if profile != "full":
        return "quick (CI) profile"
    settings = page.stem.split(".")[1:]
    return "paper-scale (full profile)" + (f", {', '.join(settings)}" if settings else "")


def _index(pages: list[tuple[Path, str]]) -> str:
    from . import report

    names = "\n".join(p.stem for p, _ in pages)
    profiles = "\n".join(f"- `{p.stem}`: {describe(p, prof)} run" for p, prof in pages)
    return f"""# glass-ML companion

A reproducible companion to two machine-learning papers on oxide glasses: *Predicting Pair
Correlation Functions of Glasses using Machine Learning* (Ayush, Sahu, Ali, Patra) and
*Self-Supervised Learning for Glass Composition Screening* (Chen, Liu, Liu, Li). Each page below
is an executed notebook with its figures; to run one yourself, clone the repository and use
`bash companion.sh reproduce`, or launch it on Binder.

{report.readme_launch(report.repository())}

## Which claims hold

Each testable claim of the two papers with its verdict here, from the paper-scale runs.

{report.claims_table()}

## Paper vs this repository

Generated from the metrics files of the runs (`glasslib report`).

{report.table()}

## The notebooks

Which run each page shows:

{profiles}

```{{toctree}}
:maxdepth: 1

{names}
```

Code: MIT. SciGlass-derived data: ODbL 1.0 (contains information from the SciGlass database,
EPAM Systems).
"""


def build(out: str | Path | None = None, quiet: bool = True) -> Path:
    """Build the site into `out` (default build/book) and return the path of its index.html."""
    out = Path(out or paths.ROOT / "build" / "book")
    src = out / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    pages = reading_copy()
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text(_index(pages))
    for nb, _ in pages:
        shutil.copy(nb, src / nb.name)
    html = out / "html"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-j", "1", "-d", str(out / "doctrees"), str(src), str(html)]
    if quiet:
        cmd.insert(3, "-q")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"sphinx failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return html / "index.html"
