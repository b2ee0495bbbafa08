"""python -m course_tools.translations {extract, start LANG DOMAIN, build [--lang LANG]}"""
import argparse
import sys

from .catalogs import EDITION_LANGUAGES, extract, start
from .editions import TranslationIncomplete, build


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_tools.translations", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write the .pot templates and update every .po")
    starting = commands.add_parser("start", help="begin translating a domain (a lesson, or course_lib)")
    starting.add_argument("lang", choices=EDITION_LANGUAGES)
    starting.add_argument("domain", help="e.g. 02_chain_rule")
    building = commands.add_parser("build", help="compile the .mo files and write notebooks/<lang>/")
    building.add_argument("--lang", choices=EDITION_LANGUAGES, action="append")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
    elif args.command == "start":
        print(f"wrote {start(args.lang, args.domain)}")
    else:
        try:
            build(args.lang or EDITION_LANGUAGES)
        except TranslationIncomplete as error:
            print(error, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
