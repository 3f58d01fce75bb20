"""The notation page's claims: what its "in code" column computes."""

import numpy as np
import torch


def test_machine_epsilon_is_the_gap_after_1(claim):
    for dtype, np_dtype in [(torch.float16, np.float16), (torch.float32, np.float32), (torch.float64, np.float64)]:
        one = np_dtype(1)
        gap = np.nextafter(one, np_dtype(2)) - one
        assert torch.finfo(dtype).eps == gap, dtype  # the table's torch.finfo(dtype).eps
        assert one + gap / 2 == one  # nothing between: half the gap rounds back to 1
    claim("notation", "machine-epsilon", "the gap between 1 and the next larger float")
