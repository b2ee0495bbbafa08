"""Handouts: every lesson as one HTML page that works offline, widgets included.

    python -m course_tools.handouts                       # every notebook in notebooks/ -> build/html/
    python -m course_tools.handouts -o DIR NOTEBOOK ...   # some notebooks, somewhere else
    python -m course_tools.handouts --lang ko             # the Korean edition (notebooks/ko/) -> build/html/ko/

The notebooks are exported as they are committed, never executed: they already hold their outputs
and the widgets' state (``metadata.widgets``), which the page embeds (a notebook that shows widgets
without their state gets a warning).  The widget renderer (``@jupyter-widgets/html-manager``'s
``embed-amd.js``, with ``require.js`` and the icon fonts it loads) and MathJax are copied from
``course_tools/static/`` into ``DIR/lib/``, and the pages load them from there instead of from CDNs.
So in a page opened from disk, with no kernel and no network, the maths is typeset and a stepper's
buttons and step box still move through the precomputed frames of the backward pass (anywidget's front end,
vendored as ``lib/anywidget.js``, runs the buttons).

``DIR`` also gets an ``index.html``: a card per lesson with its title, its goals ("What you will
learn") and a thumbnail of its first picture.  Zip ``DIR`` to hand it out.

Student edition (the default): exactly what ``nbgrader generate_assignment`` makes of each notebook
(``course_tools.classroom.student_edition``): stubs for the solutions, no hidden tests, no outputs.
The pictures and widgets come back from the committed notebook for the cells that are neither an
answer cell nor a test cell (``metadata.nbgrader.solution`` / ``grade``), with the state of the widgets
those cells show and nothing else; answer and test cells keep no output (no verdict, no answer).  With
``--self-study`` the committed notebook is exported as it is, solutions included, and every page says so.

Accessible: the pages pass axe-core's WCAG 2.1 A/AA rules (a small stylesheet darkens nbconvert's
prompts and code colours to AA contrast), pictures carry their titles and descriptions, and the build
is byte-for-byte reproducible (no random element ids, no dates).

Languages: each page's ``<html lang>`` is its notebook's language (an edition built by
``course_tools.translations`` says so in ``metadata.language``; English otherwise), so a screen reader
reads Korean or Japanese with the right voice; the index page and the notes above are in the
edition's language too (their words are in course_lib's catalog, ``locale/<lang>/LC_MESSAGES/course_lib.po``).
"""
import argparse
import base64
import copy
import html
import re
import shutil
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import nbformat

from course_lib import paths
from course_lib.errors import CourseError, CourseFileNotFoundError
from course_lib.i18n import LANGUAGES, N_, _, translate, using_language
from course_tools.classroom.answers import is_task_cell

STATIC = Path(__file__).parent / "static"
RENDERER_DIR = STATIC / "widget_renderer"   # @jupyter-widgets/html-manager + requirejs (see its README.md)
MATHJAX_DIR = STATIC / "mathjax"            # MathJax 3, one self-contained file (see its README.md)
LIB = "lib"
REQUIRE_JS = f"{LIB}/require.js"
RENDERER_JS = f"{LIB}/embed-amd.js"
MATHJAX_JS = f"{LIB}/mathjax/tex-svg-full.js"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_OUTPUT = Path("build") / "html"
GOALS_HEADING = "**What you will learn**"  # the lessons' first cell: a line holding it, then the goals as bullets
GOALS_LABEL = N_("What you will learn:")  # above the goals on the index page's cards

# The renderer's modules are named "@jupyter-widgets/..." and it asks for its icon fonts next to
# where RequireJS thinks those modules live: by default beside the page, where nothing is.  Map those
# names to lib/ so the fonts (the Play widget's icons) are found there.  The steppers' buttons are
# anywidgets: the renderer asks RequireJS for "anywidget" (a CDN only if that fails): lib/anywidget.js.
REQUIRE_CONFIG = (
    '<script>require.config({paths: {"@jupyter-widgets": "lib", '
    '"@jupyter-widgets/html-manager/dist": "lib", "anywidget": "lib/anywidget"}});</script>'
)
# nbconvert's page configures MathJax 2; this is the same configuration for MathJax 3.
MATHJAX_CONFIG = (
    "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true, processEnvironments: true}, "
    "svg: {fontCache: 'global'}};</script>"
)


