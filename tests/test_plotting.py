import hashlib
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from glasslib import paths, plotting  # noqa: E402


@pytest.fixture
def figures(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "FIGURES", tmp_path / "figures")
    monkeypatch.setenv("GLASSLIB_PROFILE", "quick")
    return tmp_path / "figures"


def test_save_fig_writes_png_and_provenance_of_the_inputs(figures, tmp_path):
    data = tmp_path / "input.csv"
    data.write_text("a,b\n1,2\n")
    paths.record_input(data)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    target = plotting.save_fig(fig, "line", "99_test")
    plt.close(fig)
    assert target == figures / "99_test" / "line.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    record = json.loads((figures / "99_test" / "provenance.json").read_text())["line.png"]
    assert record["notebook"] == "notebooks/99_test.ipynb" and record["profile"] == "quick"
    assert record["inputs"][str(data.resolve())] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_full_profile_figures_go_to_their_own_folder(figures):
    from glasslib.reproduce import check_profile

    check_profile("full")  # what every notebook's first code cell does
    fig = plt.figure()
    target = plotting.save_fig(fig, "x.png", "99_test")
    plt.close(fig)
    assert target == figures / "99_test" / "full" / "x.png"
    assert json.loads((target.parent / "provenance.json").read_text())["x.png"]["profile"] == "full"


@pytest.mark.parametrize("name", ["", "sub/fig"])
def test_bad_figure_names(figures, name):
    with pytest.raises(ValueError, match="plain file name"):
        plotting.save_fig(plt.figure(), name, "99_test")
    plt.close("all")
