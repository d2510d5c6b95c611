#!/usr/bin/env bash
# HAM-32: the paper's Table 1 and figures on real HAM10000 images at 32x32,
# sized for a 2-core CPU and for one GPU (protocol:
# benchmarks/ham32/README.md; machinery and settings:
# benchmarks/run_table1.sh).
#
#   GPUS=1 PARALLEL=24 bash benchmarks/ham32/run.sh     # one GPU, all rows
#   DDPM=configs/ham32/ddpm_unet32_1xb32_4k_ham32.py \
#       ROWS="ce cb-focal iois-ois iois-ois-aas" bash benchmarks/ham32/run.sh  # CPU
#   REDUCED=1 WORK=/tmp/ham32 bash benchmarks/ham32/run.sh   # CPU check, minutes
PROTOCOL=ham32 exec bash "$(dirname "$0")/../run_table1.sh" "$@"
