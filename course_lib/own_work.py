"""Is an answer the learner's own, or the course's reference in disguise?

Lessons import course_lib's layers for later cells, so ``class MyRelu(Relu): pass`` or
``return topological_order(out)`` would pass an exercise whose answer is exactly that reference.
``check_own_work(MyRelu, Relu)`` raises ``WrongAnswer`` when the learner's class or function inherits
from, or calls (under any name), one of the course's objects given after it.
"""
import types

from .errors import WrongAnswer
from .i18n import _


def _code_objects(answer):
    """The code of a function, or of every function defined in a class, with the code nested inside."""
    functions = [answer] if isinstance(answer, types.FunctionType) else [
        member for member in vars(answer).values() if isinstance(member, types.FunctionType)]
    found = []
    for function in functions:
        todo = [function.__code__]
        while todo:
            code = todo.pop()
            found.append((function, code))
            todo.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return found


def check_own_work(answer, *references):
    """Raise WrongAnswer if ``answer`` (the learner's class or function) uses one of ``references`` (the course's)."""
    label = getattr(answer, "__name__", repr(answer))
    if isinstance(answer, type):
        inherited = [base for base in answer.__mro__[1:] if base in references]
        if inherited:
            raise WrongAnswer(_("{label} inherits from course_lib's {reference}, which is the answer: "
                                "write {label}'s own methods, with no course_lib class underneath").format(
                label=label, reference=inherited[0].__name__))
    for function, code in _code_objects(answer):
        for name in code.co_names:  # the global names and attribute names its code uses
            value = function.__globals__.get(name)  # None for an attribute name (course_lib.Relu) or a builtin
            hit = next((ref for ref in references if value is ref or (value is None and name == ref.__name__)), None)
            if hit is not None:
                raise WrongAnswer(_("{label} calls course_lib's {reference}, which is the answer: "
                                    "write it yourself, without {reference}").format(label=label, reference=hit.__name__))
