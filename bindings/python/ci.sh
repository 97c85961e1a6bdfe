#!/usr/bin/env bash
# CI for the Python bindings.
#
# Creates a virtualenv, installs pinned maturin/pytest/pyspark/pyarrow/pandas,
# builds and installs the package with pip (maturin is the PEP 517 backend), and
# runs the pytest suite, including the Apache Spark local-mode test.
#
# Needs only a Rust toolchain, Python 3.11 and Java 17 (for Spark); downloads
# from PyPI. Environment:
#   ANNALIST_PY_VENV   where to put the virtualenv (default: bindings/python/.venv)
#   PYTHON             the interpreter to build the venv from (default: python3.11)
#   ANNALIST_CI_SPACY  1 to also install spaCy and run the spaCy component tests
#   CARGO_TARGET_DIR   respected (default: the root workspace's target/, see below)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Build in the root workspace's target directory: Cargo.toml here has the root's
# release profile, so the dependencies `cargo test --workspace --release` already
# built there (regex, jiff, toml, serde_json, …) are reused instead of rebuilt.
# (The core crate itself is rebuilt: pyo3 needs more `syn` features than the root
# workspace enables, which changes serde_derive and so everything above it.)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd "$here/../.." && pwd)/target}"
phase_start=$SECONDS
phase() { echo "   (${1}: $((SECONDS - phase_start)) s)"; phase_start=$SECONDS; }
venv="${ANNALIST_PY_VENV:-$here/.venv}"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"

echo "== python bindings: venv $venv ($("$python" --version))"
"$python" -m venv "$venv"
py="$venv/bin/python"
# As `activate` would: maturin's PEP 517 hooks run the `maturin` binary from PATH.
export PATH="$venv/bin:$PATH"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# --no-compile: do not byte-compile all of pyspark (~490 MB) at install time; the
# few modules the tests import are compiled when first imported.
"$py" -m pip install -q --no-compile -r "$here/requirements-ci.txt"
if [[ "${ANNALIST_CI_SPACY:-0}" == 1 ]]; then
    "$py" -m pip install -q --no-compile -r "$here/requirements-spacy.txt"
fi
phase "tools installed"

# Under scripts/test, build with its profile (`ci`: no LTO) to share its target dir.
if [[ -n "${ANNALIST_PROFILE:-}" ]]; then
    export MATURIN_PEP517_ARGS="--profile $ANNALIST_PROFILE"
fi
echo "== building and installing annalist (pip + maturin, profile ${ANNALIST_PROFILE:-release})"
# --no-build-isolation: build with the pinned maturin installed above.
"$py" -m pip install --no-build-isolation --force-reinstall --no-deps "$here"
phase "package built and installed (target dir $CARGO_TARGET_DIR)"

if command -v java >/dev/null; then
    java -version 2>&1 | head -1
else
    echo "warning: no java on PATH: the Spark test will be skipped" >&2
fi

echo "== pytest"
# Run from the tests folder so the installed package is imported, not the source tree.
cd "$here/tests"
# The Spark test uses Spark's defaults: keep it off the network and quiet.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
"$py" -m pytest -ra -p no:cacheprovider "$here/tests"
phase "pytest"
