"""Keep one needlessly slow optional import out of ikto's processes.

``nbformat`` validates notebooks with ``jsonschema``, and ``jsonschema`` imports
``rfc3987_syntax`` when it is installed (an optional extra that Jupyter's event system pulls in)
to offer an ``iri`` format check. That import compiles 38 ``lark`` grammars: 0.7 s on a quiet
2-core machine, 5 s under load, in every process that touches a notebook (the batch, each worker,
each kernel, ``ikto report``). No notebook schema uses the ``iri`` format, so ikto's processes
mark the module as absent before ``jsonschema`` is imported; ``jsonschema`` then simply offers no
``iri`` check (its documented behaviour without the extra). Importing this module does only that.
"""

from __future__ import annotations

import sys

SKIPPED = ("rfc3987_syntax",)


def keep_out() -> None:
    """Mark :data:`SKIPPED` as not installed (no effect once ``jsonschema`` was imported)."""
    if "jsonschema" in sys.modules:
        return
    for name in SKIPPED:
        sys.modules.setdefault(name, None)


keep_out()
