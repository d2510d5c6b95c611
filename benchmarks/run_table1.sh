#!/usr/bin/env bash
# The paper's Table 1 and figures on real HAM10000 images, for one protocol
# (benchmarks/<protocol>/README.md). Called by benchmarks/ham32/run.sh and
# benchmarks/ham64/run.sh, which set PROTOCOL; the settings below are read
# from the environment.
#
# Resumable: a row whose test_results.json exists is skipped; an
# interrupted one resumes from its last checkpoint; the diffusion model is
# pre-trained once (resumed if interrupted). A failed row is reported at the
# end (exit 1); the others still run.
#
# Settings (environment variables):
#   HAM_DIR   HAM10000 in the official layout (default ../shared/data/ham10000)
#   WORK      work directories (default work_dirs/$PROTOCOL)
#   DATA      the prepared data (default data/$PROTOCOL)
#   ROWS      rows to run, of: ce focal cb-focal sqrt-rs pg-rs iois-offline
#             iois-ois iois-ois-aas (default: these, the paper's) and
#             iois-ois-aas-fast (IOIS at a fraction of the synthesis cost),
#             iois-ois-aas-fast-real (the same, warm-started from real
#             images), and any other configs/<protocol>/iois-ois-*
#             variant (e.g. iois-ois-aas-fast-w0.3), and configs/<protocol>/
#             ce-* variants of CE (e.g. ce-noise-aware); a row whose name
#             has "-cond" uses the class-conditional diffusion model,
#             one whose config pins a committed model
#             (synthesizer.diffusion_model_dir='benchmarks/...') keeps it,
#             and one whose config names a guide_row (a frozen guide) is
#             guided by that row's last checkpoint of the same seed (the
#             guide row runs first, added to ROWS where it is missing)
#   SEEDS     default "0 1 2"
#   GPUS      GPUs to spread runs over (default 1)
#   PARALLEL  runs at a time, shared round-robin among the GPUs (default
#             GPUS); with PARALLEL > 1 the diffusion model pre-trains while
#             the baselines run
#   DDPM      diffusion pre-training config (default: the protocol's)
#   DIFFUSION_MODEL  an exported diffusion model to use instead of
#             pre-training one
#   COND_DIFFUSION_MODEL  the same for the "-cond" rows' class-conditional
#             model (default: fine-tuned from the label-free one with
#             DDPM_COND, the protocol's)
#   BASELINE_NICE  niceness of the baseline rows (default 0): on a shared
#             machine, lets the diffusion model and the IOIS rows, which
#             the others wait for, have the CPU first
#   PYTHON    interpreter (default python)
#   FRACTION  share of each class's images to use (default 1, or 0.1 when
#             REDUCED=1)
#   REDUCED   1: 10% of the images at 32 px, tiny models, 2 epochs, one
#             seed: the whole pipeline end to end on a CPU in minutes,
#             numbers meaningless
#   RESULTS   where the table and figures go (default
#             benchmarks/$PROTOCOL/results, or $WORK/results when REDUCED=1)
set -euo pipefail
cd "$(dirname "$0")/.."

case ${PROTOCOL:?set PROTOCOL to ham32 or ham64} in
    ham32) SIZE=32 SUFFIX=resnet18-w16_1xb64_60e_ham32 POOL_COUNT=1200
           DDPM=${DDPM:-configs/ham32/ddpm_unet32_1xb128_4k_ham32.py}
           DDPM_COND=${DDPM_COND:-configs/ham32/ddpm-cond_unet32_1xb32_2k-ft_ham32.py} ;;
    ham64) SIZE=64 SUFFIX=resnet18_1xb64_60e_ham64 POOL_COUNT=1200
           DDPM=${DDPM:-configs/ham64/ddpm_unet64_1xb64_20k_ham64.py} ;;
    *) echo "unknown PROTOCOL '$PROTOCOL'" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python}
HAM_DIR=${HAM_DIR:-../shared/data/ham10000}
WORK=${WORK:-work_dirs/$PROTOCOL}
DATA=${DATA:-data/$PROTOCOL}
REDUCED=${REDUCED:-0}
ALL_ROWS="ce focal cb-focal sqrt-rs pg-rs iois-offline iois-ois iois-ois-aas"
ROWS=${ROWS:-$ALL_ROWS}
GPUS=${GPUS:-1}
PARALLEL=${PARALLEL:-$GPUS}
if [ "$REDUCED" = 1 ]; then
    SEEDS=${SEEDS:-0}
    RESULTS=${RESULTS:-$WORK/results}
    SIZE=32 FRACTION=${FRACTION:-0.1} POOL_COUNT=56