# nbconvert's prompts (#b0b0b0) and some of its code colours are below WCAG AA contrast (4.5:1): darker ones.
ACCESSIBLE_CSS = """<style>
.jp-InputPrompt, .jp-OutputPrompt { color: #595959 !important; opacity: 1 !important; }
.highlight .c, .highlight .c1, .highlight .cm, .highlight .ch, .highlight .cs, .highlight .cpf { color: #2e6060 !important; }
.highlight .m, .highlight .mi, .highlight .mf, .highlight .mh, .highlight .mo, .highlight .il { color: #006100 !important; }
.highlight .ow, .highlight .o { color: #6b1fb3 !important; }
.highlight .nb, .highlight .bp, .highlight .k, .highlight .kn { color: #006100 !important; }
.highlight .nd, .highlight .nf, .highlight .nc { color: #0033aa !important; }
a, a:link, a:visited { text-decoration: underline !important; }
</style>"""
SELF_STUDY_NOTE = ('<div role="note" style="border:2px solid #595959;padding:8px 12px;margin:8px 0;'
                   'font-family:sans-serif">{text}</div>')
SELF_STUDY_TEXT = N_("Self-study edition: this page contains the solutions of its exercises.")
STUDENT_NOTE = "the exercises' solutions are not in this page (student edition)"


class HandoutError(CourseError):
    """A handout that cannot be made: a notebook that is missing or broken, an output folder that cannot be written."""


class NbconvertPageChanged(HandoutError, RuntimeError):
    """nbconvert's page no longer has the shape handouts.py edits (a maintainer must update handouts.py)."""


@contextmanager
def writing_to(output_dir):
    """Turn a failure to write into ``output_dir`` (a file in the way, no permission, a full disk) into words."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or type(error).__name__
        where = f" ({error.filename})" if error.filename else ""
        raise HandoutError(
            f"cannot write the handouts to {output_dir}: {reason}{where}; give a folder you can write to (-o DIR)"
        ) from None


def read_notebook(path):
    """The notebook at ``path``; a missing or broken file is a HandoutError naming it."""
    path = Path(path)
    if not path.is_file():
        raise HandoutError(f"{path}: no such notebook" + (" (it is a folder)" if path.is_dir() else ""))
    try:
        return nbformat.read(path, as_version=4)
    except Exception as error:  # not JSON, not a notebook, unreadable: nbformat raises many kinds
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise HandoutError(
            f"{path} is not a readable notebook ({reason}); open it in Jupyter to repair it, or restore it with git"
        ) from None


class WidgetStateWarning(UserWarning):
    """A notebook shows widgets but does not hold (all of) their state: they will not render."""


def default_notebooks(lang="en"):
    """The lessons of the ``lang`` edition, in order (``notebooks/NN_*.ipynb``, or ``notebooks/<lang>/NN_*.ipynb``
    for Korean and Japanese; [] if there is no course folder)."""
    try:
        lessons = paths.lesson_paths()
    except FileNotFoundError:
        return []
    return [paths.edition_path(path, lang) for path in lessons if paths.edition_path(path, lang).is_file()]


def notebook_language(notebook):
    """The language a notebook is written in: an edition's ``metadata.language`` ("ko", "ja"), else "en"."""
    lang = notebook.metadata.get("language", "en")
    return lang if lang in LANGUAGES else "en"


def runtime_files():
    """{vendored file: where it goes under the output dir}: what the pages load at run time."""
    files = {path: Path(LIB) / path.name for path in sorted(RENDERER_DIR.iterdir())
             if path.suffix in (".js", ".woff2")}
    files[MATHJAX_DIR / "tex-svg-full.js"] = Path(MATHJAX_JS)
    return files


def copy_runtime(output_dir):
    """Copy the renderer, MathJax and their licences into ``output_dir/lib/``; returns the copies."""
    output_dir = Path(output_dir)
    copied = []
    for source, relative in runtime_files().items():
        target = output_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    for folder in (RENDERER_DIR, MATHJAX_DIR):
        for source in [*folder.glob("LICENSE*"), *folder.glob("THIRD_PARTY*")]:
            shutil.copyfile(source, output_dir / LIB / source.name)
    return copied


def widget_problems(notebook):
    """Why the widgets of ``notebook`` (a NotebookNode) would not render in an export; [] if fine.

    Every widget view shown in an output must have its model in ``metadata.widgets``.
    """
    shown = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    if not shown:
        return []
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return [f"it shows {len(shown)} widget(s) but holds no widget state (metadata.widgets)"]
    missing = [model_id for model_id in shown if model_id not in state]
    if missing:
        return [f"{len(missing)} of its {len(shown)} widget(s) have no stored state ({', '.join(missing)})"]
    return []


