"""load_mnist: checksums, IDX parsing, the cache and clear errors, on small files made here, plus the real data."""
import gzip
import hashlib
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from course_lib import datasets
from course_lib.datasets import FILES, MnistFileError, load_mnist, parse_idx

ROWS = COLS = 4  # small images keep the files tiny; the loader reads whatever size the header gives


def idx_bytes(array):
    """An uncompressed IDX file of unsigned bytes holding ``array``."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def write_dataset(folder, n_train=6, n_test=3, seed=0):
    """Write the four .gz files and SHA256SUMS; return the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, ROWS, COLS), dtype=np.uint8),
        "t_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, ROWS, COLS), dtype=np.uint8),
        "t_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for key, name in FILES.items():
        (folder / name).write_bytes(gzip.compress(idx_bytes(arrays[key]), mtime=0))
    write_checksums(folder)
    return arrays


def write_checksums(folder):
    lines = [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}" for name in FILES.values()]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def test_loads_small_files_exactly(tmp_path):
    arrays = write_dataset(tmp_path)
    (x_train, t_train), (x_test, t_test) = load_mnist(data_dir=tmp_path, cache=False)
    assert x_train.shape == (6, ROWS * COLS) and x_train.dtype == np.float32
    assert x_test.shape == (3, ROWS * COLS)
    np.testing.assert_array_equal(x_train, arrays["x_train"].reshape(6, -1).astype(np.float32) / 255)
    np.testing.assert_array_equal(t_train, arrays["t_train"])
    assert t_test.dtype == np.uint8
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_options_shape_scale_and_one_hot(tmp_path):
    arrays = write_dataset(tmp_path)
    (x_train, t_train), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True,
                                       dtype=np.float64, data_dir=tmp_path, cache=False)
    assert x_train.shape == (6, 1, ROWS, COLS) and x_train.dtype == np.float64
    np.testing.assert_array_equal(x_train[:, 0], arrays["x_train"])
    assert t_train.shape == (6, 10) and t_train.dtype == np.float64
    np.testing.assert_array_equal(t_train.argmax(axis=1), arrays["t_train"])
    assert (t_train.sum(axis=1) == 1).all()
    (raw_images, _), _ = load_mnist(normalize=False, dtype=np.uint8, data_dir=tmp_path, cache=False)
    assert raw_images.dtype == np.uint8 and raw_images.max() == arrays["x_train"].max()


def test_normalize_needs_float_dtype(tmp_path):
    write_dataset(tmp_path)
    with pytest.raises(ValueError, match="float dtype"):
        load_mnist(dtype=np.uint8, data_dir=tmp_path)


def test_environment_variable_chooses_the_folder(tmp_path, monkeypatch):
    arrays = write_dataset(tmp_path)
    monkeypatch.setenv("COURSE_MNIST_DIR", str(tmp_path))
    _, (_, t_test) = load_mnist(cache=False)
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_argument_wins_over_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_MNIST_DIR", str(tmp_path / "nowhere"))
    (first := tmp_path / "a").mkdir()
    arrays = write_dataset(first)
    _, (_, t_test) = load_mnist(data_dir=first, cache=False)
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_missing_file_is_named_with_how_to_restore(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / FILES["t_test"]).unlink()
    with pytest.raises(MnistFileError, match=r"t10k-labels-idx1-ubyte\.gz is missing") as info:
        load_mnist(data_dir=tmp_path)
    assert "git checkout -- data/mnist" in str(info.value)
    assert isinstance(info.value, OSError)


def test_missing_checksum_file(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / "SHA256SUMS").unlink()
    with pytest.raises(MnistFileError, match="SHA256SUMS cannot be read"):
        load_mnist(data_dir=tmp_path)


def test_truncated_file_fails_its_checksum(tmp_path):
    write_dataset(tmp_path)
    path = tmp_path / FILES["x_train"]
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(MnistFileError, match=r"train-images-idx3-ubyte\.gz is truncated or altered: its SHA-256"):
        load_mnist(data_dir=tmp_path)


def test_altered_file_fails_its_checksum(tmp_path):
    write_dataset(tmp_path)
    path = tmp_path / FILES["t_train"]
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(MnistFileError, match="train-labels-idx1-ubyte.gz is truncated or altered"):
        load_mnist(data_dir=tmp_path)


