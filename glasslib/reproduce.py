"""Execute every numbered notebook headless with papermill (the README's reproduce command).

quick profile: executed notebooks are written back in place (the committed outputs, which
nbval checks). full profile: written to notebooks/full/ so the quick outputs stay the test
reference. A notebook is only replaced after it ran through; a failing notebook stops the
run with its name, the cell and the error, and is kept aside in notebooks/_failed/.
In the quick profile a cell that gives no reply in QUICK_CELL_TIMEOUT_S runs its notebook once more.
In either profile a cell whose kernel reports it finished but sends no reply (ipykernel 7's lost
execute reply) is taken as finished after REPLY_GRACE_S, and the run goes on.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from . import paths
from .run import PROFILES

KERNEL_NAME = "glass-ml"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_.+\.ipynb$")
# ipykernel 7 now and then leaves an execute request without a reply, the kernel idle and papermill
# waiting forever (ipython/ipykernel#1554; seen here at 07's widget cell, 2 of 5 runs); a quick-profile
# cell silent this long is taken as such a hang and the notebook is run once more. A whole quick
# notebook takes 4 min or less on one free core (benchmarks/binder_limits.py), but 02's comparison cell
# took over 20 min beside the two-core MD campaign (thread pools waiting for busy cores), so the
# limit leaves room for that. Full-profile cells train for hours and get no limit.
QUICK_CELL_TIMEOUT_S = 3600
ATTEMPTS = 2
# The hang above, caught in the act (07's widget cell, full profile, 1 of 15 runs): the kernel had
# published every output and its "idle" status for the cell on IOPub, but its execute reply never
# came on the shell channel. ipykernel sends the reply before the idle status, so once idle is seen
# the reply is overdue within milliseconds; after this grace the cell is taken as finished, its
# status read from its outputs (an error output makes it a failed cell), and the next cell runs.
# Full-profile cells have no timeout, so without this such a run waited forever.
REPLY_GRACE_S = 60.0


class ReproduceError(RuntimeError):
    pass


def numbered_notebooks(folder: Path | None = None) -> list[Path]:
    folder = folder or paths.NOTEBOOKS
    return sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


def select(names: list[str] | None, folder: Path | None = None) -> list[Path]:
    available = numbered_notebooks(folder)
    if not names:
        return available
    chosen = []
    for name in names:
        hits = [p for p in available if p.name == name or p.stem == name or p.name.startswith(f"{name}_")]
        if len(hits) != 1:
            raise ValueError(f"notebook {name!r} is not one of: {', '.join(p.name for p in available)}")
        chosen.append(hits[0])
    return chosen


def sync_pair(notebook: Path) -> None:
    """Bring NN_topic.ipynb's code and prose up to date with its source NN_topic.py (jupytext
    percent format), keeping the stored outputs and cell metadata (papermill's tags); a missing .py
    is written from the notebook. A notebook already in step with its source is not rewritten, so
    a full-profile or variant run leaves the committed quick notebooks as they are."""
    import jupytext
    import nbformat

    source = notebook.with_suffix(".py")
    if not source.exists():
        jupytext.write(jupytext.read(notebook), source, fmt="py:percent")
        return
    text = jupytext.read(source)
    stored = jupytext.read(notebook)
    # match cells by their content, so unchanged cells keep their id, outputs and count
    pool = {}
    for cell in stored.cells:
        pool.setdefault((cell.cell_type, cell.source), []).append(cell)
    for cell in text.cells:
        matches = pool.get((cell.cell_type, cell.source))
        if not matches:
            continue
        old = matches.pop(0)
        if "id" in old:
            cell["id"] = old["id"]
        cell.metadata = {**old.get("metadata", {}), **cell.metadata}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = old.get("outputs", []), old.get("execution_count")
    text.metadata = {**stored.metadata, **text.metadata}
    if nbformat.reads(jupytext.writes(text, fmt="ipynb"), as_version=4) != nbformat.read(notebook, as_version=4):
        jupytext.write(text, notebook, fmt="ipynb")


def _strip_injected(path: Path) -> None:
    """Drop papermill's injected-parameters cell (it only repeats the defaults in the quick
    profile) and its per-cell timing metadata, which would change on every run."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def parse_settings(items: list[str] | None) -> dict:
    """["md_dataset=v2", "seed=1"] -> {"md_dataset": "v2", "seed": 1} (whole numbers and
    decimals become numbers, anything else stays text)."""
    settings = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"setting {item!r} must read NAME=VALUE, e.g. md_dataset=v1")
        for kind in (int, float):
            try:
                value = kind(value)
                break
            except ValueError:
                pass
        settings[key] = value
    return settings


def _check_settings(notebook: Path, settings: dict) -> None:
    import papermill as pm

    known = pm.inspect_notebook(str(notebook))
    for key in settings:
        if key == "profile":
            raise ValueError("set the profile with --profile, not --set profile=...")
        if key == "variant":
            raise ValueError("variant is named by reproduce after the other settings, not set with --set")
        if key not in known:
            raise ValueError(f"{notebook.stem} has no parameter {key!r}; its parameters are {', '.join(known)}")


def variant_name(settings: dict) -> str:
    """The folder a run with settings writes its figures and models to, beside the committed ones
    (figures/<stem>/[full/]<variant>/): md_dataset=v1 -> md-v1, seed=4 -> seed-4, both -> md-v1.seed-4."""
    return ".".join(f"md-{v}" if k == "md_dataset" else f"{k}-{v}" for k, v in sorted(settings.items()))


