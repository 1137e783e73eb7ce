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

.PHONY: setup system bytecode run test test-fast eval bench clean-index

setup: $(STAMP) system bytecode

# Byte-compiled modules, so each short `jixiao` command starts without compiling the package again
# (PYTHONDONTWRITEBYTECODE=1 keeps Python from writing them at import); only changed files are redone.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q assistant

# llama.cpp built for any x86-64 with AVX2, not for this CPU: a -march=native build faults on machines
# whose CPU reports AMX that the VM does not enable (seen here: a segfault at the first decode).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF $(if $(filter x86_64,$(shell uname -m)),-DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON)

# Python environment: torch's CPU wheel first (a newer torch would pull CUDA), then llama.cpp (built
# portably, never from a wheel cached by another build), then the project.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip show llama-cpp-python >/dev/null 2>&1 || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q --no-cache-dir -c constraints.txt llama-cpp-python
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
