"""The pictures in images/ are exactly what ``python -m course_tools.images`` writes."""
import subprocess
import sys
from pathlib import Path

from course_tools.images import course_images, write_images

IMAGES = Path(__file__).resolve().parent.parent / "images"


def test_the_script_writes_exactly_the_committed_svgs(tmp_path):
    subprocess.run([sys.executable, "-m", "course_tools.images", str(tmp_path)], check=True, capture_output=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(course_images())
    assert written == sorted(p.name for p in IMAGES.glob("*.svg"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (IMAGES / name).read_bytes(), f"images/{name} is stale"


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
