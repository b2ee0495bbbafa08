"""The Korean and Japanese editions: catalogs complete and in step with the English, editions built from them.

A changed English sentence fails here (``test_every_built_lesson_is_translated_and_current``) until its
translation is updated: ``python -m course_tools.translations extract`` marks it fuzzy, a translator
fixes it, ``python -m course_tools.translations build`` and ``python -m course_tools.regenerate
notebooks/ko/...`` rebuild the edition.
"""
import gettext
import io
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from babel.messages.mofile import write_mo

from course_lib import i18n, paths
from course_lib.drawing import SavedPicture
from course_lib.i18n import PLACEHOLDER
from course_tools.images import course_images
from course_tools.translations import catalogs, editions
from course_tools.translations.catalogs import (
    EDITION_LANGUAGES, catalog_text, lesson_template, po_path, read_catalog, template_path, templates, updated,
)
from course_tools.translations.editions import TranslationIncomplete, edition_lessons, unit_problems
from course_tools.translations.markdown_units import join_markdown, markdown_units, protected_parts, split_markdown

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_1 = NOTEBOOKS / "01_computational_graphs.ipynb"


def built(lang):
    return sorted((NOTEBOOKS / lang).glob("[0-9][0-9]_*.ipynb"))


def translated_entries(lang):
    """(domain, Message) of every translated entry of ``lang``'s catalogs."""
    for po_file in sorted((ROOT / "locale" / lang / "LC_MESSAGES").glob("*.po")):
        for message in read_catalog(po_file, lang):
            if message.id and message.string:
                yield po_file.stem, message


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_each_edition_has_lesson_1_and_only_lessons_with_a_catalog(lang):
    names = [path.name for path in built(lang)]
    assert LESSON_1.name in names
    assert names == [lesson.name for lesson in edition_lessons(lang)], (
        f"notebooks/{lang}/ holds {names}; lessons with a {lang} catalog are "
        f"{[lesson.name for lesson in edition_lessons(lang)]}: run python -m course_tools.translations build")
    assert (NOTEBOOKS / lang / i18n.MARKER_FILE).read_text(encoding="utf-8").strip() == lang


def test_the_templates_are_what_extract_writes():
    kept = sorted(path.stem for path in (ROOT / "locale" / "templates").glob("*.pot"))
    assert kept == sorted(templates(translated_only=True)), "run python -m course_tools.translations extract"
    for domain, template in templates(translated_only=True).items():
        assert template_path(domain).read_text(encoding="utf-8") == catalog_text(template), (
            f"locale/templates/{domain}.pot is stale: run python -m course_tools.translations extract")


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_every_built_lesson_is_translated_and_current(lang):
    """Missing or fuzzy (the English changed) units fail, named with their lesson and language."""
    stale = []
    for path in built(lang):
        lesson = NOTEBOOKS / path.name
        stale += [f"{lesson.stem} [{lang}] {kind}: {msgid[:90]!r}" for kind, msgid in editions.problems(lang, lesson)]
    course = read_catalog(po_path(lang, "course_lib"), lang)
    template = templates()["course_lib"]
    stale += [f"course_lib [{lang}] {kind}: {msgid[:90]!r}"
              for kind, msgid in unit_problems(course, [m.id for m in template if m.id])]
    assert not stale, "translate these units (then run extract and build):\n" + "\n".join(stale)


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_the_catalogs_are_in_step_with_their_templates(lang):
    """Each .po holds exactly its template's msgids (extract has been run since the English changed)."""
    for po_file in sorted((ROOT / "locale" / lang / "LC_MESSAGES").glob("*.po")):
        ids = {m.id for m in read_catalog(po_file, lang) if m.id}
        wanted = {m.id for m in read_catalog(template_path(po_file.stem)) if m.id}
        assert ids == wanted, f"{po_file.name} [{lang}]: run python -m course_tools.translations extract"


