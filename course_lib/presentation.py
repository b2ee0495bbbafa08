"""One switch for teaching at a projector: larger text and thicker lines in every picture.

    import course_lib
    course_lib.presentation_mode(True)    # from now on: graphs, steppers, plots drawn for a projector
    course_lib.presentation_mode(False)   # back to the normal size

It changes how pictures are *drawn from now on* (re-run a cell, or build the stepper again, to see
it); nothing already shown changes.  Every picture also scales down to the width of its page
(``max-width: 100%``), so larger text never makes a picture wider than a 1024 px projector.

This module only holds the switch: whatever draws (drawing, layout, stepping, plots) asks
``current_style()`` when it draws.  It imports nothing from them.
"""
from dataclasses import dataclass

from .errors import CourseTypeError


@dataclass(frozen=True)
class Style:
    """How big pictures are drawn.

    font_scale   multiplies every font size in SVG pictures and plots
    line_scale   multiplies every line width
    text_px      the size (px) of the steppers' explanations
    """

    name: str
    font_scale: float
    line_scale: float
    text_px: int


NORMAL = Style("normal", 1.0, 1.0, 18)
PRESENTATION = Style("presentation", 1.3, 1.6, 24)

_current = [NORMAL]


def current_style():
    """The Style pictures are drawn with now (NORMAL unless presentation mode is on)."""
    return _current[0]


def presentation_mode(on=True):
    """Switch presentation mode on (``True``) or off (``False``) for the whole course; returns the Style."""
    if not isinstance(on, bool):
        raise CourseTypeError(f"presentation_mode(on): on must be True or False, got {on!r}")
    _current[0] = PRESENTATION if on else NORMAL
    return _current[0]

