"""The Korean and Japanese editions, built from the English lessons and their catalogs.

    build(["ko"])   writes notebooks/ko/NN_*.ipynb for every lesson with a ko catalog, and the .mo files

An edition's notebook is the English one with each markdown unit replaced by its translation; its
code cells are the English cells, byte for byte (so nbgrader ids, points and checksums, and the
lesson's code, are the English ones).  A lesson whose catalog lacks a unit or holds a fuzzy one
(its English changed since it was translated) is refused, with the units named, rather than built
half in English.  Outputs: a code cell whose source is unchanged keeps the outputs the edition's
notebook already stored (made in that language by ``python -m course_tools.regenerate``); a new or
changed one gets the English outputs until the edition is regenerated.
"""
import nbformat

from course_lib import paths
from course_lib.errors import CourseError
from course_lib.i18n import MARKER_FILE

from .catalogs import compile_mo, lesson_units, po_path, read_catalog
from .markdown_units import join_markdown, split_markdown


class TranslationIncomplete(CourseError):
    """A lesson's catalog lacks translations of some units, or holds fuzzy (stale) ones."""


def edition_dir(lang):
    return paths.notebooks_dir() / lang


def edition_lessons(lang):
    """The English lessons that have a ``lang`` catalog (so ``lang`` has an edition of them)."""
    return [lesson for lesson in paths.lesson_paths() if po_path(lang, lesson.stem).is_file()]


def problems(lang, lesson):
    """[(kind, msgid)] of the lesson's units that ``lang``'s catalog does not translate: kind is
    "missing" (no translation) or "fuzzy" (the English changed since it was translated)."""
    return unit_problems(read_catalog(po_path(lang, lesson.stem), lang), [msgid for msgid, _c, _i in lesson_units(lesson)])


def unit_problems(catalog, msgids):
    """[(kind, msgid)] of the ``msgids`` that ``catalog`` lacks ("missing") or holds as fuzzy ("fuzzy")."""
    found = []
    for msgid in msgids:
        message = catalog.get(msgid)
        if message is None or not message.string:
            found.append(("missing", msgid))
        elif message.fuzzy:
            found.append(("fuzzy", msgid))
    return found


def describe_problems(lang, lesson, found):
    shown = "\n".join(f"  {kind}: {msgid[:100]!r}" for kind, msgid in found[:20])
    more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
    return (f"{lesson.stem} [{lang}]: {len(found)} unit(s) not translated; translate them in "
            f"{po_path(lang, lesson.stem).relative_to(paths.course_root())} (then clear the fuzzy flag):\n{shown}{more}")


def edition_notebook(lang, lesson, previous=None):
    """The ``lang`` edition of ``lesson`` (a NotebookNode); ``previous``: the edition's stored notebook, if any."""
    catalog = read_catalog(po_path(lang, lesson.stem), lang)
    notebook = nbformat.read(lesson, as_version=4)
    kept = {}
    if previous is not None:
        kept = {cell.source: cell for cell in previous.cells if cell.cell_type == "code"}
        if "widgets" in previous.metadata:
            notebook.metadata["widgets"] = previous.metadata["widgets"]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = join_markdown(split_markdown(cell.source), lambda msgid: catalog[msgid].string)
        elif cell.cell_type == "code" and cell.source in kept:
            cell.outputs = kept[cell.source].outputs
            cell.execution_count = kept[cell.source].execution_count
    notebook.metadata["language"] = lang  # not read by Jupyter; says which edition this is
    return notebook


def build(languages, log=print):
    """Build the editions of ``languages``; returns {lang: [paths written]}.  Raises
    TranslationIncomplete after building the complete lessons if any lesson was refused."""
    refused, written = [], {}
    for lang in languages:
        compile_mo(lang)
        folder = edition_dir(lang)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER_FILE).write_text(lang + "\n", encoding="utf-8")
        written[lang] = []
        for lesson in edition_lessons(lang):
            found = problems(lang, lesson)
            if found:
                refused.append(describe_problems(lang, lesson, found))
                continue
            target = folder / lesson.name
            previous = nbformat.read(target, as_version=4) if target.is_file() else None
            text = nbformat.writes(edition_notebook(lang, lesson, previous)) + "\n"
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                written[lang].append(target)
                log(f"wrote {target.relative_to(paths.course_root())}")
    if refused:
        raise TranslationIncomplete("refused (no half-English lessons):\n" + "\n".join(refused))
    return written