def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    exporter.require_js_url = REQUIRE_JS
    exporter.widget_renderer_url = RENDERER_JS
    exporter.mathjax_url = MATHJAX_JS
    return exporter


def _use_local_scripts(page):
    """Configure RequireJS and MathJax for the local copies (right after each is loaded/before)."""
    require_tag = f'<script src="{REQUIRE_JS}"></script>'
    mathjax_tag = f'<script src="{MATHJAX_JS}"> </script>'
    for tag in (require_tag, mathjax_tag):
        if page.count(tag) != 1:
            raise NbconvertPageChanged(f"nbconvert's page changed: expected {tag!r} once; update course_tools/handouts.py")
    page = page.replace(require_tag, require_tag + REQUIRE_CONFIG)
    page = page.replace(mathjax_tag, MATHJAX_CONFIG + mathjax_tag)
    return page.replace("</head>", ACCESSIBLE_CSS + "\n</head>", 1)


UUID = re.compile(r'id="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


def _stable_ids(page):
    """nbconvert gives each widget output a random id (uuid4): number them instead, so the same
    notebook always gives the same bytes."""
    for number, uuid in enumerate(dict.fromkeys(UUID.findall(page)), start=1):
        page = page.replace(uuid, f"widget-output-{number}")
    return page




def _model_references(value):
    """The model ids a widget model's state refers to ("IPY_MODEL_<id>" anywhere in it)."""
    if isinstance(value, str):
        if value.startswith("IPY_MODEL_"):
            yield value[len("IPY_MODEL_"):]
    elif isinstance(value, dict):
        for item in value.values():
            yield from _model_references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _model_references(item)


def shown_widget_state(state, notebook):
    """The models of ``state`` ({model id: model}) that the outputs of ``notebook`` need to render.

    Those are the models the notebook's widget views show, the models they refer to (children,
    layouts, styles), and the links (``jslink``) between models that are kept.
    """
    keep, todo = set(), [output["data"][WIDGET_VIEW]["model_id"] for cell in notebook.cells
                         if cell.cell_type == "code" for output in cell.get("outputs", [])
                         if WIDGET_VIEW in output.get("data", {})]
    while todo:
        model_id = todo.pop()
        if model_id in keep or model_id not in state:
            continue
        keep.add(model_id)
        todo.extend(_model_references(state[model_id].get("state", {})))
    for model_id, model in state.items():  # a link refers to the widgets it joins; nothing refers to it
        refs = set(_model_references(model.get("state", {})))
        if model_id not in keep and refs and refs <= keep and not model.get("state", {}).get("_view_name"):
            keep.add(model_id)
            keep.update(_model_references(model))
    return {model_id: model for model_id, model in state.items() if model_id in keep}


def with_lesson_outputs(student, source, name):
    """nbgrader's student edition ``student`` with the outputs of ``source`` (the committed notebook) put
    back in every cell that is neither an answer nor a test cell, and the widget state those outputs show.

    Returns ``student`` (changed).  The two must have the same cells (generate_assignment keeps them);
    anything else is a HandoutError naming the notebook ``name``.
    """
    if len(student.cells) != len(source.cells):
        raise HandoutError(f"{name}: nbgrader's student edition has {len(student.cells)} cells, the notebook "
                           f"{len(source.cells)}; an nbgrader header or footer is not supported in handouts")
    for number, (cell, original) in enumerate(zip(student.cells, source.cells), start=1):
        if is_task_cell(original) or cell.cell_type != "code":
            continue
        if cell.source != original.source:
            raise HandoutError(f"{name}: cell {number} is not an nbgrader cell but generate_assignment changed it")
        cell.outputs = copy.deepcopy(original.outputs)
        cell.execution_count = original.execution_count
    student.metadata.pop("widgets", None)
    state = source.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    shown = shown_widget_state(state.get("state", {}), student)
    if shown:
        student.metadata["widgets"] = {WIDGET_STATE: {**copy.deepcopy(state), "state": copy.deepcopy(shown)}}
    return student


def editions(paths, self_study=False):
    """{path: the notebook to export} for each notebook path: as committed (self_study) or the student edition."""
    sources = {Path(path): read_notebook(path) for path in paths}
    if self_study:
        return sources
    from course_tools.classroom.course import ClassroomError
    from course_tools.classroom.student_edition import generate

    try:
        students = generate(sources)
    except ClassroomError as error:
        raise HandoutError(str(error)) from None
    return {path: with_lesson_outputs(students[path], source, path.name) for path, source in sources.items()}


def export_notebook(path, output_dir=DEFAULT_OUTPUT, exporter=None, self_study=False, notebook=None):
    """Export one notebook (not executed) to ``output_dir/<name>.html``; returns that path.

    self_study  False (student edition): nbgrader's generate_assignment edition, with the committed
                outputs of the cells that are neither answer nor test cells (``with_lesson_outputs``);
                True: the notebook as committed, solutions kept, and the page says so at the top.
    notebook    the edition to export, when the caller made it already (``editions``).
    Warns (``WidgetStateWarning``) when its widgets' state is missing: run the notebook again and
    save it with its widget state (``python -m course_tools.regenerate``).
    """
    path = Path(path)
    for problem in widget_problems(read_notebook(path)):
        warnings.warn(
            f"{path.name}: {problem}; its widgets will show 'Error displaying widget' in the handout. "
            "Regenerate it with its widget state (python -m course_tools.regenerate).",
            WidgetStateWarning, stacklevel=2,
        )
    notebook = copy.deepcopy(notebook) if notebook is not None else editions([path], self_study)[path]
    notebook.metadata.setdefault("title", lesson_title(notebook, path.stem))  # the browser tab's title
    exporter = exporter or _exporter()
    lang = notebook_language(notebook)
    exporter.language_code = lang  # <html lang="...">: what a screen reader speaks the page in
    page, _resources = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
    page = _stable_ids(_use_local_scripts(page))
    if self_study:
        with using_language(lang):
            note = SELF_STUDY_NOTE.format(text=html.escape(_(SELF_STUDY_TEXT)))
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + note, page, count=1)
    target = Path(output_dir) / f"{path.stem}.html"
    with writing_to(output_dir):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return target


