"""The sentences a lesson's code cells show a learner, as msgids: what course_lib translates at run time.

    code_messages(source) -> [(msgid, what), ...]

Taken from a code cell's syntax tree, never by running it:

* the message of an ``assert`` (an f-string's fields become ``{name}`` placeholders), and the message of a
  ``raise SomeError(...)`` (its first argument);
* a ``print(...)`` whose arguments are strings, f-strings or other values (a value is a placeholder),
  joined by spaces as ``print`` joins them;
* the string values of a dict literal (a quiz's options and hints), with ``+`` of strings and names
  of string constants assigned earlier in the cell folded in (``"Tempting if ..." + CHECK``);
* the text given to ``translate(...)`` (``course_lib.i18n.translate``): a widget's label, a figure's title or alt
  text, written ``translate("step {step}, loss {loss}").format(...)`` when numbers go in;
* a string assigned to a name inside a block (``why = "wrong sign"`` under an ``if``), a branch of a
  conditional expression, or a phrase in a list of tuples (``[(value, "the reason it shows"), ...]``), which a
  message then shows through a placeholder: ``translate_output`` translates a placeholder's text too.
  In a message (an assertion's, an error's) a piece that cannot be read (``"\\n".join(lines)``) is a
  placeholder.

Only sentences count: a text with a word of three letters or more outside its placeholders
(``∂price/∂{name} ≈ {slope}`` has none and is not extracted).  At run time ``i18n.translate`` finds
an option or a hint by its English text, and ``console`` a printed line or an assertion message by
matching the msgid, each placeholder standing for any text.
"""
import ast
import re

from course_lib.i18n import is_sentence_like as is_sentence  # one rule for what is worth translating


class _Placeholders:
    """Names for the fields of the f-strings in one message: the same expression, the same name."""

    def __init__(self):
        self.names = {}

    def name(self, node):
        source = ast.unparse(node)
        if source not in self.names:
            name = re.sub(r"\W+", "_", source).strip("_")
            if not name or len(name) > 24 or name[0].isdigit():
                name = f"value{len(self.names) + 1}"
            while name in self.names.values():
                name += "_"
            self.names[source] = name
        return self.names[source]


def _fold(node, constants, fields, pieces=False):
    """``node`` as a msgid (str) if it is a string expression we can read; None otherwise.

    pieces: a message built from pieces (``"..." + ("(or 1)" if one else "")``, ``"..." + "\\n".join(lines)``):
    a piece we cannot read becomes a ``{placeholder}`` beside the text we can."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value.value)
            else:
                parts.append("{" + fields.name(value.value) + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _fold(node.left, constants, fields, pieces), _fold(node.right, constants, fields, pieces)
        if pieces and (left is None) != (right is None):
            left = "{" + fields.name(node.left) + "}" if left is None else left
            right = "{" + fields.name(node.right) + "}" if right is None else right
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return None


def code_messages(source):
    """[(msgid, what)] of one code cell, in the order they appear; [] if the cell is not plain Python."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    constants, found = {}, []
    for statement in tree.body:  # string constants of the cell, for folding
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            value = _fold(statement.value, constants, _Placeholders())
            if value is not None:
                constants[statement.targets[0].id] = value
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and node.msg is not None:
            found.append((node.lineno, _fold(node.msg, constants, _Placeholders(), True), "an assertion's message"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print" \
                and not node.keywords:
            fields = _Placeholders()
            parts = [_fold(arg, constants, fields) for arg in node.args]
            if any(part is not None for part in parts):
                text = " ".join(part if part is not None else "{" + fields.name(arg) + "}"
                                for part, arg in zip(parts, node.args))
                found.append((node.lineno, text, "a printed line"))
        elif (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args
              and _fold(node.exc.args[0], constants, _Placeholders(), True) is not None):
            found.append((node.lineno, _fold(node.exc.args[0], constants, _Placeholders(), True), "an error's message"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "translate"
              and node.args):  # translate("kept while training: {share}").format(...): a label, a figure's text
            found.append((node.lineno, _fold(node.args[0], constants, _Placeholders()), "a label"))
        elif isinstance(node, ast.IfExp):  # ("(or a literal 1)" if one else ""): a piece of a message
            for branch in (node.body, node.orelse):
                found.append((branch.lineno, _fold(branch, constants, _Placeholders()), "a part of a message"))
        elif isinstance(node, ast.List):  # [(value, "the reason it shows"), ...]: a reason is a piece of a message
            for item in node.elts:
                for element in (item.elts if isinstance(item, ast.Tuple) else ()):
                    text = _fold(element, constants, _Placeholders())
                    if text and " " in text.strip():
                        found.append((element.lineno, text, "a part of a message"))
        elif (isinstance(node, ast.Assign) and node not in tree.body and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            found.append((node.lineno, _fold(node.value, constants, _Placeholders()), "a part of a message"))
        elif isinstance(node, ast.Dict):
            for value in node.values:
                text = _fold(value, constants, _Placeholders())
                found.append((value.lineno, text, "a quiz option or hint"))
    found.sort(key=lambda item: item[0])
    seen, messages = set(), []
    for _line, msgid, what in found:
        if msgid and is_sentence(msgid) and msgid not in seen:
            seen.add(msgid)
            messages.append((msgid, what))
    return messages
