"""Run tests as other machines would: under each OpenBLAS kernel this CPU can run, with 1 and 2 threads, and
with numpy's faster SIMD paths switched off one level at a time.

    python -m course_tools.machines                                   # lessons 8 and 9 under nbval
    python -m course_tools.machines notebooks/09_training_on_mnist.ipynb
    python -m course_tools.machines -- -q tests notebooks             # the README's whole test command
    python -m course_tools.machines --list                            # which runs this machine can make

float32 sums are rounded in an order that depends on the BLAS kernel (OpenBLAS picks one per CPU) and on the
thread count, and numpy's exp and log give other last bits on other SIMD levels (AVX-512, AVX2, SSE, NEON).
A lesson's stored outputs must be the same under all of them.  Each run sets OPENBLAS_CORETYPE and
OPENBLAS_NUM_THREADS (or NPY_DISABLE_CPU_FEATURES) for a fresh ``python -m pytest``, and the table says which
kernel actually ran (threadpoolctl asks OpenBLAS) and what pytest said.  Exit status 1 if any run failed.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# x86-64 OpenBLAS kernels, oldest first, with the CPU flags each needs (Linux /proc/cpuinfo names).
X86_KERNELS = {
    "Prescott": {"pni"},  # SSE3, which Linux calls pni
    "Nehalem": {"ssse3", "sse4_1", "sse4_2"},
    "Sandybridge": {"avx"},
    "Haswell": {"avx2", "fma"},
    "SkylakeX": {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"},
}
DEFAULT_TESTS = ["notebooks/08_two_layer_net_and_gradient_check.ipynb", "notebooks/09_training_on_mnist.ipynb"]
WHICH_KERNEL = ("import json, numpy, threadpoolctl; numpy.dot(numpy.ones((2, 2)), numpy.ones((2, 2))); "
                "print(json.dumps([i.get('architecture') for i in threadpoolctl.threadpool_info() "
                "if i['user_api'] == 'blas']))")
SIMD_LEVELS = ("import json, numpy._core._multiarray_umath as m; "
               "print(json.dumps([f for f in m.__cpu_dispatch__ if m.__cpu_features__.get(f)]))")


def cpu_flags():
    """The CPU's feature flags (Linux); an empty set elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def kernels_this_cpu_runs():
    """The OpenBLAS kernels to try: on x86-64 each one whose instructions the CPU has; elsewhere the default."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return [None]
    flags = cpu_flags()
    return [name for name, needs in X86_KERNELS.items() if needs <= flags] or [None]


def ask_python(code, env):
    """What a fresh interpreter prints for ``code`` under ``env``."""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def runs(threads=(1, 2)):
    """(label, environment changes) for each run: every kernel × thread count, then each SIMD level."""
    plans = []
    for kernel in kernels_this_cpu_runs():
        for count in threads:
            changes = {"OPENBLAS_NUM_THREADS": str(count)}
            if kernel:
                changes["OPENBLAS_CORETYPE"] = kernel
            plans.append((f"{kernel or 'default'} kernel, {count} thread{'s' * (count > 1)}", changes))
    found = json.loads(ask_python(SIMD_LEVELS, os.environ))
    for top in range(len(found) - 1, -1, -1):  # switch off the highest levels first
        off = found[top:]
        plans.append((f"numpy without {' '.join(off)}, 1 thread",
                      {"NPY_DISABLE_CPU_FEATURES": " ".join(off), "OPENBLAS_NUM_THREADS": "1"}))
    return plans


def summary(output):
    """pytest's last line, e.g. '3 failed, 245 passed in 61.2s', without its '=' frame."""
    lines = [line.strip("= ") for line in output.strip().splitlines() if re.search(r"\b(passed|failed|error)", line)]
    return lines[-1] if lines else "no pytest summary"


def run_one(label, changes, pytest_args):
    """One fresh ``python -m pytest`` under ``changes``: (table rows, passed?)."""
    env = {**os.environ, **changes}
    ran = ", ".join(json.loads(ask_python(WHICH_KERNEL, env)))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *pytest_args],
                            env=env, capture_output=True, text=True)
    rows = [f"| {label} | {ran} | {summary(result.stdout)} | {(time.perf_counter() - start) / 60:.1f} |"]
    failures = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    rows += [f"|   | | {line} | |" for line in failures[:10]]
    return rows, result.returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tests", nargs="*", help="pytest arguments (default: lessons 8 and 9)")
    parser.add_argument("--list", action="store_true", help="only list the runs this machine can make")
    parser.add_argument("--jobs", type=int, default=1, help="runs at the same time (default 1)")
    args = parser.parse_args(argv)
    pytest_args = args.tests or ["-q", *DEFAULT_TESTS]
    print(f"| run | kernel that ran | pytest {' '.join(pytest_args)} | minutes |\n|---|---|---|---|", flush=True)
    if args.list:
        for label, changes in runs():
            print(f"| {label} | {', '.join(json.loads(ask_python(WHICH_KERNEL, {**os.environ, **changes})))} | | |")
        return 0
    passed = []
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        futures = [pool.submit(run_one, label, changes, pytest_args) for label, changes in runs()]
        for future in futures:  # in the table's order
            rows, ok = future.result()
            print("\n".join(rows), flush=True)
            passed.append(ok)
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
