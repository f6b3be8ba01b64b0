"""Execute report notebooks fast and safely: one long-lived kernel, a fresh namespace per report.

A :class:`ReportRunner` owns one Jupyter kernel and one nbclient client for its whole life (a
batch worker keeps one, see :mod:`ikto_lib.batch.jobs`). Per report it

1. resets the kernel's namespace (IPython's reset, as ``%reset -f``; matplotlib figures closed
   and its settings restored, then a check that no user name is left: a leftover fails it),
2. injects the parameters like papermill does (a cell tagged ``injected-parameters`` after the
   cell tagged ``parameters``); a parameter the notebook does not declare is refused,
3. executes the cells in memory (no saving after every cell) under one deadline per report,
4. exports HTML in-process and writes it atomically (temporary name, then rename).

A report that raises, runs past its deadline or kills its kernel is ``failed`` with the reason;
its executed notebook is kept (atomically) in ``log_dir`` for diagnosis. A dead or timed-out
kernel is replaced by a new one, warmed again, so later reports run normally.

Heavy modules are imported once per kernel (:data:`WARM_IMPORTS` plus whatever the notebook
imports), so a report pays only for its own work.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import math
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from nbformat import NotebookNode

from ..prepared import atomic_write_bytes
from ..safe import output_path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Imported once per kernel before the first report (missing ones are ignored).
WARM_IMPORTS = (
    "numpy", "pandas", "pyarrow", "matplotlib", "matplotlib.pyplot", "ikto_lib.prepared",
    "ikto_lib.report.sections",
)

Exporter = Callable[..., str]


class ReportFailed(Exception):
    """A report could not be produced; ``str(exc)`` is the reason shown in the index."""

    def __init__(self, reason: str, notebook: NotebookNode | None = None):
        super().__init__(reason)
        self.notebook = notebook


@dataclass
class RunOutcome:
    """What became of one report."""

    status: str  # "ok" or "failed"
    reason: str = ""
    seconds: float = 0.0
    html_bytes: int = 0
    diagnostics: str | None = None  # path of the kept notebook of a failed run
    timings: dict[str, float] = field(default_factory=dict)


def read_notebook(path: str | Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def declared_parameters(nb: NotebookNode) -> list[str] | None:
    """Names assigned in the cell tagged ``parameters``; ``None`` when there is no such cell."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            names = []
            for node in ast.parse(_strip_magics(cell.source)).body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return None


def parameterize(nb: NotebookNode, parameters: dict) -> NotebookNode:
    """A copy of ``nb`` with ``parameters`` injected (papermill's cell); unknown names refused."""
    declared = declared_parameters(nb)
    if parameters and declared is None:
        raise ReportFailed("notebook has no cell tagged 'parameters'")
    unknown = sorted(set(parameters) - set(declared or ()))
    if unknown:
        raise ReportFailed(
            f"unknown parameter(s) {', '.join(unknown)}; the notebook declares "
            f"{', '.join(declared) or 'none'}")
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.from_dict(nb)  # deep copy: the template stays untouched
    for cell in nb.cells:  # papermill expects every cell to have a tags list
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb.metadata.setdefault("kernelspec", {"name": "python3", "language": "python",
                                          "display_name": "Python 3"})
    nb = parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")
    for cell in nb.cells:  # papermill gives its cell a random id: the same report, the same bytes
        if "injected-parameters" in cell.metadata.get("tags", []) and "id" in cell:
            cell.id = "injected-parameters"
    return nb


def notebook_imports(nb: NotebookNode) -> list[str]:
    """Modules a notebook imports at the top level of its code cells (to warm them once)."""
    names: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(_strip_magics(cell.source))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


def _strip_magics(source: str) -> str:
    return "\n".join("" if re.match(r"\s*[%!]", line) else line for line in source.splitlines())


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, with the project importable and a non-GUI backend."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    if str(PROJECT_ROOT) not in path.split(os.pathsep):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), path) if p)
    env.pop("MPLBACKEND", None)  # ipykernel then uses its inline backend
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


