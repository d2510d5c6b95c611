#!/usr/bin/env bash
# Everything that needs a GPU, in one run of at most about 8 minutes on one
# H100 or H200 (benchmarks/gpu/README.md):
#
#   bench   synthesis benchmark at the paper's scale (gpu-128) and at
#           gpu-64, and the IOIS-epoch / CE-epoch ratio on HAM-32: run
#           first and alone, so that nothing else shares the GPU's time
#   table   the HAM-32 table (benchmarks/ham32/run.sh: diffusion
#           pre-training, every row, 3 seeds, all at once on the one GPU)
#   tests   the tests marked cuda (python -m pytest -m cuda tests), beside
#           the table
#   ddpm    HAM-32 diffusion pre-training alone (DDPM_CONFIG), its export
#           and, with REPORT_CLASSIFIER, its quality report
#   profile where the gpu-128 UNet forward's time goes (torch.profiler),
#           and its rate with bf16 weights and compiled: with whatever
#           budget the parts before it left
#
#   bash benchmarks/gpu/run.sh                 # all parts
#   bash benchmarks/gpu/run.sh table tests     # some
#   bash benchmarks/gpu/run.sh --dry-run       # CPU, tiny sizes (the tests)
#
# With no network there: the pinned pure-Python wheels the machine lacks are
# carried in .whl/ and installed to /tmp/site; the 32 px HAM images in
# data/ham32/raw (tools/dataset_converters/downsize_ham10000.py). Results go
# to $OUT (at most 8 files): gpu_env.json, bench_gpu-128.json,
# bench_gpu-64.json, epoch_overhead_ham32.json, cuda_tests.json,
# ham32_results.tar.gz (table, figures, each run's metrics and log, the
# diffusion-model report), ham32_diffusion_model.tar.gz (bf16 export) and
# run_log.txt; a summary is printed last.
#
# Settings: OUT (default work_dirs/gpu_out), BUDGET (seconds for the whole
# script, default 500; parts are cut to fit and report what finished),
# PYTHON (default python3), HAM32_RAW (default data/ham32/raw), and for the
# table TABLE_ROWS (default all), TABLE_PARALLEL (runs at once, default 24)
# and DIFFUSION_MODEL (an exported model to use instead of pre-training);
# for ddpm DDPM_CONFIG (default the 4k GPU preset; the stronger one is
# configs/ham32/ddpm_unet32_1xb512_6min_ham32.py), DDPM_LIMIT (seconds,
# default 200), REPORT_CLASSIFIER and REPORT_JUDGE (the report, below).
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
START=$SECONDS
DRY=0 PARTS=()
for arg in "$@"; do
    case $arg in
        --dry-run) DRY=1 ;;
        ddpm|profile|bench|table|tests) PARTS+=("$arg") ;;
        *) echo "usage: $0 [--dry-run] [ddpm] [profile] [bench] [table] [tests]" >&2; exit 2 ;;
    esac
