"""The language course_lib speaks to a learner: English, or the edition's (Korean, Japanese).

    from course_lib.i18n import _, translate, language, set_language
    _("Step 0: the forward pass")            # course_lib's own message, in the current language
    translate("all three double")            # a lesson's English text (a quiz option), looked up in
                                             # the lesson catalogs; unknown text comes back unchanged
    set_language("ja")                       # a learner's own choice, for the rest of the session

Which language (the first rule that answers):

1. ``set_language(lang)``, called in the session;
2. the environment variable COURSE_LANGUAGE (``ko``, ``ja`` or ``en``);
3. the edition's marker file: a file ``course_language.txt`` holding the language code, in the
   kernel's working directory (``notebooks/ko/`` and ``notebooks/ja/`` ship one, so a kernel
   started there speaks Korean or Japanese, and no code cell differs from the English);
4. English.

The catalogs are gettext ``.mo`` files compiled from the ``.po`` files in the course's ``locale/``
(``python -m course_tools.translations build``): ``locale/<lang>/LC_MESSAGES/course_lib.mo`` for
course_lib's messages and one ``<lesson>.mo`` per lesson (its markdown, quiz options and hints, test
messages).  English needs no catalog: every msgid is the English text, so English output is the text
as written.  A message with placeholders is written ``_("upstream gradient = {value}").format(...)``,
so a translation may put the numbers where its grammar wants them; numbers are formatted by
``fmt`` before they are put in, as in English.

In a non-English edition, importing course_lib also translates what the lesson's own code prints
and asserts (``console``): a printed line or an assertion message that is a msgid of a lesson
catalog (placeholders match any text) is shown in the edition's language.
"""
import contextlib
import gettext
import os
import re
import unicodedata
from pathlib import Path

from .errors import CourseValueError
from .paths import course_root

LANGUAGES = ("en", "ko", "ja")
ENV_VAR = "COURSE_LANGUAGE"
MARKER_FILE = "course_language.txt"
COURSE_DOMAIN = "course_lib"

_chosen = None  # set_language's choice
_catalogs = {}  # lang -> (course_lib GNUTranslations or None, [lesson GNUTranslations])


def set_language(lang):
    """Make course_lib speak ``lang`` ("en", "ko" or "ja") from now on; returns the language."""
    global _chosen
    _chosen = _checked(lang, "set_language")
    if _chosen != "en":
        from .console import install
        install()
    return _chosen


@contextlib.contextmanager
def using_language(lang):
    """``with using_language("ko"):`` course_lib speaks ``lang`` inside the block (for tools and tests)."""
    global _chosen
    before, _chosen = _chosen, _checked(lang, "using_language")
    try:
        yield lang
    finally:
        _chosen = before


def language():
    """The current language code: set_language's choice, COURSE_LANGUAGE, the edition's marker file, or "en"."""
    if _chosen is not None:
        return _chosen
    if os.environ.get(ENV_VAR):
        return _checked(os.environ[ENV_VAR].strip(), ENV_VAR)
    marker = Path.cwd() / MARKER_FILE
    if marker.is_file():
        return _checked(marker.read_text(encoding="utf-8").strip(), str(marker))
    return "en"


