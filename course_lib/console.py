"""What a lesson's own code prints and asserts, in the edition's language (``i18n.translate_output``).

``install()`` (called by ``import course_lib`` in a Korean or Japanese edition, and by
``set_language``) wraps ``sys.stdout`` so that each complete printed line passes through
``translate_output``, and, inside IPython, shows an ``AssertionError``'s message translated the same
way.  A line or message that no lesson catalog holds is shown unchanged; in English nothing is
installed, so the English lessons' output is exactly what their code prints.
"""
import sys

from .i18n import translate_output


class TranslatedLines:
    """A text stream that writes each complete line to ``stream`` translated; partial lines on flush."""

    def __init__(self, stream):
        self.stream = stream
        self._pending = ""

    def write(self, text):
        self._pending += text
        if "\n" in self._pending:
            *lines, self._pending = self._pending.split("\n")
            self.stream.write("".join(translate_output(line) + "\n" for line in lines))
        return len(text)

    def flush(self):
        if self._pending:
            self.stream.write(self._pending)
            self._pending = ""
        self.stream.flush()

    def __getattr__(self, name):  # encoding, isatty, fileno, the kernel's own attributes...
        return getattr(self.stream, name)


def _show_translated_assertion(shell, etype, value, tb, tb_offset=None):
    """IPython's custom handler for AssertionError: the message translated, then the usual traceback."""
    if value is not None and len(value.args) == 1 and isinstance(value.args[0], str):
        value.args = (translate_output(value.args[0]),)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install():
    """Translate printed lines and assertion messages from now on (once per session)."""
    if not isinstance(sys.stdout, TranslatedLines):
        sys.stdout = TranslatedLines(sys.stdout)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "CustomTB", None) is not _show_translated_assertion:
        shell.set_custom_exc((AssertionError,), _show_translated_assertion)
