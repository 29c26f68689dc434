#!/usr/bin/env bash
# Paired A/B timing of two goward checkouts on this machine, for changes smaller than its drift:
#
#   bash tools/ab-pair.sh ROUNDS CHECKOUT_A CHECKOUT_B -- GOWARD_ARGS...
#
# Each round runs A and B at the same time, single-threaded, each pinned to one core (taskset),
# and swaps the cores every round: both see the same machine speed, which on a shared 2-core
# machine drifts by 10-25% within minutes. Each checkout must be built (npm run build). Prints
# wall and user seconds and peak RSS of both per round, and whether their JSON outputs agree.
set -euo pipefail
rounds=$1 a=$2 b=$3
shift 3
[ "${1:-}" = "--" ] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$rounds"); do
  if [ $((i % 2)) = 1 ]; then ca=0 cb=1; else ca=1 cb=0; fi
  # goward exits 1 when it reports findings: the exit code is not checked, the outputs are.
  (taskset -c $ca /usr/bin/time -f "%e s wall, %U s user, %M KB" -o "$out/a.time" node "$a/bin/goward.js" "$@" --threads 1 --format json -o "$out/a.json" >/dev/null 2>&1 || true) &
  (taskset -c $cb /usr/bin/time -f "%e s wall, %U s user, %M KB" -o "$out/b.time" node "$b/bin/goward.js" "$@" --threads 1 --format json -o "$out/b.json" >/dev/null 2>&1 || true) &
  wait
  same=$(cmp -s "$out/a.json" "$out/b.json" && echo "same output" || echo "OUTPUTS DIFFER")
  echo "round $i: A $(tail -1 "$out/a.time") | B $(tail -1 "$out/b.time") | $same"
done
