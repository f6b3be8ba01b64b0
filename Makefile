# ikto: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
IKTO   := $(VENV)/bin/ikto
WAVE   ?= 2015
PREV   ?= 2013
DEMO   := data/demo
PYTEST_ARGS ?=

.PHONY: demo test lab venv sysdeps bench clean help

help:
	@echo "make demo   venv + install + demo waves + full batch; prints outputs/$(WAVE)/index.html"
	@echo "make test   venv + system packages (chromium, poppler) + the test suite"
	@echo "make lab    JupyterLab on the project's kernel, opening notebooks/explore.ipynb"
	@echo "make bench  the benchmark scripts in benchmarks/"

venv: $(VENV)/.installed

# Re-installs when pyproject.toml changes; registers the 'ikto' Jupyter kernel inside the venv.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=23"
	$(PY) -m pip install --quiet -e ".[test,lab]"
	$(PY) -m ipykernel install --sys-prefix --name ikto --display-name "Python (ikto)" >/dev/null
	@# build matplotlib's font cache and compile the imports now, not during the first report
	MPLBACKEND=Agg $(PY) -c "import matplotlib.font_manager as f, matplotlib.pyplot, pandas, pyarrow, ikto_lib.report.sections; f.findfont('DejaVu Sans')"
	touch $@

# Debian packages the rendering and browser tests need (headless Chromium, pdfinfo/pdftoppm, fonts).
sysdeps:
	@if command -v chromium >/dev/null && command -v pdfinfo >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; \
	else echo "Please install Debian packages: chromium poppler-utils fonts-dejavu-core (needs root)"; exit 1; fi

$(DEMO)/$(WAVE)/organisations.csv: | venv
	$(IKTO) demo --out $(DEMO)

demo: venv $(DEMO)/$(WAVE)/organisations.csv
	$(IKTO) validate $(DEMO)/$(PREV)
	$(IKTO) validate $(DEMO)/$(WAVE)
	$(IKTO) batch $(DEMO)/$(WAVE) --previous $(DEMO)/$(PREV) --out outputs

# pytest exits 5 when it collected no test; that is not a failure of the suite.
test: venv sysdeps
	$(PY) -m pytest $(PYTEST_ARGS) || [ $$? -eq 5 ]

lab: venv $(DEMO)/$(WAVE)/organisations.csv
	$(VENV)/bin/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/explore.ipynb

bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf outputs/* $(DEMO) .pytest_cache
