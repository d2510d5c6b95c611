"""Measure how close a diffusion model's images are to the real training
images, before IOIS trains on them.

In the pooled features of a trained classifier (the CE model of the same
data; no Inception weights offline), it compares with the real training
images:

- ``unguided``: the diffusion model's own samples (what pre-training
  learnt): Fréchet distance, precision and recall, overall (and per class
  for a class-conditional model);
- ``guided``: samples guided by that classifier towards each class, equal
  counts per class, as IOIS makes them: the same measures per class;

with the real-vs-real floor (two halves of the real images) to read them
against, and, for both, the share of images whose mean colour lies outside
the real images' usual range (``colour_outliers``: about 5% for real
images; near 100% for a model that has not learnt the data's colours).
With ``--judge CKPT`` (another classifier of the same data, e.g. the CE
model of another seed, which did not guide) it also reports, per
class, how often the judge assigns the guided images to the class they
were guided towards, beside the judge's accuracy on the real training
images: guided images that only fool the guiding classifier carry no
class to another one. ``guide_agreement`` is the guiding classifier's own
view of its guided images, and ``judge.guided_agreement_where_guide_agrees``
the judge's agreement on the images the guide assigns to their class: what
a filter that keeps only the images the current classifier recognises
(DiffuLT's remedy) would keep, and whether those carry the class.
Writes ``quality.json`` and ``samples.png`` (per class: guided samples
beside real images; a row of unguided samples) to ``--out-dir``.

Example::

    python tools/analysis/diffusion_quality.py \\
        configs/ham32/iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py \\
        --classifier \\
        work_dirs/ham32/ce_seed0/best_imbalanced_macro_f1_epoch_51.pth \\
        --diffusion-model-dir work_dirs/ham32/ddpm/diffusion_model \\
        --out-dir work_dirs/ham32/diffusion_quality
"""
import argparse
import datetime
import os
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import Config, DictAction

import iois_mm  # noqa: F401  (registers components)
from iois_mm.evaluation import (classifier_features, colour_outliers,
                                quality_report)
from iois_mm.evaluation.generative_quality import load_resized_images
from iois_mm.synthesis import ClassifierGuidance, DiffusionModelError
from iois_mm.synthesis.allocation import largest_remainder_round
from iois_mm.utils.classifier_checkpoint import load_classifier
from iois_mm.utils.environment import describe_device
from iois_mm.utils.io import write_json_atomic
from iois_mm.utils.unwrap import innermost_dataset_cfg
from mmpretrain.registry import DATASETS, MODELS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='an IOIS config (its synthesizer, '
                        'classifier and training set)')
    parser.add_argument('--classifier', required=True,
                        help='trained classifier checkpoint: the feature '
                        'space and the guidance')
    parser.add_argument('--diffusion-model-dir',
                        help="default: the config's synthesizer's")
    parser.add_argument('--num', type=int, default=1000,
                        help='generated images of each kind (default 1000)')
    parser.add_argument('--steps', type=int,
                        help="sampling steps (default: the synthesizer's)")
    parser.add_argument('--judge',
                        help='an independent classifier checkpoint of the '
                        'same config: does it see the target class in the '
                        'guided images?')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--device', default=None)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def real_training_images(cfg, size):
    """The real training images (uint8 RGB, resized to ``size``) and
    labels, from the config's innermost training dataset."""
    dataset_cfg = innermost_dataset_cfg(cfg.train_dataloader.dataset)
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
    images = load_resized_images(dataset, range(len(dataset)), size)
    return (images,
            torch.as_tensor(dataset.get_gt_labels(), dtype=torch.long),
            list(dataset.metainfo['classes']))


