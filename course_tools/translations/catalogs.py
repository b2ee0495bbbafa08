"""The gettext catalogs: templates (.pot) from the English, translations (.po) kept in step, .mo compiled.

    locale/templates/<domain>.pot        the English units of one domain, written by ``extract``
    locale/<lang>/LC_MESSAGES/<domain>.po   a translation (Poedit, Weblate, any gettext tool)
    locale/<lang>/LC_MESSAGES/<domain>.mo   compiled by ``build``: what course_lib reads at run time

Domains: one per lesson (its file name without .ipynb, e.g. ``01_computational_graphs``: the
markdown units of ``markdown_units`` and the code cells' messages of ``code_strings``) and
``course_lib`` (every ``_("...")`` and ``N_("...")`` in course_lib's modules).  The templates live
apart from the languages (``templates/``, as Sphinx and Django keep them) because they are made from
the English, never edited, and no language's folder should hold a file a translator must not touch.
"""
import ast
import datetime
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import nbformat

from course_lib import paths
from course_lib.i18n import COURSE_DOMAIN

from .code_strings import code_messages
from .markdown_units import markdown_units

EDITION_LANGUAGES = ("ko", "ja")
PROJECT = "backprop-course"
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # no churn: a .pot changes only with its text


def locale_root():
    return paths.course_root() / "locale"


def template_path(domain):
    return locale_root() / "templates" / f"{domain}.pot"


def po_path(lang, domain):
    return locale_root() / lang / "LC_MESSAGES" / f"{domain}.po"


def lesson_units(notebook_path):
    """[(msgid, comment, cell index)] of a lesson: its markdown units, then its code cells' messages, in cell order."""
    notebook = nbformat.read(notebook_path, as_version=4)
    units = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            units += [(text, f"markdown, cell {index}", index) for text in markdown_units(cell.source)]
        elif cell.cell_type == "code":
            units += [(text, f"{what}, code cell {index}", index) for text, what in code_messages(cell.source)]
    return units


def _new_catalog(domain, locale=None):
    return Catalog(locale=locale, domain=domain, project=PROJECT, version="1", creation_date=FIXED_DATE,
                   revision_date=FIXED_DATE, charset="utf-8", fuzzy=False,
                   header_comment=f"# {domain}: the {PROJECT}'s {'English' if locale is None else locale} text.\n#")


def lesson_template(notebook_path):
    """The lesson's template Catalog (msgid = English unit, location = the notebook and cell)."""
    catalog = _new_catalog(notebook_path.stem)
    where = f"notebooks/{notebook_path.name}"
    for msgid, comment, index in lesson_units(notebook_path):
        flags = ("python-brace-format",) if "{" in msgid and "code cell" in comment else ()
        if msgid in catalog:
            catalog[msgid].locations.append((where, index))
        else:
            catalog.add(msgid, locations=[(where, index)], auto_comments=[comment], flags=flags)
    return catalog


# Tools whose pages a learner reads (the handouts' index) keep their few words in course_lib's catalog.
TOOLS_WITH_MESSAGES = ("course_tools/handouts.py", "course_tools/classroom/release.py")


def course_lib_template():
    """The template of course_lib's messages: every ``_("...")`` and ``N_("...")`` in its modules (and in
    ``TOOLS_WITH_MESSAGES``)."""
    catalog = _new_catalog(COURSE_DOMAIN)
    package = paths.PACKAGE_DIR
    sources = [(path, f"course_lib/{path.relative_to(package).as_posix()}") for path in sorted(package.rglob("*.py"))]
    sources += [(package.parent / name, name) for name in TOOLS_WITH_MESSAGES]
    for path, name in sources:
        for lineno, msgid, _comments, _context in extract_from_file("python", path, keywords={"_": None, "N_": None}):
            if not msgid:
                continue
            where = (name, lineno)
            flags = ("python-brace-format",) if "{" in msgid else ()
            if msgid in catalog:
                catalog[msgid].locations.append(where)
            else:
                catalog.add(msgid, locations=[where], flags=flags)
    for path in sorted((package / "learner").rglob("*.py")):  # the layers' rules in words, kept free of _()
        for lineno, msgid in layer_formulas(path.read_text(encoding="utf-8")):
            where = (f"course_lib/{path.relative_to(package).as_posix()}", lineno)
            if msgid in catalog:
                catalog[msgid].locations.append(where)
            else:
                catalog.add(msgid, locations=[where], auto_comments=["a layer's backward rule in words, shown by LayerStepper"])
    return catalog