else
    SEEDS=${SEEDS:-"0 1 2"}
    RESULTS=${RESULTS:-benchmarks/$PROTOCOL/results}
    FRACTION=${FRACTION:-1.0}
fi
MODEL_DIR=${DIFFUSION_MODEL:-$WORK/ddpm/diffusion_model}
COND_MODEL_DIR=${COND_DIFFUSION_MODEL:-$WORK/ddpm-cond/diffusion_model}
# runs sharing the machine share its cores: PyTorch would give each one
# thread per core (MMEngine limits this only for distributed runs)
if [ "$PARALLEL" -gt 1 ] && [ -z "${OMP_NUM_THREADS:-}" ]; then
    export OMP_NUM_THREADS=$(( $(nproc) / PARALLEL > 0 ? $(nproc) / PARALLEL : 1 ))
fi
log() { echo "[$PROTOCOL $(date +%H:%M:%S)] $*"; }
config_of() { echo "configs/$PROTOCOL/${1}_$SUFFIX.py"; }
row_kind() {  # baseline, offline or online; fails for an unknown row
    case $1 in
        ce|ce-*|focal|cb-focal|sqrt-rs|pg-rs) echo baseline ;;
        iois-offline) echo offline ;;
        iois-ois|iois-ois-aas|iois-ois-*) echo online ;;
        *) return 1 ;;
    esac
}
for row in $ROWS; do  # before any work: a known kind, and its config
    { row_kind "$row" > /dev/null && [ -f "$(config_of "$row")" ]; } || {
        echo "unknown row '$row' (its config would be $(config_of "$row"));" \
            "rows are: $ALL_ROWS ce-* iois-ois-*" >&2
        exit 2
    }
done
mkdir -p "$WORK" "$RESULTS"

# --------------------------------------------------------------- options --
is_iois() { [[ $1 == iois-* ]]; }
is_cond() { [[ $1 == *-cond* ]]; }
pins_model() { grep -q "diffusion_model_dir='benchmarks/" "$(config_of "$1")"; }
guide_row_of() {  # the row whose classifier guides row $1 frozen, or nothing
    is_iois "$1" || return 0
    "$PYTHON" -c "from mmengine.config import Config; \
print(Config.fromfile('$(config_of "$1")').get('guide_row', ''))"
}

data_options() {  # the datasets of row $1 read $DATA
    local train=train_dataloader.dataset
    is_iois "$1" && train=train_dataloader.dataset.dataset
    echo "$train.data_root=$DATA val_dataloader.dataset.data_root=$DATA" \
         "test_dataloader.dataset.data_root=$DATA"
}

row_options() {  # everything --cfg-options gets for row $1, seed $2
    local options
    options="randomness.seed=$2 $(data_options "$1")"
    if is_cond "$1"; then
        options+=" synthesizer.diffusion_model_dir=$COND_MODEL_DIR"
    elif is_iois "$1" && ! pins_model "$1"; then
        options+=" synthesizer.diffusion_model_dir=$MODEL_DIR"
    fi
    local guide
    guide=$(guide_row_of "$1")
    if [ -n "$guide" ]; then  # its seed's guide, finished (see run_row)
        options+=" custom_hooks.0.guide_checkpoint=$(
            cat "$WORK/${guide}_seed$2/last_checkpoint" 2>/dev/null)"
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
        # the UNet of either protocol, narrowed to 16-32 channels
        local blocks
        blocks=$("$PYTHON" -c "from mmengine.config import Config; \
print(len(Config.fromfile('$DDPM').model.unet.block_out_channels))")
        local channels="16$(printf ',32%.0s' $(seq 2 "$blocks"))"
        options+=" train_cfg.max_iters=60 train_dataloader.batch_size=16"
        options+=" train_dataloader.num_workers=2 model.unet.norm_num_groups=8"
        options+=" model.unet.block_out_channels=($channels)"
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

