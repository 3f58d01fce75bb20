"""Files run as a reader would run them, in children of the preloaded forkserver (docs_build/runner.py)."""

import os
import subprocess

import pytest

from docs_build import runner


def run(tmp_path, source, mode="stdout", timeout=60):
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    return runner.run(script, mode=mode, timeout=timeout)


def test_a_file_runs_as_main_in_an_empty_folder_with_the_reader_environment(tmp_path):
    result = run(tmp_path, "import os, sys\nprint(sys.argv, os.listdir(), os.getcwd() != sys.path[0], "
                           "os.environ['PYTHONHASHSEED'], os.environ['OMP_NUM_THREADS'], __name__)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"['{tmp_path / 'script.py'}'] [] True 0 1 __main__\n"


def test_nothing_a_file_does_reaches_the_next_one(tmp_path):
    leak = "import sys, torch\ntorch.leaked = 1\nsys.modules['leaked'] = sys\ntorch.manual_seed(0)\n"
    assert run(tmp_path, leak).returncode == 0
    probe = ("import sys, torch\nprint(hasattr(torch, 'leaked'), 'leaked' in sys.modules, "
             "torch.initial_seed() == 0)\n")
    assert run(tmp_path, probe).stdout == "False False False\n"


def test_unseeded_randomness_differs_between_runs_as_in_fresh_interpreters(tmp_path):
    draw = "import random, numpy, torch\nprint(random.random(), numpy.random.rand(), torch.rand(1).item())\n"
    first, second = (run(tmp_path, draw).stdout.split() for _ in range(2))
    assert all(a != b for a, b in zip(first, second)), (first, second)


def test_a_file_must_import_what_it_uses(tmp_path):
    """torch is imported in the server, but a file's namespace starts empty."""
    result = run(tmp_path, "print(torch.zeros(1))\n")
    assert result.returncode == 1
    assert "NameError: name 'torch' is not defined" in result.stderr


def test_a_failure_reports_the_file_traceback_and_status(tmp_path):
    result = run(tmp_path, "print('before')\nraise ValueError('boom')\n")
    assert (result.returncode, result.stdout) == (1, "before\n")
    assert result.stderr.startswith("Traceback") and "runner.py" not in result.stderr and "multiprocessing" not in result.stderr
    assert f'File "{tmp_path / "script.py"}", line 2' in result.stderr
    assert run(tmp_path, "import sys\nsys.exit(3)\n").returncode == 3


def test_a_file_that_hangs_is_killed_and_the_next_one_runs(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):
        run(tmp_path, "import time\ntime.sleep(60)\n", timeout=1)
    assert run(tmp_path, "print('next')\n").stdout == "next\n"


def test_build_code_is_not_on_the_path(tmp_path):
    """As with `python script.py`: the file's folder first, then installed packages only."""
    result = run(tmp_path, "import sys\nprint(sys.path[0])\nimport docs_build\n")
    assert result.stdout == f"{tmp_path}\n"
    assert "ModuleNotFoundError: No module named 'docs_build'" in result.stderr


def test_prints_are_recorded_with_the_module_level_line_that_made_them(tmp_path):
    source = "def f():\n    print('in f')\n\nf()\nfor i in range(2):\n    print(i, end=';')\n"
    result = run(tmp_path, source, mode="prints")
    assert result.prints == [(4, "in f\n"), (6, "0;"), (6, "1;")]
    assert result.stdout == "in f\n0;1;"


def test_a_figure_is_saved_as_svg_where_it_would_be_shown(tmp_path):
    draw = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()\n"
    first, second = run(tmp_path, draw, mode="figure"), run(tmp_path, draw, mode="figure")
    assert first.returncode == 0, first.stderr
    assert first.figure.startswith(b"<?xml") and b"<svg" in first.figure
    assert first.figure == second.figure  # no date, fixed ids: the same bytes each build
    missing = run(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([0, 1])\n", mode="figure")
    assert missing.returncode == 1 and "must end with plt.show()" in missing.stderr
