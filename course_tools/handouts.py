"""Handouts: every lesson as one HTML page that works offline, widgets included.

    python -m course_tools.handouts                       # every notebook in notebooks/ -> build/html/
    python -m course_tools.handouts -o DIR NOTEBOOK ...   # some notebooks, somewhere else

The notebooks are exported as they are committed, never executed: they already hold their outputs
and the widgets' state (``metadata.widgets``), which the page embeds (a notebook that shows widgets
without their state gets a warning).  The widget renderer (``@jupyter-widgets/html-manager``'s
``embed-amd.js``, with ``require.js`` and the icon fonts it loads) and MathJax are copied from
``course_tools/static/`` into ``DIR/lib/``, and the pages load them from there instead of from CDNs.
So in a page opened from disk, with no kernel and no network, the maths is typeset and a stepper's
slider still moves through the precomputed frames of the backward pass.

``DIR`` also gets an ``index.html`` linking every lesson.  Zip ``DIR`` to hand it out.
"""
import argparse
import html
import shutil
import sys
import warnings
from pathlib import Path

import nbformat

from course_lib import paths

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

# The renderer's modules are named "@jupyter-widgets/..." and it asks for its icon fonts next to
# where RequireJS thinks those modules live: by default beside the page, where nothing is.  Map those
# names to lib/ so the fonts (the Play widget's icons) are found there.
REQUIRE_CONFIG = (
    '<script>require.config({paths: {"@jupyter-widgets": "lib", '
    '"@jupyter-widgets/html-manager/dist": "lib"}});</script>'
)
# nbconvert's page configures MathJax 2; this is the same configuration for MathJax 3.
MATHJAX_CONFIG = (
    "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true, processEnvironments: true}, "
    "svg: {fontCache: 'global'}};</script>"
)


class WidgetStateWarning(UserWarning):
    """A notebook shows widgets but does not hold (all of) their state: they will not render."""


def default_notebooks():
    """The lessons, in order (``notebooks/NN_*.ipynb`` of the course; [] if there is no course folder)."""
    try:
        return paths.lesson_paths()
    except FileNotFoundError:
        return []


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
            raise RuntimeError(f"nbconvert's page changed: expected {tag!r} once; update course_tools/handouts.py")
    page = page.replace(require_tag, require_tag + REQUIRE_CONFIG)
    return page.replace(mathjax_tag, MATHJAX_CONFIG + mathjax_tag)


def export_notebook(path, output_dir=DEFAULT_OUTPUT, exporter=None):
    """Export one notebook (not executed) to ``output_dir/<name>.html``; returns that path.

    Warns (``WidgetStateWarning``) when its widgets' state is missing: run the notebook again and
    save it with its widget state (``python -m course_tools.regenerate``).
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    for problem in widget_problems(notebook):
        warnings.warn(
            f"{path.name}: {problem}; its widgets will show 'Error displaying widget' in the handout. "
            "Regenerate it with its widget state (python -m course_tools.regenerate).",
            WidgetStateWarning, stacklevel=2,
        )
    notebook.metadata.setdefault("title", lesson_title(notebook, path.stem))  # the browser tab's title
    exporter = exporter or _exporter()
    page, _resources = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
    target = Path(output_dir) / f"{path.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_use_local_scripts(page), encoding="utf-8")
    return target


def lesson_title(notebook, default):
    """The first level-1 Markdown heading of ``notebook`` (a NotebookNode), else ``default``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def write_index(notebooks, pages, output_dir):
    """A plain ``index.html`` linking every exported lesson, in order."""
    items = "\n".join(
        f'  <li><a href="{html.escape(page.name)}">'
        f'{html.escape(lesson_title(nbformat.read(notebook, as_version=4), page.stem))}</a></li>'
        for notebook, page in zip(notebooks, pages)
    )
    index = Path(output_dir) / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>Backpropagation, one gate at a time</title></head>\n"
        "<body style=\"font-family:sans-serif;max-width:50em;margin:2em auto\">\n"
        "<h1>Backpropagation, one gate at a time</h1>\n"
        "<p>The lessons with their outputs. The steppers' sliders and ▶ work in these pages, offline; "
        "editing inputs and the buttons need the notebooks in Jupyter.</p>\n"
        f"<ul style=\"list-style:none;line-height:1.8\">\n{items}\n</ul>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return index


def export_all(notebooks=None, output_dir=DEFAULT_OUTPUT):
    """Export ``notebooks`` (default: every lesson) and the renderer into ``output_dir``.

    Returns the exported HTML paths, in the notebooks' order (plus ``index.html`` beside them).
    """
    notebooks = [Path(p) for p in (notebooks if notebooks else default_notebooks())]
    if not notebooks:
        raise FileNotFoundError("no notebooks to export (none given, and no notebooks/*.ipynb found)")
    output_dir = Path(output_dir)
    copy_runtime(output_dir)
    exporter = _exporter()
    pages = [export_notebook(path, output_dir, exporter) for path in notebooks]
    write_index(notebooks, pages, output_dir)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.handouts",
        description="Export notebooks to self-contained HTML pages that work offline, widgets included.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to export (default: notebooks/*.ipynb)")
    parser.add_argument("-o", "--output-dir", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the pages (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WidgetStateWarning)
        try:
            pages = export_all(args.notebooks, args.output_dir)
        except FileNotFoundError as error:
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
