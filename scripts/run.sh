#!/usr/bin/env bash
# Start the app: make .venv if missing, install the pinned requirements,
# then `streamlit run app.py`. Extra arguments go to streamlit, e.g.
#   bash scripts/run.sh --server.port 8600
set -euo pipefail

# Relative paths below assume the repo root, wherever this is called from.
cd "$(dirname "$0")/.."

# requirements.txt names PyTorch's CPU index for Community Cloud. Where that
# index cannot be reached, pip's default retries stall the install for about
# six minutes; without retries pip moves on to the other sources at once.
export PIP_RETRIES=0
export PIP_DISABLE_PIP_VERSION_CHECK=1

[ -x .venv/bin/python ] || python3 -m venv .venv

# Quick when everything is already installed: pip only checks the pins.
.venv/bin/python -m pip install --quiet -r requirements.txt

exec .venv/bin/python -m streamlit run app.py "$@"
