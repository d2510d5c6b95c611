#!/usr/bin/env bash
# HAM-64: the paper's Table 1 and figures on real HAM10000 images
# (protocol: benchmarks/ham64/README.md).
#
#   bash benchmarks/ham64/run.sh                    # every row, seeds 0 1 2
#   ROWS="ce cb-focal iois-ois iois-ois-aas" GPUS=4 bash benchmarks/ham64/run.sh
#   REDUCED=1 WORK=/tmp/ham64 bash benchmarks/ham64/run.sh   # CPU check, minutes
#
# Resumable: a row whose test_results.json exists is skipped; an
# interrupted one resumes from its last checkpoint. A failed row is reported
# at the end (exit 1); the others still run.
#
# Settings (environment variables):
#   HAM_DIR   HAM10000 in the official layout (default ../shared/data/ham10000)
#   WORK      work directories (default work_dirs/ham64)
#   DATA      the prepared HAM-64 data (default data/ham64)
#   ROWS      rows to run, of: ce focal cb-focal sqrt-rs pg-rs iois-offline
#             iois-ois iois-ois-aas (default: all)
#   SEEDS     default "0 1 2"
#   GPUS      rows run in parallel, one per GPU (default 1)
#   PYTHON    interpreter (default python)
#   FRACTION  share of each class's images to use (default 1, or 0.1 when
#             REDUCED=1)
#   REDUCED   1: 32 px images, 10% of them, tiny models, 2 epochs, one seed:
#             the whole pipeline end to end on a CPU in minutes, numbers
#             meaningless
#   RESULTS   where the table and figures go (default
#             benchmarks/ham64/results, or $WORK/results when REDUCED=1)
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python}
HAM_DIR=${HAM_DIR:-../shared/data/ham10000}
WORK=${WORK:-work_dirs/ham64}
DATA=${DATA:-data/ham64}
REDUCED=${REDUCED:-0}
ALL_ROWS="ce focal cb-focal sqrt-rs pg-rs iois-offline iois-ois iois-ois-aas"
ROWS=${ROWS:-$ALL_ROWS}
GPUS=${GPUS:-1}
if [ "$REDUCED" = 1 ]; then
    SEEDS=${SEEDS:-0}
    RESULTS=${RESULTS:-$WORK/results}
    SIZE=32 FRACTION=${FRACTION:-0.1}
else
    SEEDS=${SEEDS:-"0 1 2"}
    RESULTS=${RESULTS:-benchmarks/ham64/results}
    SIZE=64 FRACTION=${FRACTION:-1.0}
fi
SUFFIX=resnet18_1xb64_60e_ham64
mkdir -p "$WORK" "$RESULTS"
log() { echo "[ham64 $(date +%H:%M:%S)] $*"; }

# --------------------------------------------------------------- options --
is_iois() { [[ $1 == iois-* ]]; }

data_options() {  # the datasets of row $1 read $DATA
    local train=train_dataloader.dataset
    is_iois "$1" && train=train_dataloader.dataset.dataset
    echo "$train.data_root=$DATA val_dataloader.dataset.data_root=$DATA" \
         "test_dataloader.dataset.data_root=$DATA"
}

row_options() {  # everything --cfg-options gets for row $1, seed $2
    local options
    options="randomness.seed=$2 $(data_options "$1")"
    if is_iois "$1"; then
        options+=" synthesizer.diffusion_model_dir=$WORK/ddpm/diffusion_model"
    fi
    if [ "$1" = iois-offline ]; then
        options+=" train_dataloader.dataset.pool_file=$DATA/synthetic_pool.npz"
    fi
    if [ "$REDUCED" = 1 ]; then
        options+=" model.backbone.base_channels=16 model.backbone.stem_channels=16"
        options+=" model.head.in_channels=128 train_cfg.max_epochs=2"
        options+=" train_dataloader.num_workers=2 val_dataloader.num_workers=0"
        options+=" test_dataloader.num_workers=0"
        if is_iois "$1"; then
            options+=" synthesizer.num_inference_steps=3 synthesizer.batch_size=64"
            [ "$1" != iois-offline ] && options+=" train_dataloader.dataset.capacity=56"
        fi
    fi
    echo "$options"
}

