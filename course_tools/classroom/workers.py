"""Grading several submissions at once: each in its own process, with its own nbgrader API and kernel.

nbgrader's gradebook is one sqlite file.  The processes share it safely: sqlite lets one process write
at a time, and each process's connection waits (``course.DB_WAIT_SECONDS``) for another's transaction
instead of failing; nbgrader's transactions are short (a submission's rows), while the long part, the
kernel running the notebook, holds no lock.  Students are added by the parent before the workers start,
so two processes never both create one.  Each worker's kernels use one BLAS thread, so two kernels on
two cores do not fight over them.
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from . import course
from .grading_one import grade_one, load_lessons

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_worker = {}  # this process's course folder, nbgrader API, lessons, timeout, feedback


def _start(course_dir, timeout, feedback, one_thread):
    """Set up a grading process: its nbgrader API on COURSE_DIR and the released lessons."""
    if one_thread:
        for name, value in ONE_THREAD.items():
            os.environ.setdefault(name, value)  # inherited by the kernels nbgrader starts
    _worker.update(course_dir=course_dir, api=course.nbgrader_api(course_dir, timeout),
                   lessons=load_lessons(course_dir), feedback=feedback,
                   timeout=course.load_config(course_dir, timeout).Execute.get("timeout", 30))


def _grade(student, lesson):
    """Grade one submission in this process: ((student, lesson), row dict, seconds)."""
    start = time.perf_counter()
    try:
        row = grade_one(_worker["api"], _worker["course_dir"], student, lesson, _worker["lessons"],
                        _worker["timeout"], _worker["feedback"])
    except Exception as error:  # one submission that breaks grading itself must not stop the class's
        row = {"student": student, "assignment": lesson, "score": 0, "max_score": _max_score(lesson),
               "problem": f"grading it stopped with {type(error).__name__}: {str(error)[:200]}; not graded"}
    return (student, lesson), row, time.perf_counter() - start


def _max_score(lesson):
    released = _worker["lessons"].get(lesson)
    return released.max_score if released else 0


def run_all(course_dir, todo, jobs, timeout, feedback):
    """Grade each (student, lesson) of todo, ``jobs`` at a time; yields ((student, lesson), row, seconds)
    as each finishes (in the order given when jobs is 1)."""
    if not todo:
        return
    if jobs <= 1:
        _start(course_dir, timeout, feedback, one_thread=False)
        for student, lesson in todo:
            yield _grade(student, lesson)
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_start,
                             initargs=(course_dir, timeout, feedback, True)) as pool:
        futures = [pool.submit(_grade, student, lesson) for student, lesson in todo]
        for future in as_completed(futures):
            yield future.result()
