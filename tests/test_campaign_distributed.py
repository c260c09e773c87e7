"""The MD campaign on a real distributed engine: a `dask scheduler` and two `dask worker`
processes on loopback; one worker is killed in the middle of a glass."""

import json
import shutil
import socket
import subprocess
import sys
import os
import time
from pathlib import Path

import pandas as pd
import pytest

GLASSES = ["SiO2-undoped", "SiO2-TiO2-10", "SiO2-BaO-10", "SiO2-ZnO-10"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, seconds: float, what: str):
    end = time.time() + seconds
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise TimeoutError(f"gave up waiting for {what}")


@pytest.fixture
def cluster(tmp_path):
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    if dask is None:
        pytest.skip("the dask command line is not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    # the glasses' LAMMPS folders go to a temporary folder of this test's own: the test looks for
    # them there (and removes the killed worker's), never among another test's running glasses
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    procs = {"scheduler": subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                            "--no-dashboard"], stdout=open(logs / "scheduler", "w"),
                                           stderr=subprocess.STDOUT, env=env)}
    _wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 60, "the scheduler")
    for name in ("worker-a", "worker-b"):
        procs[name] = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                        "--no-nanny", "--name", name, "--no-dashboard"],
                                       stdout=open(logs / name, "w"), stderr=subprocess.STDOUT, env=env)
    yield address, procs, logs
    for proc in procs.values():
        proc.kill()
        proc.wait()


def test_a_killed_worker_loses_nothing_and_counts_nothing_twice(cluster, tmp_path):
    address, procs, logs = cluster
    root = tmp_path / "glasses"
    command = [sys.executable, "-m", "glasslib.cli", "md-campaign", "--scheduler", address, "--root", str(root),
               "--smoke", "--atoms", "150", "--only", *GLASSES]
    started = time.time() - 1
    campaign = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})

    def running_glasses():
        return [p for name in GLASSES for p in (tmp_path / "tmp").glob(f"md-{name}-*")
                if p.stat().st_mtime > started]

    # kill worker-a while both workers run a glass (LAMMPS folders exist, nothing stored yet)
    _wait_for(lambda: len(running_glasses()) >= 2, 300, "two glasses to start")
    time.sleep(2)
    assert not root.exists() or not any((root / g / "meta.json").exists() for g in GLASSES)
    procs["worker-a"].kill()
    procs["worker-a"].wait()
    out, _ = campaign.communicate(timeout=600)
    for leftover in running_glasses():          # the killed worker could not clean up after itself
        shutil.rmtree(leftover, ignore_errors=True)
    assert campaign.returncode == 0, out
    assert f"campaign: {len(GLASSES)} finished, 0 failed this run" in out, out
    finished = sorted(p.name for p in root.iterdir())
    assert finished == sorted(GLASSES), finished          # each glass once, no leftovers
    for name in GLASSES:
        meta = json.loads((root / name / "meta.json").read_text())
        assert meta["glass"] == name and meta["rdf_frames"] > 0
    table = pd.read_csv(tmp_path / "rdf_table.csv.gz")
    assert sorted(table.glass.unique()) == sorted(GLASSES)
    # no glass counted twice: every (glass, pair) curve holds each r once
    assert table.groupby(["glass", "pair"]).r_angstrom.apply(lambda r: r.is_unique).all()
