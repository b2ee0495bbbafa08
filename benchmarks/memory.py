"""Peak memory of every lesson's kernel: each notebook in a fresh kernel, as a student runs it.

    python benchmarks/memory.py                  every notebooks/*.ipynb, in order
    python benchmarks/memory.py 08 10            only the lessons whose file names start with these
    python benchmarks/memory.py --memray 08      also: where the peak comes from (needs `pip install memray`)
    python benchmarks/memory.py --cells 08       also: the peak so far after every cell

For each lesson it starts a new python3 kernel (nbclient), runs every cell top to bottom, then asks the
kernel itself for its peak resident set size (VmHWM in /proc/self/status: the most RAM the process
ever held) and prints one JSON line {"notebook", "peak_rss_mb", "wall_s", "ok"}.  The last line is one
JSON object: the worst lesson, the total time, and whether every lesson stays under the course's limit
(250 MB: DESIGN.md, "Memory").

--memray runs the lesson's code (its cells joined, magics dropped) under `memray run` in a plain python
process and prints, as one JSON line, the lines of the lesson and of course_lib whose allocations are alive
at the peak, biggest first, so a lesson that grows can be traced to the line that grows it.
A benchmark, not a test: nothing here asserts.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 250
# The kernel's own high-water mark of resident memory, VmHWM (kB).  Not ru_maxrss: Linux carries that over
# exec from the process that forked the kernel (a 150 MB Jupyter server would make every kernel 150 MB).
PEAK_CODE = ("import re as _re\n"
             "print('PEAK_RSS_KB', _re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1){})")
NOW_CODE = "import psutil as _p\nprint('NOW_RSS_MB', _p.Process().memory_info().rss >> 20)\n"


def lessons(prefixes=()):
    """notebooks/*.ipynb in order, optionally only those whose names start with one of ``prefixes``."""
    found = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if prefixes:
        found = [path for path in found if path.name.startswith(tuple(prefixes))]
    return found


def kernel_peak(path, timeout=600, per_cell=False):
    """Run one notebook in a fresh kernel; return (peak RSS in MB read by the kernel, wall seconds, error or None).

    per_cell: also print, after every code cell, the kernel's peak RSS so far (which cell grows it).
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    if per_cell:
        cells = []
        for index, cell in enumerate(notebook.cells):
            cells.append(cell)
            if cell.cell_type == "code":
                cells.append(nbformat.v4.new_code_cell(NOW_CODE + PEAK_CODE.format(f", 'after cell {index}'")))
        notebook.cells = cells
    notebook.cells.append(nbformat.v4.new_code_cell(PEAK_CODE.format("")))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    error = None
    try:
        client.execute(env=env)
    except Exception as err:  # a failing cell: report it, still read the peak if the kernel answered
        error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1] if str(err).strip() else ''}"
    wall = time.perf_counter() - start
    peak_kb = None
    for cell in notebook.cells if per_cell else notebook.cells[-1:]:
        text = "".join(output.get("text", "") for output in cell.get("outputs", []))
        found = re.search(r"PEAK_RSS_KB (\d+)( after cell \d+)?", text) if cell.cell_type == "code" else None
        if found:
            peak_kb = int(found.group(1))
            if found.group(2):
                now = re.search(r"NOW_RSS_MB (\d+)", text)
                print(f"  {path.name}: peak {peak_kb / 1024:.0f} MB, now {now.group(1) if now else '?'} MB{found.group(2)}")
    return (round(peak_kb / 1024, 1) if peak_kb else None), round(wall, 1), error


def lesson_as_script(path):
    """The notebook's code cells as one python file (IPython magics and shell lines dropped)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    lines = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines += [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
            lines.append("")
    return "import matplotlib\nmatplotlib.use('Agg')\n" + "\n".join(lines)


def memray_report(path, top=8):
    """Run the lesson's code under memray; print the lines whose allocations are alive at the peak."""
    from memray import FileReader

    with tempfile.TemporaryDirectory() as tmp:
        script, capture = Path(tmp) / "lesson.py", Path(tmp) / "lesson.bin"
        script.write_text(lesson_as_script(path))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
        subprocess.run([sys.executable, "-m", "memray", "run", "-q", "-o", str(capture), str(script)],
                       cwd=path.parent, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        reader = FileReader(str(capture))
        at_peak = {}
        for record in reader.get_high_watermark_allocation_records(merge_threads=True):
            frames = [f"{Path(file).name}:{line} {function}" for function, file, line in record.stack_trace()
                      if "lesson.py" in file or "course_lib" in file]
            where = " <- ".join(frames[:2]) or "(outside the lesson and course_lib)"
            at_peak[where] = at_peak.get(where, 0) + record.size
        biggest = sorted(at_peak.items(), key=lambda item: -item[1])[:top]
        print(json.dumps({"notebook": path.name, "memray_peak_mb": round(reader.metadata.peak_memory / 2**20, 1),
                          "alive_at_peak": [{"where": where, "mb": round(size / 2**20, 1)} for where, size in biggest]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only lessons whose file names start with these (e.g. 08)")
    parser.add_argument("--memray", action="store_true", help="also show where each lesson's peak comes from")
    parser.add_argument("--cells", action="store_true", help="also print the kernel's peak RSS after every cell")
    args = parser.parse_args()
    results = []
    total = time.perf_counter()
    for path in lessons(args.prefixes):
        peak_mb, wall, error = kernel_peak(path, per_cell=args.cells)
        result = {"notebook": path.name, "peak_rss_mb": peak_mb, "wall_s": wall, "ok": error is None}
        if error:
            result["error"] = error
        results.append(result)
        print(json.dumps(result), flush=True)
        if args.memray:
            memray_report(path)
    worst = max(results, key=lambda r: r["peak_rss_mb"] or 0)
    print(json.dumps({
        "lessons": len(results),
        "worst_notebook": worst["notebook"],
        "worst_peak_rss_mb": worst["peak_rss_mb"],
        "total_wall_s": round(time.perf_counter() - total, 1),
        "limit_mb": LIMIT_MB,
        "all_under_limit": all((r["peak_rss_mb"] or 0) <= LIMIT_MB for r in results),
        "all_ok": all(r["ok"] for r in results),
    }))


if __name__ == "__main__":
    main()