def _checked(lang, who):
    if lang not in LANGUAGES:
        raise CourseValueError(f"{who}: the language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def locale_dir():
    """The ``locale/`` folder the catalogs are read from (a Path), or None: a released lesson's own (a
    ``locale/`` beside its ``course_language.txt`` in the working directory, written by
    ``course_tools.classroom release --lang``), else the course's."""
    here = Path.cwd()
    if (here / MARKER_FILE).is_file() and (here / "locale").is_dir():
        return here / "locale"
    root = course_root()
    return None if root is None else root / "locale"


def _load(lang):
    """(course_lib catalog, [lesson catalogs]) for ``lang``, read once from the compiled ``.mo`` files."""
    if lang not in _catalogs:
        folder = locale_dir()
        messages = folder / lang / "LC_MESSAGES" if folder is not None else None
        course, lessons = None, []
        if messages is not None and messages.is_dir():
            for path in sorted(messages.glob("*.mo")):
                with open(path, "rb") as file:
                    catalog = gettext.GNUTranslations(file)
                if path.stem == COURSE_DOMAIN:
                    course = catalog
                else:
                    lessons.append(catalog)
        _catalogs[lang] = (course, lessons)
    return _catalogs[lang]


def _lookup(catalogs, text):
    for catalog in catalogs:
        if catalog is not None and text in catalog._catalog:
            return catalog._catalog[text]
    return None


def N_(message):
    """Mark ``message`` for the course_lib catalog without translating it now (a constant, translated where shown)."""
    return message


def _(message):
    """``message`` (course_lib's English text, the msgid) in the current language."""
    lang = language()
    if lang == "en":
        return message
    course, lessons = _load(lang)
    found = _lookup([course, *lessons], message)
    return message if found is None else found


def in_every_language(message):
    """[``message``, its translations]: a course_lib msgid and what it is in each edition's language that
    translates it (for a tool that reads course_lib's messages back, such as the class report)."""
    texts = [message]
    for lang in LANGUAGES[1:]:
        found = _lookup([_load(lang)[0]], message)
        if found and found not in texts:
            texts.append(found)
    return texts


def translate(text):
    """A lesson's English ``text`` (a quiz option or hint, a label) in the current language.

    Looked up in the lesson catalogs, then in course_lib's; text that no catalog holds (a learner's
    own label, a name) comes back unchanged.
    """
    if not isinstance(text, str) or not text or language() == "en":
        return text
    course, lessons = _load(language())
    found = _lookup([*lessons, course], text)
    return text if found is None else found


PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _pattern(msgid):
    """A regex matching the texts ``msgid`` can become: each ``{name}`` matches any text."""
    parts, names, last = [], set(), 0
    for match in PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[last:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in names else f"(?P<{name}>.*?)")
        names.add(name)
        last = match.end()
    parts.append(re.escape(msgid[last:]))
    return re.compile("".join(parts) + r"\Z", re.S)


_patterns = {}  # lang -> [(regex, msgstr)] of the lesson msgids with placeholders


def translate_output(text, composites=True):
    """A line a lesson's code printed, or an assertion's message, in the current language.

    Exact msgids first; then msgids with ``{placeholders}``, whose values are carried over as printed (or
    translated, when a value is itself a lesson msgid; never a placeholder glued to a symbol, ``∂{name}``).
    When several msgids match, the most specific one whose placeholders hold no untranslated sentence wins: for
    ``f"{said}: the wrong sign"``, with ``said`` itself a message ending in a number (``f"... dy = {dy}"``), that
    is the composite, not ``said``'s msgid with ``dy`` swallowing ": the wrong sign".  ``composites=False`` (for a
    placeholder's own text) skips msgids that begin with a placeholder.  Text that no lesson catalog holds comes
    back unchanged.
    """
    if not text or language() == "en":
        return text
    exact = translate(text)
    if exact != text:
        return exact
    lang = language()
    if lang not in _patterns:
        _course, lessons = _load(lang)
        pairs = [pair for catalog in lessons for pair in _line_pairs(catalog._catalog)]
        # the most specific msgid first: lesson 1's "✔ right: {value1}" must not catch lesson 2's
        # "✔ right: ∂w/∂x = {dx} and ∂w/∂y = {dy} at x = {x}, y = {y}"
        pairs.sort(key=lambda pair: -len(PLACEHOLDER.sub("", pair[0])))
        _patterns[lang] = [(_pattern(msgid), msgstr, msgid.startswith("{"), _glued(msgid)) for msgid, msgstr in pairs]
    lessons = _load(lang)[1]
    first = None
    for regex, msgstr, composite, glued in _patterns[lang]:
        if composite and not composites:
            continue
        match = regex.match(text)
        if match:
            values = match.groupdict()
            shown = {name: value if name in glued else _value(lessons, value) for name, value in values.items()}
            line = PLACEHOLDER.sub(lambda m: shown.get(m.group(1), m.group(0)), msgstr)
            if not any(shown[name] == value and value and is_sentence_like(value) and _has_words(value)
                       for name, value in values.items()):
                return line
            first = line if first is None else first
    return text if first is None else first


def _glued(msgid):
    """The placeholders of ``msgid`` written right after a symbol (``∂price/∂{name}``, ``x={x}``, ``W_{name}``): part
    of a formula, their text is a name or a number and stays as printed, even where a label has its spelling
    (lesson 2's ``apple``).  After a letter (``failed{reason}``) or a space, a placeholder's text may be a phrase."""
    return {match.group(1) for match in PLACEHOLDER.finditer(msgid)
            if match.start() and (msgid[match.start() - 1] in "/_"
                                  or unicodedata.category(msgid[match.start() - 1]) in ("Sm", "Sk", "So"))}


def _has_words(text):
    """True when ``text`` holds a run of two words outside code (``apple_price`` alone is a name, not a sentence)."""
    return re.search(r"(?<![\w.])[^\W\d_]{2,}\s+[^\W\d_]{2,}(?![\w(])", text) is not None


def _line_pairs(catalog):
    """(msgid, msgstr) of a catalog's msgids with placeholders, and, for a msgid of several lines
    (``print("dx:\\n", dx)``), each of its lines with the same line of its msgstr: the console translates what is
    printed one line at a time."""
    for msgid, msgstr in catalog.items():
        if not (isinstance(msgid, str) and msgid and msgstr):
            continue
        if PLACEHOLDER.search(msgid):
            yield msgid, msgstr
        ids, strs = msgid.split("\n"), msgstr.split("\n")
        if len(ids) > 1 and len(ids) == len(strs):
            yield from ((line_id, line_str) for line_id, line_str in zip(ids, strs) if is_sentence_like(line_id))


_WORD = re.compile(r"^[^\W\d_]{3,}$")
_PUNCTUATION = ".,:;!?()'\"✔✘"


def is_sentence_like(text):
    """True when ``text`` holds a word outside its {placeholders}: a token of three letters or more once its
    punctuation is stripped (``"wrong sign:"`` has one; ``"∂z/∂{name}"``, ``"dx_c"`` and ``"W1"`` have none).
    What the catalogs extract from lesson code, and what is worth looking up at run time."""
    return any(_WORD.match(token.strip(_PUNCTUATION)) for token in PLACEHOLDER.sub(" ", text).split())


_PADDED = re.compile(r"([\s:;,]*)(.*?)(\s*)\Z", re.S)


def _value(lessons, text):
    """A placeholder's text in a translated line: its translation if it is a lesson msgid (the ``why`` of
    ``f"... is wrong: {why}"``, set to a sentence a few lines before), also when it comes with a leading
    ": " or space of its own (``f": {reason}"``) or holds numbers of its own (``f" (at x = {x}, ...)"``, matched
    as any printed line is); else itself."""
    if not text:
        return text
    found = _lookup(lessons, text)
    if found is not None:
        return found
    lead, core, tail = _PADDED.match(text).groups()
    if core != text:
        found = _lookup(lessons, core)
        if found is not None:
            return lead + found + tail
    if core and is_sentence_like(core):
        for before, part, after in (("", text, ""), (lead, core, tail)):
            translated = translate_output(part, composites=False)  # shorter than its line: this ends
            if translated != part:
                return before + translated + after
    return text


def forget_catalogs():
    """Drop the loaded catalogs (after ``translations build`` wrote new ones, or in tests)."""
    _catalogs.clear()
    _patterns.clear()
