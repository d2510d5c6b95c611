"""Checks of the installed stack that would otherwise fail obscurely."""
import importlib.metadata as metadata
import warnings


def warn_if_two_mmcv_distributions() -> None:
    """Warn when both ``mmcv`` and ``mmcv-lite`` are installed.

    Both provide the ``mmcv`` module; with both installed, uninstalling
    either deletes files the other needs, and which one's files are on disk
    depends on install order.
    """
    installed = []
    for name in ('mmcv', 'mmcv-lite'):
        try:
            installed.append(f'{name} {metadata.version(name)}')
        except metadata.PackageNotFoundError:
            continue  # not installed
    if len(installed) == 2:
        warnings.warn(
            f'both {installed[0]} and {installed[1]} are installed and both '
            'provide the `mmcv` module. Keep one: `pip uninstall -y mmcv-lite '
            'mmcv` then `pip install mmcv` (full, with ops) or '
            '`pip install mmcv-lite` (what iois-mm needs).', stacklevel=2)
