"""A markdown cell cut into translation units, and put back together from their translations.

    units = split_markdown(source)     # [Segment(prefix, text, translatable), ...] in order
    join_markdown(units, translate)    # the cell again, each translatable unit's text replaced

A unit is what a translator handles at once: a paragraph, a heading, one list item, one table row,
one line of HTML that holds text (a hint's ``<details><summary>…</summary>``).  A paragraph's or a
list item's lines are joined by spaces in its msgid, so re-wrapping the English does not make its
translation stale.  Display maths (``$$…$$`` on its own lines), table rules (``|---|``) and lines of
bare tags (``</details>``) are kept as they are.  Inline maths, code spans and HTML tags stay inside
the unit's text; ``protected_parts`` lists them, so a test can check a translation keeps each one.
A fenced code block (three backticks) is cut the same way, so its msgids are those of paragraphs, but
it is put back line for line: its own lines where a unit has no words or is left as the English, the
translator's lines and indentation where a unit is translated (its comments).
"""
import re
from dataclasses import dataclass

LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
BARE_TAGS = re.compile(r"^\s*(?:</?[A-Za-z][^>]*>\s*)+$")
PROTECTED = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$|`[^`\n]+`|</?[A-Za-z][^>]*>", re.S)


@dataclass
class Segment:
    """One line group of a cell: ``prefix`` (a list marker, '## ', indentation) + ``text``.

    translatable: False for what is kept as written (display maths, rules, bare tags).
    kind: "paragraph", "item", "heading", "row", "html" or "verbatim" (for the translator's comment).
    lines: the cell's own lines of the segment; code: True inside a fenced code block (put back line
    for line, its translation's indentation kept).
    """

    prefix: str
    text: str
    translatable: bool
    kind: str
    lines: list = None
    code: bool = False


def protected_parts(text):
    """The maths ($…$), code spans (`…`) and HTML tags in ``text``, sorted: what a translation must keep."""
    return sorted(PROTECTED.findall(text))


def has_words(text):
    """True when ``text`` holds letters outside its maths, code spans and tags (so it needs translating)."""
    return re.search(r"[^\W\d_]", PROTECTED.sub(" ", text)) is not None


def _blocks(source):
    """The cell's blocks (separated by blank lines), as lists of lines."""
    blocks, current = [], []
    for line in source.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _segments(lines):
    """The segments of one block."""
    segments, in_maths = [], False
    for line in lines:
        stripped = line.strip()
        if in_maths or stripped.startswith("$$"):  # display maths, kept as written
            closes = stripped.endswith("$$") and (in_maths or len(stripped) > 3)
            in_maths = not closes
            segments.append(Segment("", line, False, "verbatim", [line]))
            continue
        if TABLE_RULE.match(line) or BARE_TAGS.match(line):
            segments.append(Segment("", line, False, "verbatim", [line]))
            continue
        heading, item = HEADING.match(line), LIST_ITEM.match(line)
        if heading:
            segments.append(Segment(heading.group(1), heading.group(2), True, "heading", [line]))
        elif item:
            segments.append(Segment(item.group(1), item.group(2), True, "item", [line]))
        elif TABLE_ROW.match(line):
            segments.append(Segment("", line, True, "row", [line]))
        elif stripped.startswith("<"):
            segments.append(Segment("", line, True, "html", [line]))
        elif segments and segments[-1].kind in ("paragraph", "item") and segments[-1].translatable:
            segments[-1].text += " " + stripped  # a continuation line
            segments[-1].lines.append(line)
        else:
            segments.append(Segment("", line, True, "paragraph", [line]))
    for segment in segments:
        if segment.translatable and not has_words(segment.text):
            segment.translatable, segment.kind = False, "verbatim"
    return segments


def split_markdown(source):
    """The cell's blocks, each a list of ``Segment``: [[Segment, ...], ...]."""
    blocks, in_code = [_segments(lines) for lines in _blocks(source)], False
    for block in blocks:  # a fence's blank lines cut it into blocks: its state runs on across them
        for segment in block:
            fences = sum(line.strip().startswith("```") for line in segment.lines)
            segment.code = in_code or fences > 0
            in_code = in_code != (fences % 2 == 1)
    return blocks


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
                lines.append("\n".join(segment.lines) if segment.code else segment.text)
                continue
            text = translate(segment.text)
            if segment.code:  # the translator's lines as written, or the block's own
                lines.append("\n".join(segment.lines) if text == segment.text else text)
                continue
            indent = "\n" + " " * len(segment.prefix) if segment.kind == "item" else "\n"
            lines.append(segment.prefix + indent.join(part.strip() if i else part for i, part in enumerate(text.split("\n"))))
        out.append("\n".join(lines))
    return "\n\n".join(out)
