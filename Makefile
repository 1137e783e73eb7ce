# jixiao — the two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup system run test test-fast eval bench clean-index

setup: $(STAMP) system

# Python environment: torch's CPU wheel first (a newer torch would pull CUDA), then the project.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,llm]'
	touch $(STAMP)

# System packages: Debian's chromium and its driver (browser tests), LibreOffice Writer (the PDF
# export and its rendering tests), poppler-utils (measuring the PDFs), Noto CJK (Chinese glyphs).
# Only what is missing is installed; nothing is fetched when everything is there.
SYSTEM_COMMANDS := chromium:chromium chromedriver:chromium-driver soffice:libreoffice-writer-nogui \
                   pdftotext:poppler-utils pdffonts:poppler-utils pdftoppm:poppler-utils
system:
	@missing=""; \
	for pair in $(SYSTEM_COMMANDS); do \
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; \
	done; \
	fc-list :lang=zh family | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$(echo $$missing | tr ' ' '\n' | sort -u) >/dev/null; \
	fi

run: setup
	$(BIN)/jixiao demo

test: setup
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

eval: setup
	$(BIN)/jixiao eval figures
	$(BIN)/jixiao eval retrieval

clean-index:
	rm -rf index/chroma index/*.json
