"""``report``: what the class got right and wrong, as one HTML page and the CSVs behind it.

    python -m course_tools.classroom report COURSE_DIR            report/index.html: every released lesson
    python -m course_tools.classroom report COURSE_DIR LESSON     report/LESSON.html: one lesson

For each lesson: the share of students who passed each task (nbgrader's test cells, in the lesson's order),
the distribution of scores, the mistakes the course's checkers named (course_lib.diagnosis.MISTAKES: wrong
sign, transposed, factor N, missing sum over the batch, ...) with how many students each hit, the other
failures grouped by message, the unanswered tasks, and the problems grades.csv names (timeouts, deleted
cells, ...).  Read from the gradebook (``nbgrader.api.Gradebook``), the autograded notebooks and
grades.csv; run ``grade`` first.  The page names no student (it may be shown to the class); the CSVs do.
docs/class_report.md explains how to read it.
"""
import csv
import math
import sys
from pathlib import Path

from . import report_page as html
from . import report_plots as plots
from .report_data import read_course
from .report_findings import FAILURE, MISTAKE, UNANSWERED

REPORT_DIR = "report"
CSV_COLUMNS = {
    "tasks": ("lesson", "task", "answer_cell", "points", "handed_in", "passed", "share_passed"),
    "scores": ("lesson", "student", "handed_in", "score", "max_score"),
    "distribution": ("lesson", "score_from", "score_to", "students"),
    "mistakes": ("lesson", "task", "mistake", "gradient", "students", "names"),
    "failures": ("lesson", "task", "kind", "message", "example", "students", "names"),
    "problems": ("lesson", "problem", "students", "names"),
}
MAX_INTEGER_BINS = 30  # up to this many points, one bar per score; above, ten equal ranges


def share(part, whole):
    """part / whole in percent (0 when whole is 0)."""
    return 100.0 * part / whole if whole else 0.0


# ----------------------------------------------------------------- the numbers

def task_rows(data):
    """[lesson, task, answer cell, points, handed in, passed, share passed %] per task, in the lesson's order."""
    handed_in = len(data.handed_in)
    return [[data.stem, task.test, task.answer or "", _number(task.points), handed_in,
             len(data.passed.get(task.test, ())), round(share(len(data.passed.get(task.test, ())), handed_in), 1)]
            for task in data.tasks]


def score_bins(data):
    """[(from, to, students)]: one bin per whole score up to MAX_INTEGER_BINS points, else ten equal ranges."""
    most = data.max_score
    scores = list(data.handed_in.values())
    if most <= MAX_INTEGER_BINS and float(most).is_integer():
        edges = [(score, score) for score in range(int(most) + 1)]
        return [(low, high, sum(1 for s in scores if math.floor(s + 1e-9) == low)) for low, high in edges]
    width = most / 10 if most else 1
    bins = []
    for index in range(10):
        low, high = index * width, (index + 1) * width
        inside = [s for s in scores if low <= s < high or (index == 9 and s >= low)]
        bins.append((round(low, 2), round(high, 2), len(inside)))
    return bins


def _order(data):
    return {task.test: index for index, task in enumerate(data.tasks)}


def mistake_rows(data):
    """[lesson, task, mistake, gradient, students, names] for each named mistake, the most students first."""
    order = _order(data)
    rows = [[data.stem, task, label, gradient, len(students), " ".join(sorted(students))]
            for (task, (kind, label, gradient)), students in data.findings.items() if kind == MISTAKE]
    return sorted(rows, key=lambda row: (-row[4], order.get(row[1], 0), row[2], row[3]))


def failure_rows(data):
    """[lesson, task, kind, message, example, students, names] for unanswered tasks and unnamed failures."""
    order = _order(data)
    rows = [[data.stem, task, kind, label, data.examples.get((task, (kind, label, gradient)), ""), len(students),
             " ".join(sorted(students))]
            for (task, (kind, label, gradient)), students in data.findings.items() if kind in (UNANSWERED, FAILURE)]
    return sorted(rows, key=lambda row: (order.get(row[1], 0), row[2] != UNANSWERED, -row[5], row[3]))


