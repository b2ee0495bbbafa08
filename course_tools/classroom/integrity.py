"""Can a submission's tests be trusted?  A second opinion from outside the student's kernel.

nbgrader runs a lesson's tests in the student's own kernel, after the student's code.  Code that rebinds a
name a test uses (``check_layer = lambda *a: None``), patches a module (``np.allclose = ...``,
``gradcheck.check_layer = ...``), reaches into the course's private data (``grads._right``), uses the
tools that reach anything (``exec``, ``setattr``, ``globals()``, ``sys.modules``, ``get_ipython()``, an
unknown module) or calls the lesson's hand-out itself (``grads.check`` hands out the right gradient) can
make a test pass with no right answer.  ``untrusted(submitted, released, source)`` reads the student's
code, never runs it, and returns one ``Finding`` per such thing with the tests it could have fooled; the
grader gives those tests 0 and names the finding.

The student's code is every code cell that is not the lesson's own: answer cells, cells the student
added, and the lesson's cells the student edited.  Test cells never count (nbgrader runs its own copy).
"""
import ast
import importlib.machinery
import sys
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

# Anything here reaches objects the tests use without naming them: no exercise of the course needs one.
REFLECTIVE_CALLS = {"exec", "eval", "compile", "__import__", "globals", "vars", "locals", "setattr", "delattr",
                    "get_ipython", "breakpoint"}
REFLECTIVE_ATTRIBUTES = {"__dict__", "__code__", "__globals__", "__builtins__", "__closure__", "__defaults__",
                         "__kwdefaults__", "__subclasses__", "__bases__", "__mro__", "__setattr__", "__getattribute__",
                         "f_globals", "f_locals", "f_back", "gi_frame", "tb_frame",
                         "modules", "_getframe", "settrace", "setprofile", "meta_path", "path_hooks"}
# The modules a student may import in an answer: what the lessons use, and harmless helpers (sys and os
# themselves are harmless; what could change the tests through them is caught above or as a change to a module).
ALLOWED_MODULES = {"numpy", "math", "cmath", "random", "itertools", "functools", "collections", "operator",
                   "statistics", "fractions", "decimal", "time", "string", "re", "dataclasses", "typing", "copy", "sys", "os",
                   "matplotlib", "course_lib"}


@dataclass
class Finding:
    """One thing in the student's code that makes tests untrustworthy.

    cell: the cell's number in the submitted notebook (1-based); label: the answer cell's grade_id, or
    None for a cell the student added; what: a phrase ("rebinds check_layer"); tests: the grade_ids of
    the tests after it that it could have fooled, which score 0."""
    cell: int
    label: str
    what: str
    tests: list = field(default_factory=list)

    def sentence(self):
        where = f"cell {self.cell}" + (f" ({self.label})" if self.label else "")
        return (f"check not trusted: {where} {self.what}, so {_count(len(self.tests), 'test')} after it "
                f"score 0 ({', '.join(self.tests)})")