class ReportRunner:
    """One long-lived kernel + nbclient client that executes report after report.

    All kernel traffic happens on one private thread with its own event loop, so a runner may be
    called from any thread (a dask worker's thread pool), one call at a time.
    """

    def __init__(self, *, kernel_name: str = "python3", cwd: str | Path | None = None,
                 warm_imports: tuple[str, ...] = WARM_IMPORTS, startup_timeout: int = 120):
        self.kernel_name = kernel_name
        self.cwd = str(cwd or PROJECT_ROOT)
        self.warm_imports = tuple(warm_imports)
        self.startup_timeout = startup_timeout
        self._pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ikto-kernel")
        self._client = None
        self._km = None
        self._warmed: set[str] = set()
        self.kernel_starts = 0
        self.language_info: dict = {}

    # -- life cycle ---------------------------------------------------------------------------
    def _call(self, fn, *args, timeout: float | None = None):
        return self._pool.submit(fn, *args).result(timeout=timeout)

    def start(self) -> None:
        self._call(self._ensure_kernel)

    def close(self) -> None:
        try:
            self._call(self._stop_kernel, timeout=30)
        except Exception:
            self.kill_kernel()
        self._pool.shutdown(wait=False)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def kernel_pid(self) -> int | None:
        prov = getattr(self._km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def kill_kernel(self) -> None:
        """Kill the kernel process from outside (last resort against a hung execution)."""
        if self.kernel_pid:
            _kill(self.kernel_pid)

    def _alive(self) -> bool:
        if self._client is None or self._km is None:
            return False
        try:
            return bool(_sync(self._km.is_alive()))
        except Exception:
            return False

    def _ensure_kernel(self) -> None:
        if self._alive():
            return
        self._stop_kernel()
        from nbclient import NotebookClient

        client = NotebookClient(nbformat.v4.new_notebook(), kernel_name=self.kernel_name,
                                startup_timeout=self.startup_timeout, interrupt_on_timeout=False,
                                record_timing=True, shutdown_kernel="immediate",
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        self._km = client.create_kernel_manager()
        self._client = client  # from here on _stop_kernel cleans up whatever was started
        client.start_new_kernel(cwd=self.cwd, env=_kernel_env())
        client.start_new_kernel_client()
        reply = client.wait_for_reply(client.kc.kernel_info())
        self.language_info = (reply or {}).get("content", {}).get("language_info", {})
        self._warmed = set()
        self.kernel_starts += 1
        self._run_code(
            "import sys as _s\n"
            "_s.path[:0] = [p for p in [%r] if p not in _s.path]\n"
            "import ikto_lib.batch.kernel as _k\n"
            "_k.warm(%r)\n" % (str(PROJECT_ROOT), list(self.warm_imports)),
            timeout=self.startup_timeout)
        self._warmed.update(self.warm_imports)

    def _stop_kernel(self) -> None:
        client, pid = self._client, self.kernel_pid
        self._client = self._km = None
        if client is not None:
            try:
                client._cleanup_kernel()
            except Exception:
                if pid:
                    _kill(pid)

    def restart(self) -> None:
        self._call(self._stop_kernel, timeout=60)
        self._call(self._ensure_kernel)

    # -- execution ----------------------------------------------------------------------------
    def _run_code(self, code: str, *, timeout: float) -> None:
        """Run internal code in the kernel; raise RuntimeError with the kernel's error."""
        client = self._client
        cell = nbformat.v4.new_code_cell(code)
        client.timeout_func = None
        client.timeout = math.ceil(timeout)
        client.nb = nbformat.v4.new_notebook(cells=[cell])
        from nbclient.exceptions import CellExecutionError

        try:
            client.execute_cell(cell, 0, store_history=False)
        except CellExecutionError as exc:
            raise RuntimeError(f"{exc.ename}: {exc.evalue}") from None

    def _warm_for(self, nb: NotebookNode) -> None:
        todo = [m for m in notebook_imports(nb) if m not in self._warmed]
        if todo:
            self._run_code("import ikto_lib.batch.kernel as _k\n_k.warm(%r)\n" % todo,
                           timeout=self.startup_timeout)
            self._warmed.update(todo)

    def _execute(self, nb: NotebookNode, timeout: float) -> NotebookNode:
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        try:
            self._ensure_kernel()
            self._warm_for(nb)
            self._run_code(
                "get_ipython().reset(new_session=False)\n"  # = %reset -f without a 2nd gc
                "__import__('ikto_lib.batch.kernel', fromlist=['fresh']).fresh(get_ipython())\n",
                timeout=60)
        except Exception as exc:  # start, warm-up or reset failed: a new kernel next time
            self._stop_kernel()
            raise ReportFailed(f"kernel could not be prepared: {type(exc).__name__}: "
                               f"{_one_line(str(exc))}") from None

        deadline = time.monotonic() + timeout  # the report's own time, after kernel start
        client = self._client
        client.nb = nb
        client.reset_execution_trackers()
        client.timeout_func = lambda cell: max(1, math.ceil(deadline - time.monotonic()))
        nb.metadata["language_info"] = self.language_info
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code" and time.monotonic() > deadline:
                    raise CellTimeoutError("deadline passed")
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except CellExecutionError as exc:
            raise ReportFailed(f"{exc.ename}: {_one_line(exc.evalue)} (cell {index + 1})",
                               nb) from None
        except CellTimeoutError:
            self._stop_kernel()  # the kernel is still busy: replace it
            raise ReportFailed(f"timeout: report took longer than the limit (cell {index + 1})",
                               nb) from None
        except DeadKernelError:
            self._stop_kernel()
            raise ReportFailed(f"kernel died during cell {index + 1} (killed or out of memory)",
                               nb) from None
        finally:
            client.timeout_func = None
        client.set_widgets_metadata()
        return nb

    def execute(self, nb: NotebookNode, *, timeout: float) -> NotebookNode:
        """Execute ``nb`` (already parameterized) in a fresh namespace; raise ReportFailed."""
        fut = self._pool.submit(self._execute, nb, timeout)
        try:
            return fut.result(timeout=timeout + 2 * self.startup_timeout + 90)
        except cf.TimeoutError:
            # nbclient did not enforce the deadline (e.g. a hung message loop): kill the kernel,
            # which makes the execution thread return, and start afresh next time.
            self.kill_kernel()
            try:
                fut.result(timeout=60)
            except Exception:
                pass
            raise ReportFailed("timeout: report took longer than the limit", nb) from None

    def run(self, notebook: str | Path | NotebookNode, parameters: dict, html_path: str | Path, *,
            title: str, timeout: float, log_dir: str | Path, exporter: Exporter,
            name: str | None = None) -> RunOutcome:
        """Execute one report and write ``html_path``; never raises for a failing report."""
        html_path = Path(html_path)
        name = name or html_path.stem
        diag = output_path(log_dir, name, ".ipynb", allow=("group",))
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        nb = None
        try:
            template = notebook if isinstance(notebook, NotebookNode) else read_notebook(notebook)
            nb = parameterize(template, parameters)
            t1 = time.perf_counter()
            self.execute(nb, timeout=timeout)
            t2 = time.perf_counter()
            try:
                html = exporter(nb, title=title)
            except Exception as exc:
                raise ReportFailed(f"HTML export failed: {type(exc).__name__}: "
                                   f"{_one_line(str(exc))}", nb) from None
            data = html.encode("utf-8")
            atomic_write_bytes(html_path, data)
            t3 = time.perf_counter()
            timings = {"prepare": t1 - t0, "execute": t2 - t1, "export": t3 - t2,
                       **cell_seconds(nb)}
        except ReportFailed as exc:
            kept = None
            nb_fail = exc.notebook if exc.notebook is not None else nb
            if nb_fail is not None:
                try:
                    atomic_write_bytes(diag, nbformat.writes(nb_fail).encode("utf-8"))
                    kept = str(diag)
                except Exception:
                    kept = None
            return RunOutcome("failed", str(exc), time.perf_counter() - t0, diagnostics=kept)
        except Exception as exc:  # anything else (unreadable notebook, disk full, ...)
            return RunOutcome("failed", f"{type(exc).__name__}: {_one_line(str(exc))}",
                              time.perf_counter() - t0)
        diag.unlink(missing_ok=True)  # an earlier failure's notebook is no longer relevant
        return RunOutcome("ok", "", time.perf_counter() - t0, len(data), timings=timings)


def cell_seconds(nb: NotebookNode) -> dict[str, float]:
    """Seconds per executed code cell (``"cell 3"``), from nbclient's timing metadata."""
    from datetime import datetime

    out = {}
    for i, cell in enumerate(nb.cells):
        ex = cell.get("metadata", {}).get("execution", {})
        start, end = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
        if cell.cell_type == "code" and start and end:
            try:
                sec = (datetime.fromisoformat(end.replace("Z", "+00:00"))
                       - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
            except ValueError:
                continue
            out[f"cell {i + 1}"] = sec
            cell.metadata.pop("execution", None)  # not part of the report
    return out


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _sync(value):
    """Await ``value`` when it is awaitable (async kernel manager calls), else return it."""
    import inspect

    if inspect.isawaitable(value):
        from jupyter_core.utils import run_sync

        async def _wait():
            return await value

        return run_sync(_wait)()
    return value


def _one_line(text: str, limit: int = 300) -> str:
    from nbconvert.filters import strip_ansi

    text = strip_ansi(str(text))  # the ANSI colours of tracebacks
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
