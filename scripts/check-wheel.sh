#!/usr/bin/env bash
# The wheel alone is enough: build it from this checkout, install it in a fresh virtual
# environment (core dependencies from PyPI, no editable install, no extras) and run the demo
# from there, outside the checkout. Catches a module or data file left out of the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/build-venv"
"$work/build-venv/bin/pip" install -q build
"$work/build-venv/bin/python" -m build -q --wheel -o "$work/dist" . >/dev/null
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --require-hashes -r requirements/engine.txt  # the engine pinned by hash, as the README installs it
"$work/venv/bin/pip" install -q "$work"/dist/sansho-*.whl
cd "$work"
"$work/venv/bin/sansho" demo -o "$work/demo" --lang en >"$work/demo.log" 2>&1 || code=$?
# the demo estate has failing controls on purpose: exit 1 is its verdict, 2 or 3 a breakage
if [ "${code:-0}" -gt 1 ]; then cat "$work/demo.log" >&2; echo "wheel demo failed (exit $code)" >&2; exit 1; fi
for f in findings.json findings.sarif report.html matrix.xlsx; do
  [ -s "$work/demo/$f" ] || { echo "wheel demo wrote no $f" >&2; exit 1; }
done
echo "wheel OK: $(basename "$work"/dist/sansho-*.whl) installs alone and runs the demo"