def _count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def python_of(source):
    """The cell's source as Python (IPython's magics and ``!`` lines become calls), parsed; None if it cannot parse."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None  # the cell fails in the kernel too: it changes nothing


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test(cell):
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def _is_answer(cell):
    return bool(_nbgrader(cell).get("solution"))


# ---- what a piece of code binds, loads and imports

def module_bindings(tree):
    """{name: what it is bound to} for the names a cell binds at module level ("import numpy" for imports,
    "code" otherwise); names declared ``global`` in its functions count too."""
    bound = {}
    for node in _module_level(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = f"import {alias.name if alias.asname else alias.name.split('.')[0]}"
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    bound[alias.asname or alias.name] = f"from {node.module} import {alias.name}"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[node.name] = "code"
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound[node.id] = "code"
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            bound.update(dict.fromkeys(node.names, "code"))
    return bound


def _module_level(tree):
    """The nodes of a module outside its function and class bodies (a class's name is module level, its body not)."""
    todo = list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(node.decorator_list if hasattr(node, "decorator_list") else [])
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        todo.extend(ast.iter_child_nodes(node))


def loaded_names(tree):
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _function_uses(trees):
    """{function or class name: the names its body loads}, over the lesson's own cells."""
    uses = {}
    for tree in trees:
        for node in _module_level(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                uses[node.name] = loaded_names(node)
    return uses


def names_a_test_uses(tree, function_uses):
    """The names a test cell reads that it does not bind itself, with those read by the lesson's functions it calls."""
    found, todo = set(), list(loaded_names(tree) - set(module_bindings(tree)))
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(function_uses.get(name, ()))
    return found


# ---- the verdict

def untrusted(submitted, released, source, folder=None):
    """The Findings of the submitted notebook (NotebookNodes: the submission, its release, and the source
    with solutions and hidden tests, which is what nbgrader's tests really run).  folder: the submission's
    folder, where a module the student handed in beside the notebook would be found."""
    empty = ast.Module(body=[], type_ignores=[])
    lesson = [cell for cell in source.cells if cell.cell_type == "code" and not _is_answer(cell)]
    lesson_cells = {cell.source for cell in lesson} | {cell.source for cell in released.cells
                                                        if cell.cell_type == "code" and not _is_answer(cell)}
    lesson_trees = [python_of(cell.source) or empty for cell in lesson]
    lesson_bound = {}
    for tree in lesson_trees:
        lesson_bound.update(module_bindings(tree))
    expected = set()  # what the reference answers bind: the student is meant to bind those
    for cell in source.cells:
        if cell.cell_type == "code" and _is_answer(cell):
            expected |= set(module_bindings(python_of(cell.source) or empty))
    uses = _function_uses(lesson_trees)
    tests = {cell.metadata.nbgrader["grade_id"]: names_a_test_uses(tree, uses)
             for cell, tree in zip(lesson, lesson_trees) if _is_test(cell)}

    findings, done = [], set()
    for number, cell in enumerate(submitted.cells, start=1):
        meta = _nbgrader(cell)
        if meta.get("grade_id") in tests:
            done.add(meta["grade_id"])  # nbgrader runs the lesson's own copy of a test cell
            continue
        if cell.cell_type != "code" or (cell.source in lesson_cells and not _is_answer(cell)):
            continue
        tree = python_of(cell.source)
        if tree is None:
            continue
        later = [test for test in tests if test not in done]
        for what, changed in _what_it_does(tree, lesson_bound, expected, folder):
            fooled = [test for test in later if changed is None or changed & tests[test]]
            if fooled:
                findings.append(Finding(number, meta.get("grade_id"), what, fooled))
    return findings


def _what_it_does(tree, lesson_bound, expected, folder=None):
    """[(phrase, names it changes, or None when it could change anything)] for one cell of the student's."""
    found = []
    for name, binding in module_bindings(tree).items():
        if name in lesson_bound and name not in expected and binding != lesson_bound[name]:
            found.append((f"rebinds {name}, which the tests use", frozenset({name})))
    imported = {name for name, binding in module_bindings(tree).items() if binding.startswith(("import", "from"))}
    # A name the reference answer binds, and this cell binds afresh (w, b = Tiny(...)), holds the cell's own object:
    # changing its attributes (w.data -= lr * w.grad) changes nothing the lesson made.
    own = {name for name, binding in module_bindings(tree).items() if binding == "code" and name in expected}
    roots = (set(lesson_bound) - own) | imported
    for node, local in _nodes_with_locals(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] not in ALLOWED_MODULES and importable(module.split(".")[0], folder):
                    found.append((f"imports {module}, whose code could change the tests", None))
        elif isinstance(node, ast.Attribute):
            root = _root(node)
            root = None if root in local else root  # a function's own variable, not the lesson's
            if isinstance(node.ctx, (ast.Store, ast.Del)) and root in roots:
                found.append((f"changes {ast.unparse(node)}, which the tests may use", None))
            elif node.attr in REFLECTIVE_ATTRIBUTES:
                found.append((f"reaches {ast.unparse(node)}", None))
            elif node.attr.startswith("_") and not node.attr.startswith("__") and root in lesson_bound:
                found.append((f"reads the course's private {ast.unparse(node)}", None))
            elif node.attr in ("check", "reveal") and isinstance(node.ctx, ast.Load) and root in lesson_bound:
                found.append((f"calls {ast.unparse(node)} itself, which hands out answers", None))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in REFLECTIVE_CALLS:
                found.append((f"calls {node.func.id}(), which can change what the tests use", None))
            elif node.func.id == "getattr" and not (len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
                found.append(("calls getattr() with a computed name, which can reach the course's private data", None))
    return list(dict.fromkeys(found))


def importable(module, folder=None):
    """True when ``import module`` could succeed in the grading kernel: the module is installed here, or a
    file or folder of that name was handed in beside the notebook.  An import that can only fail changes
    nothing (the cell fails, and grading says so)."""
    if module in sys.builtin_module_names or importlib.machinery.PathFinder.find_spec(module) is not None:
        return True
    return folder is not None and importlib.machinery.PathFinder.find_spec(module, [str(folder)]) is not None


def _nodes_with_locals(tree):
    """Every node of the cell, with the names local to the function it is in (its parameters and the names it
    assigns without ``global``); empty at module level."""
    todo = [(tree, frozenset())]
    while todo:
        node, local = todo.pop()
        yield node, local
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            params = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
            params |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a}
            declared = {name for sub in ast.walk(node) if isinstance(sub, ast.Global) for name in sub.names}
            assigned = {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)}
            local = local | ((params | assigned) - declared)
        todo.extend((child, local) for child in ast.iter_child_nodes(node))


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None
