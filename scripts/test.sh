#!/usr/bin/env bash
# Run the tests: make .venv if missing, install the app's and the tests'
# pinned requirements, make sure Debian's chromium is there for the browser
# test, then run pytest. Extra arguments go to pytest, e.g.
#   bash scripts/test.sh -k browser
set -euo pipefail

# Relative paths below assume the repo root, wherever this is called from.
cd "$(dirname "$0")/.."

# See scripts/run.sh: without retries an unreachable extra index costs
# seconds, not minutes.
export PIP_RETRIES=0
export PIP_DISABLE_PIP_VERSION_CHECK=1

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet \
  -r requirements.txt -r requirements-dev.txt

# Playwright's own browser download cannot work on our machines, so the
# browser test drives Debian's chromium (see tests/conftest.py).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null; then
    as_root="sudo"
  else
    as_root="none"
  fi
  if [ "$as_root" = "none" ]; then
    echo "test.sh: /usr/bin/chromium is missing and neither root nor" \
      "sudo is available to install it (apt-get install chromium);" \
      "the browser test will fail or be skipped." >&2
  else
    # A failed install is reported, not fatal: the other tests still run,
    # and conftest.py says why the browser test cannot.
    { $as_root apt-get update -q \
      && $as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q chromium; } \
      || echo "test.sh: installing chromium failed;" \
        "the browser test will fail or be skipped." >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
