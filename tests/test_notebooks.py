"""The numbered notebooks as sources: jupytext pairs in step, linted, figures inline."""

import subprocess
import sys

import jupytext
import nbformat
import pytest

from glasslib import book, paths, reproduce

NOTEBOOKS = reproduce.numbered_notebooks()


def test_numbered_notebooks_follow_the_convention():
    assert [nb.name[:2] for nb in NOTEBOOKS] == [f"{i:02d}" for i in range(len(NOTEBOOKS))]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and "paper" in nb.cells[0].source.lower()
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and 'profile = "quick"' in params[0].source, path.name


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_is_in_step(notebook):
    """NN_topic.py is the source; its .ipynb pair must hold the same cells (sync them with
    `jupytext --sync notebooks/NN_topic.py` or by running `bash companion.sh reproduce NN`)."""
    source = notebook.with_suffix(".py")
    assert source.exists(), f"{source.name} is missing"
    mine = [(c.cell_type, c.source) for c in jupytext.read(source).cells]
    theirs = [(c.cell_type, c.source) for c in jupytext.read(notebook).cells
              if "injected-parameters" not in c.metadata.get("tags", [])]
    assert mine == theirs, f"{notebook.name} and {source.name} differ: run `jupytext --sync {source}`"


def test_notebook_code_passes_the_linter():
    sources = [str(p.with_suffix(".py")) for p in NOTEBOOKS]
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", *sources, "glasslib", "tests", "benchmarks"],
                          cwd=paths.ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_saved_figure_is_shown_inline(notebook):
    """A cell that saves a figure must also store it as an image output (a reader of the
    committed notebook sees the figure, not a path)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or not any(k in cell.source for k in ("save_fig(", "note_figure(")):
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        assert images, f"{notebook.name}: a figure cell stores no image:\n{cell.source[:300]}"
        texts = "".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))
        assert "PosixPath" not in texts, f"{notebook.name}: a figure cell prints a path"


def test_no_stray_notebooks_are_tracked():
    """Only numbered notebooks, their sources and their full-profile reading copies
    (notebooks/full/NN_*.ipynb, executed with profile = "full") are committed."""
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=paths.ROOT, capture_output=True,
                             text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    reading = {str(book.full_copy(nb).relative_to(paths.ROOT)) for nb in NOTEBOOKS}
    numbered = {f"notebooks/{nb.name}" for nb in NOTEBOOKS} | {f"notebooks/{nb.stem}.py" for nb in NOTEBOOKS}
    stray = [name for name in tracked if name.endswith((".ipynb", ".py")) and name not in numbered | reading]
    assert not stray, f"stray notebooks tracked by git: {stray}"
    for name in set(tracked) & reading:
        cells = nbformat.read(paths.ROOT / name, as_version=4).cells
        injected = [c.source for c in cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected and 'profile = "full"' in injected[0], f"{name} is not a full-profile run"


def test_sync_keeps_outputs_of_unchanged_cells(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# title"),
                                         nbformat.v4.new_code_cell("print(1)"), nbformat.v4.new_code_cell("x = 2")])
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="old\n")]
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "01_demo.py").write_text("# %% [markdown]\n# # title\n\n# %%\nprint(1)\n\n# %%\nx = 3\n")
    reproduce.sync_pair(path)
    synced = nbformat.read(path, as_version=4)
    assert synced.cells[1].outputs[0]["text"] == "1\n"
    assert synced.cells[2].source == "x = 3" and synced.cells[2].outputs == []


def test_sync_leaves_a_notebook_in_step_with_its_source_untouched(tmp_path):
    """A variant or full-profile run syncs the numbered notebook first: when its source has not
    changed, the committed file (with papermill's cell tags) must stay byte for byte as it is."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# title"), nbformat.v4.new_code_cell("x = 2")])
    for cell in nb.cells:
        cell.metadata["tags"] = []
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "01_demo.py").write_text("# %% [markdown]\n# # title\n\n# %%\nx = 2\n")
    reproduce.sync_pair(path)                                   # adds jupytext's header metadata once
    assert [c.metadata for c in nbformat.read(path, as_version=4).cells] == [{"tags": []}] * 2
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    reproduce.sync_pair(path)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    (tmp_path / "01_demo.py").write_text("# %% [markdown]\n# # title\n\n# %%\nx = 3\n")
    reproduce.sync_pair(path)                               # a changed source is synced, tags kept
    synced = nbformat.read(path, as_version=4)
    assert synced.cells[1].source == "x = 3" and synced.cells[0].metadata["tags"] == []


def test_the_two_papers_never_import_each_other():
    import re

    for package, other in (("pcf", "tg"), ("tg", "pcf")):
        for module in (paths.ROOT / "glasslib" / package).glob("*.py"):
            text = module.read_text()
            hits = re.findall(rf"from \.\.{other}\b|from \.\. import {other}\b|glasslib\.{other}\b", text)
            assert not hits, f"glasslib/{package}/{module.name} imports from glasslib/{other}: {hits}"
