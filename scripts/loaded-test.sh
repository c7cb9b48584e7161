#!/usr/bin/env bash
# A loaded run: `npm test` with two CPU-bound processes beside it, the check that the suite's timing
# bounds hold on a busy machine. Extra arguments go to `npm test` (e.g. a file to run alone).
# The burners are always stopped, whether the suite passes, fails or is interrupted.
set -uo pipefail
cd "$(dirname "$0")/.."

burners=()
suite=''
cleanup() {
  [ -n "$suite" ] && kill "$suite" 2>/dev/null
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in 1 2; do
  node -e 'for (;;) {}' &
  burners+=("$!")
done
echo "loaded-test: two CPU-bound processes running (pids ${burners[*]})"

start=$(date +%s)
# In the background and waited for, so a signal to this script stops the burners at once.
npm test -- "$@" &
suite=$!
wait "$suite"
status=$?
suite=''
echo "loaded-test: npm test exited ${status} after $(($(date +%s) - start)) s beside two CPU-bound processes"
exit "$status"