# ---------------------------------------------------------- job slots --
failed=()
declare -A slot_pid slot_job
free_slot=
reap() {  # records the exit status of finished jobs, frees their slots
    local slot pid
    for ((slot = 0; slot < PARALLEL; slot++)); do
        pid=${slot_pid[$slot]:-}
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" || failed+=("${slot_job[$slot]}")
            slot_pid[$slot]=""
        fi
    done
}
pick_slot() {  # sets free_slot, waiting while every slot is busy
    while true; do
        reap
        local slot
        for ((slot = 0; slot < PARALLEL; slot++)); do
            if [ -z "${slot_pid[$slot]:-}" ]; then free_slot=$slot; return; fi
        done
        sleep 1
    done
}
busy_slots() {
    local slot count=0
    for ((slot = 0; slot < PARALLEL; slot++)); do
        [ -n "${slot_pid[$slot]:-}" ] && count=$((count + 1))
    done
    echo $count
}
wait_all() { while [ "$(busy_slots)" -gt 0 ]; do reap; sleep 1; done; }
start_job() {  # name log command...: runs in a free slot, on its GPU
    local name=$1 logfile=$2
    shift 2
    pick_slot
    log "$name: started (log $logfile)"
    CUDA_VISIBLE_DEVICES=$((free_slot % GPUS)) "$@" > "$logfile" 2>&1 &
    slot_pid[$free_slot]=$!
    slot_job[$free_slot]=$name
}
job_running() {  # true while the job named $1 holds a slot
    local slot
    reap
    for ((slot = 0; slot < PARALLEL; slot++)); do
        [ -n "${slot_pid[$slot]:-}" ] && [ "${slot_job[$slot]}" = "$1" ] && return 0
    done
    return 1
}
wait_for() { while job_running "$1"; do sleep 1; done; }
at_niceness() {  # niceness command...: runs it (and its children) niced
    [ "$1" != 0 ] && renice -n "$1" -p "$BASHPID" > /dev/null
    shift
    "$@"
}

# ------------------------------------------------------------------ rows --
run_row() {  # row seed -> trains and tests
    local row=$1 seed=$2 dir=$WORK/${1}_seed$2
    local config
    config=$(config_of "$row")
    local resume=() guide
    [ -f "$dir/last_checkpoint" ] && resume=(--resume)
    guide=$(guide_row_of "$row")
    if [ -n "$guide" ] && [ ! -f "$WORK/${guide}_seed$seed/test_results.json" ]; then
        log "$row seed $seed: its guide, $guide seed $seed, has not" \
            "finished ($WORK/${guide}_seed$seed.log)"
        return 1
    fi
    # shellcheck disable=SC2046
    "$PYTHON" tools/train.py "$config" --work-dir "$dir" "${resume[@]}" \
        --cfg-options $(row_options "$row" "$seed") || return 1
    local best
    best=$(ls "$dir"/best_imbalanced_macro_f1_epoch_*.pth | tail -n 1)
    # shellcheck disable=SC2046
    "$PYTHON" tools/test.py "$config" "$best" --work-dir "$dir" \
        --cfg-options $(data_options "$row") || return 1
    # the last epoch too, a choice free of the validation split's noise (6
    # df images in HAM-32's: one of them moves Macro-F1 by about 2 points)
    local last
    last=$(ls -t "$dir"/epoch_*.pth | head -n 1)
    # shellcheck disable=SC2046
    "$PYTHON" tools/test.py "$config" "$last" --work-dir "$dir/final_epoch" \
        --cfg-options $(data_options "$row")
}

