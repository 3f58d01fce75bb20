"""The environment that makes a snippet print the same digits on every x86 CPU.

MKL picks its kernels by CPU: the same float32 matrix product rounds differently
on an AVX-512 machine than on an AVX2 one. Most snippets never notice, but a run
that does not converge (the course's XOR net, a ReLU net at a huge learning rate)
amplifies the last bit into a different third decimal. Measured here: the
course's original XOR run ends at a whole-data loss of 0.3054 with MKL's
AVX-512 kernels and 0.2605 with its AVX2 ones. MKL's conditional numerical
reproducibility mode (MKL_CBWR=COMPATIBLE) and torch's AVX2 kernels give the
same digits on any x86-64 CPU; on other machines both settings are ignored.
One thread, because the tensors are tiny and two cores run two snippets at once.

The runner (docs_build/runner.py), the notebook kernels and the test process use it.
The snippets a reader copies run without it, but a run that never settles may then
print other last digits (docs/xor-44-training.py tells readers so).
"""

import platform

ENV = {"OMP_NUM_THREADS": "1", "MKL_CBWR": "COMPATIBLE"}
if platform.machine().lower() in ("x86_64", "amd64"):
    ENV["ATEN_CPU_CAPABILITY"] = "avx2"

