"""End to end in a real browser: JupyterLab + Playwright driving Debian's chromium.

Starts JupyterLab on 127.0.0.1 (random port, a token) in a temporary folder holding a copy of
``notebooks/explore.ipynb`` pointed at the demo wave, runs all cells, changes the organisation
dropdown and checks that the rendered table changes and no error shows; saves a screenshot to
``docs/explore.png`` when ``IKTO_UPDATE_DOCS=1`` (else into the test's temp folder). Every wait is bounded; the server is always stopped.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # what `make sysdeps` installs
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook_copy(folder: Path, demo_dir: Path) -> Path:
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    params["source"] = [f'waves_dir: str = {str(demo_dir)!r}\n', 'wave: str = "2015"\n']
    out = folder / "explore.ipynb"
    out.write_text(json.dumps(nb), encoding="utf-8")
    return out


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
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
    """Stop the server and its kernels (its own process group), bounded."""
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


@pytest.mark.slow
def test_explorer_in_jupyterlab(demo_dir, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (make sysdeps)")
    from playwright.sync_api import sync_playwright

    work = tmp_path / "lab"
    work.mkdir()
    _notebook_copy(work, demo_dir)
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), MPLBACKEND="Agg")
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0", "--allow-root",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(f"{base}/api/status?token={token}", proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1600})
                page.set_default_timeout(60_000)
                page.goto(f"{base}/lab/tree/explore.ipynb?token={token}")
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                                       timeout=120_000)
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                table = page.locator("table.ikto-table").first
                table.wait_for(state="visible", timeout=180_000)
                before = table.inner_text()
                select = page.locator(".widget-dropdown:has(label:text-is('Organisation')) select").first
                options = select.locator("option").all_inner_texts()
                assert len(options) >= 2
                current = select.input_value()
                select.select_option(next(o for o in options if o != current))
                page.wait_for_function(
                    "(b) => { const t = document.querySelector('table.ikto-table'); return t && t.innerText !== b; }",
                    arg=before, timeout=60_000)
                after = page.locator("table.ikto-table").first.inner_text()
                assert after != before
                errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
                texts = " ".join(errors.all_inner_texts())
                assert "Traceback" not in texts and "Error" not in texts, texts
                assert "Traceback" not in page.locator(".jp-Notebook").inner_text()
                page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                                       ".session.kernel.status === 'idle'", timeout=60_000)
                news = page.get_by_role("button", name="No")
                if news.count():
                    news.first.click(timeout=5_000)
                    page.wait_for_timeout(1_000)  # let the notification fade out
                # the README picture is refreshed only on request (IKTO_UPDATE_DOCS=1), not by every run
                shot = ROOT / "docs" / "explore.png" if os.environ.get("IKTO_UPDATE_DOCS") else tmp_path / "explore.png"
                shot.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(shot), full_page=False)
                assert shot.stat().st_size > 10_000
            finally:
                browser.close()
    finally:
        _stop(proc)
        log.close()