start_rows() {  # starts the jobs "row:seed" given that are not done yet
    for job in "$@"; do
        local row=${job%:*} seed=${job#*:}
        if [ -f "$WORK/${row}_seed$seed/test_results.json" ]; then
            log "$row seed $seed: done earlier, skipped"
            continue
        fi
        local niceness=0 guide
        is_iois "$row" || niceness=${BASELINE_NICE:-0}
        guide=$(guide_row_of "$row")
        [ -n "$guide" ] && wait_for "$guide seed $seed"
        start_job "$row seed $seed" "$WORK/${row}_seed$seed.log" \
            at_niceness "$niceness" run_row "$row" "$seed"
    done
}

pretrain_diffusion_model() {  # config work_dir [option...]
    local config=$1 dir=$2
    shift 2
    local resume=()
    [ -f "$dir/last_checkpoint" ] && resume=(--resume)
    # shellcheck disable=SC2046
    "$PYTHON" tools/train.py "$config" --work-dir "$dir" "${resume[@]}" \
        --cfg-options $(ddpm_options) "$@"
}

jobs_for() { for row in "$@"; do for seed in $SEEDS; do echo "$row:$seed"; done; done; }
exported() { [ -f "$1/model_index.json" ] && [ ! -e "$1/.incomplete" ]; }
model_ready() { exported "$MODEL_DIR"; }
in_rows() { [[ " $ROWS " == *" $1 "* ]]; }

# a frozen guide's row runs before the rows it guides
for row in $ROWS; do
    guide=$(guide_row_of "$row")
    [ -n "$guide" ] && ! in_rows "$guide" && ROWS="$guide $ROWS"
done
baselines=() online=() conditional=()
for row in $ROWS; do
    is_cond "$row" && conditional+=("$row")
    case $(row_kind "$row") in  # a guide's row is checked only here
        baseline) baselines+=("$row") ;;
        online) online+=("$row") ;;
        offline) ;;
        *) echo "unknown row '$row'; rows are: $ALL_ROWS" \
                "ce-*" "iois-ois-*" >&2
           exit 2 ;;
    esac
done

