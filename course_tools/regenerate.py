"""Re-run every lesson on a fresh kernel and store its outputs (what nbval compares against).

    python -m course_tools.regenerate                 # all notebooks, the editions' (notebooks/ko/, ja/) too
    python -m course_tools.regenerate notebooks/ko/01_computational_graphs.ipynb
    python -m course_tools.regenerate notebooks/03_gates.ipynb

Run it after any change to course_lib that can alter a lesson's output, then `python -m pytest`.
Widget state is stored in the notebook, so the steppers still step in a static export.
An edition's lesson runs in its own folder, so its kernel speaks the edition's language (the folder's
``course_language.txt``, see course_lib.i18n) and its outputs are stored in that language.
"""
import json
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib import paths


def regenerate(path):
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", record_timing=False, store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesced_streams(cell.outputs)
    path.write_text(stable_widget_ids(nbformat.writes(notebook), widget_namespace(path)), encoding="utf-8")


def coalesced_streams(outputs):
    """Consecutive stdout (or stderr) outputs as one: how a print is split into messages depends on when the
    kernel flushed, which differs from run to run, so the stored notebook keeps the text only (as nbval compares)."""
    merged = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def widget_namespace(path):
    """The name the widget ids are made from: the lesson's file name, with its edition's folder for an edition."""
    return path.name if path.parent == paths.notebooks_dir() else f"{path.parent.name}/{path.name}"


def edition_lesson_paths():
    """The lessons of the Korean and Japanese editions, ``notebooks/<lang>/NN_*.ipynb`` (course_tools.translations)."""
    return sorted(paths.notebooks_dir().glob("*/[0-9][0-9]_*.ipynb"))


def stable_widget_ids(text, name):
    """Give the stored widgets ids and an order that depend only on the notebook, not on the run.

    ipywidgets gives every widget a random id, so each run would rewrite every stored widget.
    Here widgets are numbered by walking from the widgets displayed in the cells (in cell order)
    through the widgets they reference; the rest (e.g. jslinks) follow, sorted by content. A
    notebook whose outputs did not change is then written back byte for byte.
    """
    notebook = json.loads(text)
    store = notebook.get("metadata", {}).get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if not store or not store.get("state"):
        return text
    state = store["state"]
    refs = {key: re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(value, sort_keys=True)) for key, value in state.items()}
    order = []

    def walk(model_id):
        if model_id in state and model_id not in order:
            order.append(model_id)
            for ref in refs[model_id]:
                walk(ref)

    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                walk(view["model_id"])
    while len(order) < len(state):
        named = {model_id: f"#{index}" for index, model_id in enumerate(order)}
        rename = lambda value: re.sub(r"[0-9a-f]{32}", lambda m: named.get(m.group(0), "?"), value)  # noqa: E731
        rest = sorted((m for m in state if m not in named), key=lambda m: rename(json.dumps(state[m], sort_keys=True)))
        walk(rest[0])
    new_ids = {model_id: uuid.uuid5(uuid.NAMESPACE_URL, f"backprop-course/{name}/{index}").hex
               for index, model_id in enumerate(order)}
    text = re.sub(r"[0-9a-f]{32}", lambda match: new_ids.get(match.group(0), match.group(0)), json.dumps(notebook))
    return json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(names):
    notebooks = [Path(name).resolve() for name in names] or paths.lesson_paths() + edition_lesson_paths()
    for path in notebooks:
        start = time.perf_counter()
        regenerate(path)
        print(f"{path.name}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
