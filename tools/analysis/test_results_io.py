"""The test-results file tools/test.py writes and the analysis tools read."""
import json
import os.path as osp
from typing import List, Sequence, Tuple

RESULTS_FILE = 'test_results.json'


def load_results(paths: Sequence[str]) -> Tuple[List[dict], List[str]]:
    """Read ``test_results.json`` from each work directory (or file path).

    Returns the results found (each with its ``source`` path) and the paths
    that had none.
    """
    found, skipped = [], []
    for path in paths:
        file = path if path.endswith('.json') else osp.join(path, RESULTS_FILE)
        if not osp.isfile(file):
            skipped.append(path)
            continue
        with open(file, encoding='utf-8') as f:
            result = json.load(f)
        result['source'] = file
        found.append(result)
    return found, skipped


def scalar_records(work_dir: str) -> Tuple[List[dict], List[str]]:
    """Every record of ``WORK_DIR/*/vis_data/scalars.json`` (each run in
    the directory, so a resumed run joins up), and the files read."""
    import glob
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                      'scalars.json')))
    records = []
    for path in files:
        with open(path, encoding='utf-8') as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records, files
