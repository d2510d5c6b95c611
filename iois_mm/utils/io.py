"""Writing result files so that an interrupted run leaves no valid-looking
partial file."""
import json
import os
import os.path as osp
import tempfile


def write_json_atomic(path: str, payload: dict) -> None:
    """Write JSON through a temporary file and a rename, so an interrupted
    run never leaves a truncated file that looks valid."""
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=directory, suffix='.tmp')
    os.chmod(tmp_path, 0o666 & ~current_umask())  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(payload, f, indent=1)
        os.replace(tmp_path, path)
    except BaseException:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