def save_grid(path, guided, guided_labels, real, real_labels, unguided,
              classes, per_class=8):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = [(f'{name}\nguided | real',
             list(guided[guided_labels == label][:per_class]) +
             list(real[real_labels == label][:per_class]))
            for label, name in enumerate(classes)]
    rows.append(('unguided', list(unguided[:2 * per_class])))
    columns = 2 * per_class
    figure, axes = plt.subplots(len(rows), columns,
                                figsize=(0.8 * columns, 0.9 * len(rows)),
                                squeeze=False)
    for row, (name, images) in enumerate(rows):
        for column in range(columns):
            axes[row][column].axis('off')
            if column < len(images):
                axes[row][column].imshow(images[column].numpy())
        axes[row][0].text(-0.15, 0.5, name, fontsize=7, ha='right',
                          va='center', transform=axes[row][0].transAxes)
    figure.tight_layout()
    tmp = path + '.tmp.png'
    figure.savefig(tmp, dpi=100)
    plt.close(figure)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    for path in [args.classifier] + [args.judge] * bool(args.judge):
        if not osp.isfile(path):
            raise SystemExit(f'error: classifier checkpoint {path} not found')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if not cfg.get('synthesizer'):
        raise SystemExit(f'error: {args.config} has no top-level synthesizer')
    if args.diffusion_model_dir:
        cfg.synthesizer.diffusion_model_dir = args.diffusion_model_dir
    if args.steps:
        cfg.synthesizer.num_inference_steps = args.steps
    cfg.synthesizer.progress = False
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    cfg.synthesizer.device = device  # unguided sampling too
    classifier, _ = load_classifier(cfg, args.classifier, device)
    try:
        synthesizer = MODELS.build(cfg.synthesizer)
    except DiffusionModelError as error:
        raise SystemExit(f'error: {error}') from error
    real, real_labels, classes = real_training_images(
        cfg, synthesizer.image_size)
    if classifier.head.num_classes != len(classes):
        raise SystemExit(f'error: the classifier has '
                         f'{classifier.head.num_classes} outputs, the '
                         f'training set {len(classes)} classes')

    guidance = ClassifierGuidance(classifier,
                                  cfg.synthesizer.get('classifier_input_size'))
    real_features = classifier_features(guidance, real)
    counts = largest_remainder_round([1.0] * len(classes), args.num)
    labels = torch.as_tensor(np.repeat(np.arange(len(classes)), counts))
    conditional = synthesizer.num_class_embeds is not None
    unguided, _ = synthesizer.generate(None, labels, seed=1)
    guided, _ = synthesizer.generate(classifier, labels, seed=2)
    report = dict(
        **report_header('diffusion_quality.py', argv, device,
                        args.classifier),
        diffusion_model=cfg.synthesizer.diffusion_model_dir,
        class_conditional=conditional,
        steps=synthesizer.num_inference_steps,
        guidance_scale=synthesizer.guidance_scale, classes=classes,
        unguided=quality_report(
            real_features, real_labels,
            classifier_features(guidance, unguided),
            labels if conditional else None, classes),
        guided=quality_report(
            real_features, real_labels, classifier_features(guidance, guided),
            labels, classes),
        colour_outliers=dict(
            real_floor=colour_outliers(real[0::2], real[1::2]),
            unguided=colour_outliers(real, unguided),
            guided=colour_outliers(real, guided)))
    guide_predictions = predict(guidance, guided)
    guide_agrees = guide_predictions == labels
    report['guide_agreement'] = agreement(guide_predictions, labels, classes)
    if args.judge:
        judge = ClassifierGuidance(
            load_classifier(cfg, args.judge, device)[0],
            cfg.synthesizer.get('classifier_input_size'))
        judged = predict(judge, guided)
        report['judge'] = dict(
            checkpoint=args.judge,
            real_accuracy=agreement(predict(judge, real), real_labels,
                                    classes),
            guided_agreement=agreement(judged, labels, classes),
            guided_agreement_where_guide_agrees=agreement(
                judged[guide_agrees], labels[guide_agrees], classes))
        if conditional:  # the class from the conditioning alone
            report['judge']['unguided_agreement'] = agreement(
                predict(judge, unguided), labels, classes)
    os.makedirs(args.out_dir, exist_ok=True)
    write_json_atomic(osp.join(args.out_dir, 'quality.json'), report)
    save_grid(osp.join(args.out_dir, 'samples.png'), guided, labels, real,
              real_labels, unguided, classes)
    print_summary(report)
    print(f'wrote {args.out_dir}/quality.json and samples.png')
    return 0