def test_header_and_byte_count_are_checked_even_with_matching_checksums(tmp_path):
    """A file listed with its own (wrong) checksum still has to be valid IDX of the size it announces."""
    write_dataset(tmp_path)
    bad = idx_bytes(np.zeros((6, ROWS, COLS)))[:-1]  # one value short
    (tmp_path / FILES["x_train"]).write_bytes(gzip.compress(bad, mtime=0))
    write_checksums(tmp_path)
    with pytest.raises(MnistFileError, match=r"train-images-idx3-ubyte\.gz has 95 bytes of values, but its header \(6, 4, 4\) announces 96"):
        load_mnist(data_dir=tmp_path, cache=False)


def test_images_and_labels_must_pair_up(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / FILES["t_train"]).write_bytes(gzip.compress(idx_bytes(np.zeros(5)), mtime=0))
    write_checksums(tmp_path)
    with pytest.raises(MnistFileError, match="does not fit train-labels"):
        load_mnist(data_dir=tmp_path, cache=False)


def test_not_gzip_is_a_clear_error(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / FILES["t_test"]).write_bytes(b"not gzip at all")
    write_checksums(tmp_path)
    with pytest.raises(MnistFileError, match="t10k-labels-idx1-ubyte.gz is not a valid gzip file"):
        load_mnist(data_dir=tmp_path, cache=False)


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"\x01\x00\x08\x01", "not an IDX file"),
        (b"\x00\x00\x0d\x01\x00\x00\x00\x01", "type 0x0d"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated inside its IDX header"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x03\x01\x02\x03\x04", "has 4 bytes of values"),
    ],
)
def test_parse_idx_rejects_bad_headers(data, problem):
    with pytest.raises(MnistFileError, match=problem):
        parse_idx(data, "f.idx")


def test_parse_idx_reads_shape_big_endian():
    array = np.arange(2 * 300, dtype=np.uint16).reshape(2, 300).astype(np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(array)), array)


def test_cache_is_written_atomically_and_used(tmp_path, monkeypatch):
    arrays = write_dataset(tmp_path)
    load_mnist(data_dir=tmp_path)
    cache = tmp_path / datasets.CACHE
    assert cache.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left
    with np.load(cache, allow_pickle=False) as stored:  # plain arrays, no pickled objects
        assert set(stored.files) == {"key", "digest", *FILES}
    monkeypatch.setattr(datasets, "parse_idx", lambda *a: pytest.fail("the cache should have been used"))
    _, (_, t_test) = load_mnist(data_dir=tmp_path)
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_cache_is_rebuilt_when_the_files_change(tmp_path):
    write_dataset(tmp_path, seed=0)
    load_mnist(data_dir=tmp_path)
    new = write_dataset(tmp_path, seed=1)
    (x_train, _), _ = load_mnist(normalize=False, data_dir=tmp_path)
    np.testing.assert_array_equal(x_train, new["x_train"].reshape(6, -1))


def test_broken_cache_is_ignored_and_replaced(tmp_path):
    arrays = write_dataset(tmp_path)
    (tmp_path / datasets.CACHE).write_bytes(b"PK\x03\x04 broken")
    _, (_, t_test) = load_mnist(data_dir=tmp_path)
    np.testing.assert_array_equal(t_test, arrays["t_test"])
    with np.load(tmp_path / datasets.CACHE, allow_pickle=False) as stored:
        np.testing.assert_array_equal(stored["t_test"], arrays["t_test"])