def problem_rows(data):
    """[lesson, problem, students, names] of grades.csv's problems (numbers masked), the most students first."""
    rows = [[data.stem, problem, len(students), " ".join(sorted(students))] for problem, students in data.problems.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def _number(value):
    return f"{value:g}"


# ----------------------------------------------------------------- the files

def write_csvs(folder, prefix, lessons):
    """Write folder/<prefix>tasks.csv, ...scores.csv, ...; returns {name: path}."""
    rows = {"tasks": [], "scores": [], "distribution": [], "mistakes": [], "failures": [], "problems": []}
    for data in lessons:
        rows["tasks"] += task_rows(data)
        rows["scores"] += [[data.stem, student, "yes" if student in data.handed_in else "no",
                            _number(data.handed_in[student]) if student in data.handed_in else "",
                            _number(data.max_score)] for student in data.roster]
        rows["distribution"] += [[data.stem, _number(low), _number(high), count] for low, high, count in score_bins(data)]
        rows["mistakes"] += mistake_rows(data)
        rows["failures"] += failure_rows(data)
        rows["problems"] += problem_rows(data)
    paths = {}
    for name, columns in CSV_COLUMNS.items():
        paths[name] = folder / f"{prefix}{name}.csv"
        with open(paths[name], "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            writer.writerows(rows[name])
    return paths


def _mistake_label(row, with_lesson=False):
    where = f"{row[0]}, {row[1]}" if with_lesson else row[1]
    return f"{row[2]}: {row[3]} ({where})" if row[3] else f"{row[2]} ({where})"


def _students(count):
    return f"{count} student" + ("" if count == 1 else "s")


def mistakes_part(anchor, rows, title, with_lesson=False):
    """The bar plot of named mistakes (students hit) and its table."""
    if not rows:
        return html.paragraph("The checkers named no mistake here.")
    labels = [_mistake_label(row, with_lesson) for row in rows]
    counts = [row[4] for row in rows]
    description = "; ".join(f"{label}: {_students(count)}" for label, count in zip(labels, counts))
    svg = plots.bar_chart(f"{anchor}-mistakes", labels, counts, title, "students", description)
    headers = (["lesson"] if with_lesson else []) + ["task", "mistake", "gradient", "students"]
    body = [([row[0]] if with_lesson else []) + [row[1], row[2], row[3] or "—", row[4]] for row in rows]
    return html.figure(svg) + html.table(f"{title}: the numbers", headers, body, numeric={len(headers) - 1})


def lesson_part(data, anchor):
    """One lesson's section: who handed it in, tasks, scores, mistakes, other failures, problems."""
    handed_in, roster = len(data.handed_in), len(data.roster)
    parts = []
    if not handed_in:
        parts.append(html.paragraph(f"Nobody has handed in {data.stem} yet ({_students(roster)} in the class): "
                                    "there is nothing to report for it."))
        return html.section(anchor, data.stem, *parts)
    absent = len(data.absent)
    parts.append(html.paragraph(
        f"{handed_in} of {roster} students handed it in" + (f"; {absent} handed in nothing" if absent else "")
        + f". {len(data.tasks)} tasks, {_number(data.max_score)} points."))
    rows = task_rows(data)
    parts.append(html.heading(3, "Tasks: the share of students who passed"))
    labels = [f"{row[1]} ({row[3]} points)" for row in rows]
    shares = [row[6] for row in rows]
    description = "; ".join(f"{row[1]}: {row[5]} of {row[4]} passed ({row[6]:.0f} %)" for row in rows)
    parts.append(html.figure(plots.bar_chart(f"{anchor}-tasks", labels, shares, f"{data.stem}: students who passed each task",
                                             "passed (% of those who handed it in)", description, maximum=100,
                                             percent=True, colour=plots.PASS_COLOUR)))
    parts.append(html.table(f"{data.stem}: tasks in the lesson's order", ["task", "points", "passed", "of", "share"],
                            [[row[1], row[3], row[5], row[4], f"{row[6]:.0f} %"] for row in rows], numeric={1, 2, 3, 4}))
    parts.append(html.heading(3, "Scores"))
    bins = score_bins(data)
    bin_labels = [_number(low) if low == high else f"{_number(low)}–{_number(high)}" for low, high, _ in bins]
    counts = [count for *_, count in bins]
    scores = sorted(data.handed_in.values())
    summary = (f"mean {sum(scores) / len(scores):.1f}, median {_median(scores):g} of {_number(data.max_score)} points"
               + f"; {sum(1 for s in scores if s >= data.max_score - 1e-9)} with full points")
    description = "; ".join(f"score {label}: {_students(count)}" for label, count in zip(bin_labels, counts))
    parts.append(html.paragraph(summary[0].upper() + summary[1:] + "."))
    parts.append(html.figure(plots.histogram(f"{anchor}-scores", bin_labels, counts, f"{data.stem}: scores", description)))
    parts.append(html.table(f"{data.stem}: students per score", ["score", "students"],
                            [[label, count] for label, count in zip(bin_labels, counts)], numeric={1}))
    parts.append(html.heading(3, "Mistakes the checkers named"))
    parts.append(mistakes_part(anchor, mistake_rows(data), f"{data.stem}: named mistakes, by students hit"))
    parts.append(html.heading(3, "Other failed tests"))
    failures = failure_rows(data)
    if failures:
        parts.append(html.paragraph("Grouped by message, numbers shown as #; an example as one student saw it.", note=True))
        parts.append(html.table(f"{data.stem}: failed tests no checker named", ["task", "what", "example", "students"],
                                [[row[1], row[3], row[4] if row[4] != row[3] else "", row[5]] for row in failures],
                                numeric={3}))
    else:
        parts.append(html.paragraph("None."))
    parts.append(html.heading(3, "Problems with submissions"))
    problems = problem_rows(data)
    if problems:
        parts.append(html.table(f"{data.stem}: problems grades.csv names", ["problem", "students"],
                                [[row[1], row[2]] for row in problems], numeric={1}))
    else:
        parts.append(html.paragraph("None."))
    return html.section(anchor, data.stem, *parts)


def _median(values):
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def build(course_dir, lesson=None, out=None):
    """Write COURSE_DIR/report/index.html (or LESSON.html) and its CSVs; returns the page's path.

    out: where to say so (default: sys.stdout at the time of the call)."""
    out = out or sys.stdout
    course_dir = Path(course_dir).resolve()
    lessons = read_course(course_dir, lesson)
    folder = course_dir / REPORT_DIR
    folder.mkdir(exist_ok=True)
    prefix = f"{lesson}-" if lesson else ""
    csvs = write_csvs(folder, prefix, lessons)
    roster = len(lessons[0].roster) if lessons else 0
    parts = [html.paragraph(
        f"Made from {course_dir.name}'s gradebook, grades.csv and autograded notebooks: {_students(roster)}, "
        f"{len(lessons)} lesson" + ("s" if len(lessons) != 1 else "") + ". Names of students are in the CSV files "
        f"beside this page ({', '.join(path.name for path in csvs.values())}), not on it.")]
    if len(lessons) > 1:
        everything = sorted((row for data in lessons for row in mistake_rows(data)), key=lambda row: -row[4])
        parts.append(html.section("class", "Where the class went wrong",
                                  mistakes_part("class", everything, "Named mistakes across the lessons, by students hit",
                                                with_lesson=True)))
    parts += [lesson_part(data, f"lesson-{data.stem}") for data in lessons]
    title = f"Class report: {lesson}" if lesson else "Class report"
    path = folder / (f"{lesson}.html" if lesson else "index.html")
    path.write_text(html.page(title, "".join(parts)), encoding="utf-8")
    print(f"Report written to {path} (and {len(csvs)} CSV files beside it).", file=out)
    return path


# ----------------------------------------------------------------- the command line

def add_parser(commands):
    """Add the ``report`` subcommand to the classroom command line's subparsers."""
    parser = commands.add_parser("report", help="the class report: pass shares, scores, the mistakes the checkers named")
    parser.add_argument("course_dir", type=Path)
    parser.add_argument("lesson", nargs="?", default=None, help="a lesson stem (e.g. 06_affine_and_batches); default: every lesson")
    return parser


def run(args):
    """Run the ``report`` subcommand with the parsed ``args``; returns the page's path."""
    return build(args.course_dir, args.lesson)
