# HAM-32, IOIS (+OIS, AAS), fast, warm-started from real images: the fast
# row (iois-ois-aas-fast_*) with every new image, the first pool's too,
# started from a real training image of its class noised to half the
# trajectory, then denoised under the classifier's guidance; so the images
# stay near the real ones when the diffusion model's own samples are far
# off (benchmarks/ham32/README.md: its quality report).
_base_ = ['./iois-ois-aas-fast_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, from real images'
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2,
        warm_start_from='real'),
]