# The diffusion model first, beside the baselines when runs share the
# machine; CE before the other rows: its seed-0 model makes the offline
# pool and is the feature space of the diffusion-model report.
if { [ ${#online[@]} -gt 0 ] || in_rows iois-offline; } && ! model_ready; then
    if [ -n "${DIFFUSION_MODEL:-}" ]; then
        log "DIFFUSION_MODEL=$DIFFUSION_MODEL is not a complete export"; exit 1
    fi
    start_job "diffusion pre-training" "$WORK/ddpm.log" \
        pretrain_diffusion_model "$DDPM" "$WORK/ddpm"
    [ "$PARALLEL" = 1 ] && wait_for "diffusion pre-training"
fi
# shellcheck disable=SC2046
[ ${#baselines[@]} -gt 0 ] && start_rows $(jobs_for "${baselines[@]}")
if [ ${#online[@]} -gt 0 ] || in_rows iois-offline; then
    wait_for "diffusion pre-training"
    model_ready || { log "diffusion pre-training failed: $WORK/ddpm.log"; wait_all; exit 1; }
fi
# the "-cond" rows' class-conditional model: fine-tuned from the label-free
# one, then judged by CE (does conditioning put the class in its images?)
if [ ${#conditional[@]} -gt 0 ] && ! exported "$COND_MODEL_DIR"; then
    if [ -n "${COND_DIFFUSION_MODEL:-}" ] || [ -z "${DDPM_COND:-}" ]; then
        log "no class-conditional model: COND_DIFFUSION_MODEL=$COND_MODEL_DIR" \
            "is not a complete export, and $PROTOCOL has no DDPM_COND"; exit 1
    fi
    start_job "class-conditional fine-tuning" "$WORK/ddpm-cond.log" \
        pretrain_diffusion_model "$DDPM_COND" "$WORK/ddpm-cond" \
        "model.init_unet_from=$MODEL_DIR"
    wait_for "class-conditional fine-tuning"
    exported "$COND_MODEL_DIR" || { log "class-conditional fine-tuning failed:" \
        "$WORK/ddpm-cond.log"; wait_all; exit 1; }
fi
# shellcheck disable=SC2046
[ ${#online[@]} -gt 0 ] && start_rows $(jobs_for "${online[@]}")

ce_best() {  # the best CE checkpoint of seed $1 (default 0) once that run
    # has finished (tested), or nothing: a stopped run's best is an early epoch
    local dir=$WORK/ce_seed${1:-0}
    [ -f "$dir/test_results.json" ] || return 0
    { ls "$dir"/best_imbalanced_macro_f1_epoch_*.pth 2>/dev/null || true; } | tail -n 1
}
if model_ready && { in_rows iois-offline || in_rows ce; }; then
    wait_for "ce seed 0"
fi
if model_ready && [ -n "$(ce_best)" ] && [ ! -f "$RESULTS/diffusion_quality/quality.json" ]; then
    log "diffusion-model report (feature space: $(ce_best))"
    start_job "diffusion-model report" "$WORK/diffusion_quality.log" \
        "$PYTHON" tools/analysis/diffusion_quality.py "$(config_of iois-ois-aas)" \
        --classifier "$(ce_best)" --diffusion-model-dir "$MODEL_DIR" \
        --num "$POOL_COUNT" --out-dir "$RESULTS/diffusion_quality" \
        --cfg-options $(row_options iois-ois-aas 0)
fi
if [ ${#conditional[@]} -gt 0 ] && [ -n "$(ce_best)" ] \
        && [ ! -f "$RESULTS/diffusion_quality_cond/quality.json" ]; then
    # the judge: CE seed 1 (independent of the guide) when it has run; the
    # unguided samples' agreement needs no independence
    judge=$(ce_best 1)
    [ -n "$judge" ] || judge=$(ce_best)
    log "class-conditional model's report (features: $(ce_best); judge: $judge)"
    # shellcheck disable=SC2046
    start_job "class-conditional model report" "$WORK/diffusion_quality_cond.log" \
        "$PYTHON" tools/analysis/diffusion_quality.py "$(config_of "${conditional[0]}")" \
        --classifier "$(ce_best)" --judge "$judge" \
        --num "$POOL_COUNT" --out-dir "$RESULTS/diffusion_quality_cond" \
        --cfg-options $(row_options "${conditional[0]}" 0)
fi
if in_rows iois-offline; then
    if [ ! -f "$DATA/synthetic_pool.npz" ]; then
        if [ -z "$(ce_best)" ]; then
            log "iois-offline needs the CE seed-0 model: run ROWS=ce first"
            wait_all; exit 1
        fi
        log "generating the offline pool ($POOL_COUNT images) with $(ce_best)"
        # in a slot like every job, so that PARALLEL=1 means one job at a
        # time (run here in the foreground, it shared the CPU with a row)
        # shellcheck disable=SC2046
        start_job "offline pool" "$WORK/synthesize.log" \
            "$PYTHON" tools/synthesize.py "$(config_of iois-offline)" \
            --classifier "$(ce_best)" --num $POOL_COUNT --out "$DATA/synthetic_pool.npz" \
            --cfg-options $(row_options iois-offline 0)
        wait_for "offline pool"
        # the pool is written atomically: present means complete
        [ -f "$DATA/synthetic_pool.npz" ] \
            || { log "pool generation failed: $WORK/synthesize.log"; wait_all; exit 1; }
    fi
    # shellcheck disable=SC2046
    start_rows $(jobs_for iois-offline)
fi
wait_all

# --------------------------------------------------------------- outputs --
log "results in $RESULTS"
# every run's test metrics join $RESULTS/runs (a rerun replaces its own
# file); the table is built from all of them, so that a protocol run in
# parts, on different machines or days, gives one table
mkdir -p "$RESULTS/runs"
for result in "$WORK"/*_seed*/test_results.json; do
    [ -f "$result" ] && cp "$result" "$RESULTS/runs/$(basename "$(dirname "$result")").json"
done
"$PYTHON" tools/analysis/collect_results.py "$RESULTS"/runs/*.json \
    --json "$RESULTS/table1.json" > "$RESULTS/table1.md"
cat "$RESULTS/table1.md"
# the same runs tested at their last epoch (runs from before 2026-11-27
# 11:00 have no such test)
for result in "$WORK"/*_seed*/final_epoch/test_results.json; do
    [ -f "$result" ] || continue
    mkdir -p "$RESULTS/runs_final_epoch"
    run=$(basename "$(dirname "$(dirname "$result")")")
    cp "$result" "$RESULTS/runs_final_epoch/$run.json"
done
if [ -d "$RESULTS/runs_final_epoch" ]; then
    "$PYTHON" tools/analysis/collect_results.py "$RESULTS"/runs_final_epoch/*.json \
        --json "$RESULTS/table1_final_epoch.json" > "$RESULTS/table1_final_epoch.md"
fi
methods=()
for row in focal sqrt-rs iois-ois-aas; do
    in_rows "$row" && methods+=("$(
        "$PYTHON" -c "from mmengine.config import Config; print(Config.fromfile('$(config_of "$row")').method_name)")")
done
if in_rows ce && [ ${#methods[@]} -gt 0 ]; then
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
if [ ${#failed[@]} -gt 0 ]; then
    log "FAILED: ${failed[*]} (see their logs in $WORK)"
    exit 1
fi
log "done"
