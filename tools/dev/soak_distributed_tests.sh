#!/usr/bin/env bash
# Runs the 2-process tests RUNS times in a row while LOAD busy processes
# keep the cores occupied (the condition under which a rank used to abort
# at exit with SIGABRT). Stops at the first failure; prints one line a run.
#
#   bash tools/dev/soak_distributed_tests.sh            # 30 runs, load 2
#   RUNS=5 LOAD=0 bash tools/dev/soak_distributed_tests.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-30}
LOAD=${LOAD:-2}
PYTHON=${PYTHON:-python}
TESTS=(
    tests/test_tools/test_train_test.py::test_dist_train_sh_two_cpu_processes_with_a_resampler
    tests/test_engine/test_accuracy_adaptive_sampling_hook.py::test_two_ranks_hold_identical_pools
)
busy=()
for ((i = 0; i < LOAD; i++)); do
    "$PYTHON" -c 'while True: pass' & busy+=($!)
done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT
echo "$(date -Is) $(nproc) cores, $LOAD busy processes, $RUNS runs of ${#TESTS[@]} tests"
for ((run = 1; run <= RUNS; run++)); do
    start=$SECONDS
    if ! out=$("$PYTHON" -m pytest -q -p no:cacheprovider "${TESTS[@]}" 2>&1); then
        echo "run $run FAILED after $((SECONDS - start)) s"
        echo "$out" | tail -40
        exit 1
    fi
    echo "run $run passed ($((SECONDS - start)) s): $(echo "$out" | tail -1)"
done
echo "$(date -Is) $RUNS consecutive passes"
