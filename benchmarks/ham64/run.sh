#!/usr/bin/env bash
# HAM-64: the paper's Table 1 and figures on real HAM10000 images at 64x64
# (protocol: benchmarks/ham64/README.md; machinery and settings:
# benchmarks/run_table1.sh).
#
#   bash benchmarks/ham64/run.sh                    # every row, seeds 0 1 2
#   ROWS="ce cb-focal iois-ois iois-ois-aas" GPUS=4 bash benchmarks/ham64/run.sh
#   REDUCED=1 WORK=/tmp/ham64 bash benchmarks/ham64/run.sh   # CPU check, minutes
PROTOCOL=ham64 exec bash "$(dirname "$0")/../run_table1.sh" "$@"
