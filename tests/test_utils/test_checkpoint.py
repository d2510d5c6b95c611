import io
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

import iois_mm  # noqa: F401  (allow-lists MMEngine checkpoint types)


def test_message_hub_state_loads_with_weights_only():
    buffer = HistoryBuffer()
    for value in (1.0, 2.0, 4.0):
        buffer.update(value)
    state = dict(log_scalars={'train/loss': buffer},
                 runtime_info=dict(history=np.arange(3), dtype=np.float32,
                                   scalar=np.float64(2.5)))
    stream = io.BytesIO()
    torch.save(state, stream)
    stream.seek(0)
    loaded = torch.load(stream)  # weights_only=True is torch's default
    assert loaded['log_scalars']['train/loss'].mean() == pytest.approx(7 / 3)
    assert loaded['runtime_info']['history'].tolist() == [0, 1, 2]
    assert loaded['runtime_info']['scalar'] == 2.5


class _Getattr:
    """Pickles as getattr(owner, name), the way a malicious file would."""

    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __reduce__(self):
        return getattr, (self.owner, self.name)


@pytest.mark.parametrize('owner,name', [(HistoryBuffer, '__init__'),
                                        (HistoryBuffer, 'update')])
def test_getattr_beyond_history_buffer_statistics_is_refused(owner, name):
    stream = io.BytesIO()
    torch.save({'x': _Getattr(owner, name)}, stream)
    stream.seek(0)
    with pytest.raises(pickle.UnpicklingError,
                       match='only HistoryBuffer statistic methods'):
        torch.load(stream)