@functools.cache
def _guarded_engine() -> str:
    """Register (once) and name a papermill engine whose client applies REPLY_GRACE_S."""
    import asyncio

    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class GuardedClient(PapermillNotebookClient):
        async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive):
            reply = asyncio.ensure_future(super()._async_poll_for_reply(
                msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive))
            await asyncio.wait({reply, task_poll_output_msg}, return_when=asyncio.FIRST_COMPLETED)
            output_ok = (task_poll_output_msg.done() and not task_poll_output_msg.cancelled()
                         and task_poll_output_msg.exception() is None)
            if not reply.done() and output_ok:
                # the kernel said the cell is finished (idle); its reply is overdue
                await asyncio.wait({reply}, timeout=REPLY_GRACE_S)
                if not reply.done():
                    reply.cancel()
                    task_poll_kernel_alive.cancel()
                    print(f"kernel finished cell {cell.get('execution_count')} but sent no reply in "
                          f"{REPLY_GRACE_S:g} s (ipykernel 7's lost reply); taking it as finished", flush=True)
                    return _reply_from_outputs(msg_id, cell)
            return await reply

    class GuardedEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kwargs.pop("input_path", None)
            return GuardedClient(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                                 kernel_name=kernel_name, log=logger, log_output=log_output,
                                 stdout_file=stdout_file, stderr_file=stderr_file, **kwargs).execute()

    papermill_engines.register("glasslib-guarded", GuardedEngine)
    return "glasslib-guarded"


def _reply_from_outputs(msg_id: str, cell) -> dict:
    """The execute reply a kernel lost, rebuilt from the cell's outputs: an error output makes it
    an error reply (so the run stops there, as it would have), otherwise "ok"."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    content = {"status": "ok", "execution_count": cell.get("execution_count")}
    if errors:
        content.update(status="error", ename=errors[-1].get("ename", ""), evalue=errors[-1].get("evalue", ""),
                       traceback=errors[-1].get("traceback", []))
    return {"parent_header": {"msg_id": msg_id}, "msg_type": "execute_reply", "content": content}


def output_name(notebook: Path, settings: dict) -> str:
    """A run with settings other than the defaults is named after them:
    06_rdf_autoencoder.md_dataset-v1.ipynb."""
    suffix = "".join(f".{k}-{v}" for k, v in sorted(settings.items()))
    return f"{notebook.stem}{suffix}{notebook.suffix}"


def run(profile: str = "quick", names: list[str] | None = None, kernel: str | None = None,
        settings: dict | None = None, cell_timeout: float | None = None) -> list[Path]:
    """Run the notebooks in order; return the written paths or raise ReproduceError.

    A cell that gives no reply within `cell_timeout` seconds (default QUICK_CELL_TIMEOUT_S for the
    quick profile, none for the full one) makes the notebook run again from the start, once.

    `settings` overrides notebook parameters (besides the profile); such a run is written beside
    the reading copies (notebooks/full/, or notebooks/variants/ for the quick profile) under a
    name that carries the settings, never over the committed quick notebooks that the tests
    compare."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if profile not in PROFILES:
        raise ValueError(f"profile {profile!r} is not known; choose one of {', '.join(PROFILES)}")
    settings = dict(settings or {})
    notebooks = select(names)
    if not notebooks:
        raise ReproduceError(f"no numbered notebooks (NN_name.ipynb) in {paths.NOTEBOOKS}")
    for nb in notebooks if settings else []:
        _check_settings(nb, settings)
    out_dir = paths.NOTEBOOKS / ("full" if profile == "full" else "variants" if settings else "")
    out_dir.mkdir(exist_ok=True)
    for stale in out_dir.glob(".reproduce-*.ipynb"):  # left by an interrupted run
        stale.unlink()
    written = []
    for nb in notebooks:
        sync_pair(nb)
        start = time.perf_counter()
        print(f"[{profile}] {nb.name} ...", flush=True)
        fd, tmp = tempfile.mkstemp(prefix=".reproduce-", suffix=".ipynb", dir=out_dir)
        os.close(fd)
        limit = cell_timeout if cell_timeout is not None else QUICK_CELL_TIMEOUT_S if profile == "quick" else None
        parameters = {"profile": profile, **settings}
        if settings and "variant" in pm.inspect_notebook(str(nb)):
            parameters["variant"] = variant_name(settings)   # never over the committed figures
        for attempt in range(1, ATTEMPTS + 1):
            try:
                pm.execute_notebook(str(nb), tmp, parameters=parameters,
                                    cwd=str(paths.NOTEBOOKS), kernel_name=kernel, progress_bar=False,
                                    request_save_on_cell_execute=False, execution_timeout=limit,
                                    engine_name=_guarded_engine())
                break
            except CellTimeoutError as err:
                if attempt < ATTEMPTS:
                    print(f"[{profile}] {nb.name}: a cell gave no reply in {limit:g} s; running it again",
                          flush=True)
                    continue
                Path(tmp).unlink(missing_ok=True)
                raise ReproduceError(f"notebook {nb.name}: a cell gave no reply in {limit:g} s, {ATTEMPTS} times "
                                     f"(a hung kernel or a cell slower than the limit); {nb.name} itself is "
                                     "unchanged") from err
            except PapermillExecutionError as err:
                failed = paths.NOTEBOOKS / "_failed"
                failed.mkdir(exist_ok=True)
                shutil.move(tmp, failed / nb.name)
                raise ReproduceError(f"notebook {nb.name} failed in cell In [{err.exec_count}] "
                                     f"({err.ename}: {err.evalue}); the executed copy is in "
                                     f"{failed / nb.name}, {nb.name} itself is unchanged") from err
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        if profile == "quick" and not settings:
            _strip_injected(Path(tmp))     # the committed copy stays the pair of its .py source
        target = out_dir / output_name(nb, settings)
        os.replace(tmp, target)
        written.append(target)
        print(f"[{profile}] {nb.name} done in {time.perf_counter() - start:.0f} s", flush=True)
    return written
