"""Write the course's static pictures (SVG) into images/:  python -m course_tools.images [directory] [--lang ko]

``--lang ko`` (or ja) draws them in an edition's language into images/ko/, where ``SavedPicture`` finds
them for a lesson of that edition.

Every picture is drawn by ``drawing.draw_graph`` from a course graph and its trace, so the files
are byte-identical each time this runs; tests regenerate them and compare.
"""
import argparse
from pathlib import Path

from course_lib import paths
from course_lib.course_graphs import apple_graph, apple_orange_graph, chain_rule_graph, sigmoid_graph
from course_lib.drawing import draw_graph
from course_lib.gate_rules import GATE_KINDS, GateRule
from course_lib.i18n import using_language

EDITION_LANGUAGES = ("ko", "ja")


def _ran(graph):
    graph.run()
    return graph


def course_images():
    """{file name: SVG text} of every picture, in a fixed order."""
    images = {
        "apple_forward.svg": draw_graph(_ran(apple_graph()), step=0),
        "apple_backward.svg": draw_graph(_ran(apple_graph())),
        "apple_orange_backward.svg": draw_graph(_ran(apple_orange_graph())),
        "sigmoid_backward.svg": draw_graph(_ran(sigmoid_graph())),
        "chain_rule.svg": draw_graph(_ran(chain_rule_graph())),
    }
    for kind in GATE_KINDS:
        images[f"gate_{kind}.svg"] = GateRule(kind).svg()
    return images


def write_images(directory=None, lang=None):
    """Write every picture into ``directory`` (default: the course's images/, or images/<lang>/ for an
    edition's language ``lang``, drawn in that language); returns the paths written."""
    if lang is not None and lang != "en":
        directory = Path(directory) if directory is not None else paths.images_dir() / lang
        with using_language(lang):
            images = course_images()
    else:
        directory = Path(directory) if directory is not None else paths.images_dir()
        images = course_images()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, svg in images.items():
        path = directory / name
        path.write_bytes(svg.encode("utf-8"))
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the course's SVG pictures.")
    parser.add_argument("directory", nargs="?", default=None, help="where to write (default: images/)")
    parser.add_argument("--lang", choices=["en", *EDITION_LANGUAGES], default=None,
                        help="draw the pictures in an edition's language (default directory: images/<lang>/)")
    args = parser.parse_args(argv)
    for path in write_images(args.directory, args.lang):
        print(path)


if __name__ == "__main__":
    main()