def test_a_changed_english_unit_becomes_fuzzy_and_fails(tmp_path):
    """msgmerge semantics: changed -> fuzzy (old translation kept), new -> untranslated, removed -> obsolete."""
    notebook = nbformat.read(LESSON_1, as_version=4)
    old_heading = "Nodes and edges"
    cell = next(c for c in notebook.cells if c.cell_type == "markdown" and old_heading in c.source)
    cell.source = cell.source.replace("## Nodes and edges", "## Nodes and their edges")
    cell.source += "\n\nA brand-new paragraph about graphs."
    removed = "In the apple graph each gradient is a product of values on the graph"
    changed_lesson = tmp_path / LESSON_1.name
    summary = notebook.cells[-1]
    summary.source = summary.source[:summary.source.index("- " + removed)].rstrip()
    nbformat.write(notebook, changed_lesson)
    po = updated(read_catalog(po_path("ko", LESSON_1.stem), "ko"), lesson_template(changed_lesson))
    assert po["Nodes and their edges"].fuzzy and po["Nodes and their edges"].string == "노드와 에지"
    assert not po["A brand-new paragraph about graphs."].string
    assert any(removed in key for key in po.obsolete)
    found = unit_problems(po, [m for m in markdown_units(cell.source)])
    assert ("fuzzy", "Nodes and their edges") in found and ("missing", "A brand-new paragraph about graphs.") in found


def test_build_refuses_an_incomplete_lesson_naming_its_units(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "data" / "mnist").mkdir(parents=True)
    (course / paths.MARKER).write_text("", encoding="utf-8")
    (course / "notebooks").mkdir()
    shutil.copy(LESSON_1, course / "notebooks" / LESSON_1.name)
    shutil.copytree(ROOT / "locale", course / "locale")
    po_file = course / "locale" / "ko" / "LC_MESSAGES" / f"{LESSON_1.stem}.po"
    po = read_catalog(po_file, "ko")
    po["Forward propagation"].string = ""
    po["Summary"].flags.add("fuzzy")
    po_file.write_text(catalog_text(po), encoding="utf-8")
    monkeypatch.setenv(paths.ENV_VAR, str(course))
    with pytest.raises(TranslationIncomplete) as refused:
        editions.build(["ko"], log=lambda _line: None)
    message = str(refused.value)
    assert "01_computational_graphs [ko]" in message
    assert "missing: 'Forward propagation'" in message and "fuzzy: 'Summary'" in message
    assert not (course / "notebooks" / "ko" / LESSON_1.name).exists()  # not built half in English


# A code span's bracketed words (`g.add_node(name, gate, [names of its inputs])`: no quotes, commas, digits
# or operators, so a description of what goes there, not code) are prose a learner reads: translated.
DESCRIPTION = re.compile(r"\[[^\[\]\"'`(),.=:;+*/0-9-]+\]")


def kept_parts(text):
    """``protected_parts(text)`` with each code span's bracketed description written ``[…]``."""
    return [DESCRIPTION.sub("[…]", part) if part.startswith("`") else part for part in protected_parts(text)]


def test_a_fenced_code_block_is_kept_as_written_and_is_no_unit():
    """Code in a lesson's markdown stays as the English has it, line for line (as the code cells do)."""
    source = "Text.\n\n```python\nclass A:\n    x = 1   # one\n\n    y = 2\n```\n\nMore text."
    blocks = split_markdown(source)
    assert join_markdown(blocks, lambda msgid: msgid) == source
    assert join_markdown(blocks, lambda msgid: {"Text.": "글.", "More text.": "글 더."}[msgid]) == (
        source.replace("Text.", "글.").replace("More text.", "글 더."))
    assert markdown_units(source) == ["Text.", "More text."]