def lesson_title(notebook, default):
    """The first level-1 Markdown heading of ``notebook`` (a NotebookNode), else ``default``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def lesson_goals(notebook):
    """The bullet points under "What you will learn" (or its translation, in an edition) in the lesson's
    first Markdown cells ([] if none)."""
    with using_language(notebook_language(notebook)):
        heading = translate(GOALS_HEADING).strip("*")
    for cell in notebook.cells[:3]:
        if cell.cell_type != "markdown" or heading not in cell.source:
            continue
        goals, current = [], None
        for line in cell.source.split(heading, 1)[1].splitlines()[1:]:
            if line.startswith("- "):
                current = line[2:].strip()
                goals.append(current)
            elif line.startswith("  ") and current is not None:
                goals[-1] += " " + line.strip()
            elif line.strip():
                break
        return goals
    return []


def lesson_thumbnail(notebook):
    """(data URL, alt text) of the lesson's first picture (an SVG or PNG output), or None."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            svg = data.get("image/svg+xml") or (data.get("text/html", "") if "<svg" in data.get("text/html", "")
                                                else None)
            if svg:
                svg = svg if isinstance(svg, str) else "".join(svg)
                svg = svg[svg.index("<svg"):svg.index("</svg>") + len("</svg>")]
                title = re.search(r"<title>(.*?)</title>", svg, re.S)
                alt = html.unescape(title.group(1)) if title else "the lesson's first picture"
                encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                return f"data:image/svg+xml;base64,{encoded}", alt
            if "image/png" in data:
                alt = data.get("text/plain", "the lesson's first figure")
                alt = alt if isinstance(alt, str) else "".join(alt)
                return f"data:image/png;base64,{data['image/png'].strip()}", alt
    return None


def lesson_card(notebook, page_name, title):
    """One lesson's card on the index page: a link with its title, its goals and a thumbnail (in the current
    language: call it inside ``using_language``)."""
    goals = "".join(f"<li>{_markdown_inline(goal)}</li>" for goal in lesson_goals(notebook))
    thumbnail = lesson_thumbnail(notebook)
    image = (f'<img src="{thumbnail[0]}" alt="{html.escape(thumbnail[1])}" '
             f'style="width:100%;max-height:180px;object-fit:contain;background:white">' if thumbnail else "")
    return (f'<li class="card"><h2><a href="{html.escape(page_name)}">{html.escape(title)}</a></h2>'
            f"{image}" + (f'<p>{html.escape(_(GOALS_LABEL))}</p><ul>{goals}</ul>' if goals else "") + "</li>")


def _markdown_inline(text):
    """**bold** and `code` of a Markdown line as HTML (everything else escaped)."""
    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


