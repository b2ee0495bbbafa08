"""The pictures in images/ are exactly what ``python -m course_tools.images`` writes."""
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.images import course_images, write_images

IMAGES = Path(__file__).resolve().parent.parent / "images"


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_the_script_writes_exactly_the_committed_svgs(tmp_path, lang):
    """English in images/, each edition's in images/<lang>/ (its titles and rules in its language)."""
    subprocess.run([sys.executable, "-m", "course_tools.images", "--lang", lang, str(tmp_path)], check=True,
                   capture_output=True)
    committed = IMAGES if lang == "en" else IMAGES / lang
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(course_images())
    assert written == sorted(p.name for p in committed.glob("*.svg"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), \
            f"{committed.relative_to(IMAGES.parent)}/{name} is stale: python -m course_tools.images --lang {lang}"


def test_two_runs_are_byte_identical(tmp_path):
    first = {p.name: p.read_bytes() for p in write_images(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_images(tmp_path / "b")}
    assert first == second and len(first) == 9


def test_the_pictures_show_the_course_numbers():
    images = course_images()
    assert ">2.2<" not in images["apple_forward.svg"] and ">220<" in images["apple_forward.svg"]
    assert ">2.2<" in images["apple_backward.svg"] and ">110<" in images["apple_backward.svg"]
    assert ">715<" in images["apple_orange_backward.svg"] and ">165<" in images["apple_orange_backward.svg"]
    assert ">0.1966<" in images["sigmoid_backward.svg"]
    assert "swaps" in images["gate_mul.svg"] and "routes" in images["gate_max.svg"]