def test_only_a_code_span_s_bracketed_description_may_be_translated():
    english = "`g.add_node(name, gate, [names of its inputs])` and `[\"apple\", \"apple_num\"]`"
    assert kept_parts(english) == kept_parts("`g.add_node(name, gate, [입력 이름들])` and `[\"apple\", \"apple_num\"]`")
    assert kept_parts(english) != kept_parts("`g.add_node(name, gate, [入力の名前のリスト])` and `[\"リンゴ\", \"apple_num\"]`")
    assert kept_parts(english) != kept_parts("`g.add_nodes(name, gate, [入力])` and `[\"apple\", \"apple_num\"]`")


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_translations_keep_placeholders_maths_code_and_tags(lang):
    wrong = []
    for domain, message in translated_entries(lang):
        if sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string)) \
                and set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string)):
            wrong.append(f"{domain}: placeholders of {message.id[:60]!r}")
        if kept_parts(message.id) != kept_parts(message.string):
            missing = set(kept_parts(message.id)) ^ set(kept_parts(message.string))
            wrong.append(f"{domain}: {sorted(missing)} in {message.id[:60]!r}")
    assert not wrong, f"[{lang}] translations must keep these as written:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_edition_code_cells_are_the_english_ones(lang):
    for path in built(lang):
        english = nbformat.read(NOTEBOOKS / path.name, as_version=4)
        edition = nbformat.read(path, as_version=4)
        assert [c.cell_type for c in edition.cells] == [c.cell_type for c in english.cells], path.name
        for number, (ours, theirs) in enumerate(zip(edition.cells, english.cells)):
            assert ours.metadata.get("nbgrader") == theirs.metadata.get("nbgrader"), f"{lang}/{path.name} cell {number}"
            if theirs.cell_type == "code":
                assert ours.source == theirs.source, f"{lang}/{path.name}: code cell {number} differs from the English"


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_edition_markdown_is_what_build_makes(lang):
    for path in built(lang):
        made = editions.edition_notebook(lang, NOTEBOOKS / path.name)
        stored = nbformat.read(path, as_version=4)
        for number, (ours, wanted) in enumerate(zip(stored.cells, made.cells)):
            if wanted.cell_type == "markdown":
                assert ours.source == wanted.source, (
                    f"{lang}/{path.name} cell {number} is stale: run python -m course_tools.translations build")
            prose_part = re.sub(r"^\s*```.*?^\s*```", " ", ours.source, flags=re.S | re.M)  # code blocks stay English
            assert not (wanted.cell_type == "markdown" and "Exercise" in prose_part), f"English left in cell {number}"


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_compiled_catalogs_match_their_po(lang):
    for po_file in sorted((ROOT / "locale" / lang / "LC_MESSAGES").glob("*.po")):
        buffer = io.BytesIO()
        write_mo(buffer, read_catalog(po_file, lang), use_fuzzy=False)
        assert po_file.with_suffix(".mo").read_bytes() == buffer.getvalue(), (
            f"{po_file.with_suffix('.mo').name} [{lang}] is stale: run python -m course_tools.translations build")


