"""Drive the workbench notebooks in a real JupyterLab in headless Chromium (Playwright), and time
the explorer as the analyst sees it: from the widget event in the browser to the redrawn chart
and table in the page (after the next animation frame).

Used by ``tests/workbench/test_browser.py`` (asserts) and ``benchmarks/bench_widgets.py``
(prints). :func:`lab` starts JupyterLab on 127.0.0.1 (random port, a token) in a project folder
and always stops it (its own process group); every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # what `make sysdeps` installs
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def project(folder: Path, waves_dir: Path, data_wave: Path | None = None) -> Path:
    """A project folder for Lab: ``notebooks/`` with the explorer (and the data-quality
    notebook) pointed at ``waves_dir``, and ``outputs/``."""
    nbdir = folder / "notebooks"
    nbdir.mkdir(parents=True, exist_ok=True)
    (folder / "outputs").mkdir(exist_ok=True)
    params = {"explore.ipynb": [f"waves_dir: str = {str(waves_dir)!r}\n", 'wave: str = "2015"\n', 'language: str = "nl"\n'],
              "data_quality.ipynb": [f"wave_dir: str = {str(data_wave or waves_dir / '2015')!r}\n",
                                     'previous_dir: str = ""\n', 'language: str = "nl"\n',
                                     "show_respondent_ids: bool = False\n"]}
    for name, source in params.items():
        nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        cell["source"] = source
        (nbdir / name).write_text(json.dumps(nb), encoding="utf-8")
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def lab(folder: Path, scratch: Path):
    """``(base_url, token, page)``: JupyterLab serving ``folder`` and a Chromium page."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian chromium is missing: apt-get install -y chromium (make sysdeps)")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(scratch / "runtime"), JUPYTER_CONFIG_DIR=str(scratch / "config"))
    env.pop("MPLBACKEND", None)
    log = open(scratch / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0", "--allow-root",
         f"--LabApp.workspaces_dir={scratch / 'workspaces'}"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(f"{base}/api/status?token={token}", proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1500})
                page.set_default_timeout(60_000)
                yield base, token, page
            finally:
                browser.close()
    finally:
        _stop(proc)
        log.close()


def open_and_run(page, base: str, token: str, path: str, *, ready: str, timeout_ms: int = 300_000) -> float:
    """Open a notebook, "Run all", wait for the CSS selector ``ready``; returns seconds to it."""
    workspace = Path(path).stem.replace("_", "-")  # a workspace per notebook: it opens alone
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    page.wait_for_function("(p) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return w && w.context && w.context.path === p && w.sessionContext"
                           " && w.sessionContext.session && w.sessionContext.session.kernel; }",
                           arg=path, timeout=120_000)
    kernel = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")
    if kernel != "ikto":
        raise AssertionError(f"{path} opened on kernel {kernel!r}, not the project's 'ikto'")
    t0 = time.monotonic()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(ready).first.wait_for(state="visible", timeout=timeout_ms)
    return time.monotonic() - t0


def dismiss_news(page) -> None:
    """Close JupyterLab's "receive official Jupyter news?" notification (it covers the page)."""
    news = page.get_by_role("button", name="No")
    if news.count():
        news.first.click(timeout=5_000)
        page.wait_for_timeout(800)


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                           ".session.kernel.status === 'idle'", timeout=timeout_ms)


_ARM = """() => {
  const chart = document.querySelector('.ikto-chart'), table = document.querySelector('.ikto-table-view');
  const t0 = table.innerHTML;
  const state = window.__ikto = {start: null, done: null};
  const rec = (e) => { if (state.start === null) state.start = performance.now(); };
  for (const kind of ['change', 'click']) document.addEventListener(kind, rec, {capture: true});
  state.promise = new Promise(resolve => {
    const check = () => {
      // the kernel sends the chart, then the table (ExplorerUI.update); a chart that looks the same
      // (e.g. another comparison of a distribution) is not sent again: the table comes last
      if (table.innerHTML !== t0) {
        obs.disconnect();
        for (const kind of ['change', 'click']) document.removeEventListener(kind, rec, {capture: true});
        requestAnimationFrame(() => setTimeout(() => { state.done = performance.now(); resolve(); }, 0));
      }
    };
    const obs = new MutationObserver(check);
    for (const el of [chart, table]) obs.observe(el, {childList: true, subtree: true, characterData: true});
  });
}"""
_WAIT = """async (ms) => {
  const s = window.__ikto;
  const late = new Promise(r => setTimeout(() => r('timeout'), ms));
  if (await Promise.race([s.promise.then(() => 'ok'), late]) !== 'ok') return -1;
  return s.done - s.start;
}"""


def timed(page, action, timeout_ms: int = 30_000) -> float:
    """Seconds from the browser event of ``action()`` to chart and table redrawn and the next frame
    painted (-1: timeout)."""
    page.evaluate(_ARM)
    action()
    ms = page.evaluate(_WAIT, timeout_ms)
    return -1.0 if ms < 0 else ms / 1000.0


def widget_changes(page) -> list[tuple[str, callable]]:
    """The analyst's changes: organisation, domain, measure, breakdown, comparison, units, item."""
    def select(cls, **how):
        return lambda: page.locator(f".{cls} select").first.select_option(**how)

    def button(label):
        return lambda: page.locator(".ikto-measure button", has_text=label).first.click()

    return [
        ("organisation", select("ikto-org", index=3)),
        ("domain", select("ikto-target", index=2)),
        ("measure: mean", button("Gemiddelde")),
        ("breakdown: age", select("ikto-breakdown", index=1)),
        ("measure: distribution", button("Verdeling")),
        ("comparison: previous", select("ikto-comparison", label="vorige meting")),
        ("breakdown: none", select("ikto-breakdown", index=0)),
        ("units", select("ikto-units", index=0)),
        ("measure: top-2", button("Top-2")),
        ("item", select("ikto-target", index=4)),
        ("comparison: peers", select("ikto-comparison", label="vergelijkbare organisaties")),
        ("organisation 2", select("ikto-org", index=7)),
        ("domain 2", select("ikto-target", index=9)),
        ("breakdown: tenure", select("ikto-breakdown", index=3)),
        ("measure: mean 2", button("Gemiddelde")),
        ("organisation 3", select("ikto-org", index=11)),
    ]


def run_changes(page) -> list[tuple[str, float]]:
    out = []
    for name, action in widget_changes(page):
        out.append((name, timed(page, action)))
        wait_idle(page)
    return out


def summary(times: list[tuple[str, float]]) -> str:
    s = [t for _, t in times]
    return (f"{len(s)} widget changes in JupyterLab/Chromium: median {statistics.median(s) * 1000:.0f} ms, "
            f"max {max(s) * 1000:.0f} ms (" + ", ".join(f"{n} {t * 1000:.0f}" for n, t in times) + ")")