def layer_formulas(source):
    """[(line, text)] of every string in a class's ``formulas = (...)``: the backward rules a learner's layer
    states in words, which the LayerStepper shows (translated with ``_``) without the learner's file
    wrapping them in ``_()``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "formulas" for t in node.targets)
                and isinstance(node.value, (ast.Tuple, ast.List))):
            found += [(item.lineno, item.value) for item in node.value.elts
                      if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return found


def templates(translated_only=False):
    """{domain: template Catalog}: course_lib's and every lesson's (``translated_only``: only the lessons
    that have a translation in some language, the ones whose template is kept in locale/templates/)."""
    found = {COURSE_DOMAIN: course_lib_template()}
    for lesson in paths.lesson_paths():
        if not translated_only or any(po_path(lang, lesson.stem).is_file() for lang in EDITION_LANGUAGES):
            found[lesson.stem] = lesson_template(lesson)
    return found


def read_catalog(path, locale=None):
    with open(path, "rb") as file:
        return read_po(file, locale=locale)


def catalog_text(catalog):
    """The .po/.pot text of ``catalog`` (obsolete entries kept, previous msgids of fuzzy ones shown)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True, include_lineno=False)
    return buffer.getvalue().decode("utf-8")


def write_if_changed(path, text):
    """Write ``text`` to ``path`` unless it already holds it; True if written."""
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def updated(po, template):
    """``po`` brought in step with ``template``, as msgmerge does: a changed English unit becomes fuzzy
    (its old translation kept, the old msgid shown as ``#| msgid``), a new one untranslated, a removed
    one obsolete (``#~``)."""
    po.update(template, update_header_comment=False, update_creation_date=False)
    po.revision_date = FIXED_DATE
    return po


def extract(languages=EDITION_LANGUAGES, log=print):
    """Write the templates (course_lib's, and each translated lesson's) and update every existing
    translation; returns the paths written.  A lesson nobody translates yet has no template on disk
    (``start`` makes it), so editing an English lesson never leaves a stale file behind."""
    written = []
    for domain, template in templates(translated_only=True).items():
        if write_if_changed(template_path(domain), catalog_text(template)):
            written.append(template_path(domain))
        for lang in languages:
            path = po_path(lang, domain)
            if path.is_file():
                po = updated(read_catalog(path, lang), template)
                if write_if_changed(path, catalog_text(po)):
                    written.append(path)
    for path in written:
        log(f"wrote {path.relative_to(paths.course_root())}")
    return written


def start(lang, domain):
    """A new translation of ``domain`` into ``lang``, from its template (every unit untranslated)."""
    template = templates()[domain]
    po = _new_catalog(domain, lang)
    po.update(template, update_header_comment=False, update_creation_date=False)
    path = po_path(lang, domain)
    if path.is_file():
        raise FileExistsError(f"{path} exists: run extract to update it")
    write_if_changed(path, catalog_text(po))
    write_if_changed(template_path(domain), catalog_text(template))
    return path


def compile_mo(lang):
    """Compile every .po of ``lang`` to its .mo (fuzzy entries left out); returns the paths written."""
    written = []
    for po_file in sorted((locale_root() / lang / "LC_MESSAGES").glob("*.po")):
        catalog = read_catalog(po_file, lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo_file = po_file.with_suffix(".mo")
        if not mo_file.is_file() or mo_file.read_bytes() != buffer.getvalue():
            mo_file.write_bytes(buffer.getvalue())
            written.append(mo_file)
    return written
