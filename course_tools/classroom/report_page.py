"""The class report's HTML: one self-contained page (its style inline, no script, no outside request).

Small builders: ``page`` (the document, lang="en"), ``section``, ``table`` (a real table with a caption and
column headers), ``figure`` (an inline SVG picture with the table of its numbers after it).  Every text
given is escaped here; SVG given to ``figure`` is inserted as it is.
"""
from html import escape

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
       line-height: 1.45; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #1f5fa8; } h3 { margin-top: 1.8rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1.2rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 0.4rem; }
code { background: #f2f2f2; padding: 0 0.2rem; }
.note { color: #3d3d3d; }
"""


def page(title, body):
    """The whole HTML document."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n")


def heading(level, text, anchor=None):
    id_attribute = f' id="{escape(anchor)}"' if anchor else ""
    return f"<h{level}{id_attribute}>{escape(text)}</h{level}>\n"


def paragraph(text, note=False):
    css = ' class="note"' if note else ""
    return f"<p{css}>{escape(text)}</p>\n"


def section(anchor, title, *parts):
    """A <section> labelled by its <h2>."""
    return (f'<section aria-labelledby="{escape(anchor)}">\n' + heading(2, title, anchor) + "".join(parts)
            + "</section>\n")


def table(caption, headers, rows, numeric=()):
    """A table: ``headers`` (column names), ``rows`` (lists of cells); columns listed in ``numeric`` align right."""
    head = "".join(f'<th scope="col">{escape(str(name))}</th>' for name in headers)
    lines = []
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            css = ' class="number"' if index in numeric else ""
            cells.append(f"<td{css}>{escape(str(value))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(lines) + "\n</tbody>\n</table>\n")


def figure(svg):
    """An inline picture (its <title> and <desc> are its text alternative)."""
    return f"<figure>\n{svg}\n</figure>\n"