ddpm_options() {
    local options="train_dataloader.dataset.data_root=$DATA"
    if [ "$REDUCED" = 1 ]; then
        options+=" train_cfg.max_iters=60 train_dataloader.batch_size=16"
        options+=" train_dataloader.num_workers=2 model.unet.norm_num_groups=8"
        options+=" model.unet.block_out_channels=(16,32,32,32)"
        options+=" param_scheduler.0.end=10 default_hooks.checkpoint.interval=60"
        options+=" custom_hooks.1.interval=60 custom_hooks.1.num_inference_steps=3"
    fi
    echo "$options"
}

# ------------------------------------------------------------------ data --
if [ ! -f "$DATA/meta/test.json" ]; then
    log "preparing $DATA from $HAM_DIR (${SIZE} px, fraction $FRACTION)"
    "$PYTHON" tools/dataset_converters/downsize_ham10000.py --data-root "$HAM_DIR" \
        --out-dir "$DATA/raw" --size "$SIZE" --fraction "$FRACTION"
    "$PYTHON" tools/dataset_converters/prepare_ham10000.py --data-root "$DATA/raw" \
        --out-dir "$DATA" --seed 0
fi

# ----------------------------------------------------- diffusion model --
model_dir=$WORK/ddpm/diffusion_model
needs_model=0
for row in $ROWS; do is_iois "$row" && needs_model=1; done
if [ $needs_model = 1 ] && { [ ! -f "$model_dir/model_index.json" ] || [ -e "$model_dir/.incomplete" ]; }; then
    log "pre-training the diffusion model ($WORK/ddpm)"
    resume=()
    [ -f "$WORK/ddpm/last_checkpoint" ] && resume=(--resume)
    # shellcheck disable=SC2046
    "$PYTHON" tools/train.py configs/ham64/ddpm_unet64_1xb64_20k_ham64.py \
        --work-dir "$WORK/ddpm" "${resume[@]}" --cfg-options $(ddpm_options) \
        > "$WORK/ddpm.log" 2>&1 || { log "diffusion pre-training failed: $WORK/ddpm.log"; exit 1; }
fi

# ------------------------------------------------------------------ rows --
run_row() {  # row seed gpu -> trains and tests
    local row=$1 seed=$2 dir=$WORK/${1}_seed$2
    local config=configs/ham64/${row}_$SUFFIX.py
    export CUDA_VISIBLE_DEVICES=$3
    local resume=()
    [ -f "$dir/last_checkpoint" ] && resume=(--resume)
    # shellcheck disable=SC2046
    "$PYTHON" tools/train.py "$config" --work-dir "$dir" "${resume[@]}" \
        --cfg-options $(row_options "$row" "$seed") || return 1
    local best
    best=$(ls "$dir"/best_imbalanced_macro_f1_epoch_*.pth | tail -n 1)
    # shellcheck disable=SC2046
    "$PYTHON" tools/test.py "$config" "$best" --work-dir "$dir" \
        --cfg-options $(data_options "$row")
}

failed=()
declare -A slot_pid slot_job
free_slot=
reap() {  # records the exit status of finished jobs, frees their slots
    local slot pid
    for ((slot = 0; slot < GPUS; slot++)); do
        pid=${slot_pid[$slot]:-}
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" || failed+=("${slot_job[$slot]}")
            slot_pid[$slot]=""
        fi
    done
}
pick_slot() {  # sets free_slot, waiting while every GPU is busy
    while true; do
        reap
        local slot
        for ((slot = 0; slot < GPUS; slot++)); do
            if [ -z "${slot_pid[$slot]:-}" ]; then free_slot=$slot; return; fi
        done
        sleep 1
    done
}

