"""The Korean and Japanese editions: gettext catalogs made from the English lessons, and the editions built from them.

    python -m course_tools.translations extract              .pot templates + every .po updated (msgmerge-like)
    python -m course_tools.translations start ko 02_chain_rule   a new, empty translation of a lesson
    python -m course_tools.translations build [--lang ko]    .mo files + notebooks/ko/ and notebooks/ja/

See ``catalogs`` (the files and the domains), ``markdown_units`` (what a unit is), ``code_strings``
(the code cells' sentences) and ``editions`` (building, refusing incomplete lessons).
"""
