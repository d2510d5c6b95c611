"""Installs the ``iois_mm`` plugin.

The ``mmcv`` module is provided by exactly one distribution:

* ``mmcv-lite`` (pure Python, no compiled ops) on a fresh environment. ResNet,
  the data transforms and everything in this plugin work with it.
* the full ``mmcv`` when the target environment already has it. Installing
  ``mmcv-lite`` next to it would put two distributions in charge of the same
  files, and uninstalling either one later would break the other.

pip builds packages in an isolated environment that hides what is installed,
so the check asks the target interpreter in a subprocess with the isolation
variables removed.
"""
import os
import re
import subprocess
import sys

from setuptools import find_packages, setup

MMCV_RANGE = '>=2.0.0,<2.4.0'  # mmpretrain 1.2.0 asserts this range at import


def read_version():
    with open(os.path.join('iois_mm', 'version.py'), encoding='utf-8') as f:
        return re.search(r"__version__ = '([^']+)'", f.read()).group(1)


def full_mmcv_installed():
    """True when the installing interpreter already has the full ``mmcv``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'PYTHONNOUSERSITE', 'PYTHONHOME')}
    probe = ('import importlib.metadata as m\n'
             'try:\n    m.distribution("mmcv")\n'
             'except m.PackageNotFoundError:\n'
             '    raise SystemExit(1)\n')
    try:
        result = subprocess.run([sys.executable, '-c', probe], env=env,
                                capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def install_requires():
    with open(os.path.join('requirements', 'runtime.txt'),
              encoding='utf-8') as f:
        requirements = [
            line.split('#')[0].strip() for line in f
            if line.split('#')[0].strip()
        ]
    mmcv_dist = 'mmcv' if full_mmcv_installed() else 'mmcv-lite'
    return requirements + [mmcv_dist + MMCV_RANGE]


if __name__ == '__main__':  # setuptools runs this file as __main__
    setup(
        name='iois-mm',
        version=read_version(),
        description=('Iterative Online Image Synthesis (IOIS, MICCAI 2024) '
                     'for imbalanced medical image classification, as an '
                     'MMPretrain plugin'),
        long_description=open('README.md', encoding='utf-8').read(),
        long_description_content_type='text/markdown',
        license='Apache-2.0',
        python_requires='>=3.9',
        packages=find_packages(include=['iois_mm', 'iois_mm.*']),
        install_requires=install_requires(),
        extras_require={'tests': ['pytest>=7', 'scikit-learn>=1.2']},
        classifiers=[
            'Programming Language :: Python :: 3',
            'Topic :: Scientific/Engineering :: Medical Science Apps.',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
    )