def test_interrupted_cache_write_leaves_nothing_behind(tmp_path, monkeypatch):
    write_dataset(tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_mnist(data_dir=tmp_path)
    assert sorted(os.listdir(tmp_path)) == sorted([*FILES.values(), "SHA256SUMS"])


def test_checksum_is_verified_even_when_a_cache_exists(tmp_path):
    write_dataset(tmp_path)
    load_mnist(data_dir=tmp_path)
    path = tmp_path / FILES["x_test"]
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(MnistFileError, match="t10k-images-idx3-ubyte.gz is truncated or altered"):
        load_mnist(data_dir=tmp_path)


def test_a_cache_holding_pickled_objects_is_never_unpickled(tmp_path, monkeypatch):
    arrays = write_dataset(tmp_path)
    load_mnist(data_dir=tmp_path)
    with np.load(tmp_path / datasets.CACHE) as stored:
        planted = {name: stored[name] for name in stored.files}
    planted["t_test"] = np.array([object()] * 3, dtype=object)  # np.save pickles object arrays
    np.savez(tmp_path / datasets.CACHE, **planted)
    monkeypatch.setattr("pickle.load", lambda *a, **k: pytest.fail("unpickled the cache"))
    _, (_, t_test) = load_mnist(data_dir=tmp_path)
    np.testing.assert_array_equal(t_test, arrays["t_test"])


@pytest.mark.parametrize("alter", [
    lambda arrays: arrays.update(t_test=(arrays["t_test"] + 1) % 10),  # labels changed, still 0 to 9
    lambda arrays: arrays.update(x_test=arrays["x_test"][:-1]),       # one image too few
    lambda arrays: arrays.update(t_train=arrays["t_train"].astype(np.int64)),
    lambda arrays: arrays.pop("digest"),                                # a cache from before the digest
])
def test_a_valid_cache_with_altered_contents_is_not_used(tmp_path, alter):
    arrays = write_dataset(tmp_path)
    load_mnist(data_dir=tmp_path)
    with np.load(tmp_path / datasets.CACHE, allow_pickle=False) as stored:
        planted = {name: stored[name] for name in stored.files}
    alter(planted)
    np.savez(tmp_path / datasets.CACHE, **planted)  # a well-formed .npz, with the right key
    datasets._LOADED.clear()  # forget the copy in memory, so the cache is read again
    (_, t_train), (x_test, t_test) = load_mnist(normalize=False, data_dir=tmp_path)
    np.testing.assert_array_equal(t_test, arrays["t_test"])
    np.testing.assert_array_equal(t_train, arrays["t_train"])
    assert x_test.shape == (3, ROWS * COLS)
    with np.load(tmp_path / datasets.CACHE, allow_pickle=False) as stored:  # and the cache is made right again
        np.testing.assert_array_equal(stored["t_test"], arrays["t_test"])


TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_the_shipped_mnist():
    (x_train, t_train), (x_test, t_test) = load_mnist()
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert x_train.dtype == np.float32 and t_train.dtype == np.uint8
    assert 0.0 == x_train.min() and x_train.max() == 1.0
    assert np.bincount(t_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(t_test, minlength=10).tolist() == TEST_COUNTS


def test_lazy_images_read_like_the_whole_array(tmp_path):
    write_dataset(tmp_path)
    for options in ({}, {"flatten": False, "dtype": np.float64}, {"normalize": False, "dtype": np.uint8}):
        (lazy, _), _ = load_mnist(data_dir=tmp_path, cache=False, **options)
        (eager, _), _ = load_mnist(data_dir=tmp_path, cache=False, lazy=False, **options)
        assert isinstance(lazy, datasets.MnistImages) and isinstance(eager, np.ndarray)
        assert lazy.shape == eager.shape and lazy.dtype == eager.dtype and len(lazy) == len(eager)
        assert lazy.ndim == eager.ndim and lazy.size == eager.size
        for index in (2, -1, slice(1, 4), np.array([5, 0, 5]), (3, 0), (slice(None, 2), 0)):
            got = lazy[index]
            assert type(got) is type(eager[index]) and np.asarray(got).dtype == eager.dtype
            np.testing.assert_array_equal(got, eager[index])
        np.testing.assert_array_equal(np.asarray(lazy), eager)
        np.testing.assert_array_equal(np.stack(list(lazy)), eager)
        assert lazy.min() == eager.min() and lazy.max() == eager.max()


def test_lazy_images_keep_bytes_and_say_how_to_get_the_array(tmp_path):
    write_dataset(tmp_path)
    (x_train, _), _ = load_mnist(data_dir=tmp_path, cache=False)
    assert x_train.pixels.dtype == np.uint8 and x_train.pixels.nbytes == 6 * ROWS * COLS
    assert "kept as uint8" in repr(x_train)
    with pytest.raises(AttributeError, match=r"np.asarray\(x\) or load_mnist\(lazy=False\)"):
        x_train.mean()
    with pytest.raises(ValueError, match="cannot avoid a copy"):
        np.asarray(x_train, copy=False)


def test_a_second_load_shares_the_bytes_in_memory(tmp_path):
    write_dataset(tmp_path)
    (first, labels), _ = load_mnist(data_dir=tmp_path)
    (second, _), _ = load_mnist(data_dir=tmp_path, dtype=np.float64, flatten=False)
    assert second.pixels is first.pixels and not first.pixels.flags.writeable
    labels[0] = 9  # the labels handed out are the learner's own copy
    _, _ = load_mnist(data_dir=tmp_path)
    assert load_mnist(data_dir=tmp_path)[0][1][0] == datasets.load_raw(tmp_path)["t_train"][0]


def test_one_hot_labels_come_from_the_one_one_hot(tmp_path, monkeypatch):
    write_dataset(tmp_path)
    calls = []
    monkeypatch.setattr(datasets, "one_hot", lambda *args: calls.append(args) or np.zeros((len(args[0]), 10)))
    load_mnist(data_dir=tmp_path, cache=False, one_hot_label=True)
    assert len(calls) == 2 and calls[0][1:] == (10, np.float32)


def test_the_mnist_files_are_named_once_in_datasets():
    from course_tools.classroom.lessons import MNIST_FILES

    assert set(FILES.values()) <= set(MNIST_FILES)
    root = Path(__file__).resolve().parents[1]
    for folder in ("course_lib", "course_tools", "benchmarks"):
        for path in (root / folder).rglob("*.py"):
            if path.name != "datasets.py":
                assert "-ubyte" not in path.read_text(encoding="utf-8"), f"{path} names MNIST's files: use datasets.FILES"


def age(folder, seconds=3600):
    """Give every file in folder a modification time ``seconds`` ago, as a copy made long before would have."""
    then = os.stat(folder).st_mtime_ns - seconds * 10**9
    for path in folder.iterdir():
        os.utime(path, ns=(then, then))


@pytest.fixture
def hashed(monkeypatch):
    """The sizes of everything load_mnist hashes (files and cache contents), in order, from now on."""
    sizes = []
    original = hashlib.sha256

    def counting(data=b""):
        sizes.append(len(data))
        return original(data)

    monkeypatch.setattr(datasets.hashlib, "sha256", counting)
    return sizes


def test_a_second_load_does_not_hash_the_files_again(tmp_path, hashed):
    arrays = write_dataset(tmp_path)
    age(tmp_path)
    hashed.clear()  # write_dataset hashed the files for SHA256SUMS
    load_mnist(data_dir=tmp_path)
    assert len(hashed) == 5  # the four files, then the cache's contents as it is written
    assert (tmp_path / datasets.STAMPS).exists()
    hashed.clear()
    datasets._LOADED.clear()  # as in a new kernel
    _, (_, t_test) = load_mnist(data_dir=tmp_path)
    load_mnist(data_dir=tmp_path)  # and again in the same kernel
    assert hashed == []
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_a_file_with_a_new_modification_time_is_hashed_again(tmp_path, hashed):
    write_dataset(tmp_path)
    age(tmp_path)
    load_mnist(data_dir=tmp_path)
    path = tmp_path / FILES["t_train"]
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # touched, the same bytes
    hashed.clear()
    datasets._LOADED.clear()
    load_mnist(data_dir=tmp_path)
    assert len(hashed) == 5  # every file, and the cache's contents before it is trusted
    hashed.clear()
    datasets._LOADED.clear()
    load_mnist(data_dir=tmp_path)
    assert hashed == []  # verified again, and stamped again


@pytest.mark.parametrize("new_kernel", [False, True])
def test_a_damaged_file_is_refused_after_a_load_that_trusted_it(tmp_path, new_kernel):
    """A byte changed in place (the same size) after a verified load is still found: its mtime changed."""
    write_dataset(tmp_path)
    age(tmp_path)
    load_mnist(data_dir=tmp_path)
    held = load_mnist(data_dir=tmp_path)  # trusted by its stamp, and kept in memory while held
    path = tmp_path / FILES["x_test"]
    data = bytearray(path.read_bytes())
    data[-6] ^= 0xFF
    path.write_bytes(bytes(data))
    if new_kernel:
        datasets._LOADED.clear()
    with pytest.raises(MnistFileError, match="t10k-images-idx3-ubyte.gz is truncated or altered"):
        load_mnist(data_dir=tmp_path)
    assert held[0][0].pixels is not None


def test_a_cache_changed_after_it_was_stamped_is_checked_again(tmp_path):
    arrays = write_dataset(tmp_path)
    age(tmp_path)
    load_mnist(data_dir=tmp_path)
    with np.load(tmp_path / datasets.CACHE, allow_pickle=False) as stored:
        planted = {name: stored[name] for name in stored.files}
    planted["t_test"] = (planted["t_test"] + 1) % 10
    np.savez(tmp_path / datasets.CACHE, **planted)
    age(tmp_path, seconds=1800)  # a later write: the cache's stamp is not the one recorded
    datasets._LOADED.clear()
    _, (_, t_test) = load_mnist(data_dir=tmp_path)
    np.testing.assert_array_equal(t_test, arrays["t_test"])


def test_files_just_written_are_hashed_on_every_load(tmp_path, hashed):
    """A file changed a moment ago could change again within the same tick of the file system's clock, the
    same size: its stamp is not trusted until it has settled."""
    write_dataset(tmp_path)
    load_mnist(data_dir=tmp_path)
    hashed.clear()
    datasets._LOADED.clear()
    load_mnist(data_dir=tmp_path)
    assert len(hashed) == 5
    assert not (tmp_path / datasets.STAMPS).exists()