def glossary(lang):
    """{English term: [accepted translations]} from docs/glossary_<lang>.md's table."""
    terms = {}
    for line in (ROOT / "docs" / f"glossary_{lang}.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] and not set(cells[0]) <= set("-") and cells[0] != "English":
            term = re.sub(r"\s*\(.*\)$", "", cells[0])
            terms[term] = [form.strip() for form in cells[1].split("/")]
    return terms


def prose(text):
    """``text`` without its maths, code spans, tags, placeholders and the titles of works (*Calculus on
    Computational Graphs*, kept as published): the words a term may be in."""
    text = re.sub(r"\*(?:[A-Z][\w'-]*|on|of|the|and|from|in|to|a)(?: (?:[A-Z][\w'-]*|on|of|the|and|from|in|to|a))+\*",
                  " ", text)
    text = PLACEHOLDER.sub(" ", re.sub(r"\$\$.+?\$\$|\$[^$]+\$|`[^`]+`|<[^>]+>", " ", text))
    # names, not words: MyRelu.backward, self.x, d_scores, Softmax-with-Loss
    return re.sub(r"\b\w+\.\w[\w.]*|\b\w*_\w*|\b[A-Z]\w*(?:-\w+)*-[A-Z]\w*", " ", text)


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_catalogs_use_the_glossary_terms(lang):
    terms = glossary(lang)
    assert terms["computational graph"] == [{"ko": "계산 그래프", "ja": "計算グラフ"}[lang]]
    wrong = []
    for domain, message in translated_entries(lang):
        english = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", prose(message.id).lower())  # gradient-descent step
        for term, forms in terms.items():
            # a longer term holding this one is checked as itself: "gradient descent" is not "gradient"
            own = english
            for longer in (other for other in terms if term in other and other != term):
                own = re.sub(rf"\b{re.escape(longer.lower())}(s|es)?\b", " ", own)
            if re.search(rf"\b{re.escape(term.lower())}(s|es)?\b", own) and not any(f in message.string for f in forms):
                wrong.append(f"{domain}: {term!r} -> {' / '.join(forms)} in {message.id[:70]!r}")
    assert not wrong, f"[{lang}] the glossary's term is not used:\n" + "\n".join(wrong)


def test_the_glossary_check_can_fail():
    english = prose("the chain rule, lesson 2").lower()
    assert re.search(r"\bchain rule(s|es)?\b", english) and "연쇄법칙" not in "연쇄 규칙"
    assert "loss" not in prose("the Softmax-with-Loss layer; MyRelu.backward passes dout; d_loss").lower()
    assert "backward pass" not in prose("MyRelu.backward passes dout").lower()


# ---- course_lib follows the edition ----

def test_english_is_the_default_and_set_language_chooses(monkeypatch, tmp_path):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(i18n, "_chosen", None)
    assert i18n.language() == "en" and i18n._("Step 0: the forward pass") == "Step 0: the forward pass"
    (tmp_path / i18n.MARKER_FILE).write_text("ja\n", encoding="utf-8")
    assert i18n.language() == "ja" and i18n._("Step 0: the forward pass") == "ステップ 0：順伝播"
    monkeypatch.setenv(i18n.ENV_VAR, "ko")
    assert i18n.language() == "ko"
    with i18n.using_language("en"):
        assert i18n._("Reset") == "Reset"
    with pytest.raises(ValueError, match="one of en, ko, ja"):
        i18n.set_language("fr")


def test_a_lesson_text_and_a_printed_line_are_translated_with_the_lesson_catalog():
    with i18n.using_language("ko"):
        assert i18n.translate("all three double") == "세 기울기 모두 두 배가 된다"
        assert i18n.translate("my own label") == "my own label"
        assert i18n.translate_output("✔ right: e = 6, ∂e/∂a = 2, ∂e/∂b = 5") == "✔ 정답: e = 6, ∂e/∂a = 2, ∂e/∂b = 5"
        assert (i18n.translate_output("∂e/∂b is 8 in your graph: b must feed both c and d, and its gradient is the sum over both paths")
                == "그래프에서 ∂e/∂b가 8입니다: b는 c와 d 양쪽으로 들어가야 하고, 그 기울기는 두 경로의 합입니다")
    assert i18n.translate_output("✔ right: e = 6, ∂e/∂a = 2, ∂e/∂b = 5").startswith("✔ right")


def test_the_quiz_speaks_the_edition(capsys):
    from course_lib.quiz import WrongAnswer, check_choice, choice_digest
    options = {"a": "all three double", "b": "none of them changes"}
    with i18n.using_language("ja"):
        check_choice("q", "a", options, choice_digest("q", "a"))
        assert capsys.readouterr().out == "✔ 正解：a. 3つとも2倍になる\n"
        with pytest.raises(WrongAnswer, match="✘ b（どれも変わらない）ではありません。 もう一度考えて"):
            check_choice("q", "b", options, choice_digest("q", "a"))


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_pictures_and_steppers_speak_the_edition(lang):
    from course_lib import apple_graph
    from course_lib.widgets import BackwardStepper
    with i18n.using_language(lang):
        stepper = BackwardStepper(apple_graph())
        pictures = course_images()
    words = {"ko": ("역전파", "소비세", "다음 ▶"), "ja": ("逆伝播", "消費税", "次へ ▶")}[lang]
    assert words[0] in stepper.frame and words[1] in stepper.frame
    assert stepper.stepper.step_button.label == words[2]
    assert "forward pass" not in stepper.frame and "gradient" not in stepper.frame
    for name in ("apple_forward.svg", "apple_backward.svg"):
        stored = (ROOT / "images" / lang / name).read_text(encoding="utf-8")
        assert stored == pictures[name], f"images/{lang}/{name} is stale: python -m course_tools.images --lang {lang}"


@pytest.mark.parametrize("lang", EDITION_LANGUAGES)
def test_an_edition_s_graph_repr_and_picture_words_are_its_own(lang):
    from course_lib import apple_graph
    from course_lib.drawing import CJK_FONTS, FONT, describe_graph, draw_graph
    graph = apple_graph()
    graph.forward()
    english_repr, english_picture = repr(graph), draw_graph(graph)
    with i18n.using_language(lang):
        title, lines = describe_graph(graph)
        picture, graph_repr, trace_repr = draw_graph(graph), repr(graph), repr(graph.backward())
    words = {"ko": ("입력 ['apple', 'apple_num', 'tax'], 출력 'price'", "사과 단가, 사과 개수, 소비세", "사과 가격 합계", "역전파"),
             "ja": ("入力 ['apple', 'apple_num', 'tax']、出力 'price'", "リンゴの値段、リンゴの個数、消費税", "リンゴの金額", "逆伝播")}[lang]
    assert graph_repr == f"<Graph 'apple'{':' if lang == 'ko' else '：'} {words[0]}>".replace("： ", "：")
    assert words[1] in title and words[2] in lines[3] and words[3] in trace_repr and "backward" not in trace_repr
    assert f'font-family="{FONT}, {CJK_FONTS}"' in picture and "Noto Sans CJK JP" in CJK_FONTS
    assert english_repr == "<Graph 'apple': inputs ['apple', 'apple_num', 'tax'], output 'price'>"
    assert f'font-family="{FONT}"' in english_picture  # the English pictures keep their fonts


def test_an_edition_shows_its_own_drawing_of_a_saved_picture(monkeypatch):
    monkeypatch.chdir(NOTEBOOKS / "ko")
    with i18n.using_language("ko"):
        picture = SavedPicture("../images/apple_forward.svg")
    assert "<title>사과: 순전파" in picture.svg and repr(picture) == "<SavedPicture ../images/apple_forward.svg>"


def test_printed_lines_are_translated_whole_and_partial_lines_pass_on_flush():
    from course_lib.console import TranslatedLines
    out = io.StringIO()
    stream = TranslatedLines(out)
    with i18n.using_language("ja"):
        stream.write("✔ right: q = 3, f = -12")
        stream.write(", g = -36\nno catalog holds this\npartial")
        assert out.getvalue() == "✔ 正解：q = 3, f = -12, g = -36\nno catalog holds this\n"
        stream.flush()
    assert out.getvalue().endswith("\npartial")


def test_english_course_lib_leaves_stdout_alone():
    import sys

    from course_lib.console import TranslatedLines
    assert i18n.language() == "en" and not isinstance(sys.stdout, TranslatedLines)


def test_a_raised_message_and_the_reason_it_shows_are_extracted_and_translated(monkeypatch):
    from course_tools.translations.code_strings import code_messages
    source = ("if np.allclose(got, -right):\n"
              "    why = \"wrong sign\"\n"
              "    raise AssertionError(f\"your gradient {got} is wrong: {why}\")\n")
    assert code_messages(source) == [("wrong sign", "a part of a message"),
                                      ("your gradient {got} is wrong: {why}", "an error's message")]
    pieces = ('raise WrongAnswer(f"{said}: the layer was skipped" + (" (or a literal 1)" if one else "") + "\\n".join(lines))\n'
              'for value, reason in [(1, "one sample instead of the sum"), (2, "x")]:\n    pass\n')
    assert code_messages(pieces) == [("{said}: the layer was skipped{value2}{n_join_lines}", "an error's message"),
                                     (" (or a literal 1)", "a part of a message"),
                                     ("one sample instead of the sum", "a part of a message")]
    lesson = gettext.NullTranslations()
    lesson._catalog = {"wrong sign": "부호가 반대입니다", "your gradient {got} is wrong: {why}": "기울기 {got}이(가) 틀렸습니다: {why}"}
    monkeypatch.setitem(i18n._catalogs, "ko", (None, [lesson]))
    monkeypatch.delitem(i18n._patterns, "ko", raising=False)
    with i18n.using_language("ko"):
        assert (i18n.translate_output("your gradient [ 1. -2.] is wrong: wrong sign")
                == "기울기 [ 1. -2.]이(가) 틀렸습니다: 부호가 반대입니다")
        assert i18n.translate_output("your gradient 3 is wrong: 3") == "기울기 3이(가) 틀렸습니다: 3"
        # print("dx from backward:\n", dx) prints two lines; the console sees one at a time
        lesson._catalog["dx from backward:\n {dx}"] = "backward가 낸 dx:\n {dx}"
        i18n._patterns.pop("ko")
        assert i18n.translate_output("dx from backward:") == "backward가 낸 dx:"
        # the most specific msgid wins, whichever lesson's catalog comes first
        lesson._catalog.update({"✔ right: {value1}": "✔ 정답: {value1}", "✔ right: {dx} at x = {x}": "✔ 정답: x = {x}일 때 {dx}"})
        i18n._patterns.pop("ko")
        assert i18n.translate_output("✔ right: ∂w/∂x = 24 at x = 3") == "✔ 정답: x = 3일 때 ∂w/∂x = 24"
        assert i18n.translate_output("✔ right: 7") == "✔ 정답: 7"
        # a piece with its own ": " (f": {reason}") or its own numbers (f" (at x = {x}, yours gives {y})")
        lesson._catalog.update({"the check failed{reason}": "검사 실패{reason}", "the gradient is wrong": "기울기가 틀렸습니다",
                                " (at x = {x}, yours gives {y})": " (x = {x}에서 여러분의 값은 {y})"})
        i18n._patterns.pop("ko")
        assert i18n.translate_output("the check failed: the gradient is wrong") == "검사 실패: 기울기가 틀렸습니다"
        assert i18n.translate_output("the check failed (at x = 0, yours gives 4)") == "검사 실패 (x = 0에서 여러분의 값은 4)"
        assert i18n.translate_output("the check failed: not a known reason") == "검사 실패: not a known reason"
        # f"{said}: the wrong sign", said = f"✘ at x = {x} your dy = {dy}": the composite wins, not said's msgid
        # with dy swallowing ": the wrong sign"
        lesson._catalog.update({"✘ at x = {x} your dy = {dy}": "✘ x = {x}일 때 여러분의 dy = {dy}",
                                "{said}: the wrong sign": "{said}: 부호가 반대입니다"})
        i18n._patterns.pop("ko")
        assert (i18n.translate_output("✘ at x = 1 your dy = [1. 2.]: the wrong sign")
                == "✘ x = 1일 때 여러분의 dy = [1. 2.]: 부호가 반대입니다")
        assert i18n.translate_output("✘ at x = 1 your dy = [1. 2.]") == "✘ x = 1일 때 여러분의 dy = [1. 2.]"
        # a name stays a name, also where course_lib has a label of that spelling (lesson 2's f"∂price/∂{name:<10} …")
        course = gettext.NullTranslations()
        course._catalog = {"apple": "사과"}
        monkeypatch.setitem(i18n._catalogs, "ko", (course, [lesson]))
        lesson._catalog["∂price/∂{name} forward mode {slope}"] = "∂price/∂{name} 순방향 모드 {slope}"
        i18n._patterns.pop("ko")
        assert i18n.translate_output("∂price/∂apple      forward mode 2.20") == "∂price/∂apple      순방향 모드 2.20"
    monkeypatch.delitem(i18n._patterns, "ko", raising=False)


def test_the_text_given_to_translate_is_extracted_as_a_label():
    from course_tools.translations.code_strings import code_messages
    source = ('caption = translate("step {step}, loss {loss}").format(step=1, loss=0.5)\n'
              'ax.set_title(translate("the loss while training"))\n'
              'label = translate(name)\n')
    assert code_messages(source) == [("step {step}, loss {loss}", "a label"), ("the loss while training", "a label")]


def test_no_course_lib_function_hides_the_translation_function():
    """``_`` is course_lib's gettext: a module that imports it must not also bind ``_`` as a throwaway name
    (``_, n = pair``), which makes every ``_("...")`` of that function an UnboundLocalError."""
    import ast
    bad = []
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("i18n")
                   and any(alias.name == "_" for alias in node.names) for node in ast.walk(tree)):
            continue
        in_comprehension = {id(target) for node in ast.walk(tree) if isinstance(node, ast.comprehension)
                            for target in ast.walk(node.target)}
        bad += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
                and id(node) not in in_comprehension]
        bad += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                if isinstance(node, ast.arg) and node.arg == "_"]
    assert not bad, f"`_` bound as a variable where it is the translation function: {bad}"