done
[ ${#PARTS[@]} -eq 0 ] && PARTS=(ddpm bench table tests)
PYTHON=${PYTHON:-python3}
OUT=${OUT:-work_dirs/gpu_out}
HAM32_RAW=${HAM32_RAW:-data/ham32/raw}
DDPM_CONFIG=${DDPM_CONFIG:-configs/ham32/ddpm_unet32_1xb128_4k_ham32.py}
DDPM_LIMIT=${DDPM_LIMIT:-200}
if [ $DRY = 1 ]; then
    # generous: a dry run checks the script, not its timing, and a busy
    # 2-core machine is 3-4 times slower than an idle one
    BUDGET=${BUDGET:-1500} WORK=${GPU_WORK:-work_dirs/gpu_dry}
else
    BUDGET=${BUDGET:-500} WORK=${GPU_WORK:-/tmp/iois_gpu}
fi
mkdir -p "$OUT" "$WORK"
OUT=$(cd "$OUT" && pwd)
exec > >(tee "$OUT/run_log.txt") 2>&1
has() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }
left() { echo $((BUDGET - (SECONDS - START))); }
log() { echo "[gpu $(date +%H:%M:%S) +$((SECONDS - START))s] $*"; }

# ----------------------------------------------------------- environment --
if ! "$PYTHON" -c 'import mmengine, mmpretrain, mmcv, diffusers' 2>/dev/null; then
    if [ ! -d .whl ]; then
        log "mmengine/mmpretrain/mmcv-lite/diffusers missing and no .whl/ carried"
        exit 1
    fi
    log "installing the carried wheels to /tmp/site"
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
        --upgrade --target /tmp/site .whl/*.whl || exit 1
    export PYTHONPATH=/tmp/site:${PYTHONPATH:-}
fi
export PYTHONPATH=$REPO:${PYTHONPATH:-} PYTHONUNBUFFERED=1
export PYTHON  # the table's script and the tests use the same interpreter
"$PYTHON" - "$OUT/gpu_env.json" "$DRY" <<'EOF' || exit 1
import datetime, json, os, subprocess, sys
import torch, mmengine, mmpretrain, diffusers, iois_mm
cuda = torch.cuda.is_available()
info = dict(
    date=datetime.datetime.now().isoformat(timespec='seconds'),
    dry_run=sys.argv[2] == '1', torch=torch.__version__,
    cuda=torch.version.cuda, mmengine=mmengine.__version__,
    mmpretrain=mmpretrain.__version__, diffusers=diffusers.__version__,
    iois_mm=iois_mm.__version__, cpu_count=os.cpu_count(),
    device=torch.cuda.get_device_name() if cuda else 'cpu',
    git_commit=subprocess.run(
        'git rev-parse HEAD 2>/dev/null || echo "(no git here)"', shell=True,
        capture_output=True, text=True).stdout.strip())
if cuda:
    free, total = torch.cuda.mem_get_info()
    info.update(memory_gib=total / 2**30, capability=torch.cuda.get_device_capability())
if not cuda and sys.argv[2] != '1':
    sys.exit('no CUDA device: run with --dry-run on a CPU')
json.dump(info, open(sys.argv[1], 'w'), indent=2)
print(json.dumps(info))
EOF

# HAM-32 data: prepared from the carried 32 px copy (or, dry, a tenth of
# ../shared's images; tests build their own)
DATA=$WORK/data/ham32
if has ddpm || has bench || has table; then
    if [ $DRY = 1 ]; then
        HAM32_RAW=$WORK/raw
        if [ ! -d "$HAM32_RAW" ]; then
            "$PYTHON" tools/dataset_converters/downsize_ham10000.py \
                --data-root "${HAM_DIR:-../shared/data/ham10000}" \
                --out-dir "$HAM32_RAW" --size 32 --fraction 0.1 > /dev/null || exit 1
        fi
    fi
    if [ ! -f "$DATA/meta/test.json" ]; then
        "$PYTHON" tools/dataset_converters/prepare_ham10000.py --data-root "$HAM32_RAW" \
            --out-dir "$DATA" --seed 0 > "$WORK/prepare.log" 2>&1 \
            || { log "preparing HAM-32 failed: $(tail -3 "$WORK/prepare.log")"; exit 1; }
    fi
fi

status=()  # "part: outcome" lines for the summary
run_part() {  # name seconds command...: runs with a time limit, records it
    local name=$1 limit=$2
    shift 2
    if [ "$limit" -lt 20 ]; then
        status+=("$name: skipped (budget spent)"); log "$name: skipped"; return
    fi
    log "$name (limit ${limit}s)"
    local begin=$SECONDS
    timeout --kill-after=10 "$limit" "$@" > "$WORK/$name.log" 2>&1
    local code=$?
    local outcome="exit $code"
    [ $code = 0 ] && outcome=ok
    [ $code = 124 ] && outcome="cut at ${limit}s"
    status+=("$name: $outcome in $((SECONDS - begin))s")
    log "$name: $outcome ($(tail -1 "$WORK/$name.log"))"
}

MODEL=$WORK/ham32/ddpm/diffusion_model
model_complete() { [ -f "$MODEL/model_index.json" ] && [ ! -e "$MODEL/.incomplete" ]; }
pack_model() {  # the HAM-32 diffusion model export (and its report), if complete
    if model_complete; then
        local logs report=
        logs=$(cd "$WORK/ham32/ddpm" && ls -d 2*/ 2>/dev/null | tail -1)
        [ -f "$WORK/ham32/ddpm/diffusion_quality/quality.json" ] && report=diffusion_quality
        tar -czf "$OUT/ham32_diffusion_model.tar.gz" -C "$WORK/ham32/ddpm" \
            diffusion_model ${logs:+"$logs"} ${report:+"$report"}
    fi
}

