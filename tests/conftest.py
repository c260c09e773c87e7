import os
import re

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Under pytest-xdist (`bash companion.sh test` runs one worker per core, at most 4) each worker
# owns one core: its notebook kernels, LAMMPS and dask processes inherit the CPU affinity, and
# glasslib.seeds.available_cores() then gives them one thread. Two workers with two threads each
# on two cores would make every OpenMP pool spin while it waits for a busy core.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    _cores = sorted(os.sched_getaffinity(0))
    _core = _cores[int(_WORKER.removeprefix("gw")) % len(_cores)]
    os.sched_setaffinity(0, {_core})
    os.environ["OMP_NUM_THREADS"] = "1"
else:
    os.environ.setdefault("OMP_NUM_THREADS", "2")

# Notebooks that share a cached model run on one worker, in order: notebook 07 builds on the
# autoencoder notebook 06 saves (and saves its pipeline into the same folder).
_SAME_WORKER = {"06_rdf_autoencoder": "rdf-autoencoder", "07_rdf_forest_pipeline": "rdf-autoencoder"}


def _scope(nodeid: str) -> str:
    file = nodeid.split("::")[0]
    return _SAME_WORKER.get(re.sub(r"\.(ipynb|py)$", "", os.path.basename(file)), file)


# The slowest scopes first (from the `--durations` of earlier CI runs, heaviest first), then the
# other notebooks, then the other test files in collection order: a worker that starts the long
# notebooks at the end of the run leaves the other core idle for minutes. Each worker takes the
# next scope as it frees up.
_HEAVY_FIRST = ["rdf-autoencoder", "notebooks/02_deepglassnet_benchmark.ipynb",
                "notebooks/08_tg_claims_tested.ipynb", "tests/test_autoencoder.py",
                "notebooks/03_deepglassnet_training.ipynb", "tests/test_campaign_distributed.py",
                "tests/test_study.py", "tests/test_md.py", "tests/test_reproduce_and_cli.py",
                "tests/test_book.py", "tests/test_potentials.py"]


def _rank(nodeid: str) -> int:
    scope = _scope(nodeid)
    rest = len(_HEAVY_FIRST) + (0 if scope.endswith(".ipynb") else 1)    # other notebooks, then tests
    return next((i for i, s in enumerate(_HEAVY_FIRST) if scope.endswith(s)), rest)


def pytest_collection_modifyitems(config, items):
    """Heaviest scopes first; a stable sort keeps the order inside a file (06 before 07)."""
    items.sort(key=lambda item: _rank(item.nodeid))


def pytest_xdist_make_scheduler(config, log):
    """Whole files to a worker (a notebook's cells share one kernel; a module's fixtures are built
    once), with notebooks 06 and 07 together: xdist's own loadfile scope plus that one merge."""
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    config.option.loadscopereorder = False     # keep the heavy-first order above
    return ByFile(config, log)
