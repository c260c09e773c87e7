#!/usr/bin/env bash
# glass-ML companion: the README's two commands.
#   bash companion.sh reproduce [--profile quick|full] [NOTEBOOK ...]
#   bash companion.sh test
# Both set themselves up: a virtual environment (.venv) unless one is active, the pinned
# packages, glasslib itself and the notebooks' Jupyter kernel.
set -euo pipefail
cd "$(dirname "$0")"

setup() {
  if [ -z "${VIRTUAL_ENV:-}" ] && [ -z "${CONDA_PREFIX:-}" ]; then
    if [ ! -x .venv/bin/python ]; then
      py="${PYTHON:-$(command -v python3.11 || command -v python3)}"
      echo "creating .venv with $py ($("$py" --version))"
      "$py" -m venv .venv
    fi
    # shellcheck disable=SC1091
    . .venv/bin/activate
  fi
  local prefix stamp want
  prefix="$(python -c 'import sys; print(sys.prefix)')"
  stamp="$prefix/.glass-ml-installed"
  want="$(cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "installing the pinned packages into $prefix (first run only) ..."
    python -m pip install -q --upgrade pip
    python -m pip install -q -e .
    python -m ipykernel install --sys-prefix --name glass-ml --display-name "Python (glass-ml)" >/dev/null
    echo "$want" > "$stamp"
  fi
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" TF_CPP_MIN_LOG_LEVEL=2 KERAS_BACKEND="${KERAS_BACKEND:-tensorflow}"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  reproduce)
    setup
    exec python -m glasslib.cli reproduce "$@"
    ;;
  test)
    setup
    # the notebooks under test write their figures and metrics into a temporary folder, so
    # that a test run rewrites no tracked file; the run ends with a check of exactly that
    GLASSLIB_FIGURES="$(mktemp -d)"
    export GLASSLIB_FIGURES
    trap 'rm -rf "$GLASSLIB_FIGURES"' EXIT
    before="$(git status --porcelain 2>/dev/null || true)"
    python -m pytest tests notebooks/[0-9][0-9]_*.ipynb --nbval-lax --nbval-current-env \
      --nbval-cell-timeout=1800 -p no:cacheprovider -q "$@"
    after="$(git status --porcelain 2>/dev/null || true)"
    if [ "$before" != "$after" ]; then
      echo "error: the test run changed or left files in the work tree (git status before / after):" >&2
      diff <(echo "$before") <(echo "$after") >&2 || true
      exit 1
    fi
    ;;
  *)
    echo "usage: bash companion.sh reproduce [--profile quick|full] [NOTEBOOK ...]" >&2
    echo "       bash companion.sh test [PYTEST-OPTIONS ...]" >&2
    exit 2
    ;;
esac
