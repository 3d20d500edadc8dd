#!/usr/bin/env bash
# Frame time of civitas-viz with a live society running (the issue's target: 60 frames/s at 10^5 agents).
# Renders FRAMES frames in a hidden 1600x900 window under Xvfb while the engine plays as fast as it can,
# and prints the mean frame time and, within it, the time to build the UI (ImGui + panels, no OpenGL).
# Usage: [PAGE=overview|flows] bash bench/viz_frame_time.sh [CITIZENS] [FRAMES]   (defaults 100000 and 300;
# release build)
set -euo pipefail
cd "$(dirname "$0")/.."
citizens="${1:-100000}"
frames="${2:-300}"
xvfb-run -a -s "-screen 0 1600x900x24" ./build/release/viz/civitas-viz --screenshot "${TMPDIR:-/tmp}/civitas-viz-bench.png" \
  --frames "$frames" --speed 1000 --page "${PAGE:-overview}" --set population.citizens="$citizens" --set population.firms=$((citizens / 50)) \
  --set population.charities=$((citizens / 500)) society/default
