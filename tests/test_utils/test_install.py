"""The install path: which distribution provides the ``mmcv`` module."""
import glob
import os.path as osp
import subprocess
import sys
import sysconfig
import warnings

from ..conftest import REPO

PROBE = ("import runpy; ns = runpy.run_path('setup.py', run_name='probe'); "
         "print(ns['install_requires']())")


def test_setup_picks_mmcv_lite_unless_full_mmcv_is_installed(tmp_path):
    env_dir = tmp_path / 'env'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(env_dir)], check=True)
    site = glob.glob(str(env_dir / 'lib' / 'python3*' / 'site-packages'))[0]
    # let the new environment import setuptools from this one
    with open(osp.join(site, 'parent.pth'), 'w') as f:
        f.write(sysconfig.get_paths()['purelib'] + '\n')
    python = str(env_dir / 'bin' / 'python')

    def requirements():
        return subprocess.run([python, '-c', PROBE], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout

    without = requirements()
    assert 'mmcv-lite>=2.0.0,<2.4.0' in without

    # a full mmcv, as pip would have recorded it in the environment
    dist_info = osp.join(site, 'mmcv-2.2.0.dist-info')
    import os
    os.makedirs(dist_info)
    with open(osp.join(dist_info, 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: mmcv\nVersion: 2.2.0\n')
    with_full = requirements()
    assert "'mmcv>=2.0.0,<2.4.0'" in with_full
    assert 'mmcv-lite' not in with_full


def test_two_mmcv_distributions_give_an_actionable_warning(monkeypatch):
    from iois_mm.utils import environment

    monkeypatch.setattr(environment.metadata, 'version', lambda name: '2.2.0')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        environment.warn_if_two_mmcv_distributions()
    assert len(caught) == 1
    assert 'pip uninstall -y mmcv-lite mmcv' in str(caught[0].message)
