"""Build hook: the wheel carries the project's default ``parameters/`` and ``notebooks/`` as
package data (``ikto_lib/_data/``, read through :mod:`ikto_lib.paths`).

``parameters/`` and ``notebooks/`` stay at the repository root, where users edit them; this copies
them into the build (not into the source tree) each time a wheel is built. Editable installs read
them from the checkout directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {"parameters": "**/*", "notebooks": "*.ipynb"}


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, pattern in SHIPPED.items():
            for src in sorted((ROOT / folder).glob(pattern)):
                if src.is_file() and ".ipynb_checkpoints" not in src.parts:
                    dst = Path(self.build_lib) / "ikto_lib" / "_data" / src.relative_to(ROOT)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)


setup(cmdclass={"build_py": BuildWithData})