run_all() {  # runs the jobs "row:seed" given, GPUS at a time, then waits
    for job in "$@"; do
        local row=${job%:*} seed=${job#*:}
        if [ -f "$WORK/${row}_seed$seed/test_results.json" ]; then
            log "$row seed $seed: done earlier, skipped"
            continue
        fi
        pick_slot
        log "$row seed $seed: running on slot $free_slot" \
            "(log $WORK/${row}_seed$seed.log)"
        run_row "$row" "$seed" "$free_slot" > "$WORK/${row}_seed$seed.log" 2>&1 &
        slot_pid[$free_slot]=$!
        slot_job[$free_slot]="$row seed $seed"
    done
    while [ "$(busy_slots)" -gt 0 ]; do reap; sleep 1; done
}

busy_slots() {
    local slot count=0
    for ((slot = 0; slot < GPUS; slot++)); do
        [ -n "${slot_pid[$slot]:-}" ] && count=$((count + 1))
    done
    echo $count
}

jobs_for() { for row in "$@"; do for seed in $SEEDS; do echo "$row:$seed"; done; done; }

first=() rest=()
for row in $ROWS; do
    case $row in
        ce) first+=("$row") ;;
        focal|cb-focal|sqrt-rs|pg-rs|iois-offline|iois-ois|iois-ois-aas) rest+=("$row") ;;
        *) echo "unknown row '$row'; rows are: $ALL_ROWS" >&2; exit 2 ;;
    esac
done
# CE first: the offline pool is generated with CE's seed-0 classifier
# shellcheck disable=SC2046
[ ${#first[@]} -gt 0 ] && run_all $(jobs_for "${first[@]}")

if [[ " ${rest[*]} " == *" iois-offline "* ]] && [ ! -f "$DATA/synthetic_pool.npz" ]; then
    ce_best=$(ls "$WORK"/ce_seed0/best_imbalanced_macro_f1_epoch_*.pth 2>/dev/null | tail -n 1 || true)
    if [ -z "$ce_best" ]; then
        log "iois-offline needs the CE seed-0 model: run ROWS=ce first"; exit 1
    fi
    count=1200; [ "$REDUCED" = 1 ] && count=56
    log "generating the offline pool ($count images) with $ce_best"
    # shellcheck disable=SC2046
    "$PYTHON" tools/synthesize.py configs/ham64/iois-offline_$SUFFIX.py \
        --classifier "$ce_best" --num $count --out "$DATA/synthetic_pool.npz" \
        --cfg-options $(row_options iois-offline 0) > "$WORK/synthesize.log" 2>&1 \
        || { log "pool generation failed: $WORK/synthesize.log"; exit 1; }
fi
# shellcheck disable=SC2046
[ ${#rest[@]} -gt 0 ] && run_all $(jobs_for "${rest[@]}")

# --------------------------------------------------------------- outputs --
log "results in $RESULTS"
"$PYTHON" tools/analysis/collect_results.py "$WORK"/*_seed*/ \
    --json "$RESULTS/table1.json" > "$RESULTS/table1.md"
cat "$RESULTS/table1.md"
methods=()
for row in focal sqrt-rs iois-ois-aas; do
    [[ " $ROWS " == *" $row "* ]] && methods+=("$(
        "$PYTHON" -c "from mmengine.config import Config; print(Config.fromfile('configs/ham64/${row}_$SUFFIX.py').method_name)")")
done
if [[ " $ROWS " == *" ce "* ]] && [ ${#methods[@]} -gt 0 ]; then
    "$PYTHON" tools/analysis/plot_per_class.py "$WORK"/*_seed*/ \
        --split-info "$DATA/split.json" --methods "${methods[@]}" \
        --out "$RESULTS/fig2_per_class.png" > "$RESULTS/fig2_per_class.txt"
fi
if [ -d "$WORK/iois-ois-aas_seed0" ]; then
    last=$(ls -t "$WORK"/iois-ois-aas_seed0/epoch_*.pth | head -n 1)
    "$PYTHON" tools/analysis/show_synthetic.py "$last" --out "$RESULTS/fig3_synthetic.png" \
        --cfg-options "$(data_options iois-ois-aas | cut -d' ' -f1)"
    "$PYTHON" tools/analysis/plot_aas_curves.py "$WORK/iois-ois-aas_seed0" \
        --out "$RESULTS/aas_curves_seed0.png"
fi
mkdir -p "$RESULTS/runs"
for result in "$WORK"/*_seed*/test_results.json; do
    cp "$result" "$RESULTS/runs/$(basename "$(dirname "$result")").json"
done

if [ ${#failed[@]} -gt 0 ]; then
    log "FAILED: ${failed[*]} (see their logs in $WORK)"
    exit 1
fi
log "done"
