"""course_tools.machines, the maintainer's way to run tests as other CPUs would (docs/maintaining.md)."""
import platform

from course_tools import machines


def test_every_kernel_the_cpu_runs_is_tried_with_one_and_two_threads():
    plans = dict(machines.runs())
    kernels = machines.kernels_this_cpu_runs()
    for kernel in kernels:
        for threads in ("1 thread", "2 threads"):
            changes = plans[f"{kernel or 'default'} kernel, {threads}"]
            assert changes["OPENBLAS_NUM_THREADS"] == threads[0]
            assert changes.get("OPENBLAS_CORETYPE") == kernel
    if platform.machine() == "x86_64":
        assert kernels[0] == "Prescott"  # SSE3 (Linux: pni): every x86-64 CPU this course meets has it
    simd = [changes["NPY_DISABLE_CPU_FEATURES"] for label, changes in plans.items() if label.startswith("numpy without")]
    assert all(len(a.split()) < len(b.split()) for a, b in zip(simd, simd[1:]))  # one level more switched off each time


def test_a_kernel_needs_every_flag_it_uses(monkeypatch):
    monkeypatch.setattr(machines.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(machines, "cpu_flags", lambda: {"pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2"})  # no fma
    assert machines.kernels_this_cpu_runs() == ["Prescott", "Nehalem", "Sandybridge"]
    monkeypatch.setattr(machines.platform, "machine", lambda: "aarch64")
    assert machines.kernels_this_cpu_runs() == [None]  # elsewhere: OpenBLAS's own choice, named in the table


def test_the_table_shows_what_pytest_said():
    out = "....\nFAILED notebooks/09.ipynb::Cell 10\n==== 1 failed, 245 passed in 61.20s ====\n"
    assert machines.summary(out) == "1 failed, 245 passed in 61.20s"
    assert machines.summary("") == "no pytest summary"