# ------------------------------------------------------------------ ddpm --
# HAM-32's diffusion model alone on the GPU (sharing the GPU's time with
# two dozen runs slows it several times); the table then reuses it. Then,
# with REPORT_CLASSIFIER (a carried CE checkpoint of HAM-32: the feature
# space) and optionally REPORT_JUDGE (CE of another seed), its quality
# report (tools/analysis/diffusion_quality.py), packed with the export.
if has ddpm; then
    ddpm_options=(train_dataloader.dataset.data_root="$DATA")
    [ $DRY = 1 ] && ddpm_options+=(train_cfg.max_iters=20
        train_dataloader.batch_size=8 train_dataloader.num_workers=2
        default_hooks.checkpoint.interval=20
        custom_hooks.1.interval=20 custom_hooks.1.num_inference_steps=2)
    limit=$DDPM_LIMIT
    [ "$limit" -gt "$(($(left) - 60))" ] && limit=$(($(left) - 60))
    run_part ddpm_ham32 "$limit" "$PYTHON" tools/train.py \
        "$DDPM_CONFIG" --work-dir "$WORK/ham32/ddpm" \
        --cfg-options "${ddpm_options[@]}"
    # on the H100 (2026-11-27) the process outlived its export by 37 s and
    # was cut: say so, the export is what counts
    if model_complete && [[ ${status[-1]} == *"cut at"* ]]; then
        status[-1]+=" (after a complete export)"
    fi
    pack_model  # now, in case the call ends during the report
    if [ -n "${REPORT_CLASSIFIER:-}" ] && model_complete; then
        report=(--classifier "$REPORT_CLASSIFIER" --diffusion-model-dir "$MODEL"
                --out-dir "$WORK/ham32/ddpm/diffusion_quality"
                --cfg-options train_dataloader.dataset.dataset.data_root="$DATA")
        [ -n "${REPORT_JUDGE:-}" ] && report+=(--judge "$REPORT_JUDGE")
        if [ $DRY = 1 ]; then report+=(--num 14 --steps 2); else report+=(--num 1200); fi
        limit=120
        [ "$limit" -gt "$(($(left) - 10))" ] && limit=$(($(left) - 10))
        run_part ddpm_report "$limit" "$PYTHON" tools/analysis/diffusion_quality.py \
            configs/ham32/iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py "${report[@]}"
        pack_model
    elif [ -n "${REPORT_CLASSIFIER:-}" ]; then
        status+=("ddpm_report: skipped (no complete export)")
    else
        status+=("ddpm_report: skipped (no REPORT_CLASSIFIER)")
    fi
fi

# --------------------------------------------------------------- profile --
if has profile; then
    args=(--preset gpu-128 --num-images 256)
    [ $DRY = 1 ] && args=(--preset cpu-small --num-images 4)
    limit=$(($(left) - 15))
    has bench && limit=120
    # the JSON is rewritten after each form, so a cut keeps what it measured
    run_part profile_gpu-128 "$limit" "$PYTHON" tools/benchmark_synthesis.py \
        "${args[@]}" --profile --json "$OUT/profile_gpu-128.json"
fi

