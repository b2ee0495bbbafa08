"""A markdown cell cut into translation units, and put back together from their translations.

    units = split_markdown(source)     # [Segment(prefix, text, translatable), ...] in order
    join_markdown(units, translate)    # the cell again, each translatable unit's text replaced

A unit is what a translator handles at once: a paragraph, a heading, one list item, one table row,
one line of HTML that holds text (a hint's ``<details><summary>…</summary>``).  A paragraph's or a
list item's lines are joined by spaces in its msgid, so re-wrapping the English does not make its
translation stale.  Display maths (``$$…$$`` on its own lines), fenced code blocks (```` ``` ```` to
```` ``` ````, blank lines and indentation included), table rules (``|---|``) and lines of bare tags
(``</details>``) are kept as they are.  Inline maths, code spans and HTML tags stay inside
the unit's text; ``protected_parts`` lists them, so a test can check a translation keeps each one.
"""
import re
from dataclasses import dataclass

LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
BARE_TAGS = re.compile(r"^\s*(?:</?[A-Za-z][^>]*>\s*)+$")
FENCE = re.compile(r"^\s*(```|~~~)")
PROTECTED = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$|`[^`\n]+`|</?[A-Za-z][^>]*>", re.S)


@dataclass
class Segment:
    """One line group of a cell: ``prefix`` (a list marker, '## ', indentation) + ``text``.

    translatable: False for what is kept as written (display maths, rules, bare tags).
    kind: "paragraph", "item", "heading", "row", "html" or "verbatim" (for the translator's comment).
    """

    prefix: str
    text: str
    translatable: bool
    kind: str


def protected_parts(text):
    """The maths ($…$), code spans (`…`) and HTML tags in ``text``, sorted: what a translation must keep."""
    return sorted(PROTECTED.findall(text))


def has_words(text):
    """True when ``text`` holds letters outside its maths, code spans and tags (so it needs translating)."""
    return re.search(r"[^\W\d_]", PROTECTED.sub(" ", text)) is not None


def _blocks(source):
    """The cell's blocks (separated by blank lines, except inside a fenced code block), as lists of lines."""
    blocks, current, fence = [], [], None
    for line in source.split("\n"):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        if line.strip() or (fence is not None and current):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _segments(lines):
    """The segments of one block."""
    segments, in_maths, fence = [], False, None
    for line in lines:
        stripped = line.strip()
        if fence is not None or FENCE.match(line):  # a fenced code block, kept as written
            if fence is None:
                fence = FENCE.match(line).group(1)
            elif stripped.startswith(fence):
                fence = None
            segments.append(Segment("", line, False, "verbatim"))
            continue
        if in_maths or stripped.startswith("$$"):  # display maths, kept as written
            closes = stripped.endswith("$$") and (in_maths or len(stripped) > 3)
            in_maths = not closes
            segments.append(Segment("", line, False, "verbatim"))
            continue
        if TABLE_RULE.match(line) or BARE_TAGS.match(line):
            segments.append(Segment("", line, False, "verbatim"))
            continue
        heading, item = HEADING.match(line), LIST_ITEM.match(line)
        if heading:
            segments.append(Segment(heading.group(1), heading.group(2), True, "heading"))
        elif item:
            segments.append(Segment(item.group(1), item.group(2), True, "item"))
        elif TABLE_ROW.match(line):
            segments.append(Segment("", line, True, "row"))
        elif stripped.startswith("<"):
            segments.append(Segment("", line, True, "html"))
        elif segments and segments[-1].kind in ("paragraph", "item") and segments[-1].translatable:
            segments[-1].text += " " + stripped  # a continuation line
        else:
            segments.append(Segment("", line, True, "paragraph"))
    for segment in segments:
        if segment.translatable and not has_words(segment.text):
            segment.translatable, segment.kind = False, "verbatim"
    return segments


def split_markdown(source):
    """The cell's blocks, each a list of ``Segment``: [[Segment, ...], ...]."""
    return [_segments(lines) for lines in _blocks(source)]


def markdown_units(source):
    """The msgids of the cell's translatable units, in order (duplicates kept)."""
    return [segment.text for block in split_markdown(source) for segment in block if segment.translatable]


def join_markdown(blocks, translate):
    """The cell rebuilt from ``split_markdown``'s blocks; ``translate(msgid)`` gives each unit's text.

    A translation may hold line breaks (a translator's own wrapping); a list item's continuation
    lines are indented under its marker.
    """
    out = []
    for block in blocks:
        lines = []
        for segment in block:
            if not segment.translatable:
                lines.append(segment.text)
                continue
            text = translate(segment.text)
            indent = "\n" + " " * len(segment.prefix) if segment.kind == "item" else "\n"
            lines.append(segment.prefix + indent.join(part.strip() if i else part for i, part in enumerate(text.split("\n"))))
        out.append("\n".join(lines))
    return "\n\n".join(out)
