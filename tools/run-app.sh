#!/usr/bin/env bash
# Runs the kennel app from a build tree, with the build's settings schema
# and engine:  tools/run-app.sh [BUILD_DIR] [ARGS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
[ $# -gt 0 ] && shift
export GSETTINGS_SCHEMA_DIR=$build/data
export KENNEL_ENGINE=${KENNEL_ENGINE:-$build/src/engine/kennel-engine}
exec "$build/src/ui/kennel" "$@"
