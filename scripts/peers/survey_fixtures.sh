#!/usr/bin/env bash
# Recompute the survey-statistics fixtures with scipy/statsmodels (the peer).
#
# Creates a local virtual environment at .venv (git-ignored) on first use and runs
# survey_fixtures.py, which writes crates/core/tests/fixtures/anes96.json and
# crates/core/tests/fixtures/survey_stats_expected.json. The output is deterministic,
# so CI can re-run this and `git diff --exit-code` the fixtures.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Pinned: the expected fixture records these versions, and a newer release may move the
# last digits of a float, which would show up as a diff in CI.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    numpy==2.4.6 scipy==1.17.1 statsmodels==0.15.0 pandas==3.1.1 scikit-learn==1.9.1

"$venv/bin/python" "$root/scripts/peers/survey_fixtures.py" "$root"
