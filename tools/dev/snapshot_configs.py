"""Write what every config resolves to (after _base_ inheritance) into
tests/data/resolved_configs.json, which tests/test_configs.py compares
against: a refactoring of the configs must leave the resolved values
unchanged. Rerun after an intended change and commit the diff with it.

    python tools/dev/snapshot_configs.py
"""
import glob
import json
import os.path as osp
import sys

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SNAPSHOT = osp.join(REPO, 'tests', 'data', 'resolved_configs.json')


def leaf_configs():
    return sorted(
        osp.relpath(path, REPO)
        for path in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                              recursive=True)
        if '_base_' not in path)


def resolve(config):
    """The config as plain JSON values (tuples as lists)."""
    cfg = Config.fromfile(osp.join(REPO, config))
    return json.loads(json.dumps(cfg.to_dict(), sort_keys=True,
                                 default=repr))


def main():
    snapshot = {config: resolve(config) for config in leaf_configs()}
    with open(SNAPSHOT, 'w') as f:
        json.dump(snapshot, f, indent=1, sort_keys=True)
        f.write('\n')
    print(f'{len(snapshot)} configs -> {osp.relpath(SNAPSHOT, REPO)}',
          file=sys.stderr)


if __name__ == '__main__':
    main()
