"""Stand-ins for the report notebook, the HTML exporter and the Excel tables, for batch tests.

Referenced as ``"tests.batch.batchstubs:export"`` / ``"tests.batch.batchstubs:tables"`` so a dask worker imports them
(the project root is on its ``sys.path``: pytest puts it there, and the cluster tests set
``PYTHONPATH``). ``stub_notebook(path, faults=...)`` writes a notebook with the report's
parameters whose behaviour per organisation is read from a JSON file of faults:
``{"ORG": "raise" | "kill_kernel" | "kill_worker" | "sleep:<seconds>"}``.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

END = "<!-- end of report -->"

ORG_PARAMETERS = '''org: str = "MINBZK"  # organisation code
wave: str = "2015"  # wave
previous_wave: str | None = None  # previous wave
language: str = "nl"  # report language
prepared: str = ""  # prepared results folder
min_n: int = 10  # anonymity threshold
name_peers: bool = False  # name other organisations
'''

GROUP_PARAMETERS = '\n'.join(l for l in ORG_PARAMETERS.splitlines() if not l.startswith("org"))

BODY = '''import json, os, pathlib, time
faults = json.loads(pathlib.Path({faults!r}).read_text()) if os.path.exists({faults!r}) else {{}}
fault = faults.get(globals().get("org", "group"), "")
if fault == "raise":
    raise ValueError("planted failure for " + org)
if fault == "kill_kernel":
    os.kill(os.getpid(), 9)
if fault == "kill_worker":
    os.kill(os.getppid(), 9)
if fault.startswith("sleep:"):
    time.sleep(float(fault.split(":")[1]))
'''

REPORT = '''import pandas as pd
secret = "SECRET-" + {who}
leaked = sorted(k for k in globals() if k.startswith("secret_"))
globals()["secret_" + {who}] = secret
print("REPORT", {who}, "language", language, "leaked", leaked)
'''


def stub_notebook(path: str | Path, *, faults: str | Path, group: bool = False) -> Path:
    who = '"group"' if group else "org"
    nb = new_notebook(cells=[
        new_markdown_cell("# Stub report"),
        new_code_cell(GROUP_PARAMETERS if group else ORG_PARAMETERS,
                      metadata={"tags": ["parameters"]}),
        new_code_cell(BODY.format(faults=str(faults))),
        new_code_cell(REPORT.format(who=who)),
    ], metadata={"kernelspec": {"name": "python3", "language": "python",
                                "display_name": "Python 3"}})
    path = Path(path)
    nbformat.write(nb, str(path))
    return path


def export(nb, *, title: str) -> str:
    """Every stream output of the notebook in a small HTML page that ends with :data:`END`."""
    texts = [o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
             if o.get("output_type") == "stream"]
    body = "".join(f"<pre>{t}</pre>" for t in texts)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}"
            f"{'x' * 200_000}</body></html>{END}")


def tables(prepared: str, org: str, *, language: str) -> dict[str, pd.DataFrame]:
    orgs = pd.read_parquet(Path(prepared) / "organisations.parquet")
    row = orgs[orgs["org"] == org]
    return {
        "Respons": row[["org", "name", "respondents", "response_rate"]],
        "Domeinen": pd.DataFrame({"domein": ["ICT", "HR"], "n": [120, 80],
                                  "top2": [0.829, None], "gemiddelde": [3.9, 3.5]}),
    }


def write_faults(path: str | Path, faults: dict[str, str]) -> Path:
    Path(path).write_text(json.dumps(faults))
    return Path(path)
