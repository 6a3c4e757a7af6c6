#!/bin/sh
# bench/callgrind/two-wings.sh CHECKOUT TAG [OUTDIR]: one callgrind run of bench/callgrind/two-wings.ts
# against CHECKOUT's own src/ (run from CHECKOUT, so its node_modules and tsx are used). Writes
# OUTDIR/<checkout>-TAG.cg and its parts .cg.1, .cg.2, ...; read them with
# node --import tsx bench/callgrind/two-wings-report.ts. The database templates are made first if
# missing (METEROPS_CALLGRIND_TEMPLATE=make, without valgrind). METEROPS_CALLGRIND_NODE_FLAGS adds node
# flags, e.g. --predictable (V8's time-based compilation and marking heuristics off).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$1" && pwd)
TAG=$2
OUT=${3:-/tmp/meterops-callgrind}
mkdir -p "$OUT"
DRIVER="$HERE/two-wings.ts"
KIND=$([ -d "$ROOT/src/world" ] && echo after || echo before)
if [ ! -f "$OUT/template-$KIND.tar" ]; then
  (cd "$ROOT" && METEROPS_ROOT="$ROOT" METEROPS_CALLGRIND_DIR="$OUT" METEROPS_CALLGRIND_TEMPLATE=make node --expose-gc --import tsx "$DRIVER")
fi
cd "$ROOT"
METEROPS_ROOT="$ROOT" METEROPS_CALLGRIND_DIR="$OUT" valgrind --tool=callgrind --smc-check=all-non-file \
  --dump-before='node::v8_utils::SetFlagsFromString*' --callgrind-out-file="$OUT/$(basename "$ROOT")-$TAG.cg" \
  node --expose-gc --single-threaded --max-semi-space-size=16 ${METEROPS_CALLGRIND_NODE_FLAGS:-} --import tsx "$DRIVER" >"$OUT/$(basename "$ROOT")-$TAG.log" 2>&1
echo "$(basename "$ROOT") $TAG: $(tail -1 "$OUT/$(basename "$ROOT")-$TAG.log")"