# ----------------------------------------------------------------- bench --
if has bench; then
    reserve=20  # seconds kept for the table after the benchmarks, if any
    has table && reserve=330
    if [ $DRY = 1 ]; then
        sizes=(--preset cpu-small --num-images 4 --steps 2)
        presets=(cpu-small)
    else
        sizes=() presets=(gpu-128 gpu-64)
    fi
    bench_preset() {  # preset limit
        local args=("${sizes[@]}") limit=$2
        [ "$1" = gpu-128 ] && args=(--preset gpu-128 --num-images 128)
        [ "$1" = gpu-64 ] && args=(--preset gpu-64 --num-images 512)
        [ "$limit" -gt "$(($(left) - reserve))" ] && limit=$(($(left) - reserve))
        run_part "bench_$1" "$limit" "$PYTHON" tools/benchmark_synthesis.py \
            "${args[@]}" --json "$OUT/bench_$1.json"
    }
    # gpu-128 compiles its UNet (about a minute, in its warm-up)
    bench_preset "${presets[0]}" 240
    overhead=(--epoch-overhead --preset gpu-64 --unet-config
              configs/ham32/ddpm_unet32_1xb128_4k_ham32.py
              --ce-config configs/ham32/ce_resnet18-w16_1xb64_60e_ham32.py
              --iois-config configs/ham32/iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py
              --data-root "$DATA" --steps 25)
    [ $DRY = 1 ] && overhead+=(--steps 2 --iois-settings
                               train_dataloader.dataset.capacity=32)
    limit=90
    [ $DRY = 1 ] && limit=300  # a loaded 2-core CPU
    [ "$limit" -gt "$(($(left) - reserve - 60))" ] && limit=$(($(left) - reserve - 60))
    run_part epoch_overhead_ham32 "$limit" "$PYTHON" tools/benchmark_synthesis.py \
        "${overhead[@]}" --json "$OUT/epoch_overhead_ham32.json"
    [ ${#presets[@]} -gt 1 ] && bench_preset "${presets[1]}" 90
fi

# --------------------------------------------------------- tests, table --
tests_pid=
if has tests; then
    log "cuda tests (beside the table; log $WORK/tests.log)"
    test_env=()
    [ $DRY = 1 ] && test_env=(IOIS_CUDA_TESTS_DEVICE=cpu)
    env "${test_env[@]}" timeout --kill-after=10 $(($(left) - 30)) "$PYTHON" -m pytest \
        -m cuda tests -q -p no:cacheprovider --junitxml="$WORK/cuda_tests.xml" \
        > "$WORK/tests.log" 2>&1 &
    tests_pid=$!
fi
if has table; then
    table_env=(PROTOCOL=ham32 WORK="$WORK/ham32" DATA="$DATA"
               RESULTS="$WORK/ham32_results" GPUS=1)
    if [ $DRY = 1 ]; then
        table_env+=(REDUCED=1 PARALLEL=2 ROWS="${TABLE_ROWS:-ce iois-ois-aas}")
    else
        table_env+=(PARALLEL="${TABLE_PARALLEL:-24}" BASELINE_NICE=10)
        [ -n "${TABLE_ROWS:-}" ] && table_env+=(ROWS="$TABLE_ROWS")
    fi
    # a diffusion model from the ddpm part, or carried (DIFFUSION_MODEL)
    [ -n "${DIFFUSION_MODEL:-}" ] && table_env+=(DIFFUSION_MODEL="$DIFFUSION_MODEL")
    limit=$(($(left) - 40))
    log "HAM-32 table (limit ${limit}s; log $WORK/table.log)"
    begin=$SECONDS
    # its own process group, so that a cut ends every run it started
    env "${table_env[@]}" setsid bash benchmarks/run_table1.sh > "$WORK/table.log" 2>&1 &
    table_pid=$!
    while kill -0 $table_pid 2>/dev/null && [ $((SECONDS - begin)) -lt "$limit" ]; do
        sleep 2
    done
    if kill -0 $table_pid 2>/dev/null; then
        kill -TERM -- -$table_pid 2>/dev/null; sleep 3; kill -KILL -- -$table_pid 2>/dev/null
        status+=("table: cut at ${limit}s, finished runs reported")
    else
        wait $table_pid && status+=("table: ok in $((SECONDS - begin))s") \
            || status+=("table: exit $? in $((SECONDS - begin))s")
    fi
    log "table: $(tail -1 "$WORK/table.log")"
    # the table of whatever finished (the script writes it only at its end)
    mkdir -p "$WORK/ham32_results/runs"
    for result in "$WORK"/ham32/*_seed*/test_results.json; do
        [ -f "$result" ] && cp "$result" "$WORK/ham32_results/runs/$(basename "$(dirname "$result")").json"
    done
    if ls "$WORK"/ham32/*_seed*/test_results.json > /dev/null 2>&1; then
        "$PYTHON" tools/analysis/collect_results.py "$WORK"/ham32/*_seed*/ \
            --json "$WORK/ham32_results/table1.json" > "$WORK/ham32_results/table1.md"
    fi
    cp "$WORK"/ham32/*.log "$WORK/ham32_results/" 2>/dev/null
    cp "$WORK/table.log" "$WORK/ham32_results/"
    tar -czf "$OUT/ham32_results.tar.gz" -C "$WORK" ham32_results
    pack_model
fi
if [ -n "$tests_pid" ]; then
    wait "$tests_pid"; code=$?
    status+=("tests: $(tail -1 "$WORK/tests.log") (exit $code)")
    "$PYTHON" - "$WORK/cuda_tests.xml" "$OUT/cuda_tests.json" "$WORK/tests.log" <<'EOF'
import json, os, sys
import xml.etree.ElementTree as ET
cases = []
if os.path.isfile(sys.argv[1]):
    for case in ET.parse(sys.argv[1]).getroot().iter('testcase'):
        outcome = 'passed'
        for tag in ('failure', 'error', 'skipped'):
            element = case.find(tag)
            if element is not None:
                outcome = tag
                message = (element.get('message') or '')[:2000]
                break
        entry = dict(test=f"{case.get('classname')}::{case.get('name')}",
                     outcome=outcome, seconds=float(case.get('time', 0)))
        if outcome != 'passed':
            entry['message'] = message
        cases.append(entry)
tail = open(sys.argv[3]).read()[-6000:] if os.path.isfile(sys.argv[3]) else ''
json.dump(dict(command='python -m pytest -m cuda tests', cases=cases,
               log_tail=tail), open(sys.argv[2], 'w'), indent=2)
EOF
fi

# --------------------------------------------------------------- summary --
"$PYTHON" - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.isfile(path) else None
env = load('gpu_env.json') or {}
print(f"\n== summary: {env.get('device')}, torch {env.get('torch')}")
for name in sorted(os.listdir(out)):
    if name.startswith('bench_') and name.endswith('.json'):
        r = load(name)
        print(f"{name}: reference {r['reference']['images_per_s']:.1f} img/s, "
              f"optimized {r['optimized']['images_per_s']:.1f} img/s, "
              f"speed-up {r['speedup']:.2f}x; UNet forward "
              f"{100 * r['unet_forward']['fraction_of_bfloat16_peak']:.1f}% of "
              f"the bf16 peak ({r['peak_tflops']['bfloat16_matmul']:.0f} TFLOP/s); "
              f"same function: {r['agreement']['same_function']}")
profiled = (load('profile_gpu-128.json') or {}).get('profile')
if profiled:
    found = profiled.get('profile', {})
    print('UNet forward, batch %d: ' % profiled['batch'] + ', '.join(
        f"{name} {100 * f['fraction_of_bfloat16_peak']:.1f}%"
        for name, f in profiled['forms'].items()) + ' of the bf16 peak; '
        'device time: ' + ', '.join(f'{kind} {100 * share:.0f}%' for kind, share
                                    in found.get('share_by_kind', {}).items())
        + (f"; device busy {100 * found['device_busy_fraction']:.0f}%"
           if 'device_busy_fraction' in found else ''))
overhead = load('epoch_overhead_ham32.json')
if overhead:
    o = overhead['epoch_overhead']
    print(f"HAM-32 epochs: CE {o['ce_epoch_seconds']:.1f}s, IOIS "
          f"{o['iois_epoch_seconds']:.1f}s, ratio {o['ratio']:.2f}x")
tests = load('cuda_tests.json')
if tests:
    outcomes = [c['outcome'] for c in tests['cases']]
    print('cuda tests: ' + ', '.join(f'{outcomes.count(k)} {k}' for k in
                                     sorted(set(outcomes))))
    for case in tests['cases']:
        if case['outcome'] in ('failure', 'error'):
            print(f"  FAILED {case['test']}: {case.get('message', '')[:300]}")
EOF
for line in "${status[@]}"; do echo "  $line"; done
[ -f "$WORK/ham32_results/table1.md" ] && cat "$WORK/ham32_results/table1.md"
log "done; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