def report_header(tool, argv, device, classifier):
    """What every report of these tools starts with: how it was made, when,
    where, and in which feature space."""
    return dict(
        command=f'python tools/analysis/{tool} ' +
        ' '.join(sys.argv[1:] if argv is None else argv),
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        device=describe_device(device),
        feature_space=f'pooled features of {classifier}')


@torch.no_grad()
def predict(classifier, images, batch_size=256):
    """The classes ``classifier`` (a ``ClassifierGuidance``) assigns to
    uint8 NHWC ``images``."""
    images = torch.as_tensor(images).permute(0, 3, 1, 2).float() / 127.5 - 1
    predictions = []
    with classifier.eval_mode():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size].to(classifier.device)
            logits = classifier.classifier(
                classifier.to_classifier_input(batch), mode='tensor')
            predictions.append(logits.argmax(dim=1).cpu())
    return torch.cat(predictions)


def agreement(predictions, labels, classes):
    """Share of ``predictions`` equal to ``labels``, overall and per class
    present (``overall`` is None when there are none)."""
    labels = torch.as_tensor(labels)
    correct = predictions == labels
    return dict(
        count=len(labels),
        overall=float(correct.double().mean()) if len(labels) else None,
        per_class={name: float(correct[labels == c].double().mean())
                   for c, name in enumerate(classes) if (labels == c).any()})


def print_summary(report):
    def line(name, result):
        if result['frechet'] is None:
            return f'{name:<22} (too few images: {result["real"]} real)'
        return (f'{name:<22}{result["frechet"]:>10.2f}'
                f'{result["precision"]:>11.2f}{result["recall"]:>8.2f}')
    print(f'{"":<22}{"Fréchet":>10}{"precision":>11}{"recall":>8}')
    print(line('real vs real (floor)', report['unguided']['real_floor']))
    print(line('unguided', report['unguided']['overall']))
    print(line('guided, all classes', report['guided']['overall']))
    for name, result in report['guided']['per_class'].items():
        print(line(f'guided {name}', result))
    outliers = {name: 'n/a' if share is None else f'{100 * share:.0f}%'
                for name, share in report['colour_outliers'].items()}
    print('mean colour outside the real images\' 95% range: real '
          f'{outliers["real_floor"]}, unguided {outliers["unguided"]}, '
          f'guided {outliers["guided"]}')
    if 'judge' in report:
        judge = report['judge']
        print(f'judge ({judge["checkpoint"]}): target class seen in '
              f'{100 * judge["guided_agreement"]["overall"]:.1f}% of the '
              'guided images; accuracy on the real training images '
              f'{100 * judge["real_accuracy"]["overall"]:.1f}%')
        kept = judge['guided_agreement_where_guide_agrees']
        guide = report['guide_agreement']
        print(f'  the guide itself sees the target class in '
              f'{100 * guide["overall"]:.1f}%; among those '
              f'{kept["count"]} images the judge sees it in '
              + ('n/a' if kept['overall'] is None
                 else f'{100 * kept["overall"]:.1f}%'))
        unguided = judge.get('unguided_agreement')
        if unguided:
            print('  (class-conditional model: unguided samples '
                  f'{100 * unguided["overall"]:.1f}%)')
        for name, share in judge['guided_agreement']['per_class'].items():
            real_share = judge['real_accuracy']['per_class'][name]
            conditioned = (
                f'unguided {100 * unguided["per_class"][name]:5.1f}%   '
                if unguided else '')
            print(f'  {name:<10} guided {100 * share:5.1f}%   {conditioned}'
                  f'real {100 * real_share:5.1f}%')


if __name__ == '__main__':
    sys.exit(main())
