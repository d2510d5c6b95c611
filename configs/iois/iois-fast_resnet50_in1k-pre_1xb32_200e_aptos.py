# IOIS (+OIS, AAS), fast: the paper's setting (../iois_resnet50_aptos.py) at
# a fraction of its synthesis cost. DPM-Solver++ with 10 steps instead of
# DDIM 50 (the first pool too); after it, each epoch regenerates only the
# slots whose class Eq. 5 moves plus the oldest others, at least 20% of the
# pool, each warm-started from the previous image of its class at half the
# trajectory (5 steps): about 400 x 5 guided steps an epoch instead of
# 2000 x 50. Measured on HAM-32 (CPU): an epoch costs 1.89x a CE epoch; its
# accuracy against the paper's setting is not measured yet
# (benchmarks/README.md).
_base_ = ['../iois_resnet50_aptos.py']
method_name = 'Ours (+OIS, AAS), fast'
synthesizer = dict(scheduler='dpmsolver++', num_inference_steps=10)
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2),
]
