# HAM-32, IOIS (+OIS, AAS), fast: the same method at a fraction of the
# synthesis cost (issue 11). DPM-Solver++ with 10 steps instead of DDIM 25
# (the first pool too); after it, each epoch regenerates only the slots
# whose class Eq. 5 moves plus the oldest others, at least 20% of the pool,
# each warm-started from a previous image of its class at half the
# trajectory (5 steps): about 240 x 5 guided steps an epoch instead of
# 1200 x 25 (benchmarks/ham32/README.md has the measured cost).
_base_ = ['./iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py']
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