INDEX_STYLE = (
    "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;"
    "color:#222}"
    ".cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(20em,1fr));"
    "gap:1em}"
    ".card{border:1px solid #767676;border-radius:8px;padding:0.8em 1em}"
    ".card h2{font-size:1.2em;margin:0 0 0.5em 0}.card a{color:#0050a0}.card ul{padding-left:1.2em}"
)


def write_index(notebooks, pages, output_dir, self_study=False):
    """``index.html``: a card per exported lesson, in order (title, goals, thumbnail), in the lessons' language.

    notebooks: the exported editions (NotebookNodes) or their paths, in the pages' order."""
    notebooks = [nb if isinstance(nb, nbformat.NotebookNode) else read_notebook(nb) for nb in notebooks]
    lang = notebook_language(notebooks[0]) if notebooks else "en"
    with using_language(lang):
        cards = [lesson_card(notebook, page.name, lesson_title(notebook, page.stem))
                 for notebook, page in zip(notebooks, pages)]
        title = html.escape(_("Backpropagation, one gate at a time"))
        about = html.escape(_("The lessons with their outputs. The steppers' buttons and step boxes work in these "
                              "pages, offline; editing an input needs the notebooks in Jupyter."))
        edition = html.escape(_("Self-study edition: the pages contain the exercises' solutions.") if self_study
                              else _("Student edition: the exercises' solutions are not included."))
    index = Path(output_dir) / "index.html"
    index.write_text(
        f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{title}</title><style>{INDEX_STYLE}</style></head>\n"
        f"<body>\n<main>\n<h1>{title}</h1>\n<p>{about} {edition}</p>\n"
        f'<ul class="cards">\n' + "\n".join(cards) + "\n</ul>\n</main>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return index


def export_all(notebooks=None, output_dir=DEFAULT_OUTPUT, self_study=False, lang="en"):
    """Export ``notebooks`` (default: every lesson of the ``lang`` edition) and the renderer into ``output_dir``.

    Returns the exported HTML paths, in the notebooks' order (plus ``index.html`` beside them).
    """
    if lang not in LANGUAGES:
        raise HandoutError(f"no {lang!r} edition: the language must be one of {', '.join(LANGUAGES)}")
    notebooks = [Path(p) for p in (notebooks if notebooks else default_notebooks(lang))]
    if not notebooks:
        where = "notebooks/*.ipynb" if lang == "en" else f"notebooks/{lang}/*.ipynb (python -m course_tools.translations build)"
        raise CourseFileNotFoundError(f"no notebooks to export (none given, and no {where} found)")
    output_dir = Path(output_dir)
    for path in notebooks:  # every notebook readable before anything is written
        read_notebook(path)
    if output_dir.exists() and not output_dir.is_dir():
        raise HandoutError(f"the output {output_dir} is a file, not a folder; give a folder (-o DIR)")
    exported = editions(notebooks, self_study)
    with writing_to(output_dir):
        copy_runtime(output_dir)
    exporter = _exporter()
    pages = [export_notebook(path, output_dir, exporter, self_study, exported[path]) for path in notebooks]
    with writing_to(output_dir):
        write_index([exported[path] for path in notebooks], pages, output_dir, self_study)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.handouts",
        description="Export notebooks to self-contained HTML pages that work offline, widgets included.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to export (default: notebooks/*.ipynb)")
    parser.add_argument("-o", "--output-dir", type=Path, default=None,
                        help=f"where to write the pages (default: {DEFAULT_OUTPUT}, {DEFAULT_OUTPUT}/LANG for --lang)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="the edition whose lessons are exported by default (notebooks/LANG/ for ko and ja)")
    parser.add_argument("--self-study", action="store_true",
                        help="keep the exercises' solutions (each page says so); default: student edition")
    args = parser.parse_args(argv)
    if args.output_dir is None:
        args.output_dir = DEFAULT_OUTPUT if args.lang == "en" else DEFAULT_OUTPUT / args.lang
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WidgetStateWarning)
        try:
            pages = export_all(args.notebooks, args.output_dir, args.self_study, args.lang)
        except (FileNotFoundError, HandoutError) as error:
            parser.error(str(error))
    for warning in caught:
        if issubclass(warning.category, WidgetStateWarning):
            print(f"WARNING: {warning.message}", file=sys.stderr)
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    for page in pages:
        print(page)
    print(f"{len(pages)} page(s) and {args.output_dir / 'index.html'}, with the widget renderer in "
          f"{args.output_dir / LIB}/; open them offline, or zip {args.output_dir} to hand out.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
