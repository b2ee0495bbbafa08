"""The Korean and Japanese editions: gettext catalogs made from the English lessons, and the editions built from them.

    python -m course_tools.translations extract              .pot templates + every .po updated (msgmerge-like)
    python -m course_tools.translations start ko 02_chain_rule   a new, empty translation of a lesson
    python -m course_tools.translations build [--lang ko]    .mo files + notebooks/ko/ and notebooks/ja/

Adding a lesson to an edition (a translator):

1. ``python -m course_tools.translations extract`` (the templates follow the English lessons);
2. ``python -m course_tools.translations start ko 02_chain_rule`` writes
   ``locale/ko/LC_MESSAGES/02_chain_rule.po``, every unit untranslated;
3. translate it in Poedit, Weblate or an editor, with the terms of ``docs/glossary_ko.md``; keep every
   ``$maths$``, ```code```, HTML tag and ``{placeholder}`` as written; the course_lib messages the lesson
   shows (a checker, a stepper) are in ``course_lib.po``: wrap any that are still English with ``_()``
   in course_lib (then extract again) and translate them there;
4. ``python -m course_tools.translations build --lang ko`` (refuses, naming the units, while any is
   missing or fuzzy), ``python -m course_tools.images --lang ko`` if the lesson shows saved pictures,
   then ``python -m course_tools.regenerate notebooks/ko/02_chain_rule.ipynb`` (the outputs in Korean);
5. ``python -m pytest tests/test_translations.py notebooks/ko/02_chain_rule.ipynb``, and commit the .po,
   the .mo, the notebook and any pictures.

When the English changes, ``extract`` marks the changed units fuzzy (their old translation and old
msgid kept for the translator), and tests/test_translations.py fails until they are translated again.

See ``catalogs`` (the files and the domains), ``markdown_units`` (what a unit is), ``code_strings``
(the code cells' sentences) and ``editions`` (building, refusing incomplete lessons).
"""
