"""MNIST from the files shipped with the course: checked, parsed with numpy, no download, no pickle.

load_mnist(...)  ->  ((x_train, t_train), (x_test, t_test))

The folder holds the four gzip-compressed IDX files and SHA256SUMS.  It is, in this order:
the ``data_dir`` argument, the environment variable COURSE_MNIST_DIR, or the course's data/mnist.
Every file's SHA-256 is checked before it is trusted.  The images stay uint8 in memory (MnistImages):
only the rows a program reads (a mini-batch, a chunk to evaluate) are converted to float.  The parsed bytes are kept in an .npz cache
(loaded with allow_pickle=False, written atomically, rebuilt whenever the checksums change).

Hashing the files (11 MB) and the cache (55 MB) takes longer than loading them, so it is done only when
needed.  Beside the cache, mnist-cache.verified.json remembers the stamp (size, mtime_ns) of each file as it
was when its SHA-256 was checked, and the cache's own stamp as written.  A load whose files and cache still
have those stamps, under the same SHA256SUMS, trusts them without hashing; any other load hashes every
file, so a changed file (a new size or modification time: truncated, edited, copied over) is still refused
with MnistFileError.  A file modified less than STAMP_SETTLE_NS before it is checked is not stamped (its
next change could fall in the same tick of the file system's clock), so it is hashed again next time.
"""
import gzip
import hashlib
import json
import os
import tempfile
import time
import weakref
import zlib
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from . import paths
from .errors import CourseError, CourseTypeError, CourseValueError
from .learner.functions import one_hot

ENV_VAR = "COURSE_MNIST_DIR"
FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "t_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "t_test": "t10k-labels-idx1-ubyte.gz",
}
CHECKSUMS = "SHA256SUMS"
CACHE = "mnist-cache.npz"
STAMPS = "mnist-cache.verified.json"  # the stamps of the files and the cache when they were last verified
STAMP_SETTLE_NS = 2_000_000_000  # a file changed less than 2 s before it is checked is hashed again next time
N_CLASSES = 10
IDX_UBYTE = 0x08  # the IDX type code of unsigned bytes, the only one MNIST uses


class MnistFileError(CourseError, OSError, ValueError):
    """A data file is missing, truncated or altered.  The message names it and says how to restore it."""


def load_mnist(normalize=True, flatten=True, one_hot_label=False, dtype=np.float32, data_dir=None, cache=True,
               lazy=True):
    """Load MNIST as the seeds' loader does.

    normalize: pixel values in [0, 1] (else 0 to 255).  flatten: images (N, 784), else (N, 1, 28, 28).
    one_hot_label: labels (N, 10) in ``dtype``, else (N,) uint8 class indices.
    dtype: of the images (np.uint8 with normalize=False gives the raw bytes).
    data_dir: folder of the files; default $COURSE_MNIST_DIR, else the course's data/mnist.
    cache: keep the parsed bytes in <data_dir>/mnist-cache.npz to load faster next time, and the files'
    stamps (size, mtime) in mnist-cache.verified.json, so unchanged files are not hashed again.
    lazy: keep the images as the files' bytes (uint8, 47 MB for the training set) in an MnistImages,
    which converts only the rows you read (x[batch_mask], x[:3]) to ``dtype``, normalized and shaped as
    asked.  lazy=False converts everything at once into numpy arrays: 188 MB in float32, 376 MB in float64.
    Returns ((x_train, t_train), (x_test, t_test)): 60000 training and 10000 test samples.
    Raises MnistFileError for a missing, truncated or altered file.
    """
    dtype = _checked_dtype(dtype)
    if normalize and not np.issubdtype(dtype, np.floating):
        raise CourseValueError(f"load_mnist: normalize=True needs a float dtype, got {dtype} "
                               "(use np.float32, or normalize=False for the raw bytes)")
    raw = load_raw(data_dir, cache=cache)
    out = {}
    for key in ("x_train", "x_test"):
        images = MnistImages(raw[key], flatten=flatten, dtype=dtype, normalize=normalize)
        images.loaded_from = raw
        out[key] = images if lazy else images[:]
    for key in ("t_train", "t_test"):
        labels = raw[key]
        out[key] = one_hot(labels, N_CLASSES, dtype) if one_hot_label else labels.copy()
    return (out["x_train"], out["t_train"]), (out["x_test"], out["t_test"])


DTYPES = ("float32", "float64", "uint8")  # uint8: the raw bytes, with normalize=False


def _checked_dtype(dtype):
    """``dtype`` as a numpy dtype, if it is one load_mnist gives (DTYPES); else a clear error."""
    try:
        checked = np.dtype(dtype)
    except (TypeError, ValueError):
        checked = None
    if checked is None or checked.name not in DTYPES:
        raise CourseTypeError(
            f"load_mnist: dtype must be one of {', '.join(f'np.{name}' for name in DTYPES)} "
            f"(uint8 with normalize=False), got {dtype!r}"
        )
    return checked


class MnistImages:
    """MNIST images kept as the files' bytes (uint8: 1 byte a pixel), converted only when read.

    It reads like the float array load_mnist(lazy=False) returns: ``x[i]``, ``x[a:b]`` and
    ``x[index_array]`` give numpy arrays of ``dtype``, normalized and shaped as asked, holding only
    those rows; ``x.shape``, ``x.dtype``, ``len(x)``, ``x.min()``, ``x.max()`` describe the whole.
    ``np.asarray(x)`` converts every image at once (4 bytes a pixel in float32): only for who needs it.
    pixels: (N, rows, cols) uint8.  flatten: samples (rows·cols,), else (1, rows, cols).
    """

    def __init__(self, pixels, flatten=True, dtype=np.float32, normalize=True):
        self.pixels = pixels
        rows, cols = pixels.shape[1:]
        self.sample_shape = (rows * cols,) if flatten else (1, rows, cols)
        self.dtype = np.dtype(dtype)
        self.normalize = normalize
        self.loaded_from = None  # load_mnist's shared arrays, kept alive while these images live

    @property
    def shape(self):
        return (len(self.pixels), *self.sample_shape)

    @property
    def ndim(self):
        return 1 + len(self.sample_shape)

    @property
    def size(self):
        return int(np.prod(self.shape))

    def __len__(self):
        return len(self.pixels)

    def __getitem__(self, index):
        """x[rows] or x[rows, ...]: only the rows asked for are converted."""
        if isinstance(index, tuple):
            rows = self[index[0]]
            return rows[index[1:]] if np.ndim(index[0]) == 0 and not isinstance(index[0], slice) else rows[(slice(None), *index[1:])]
        picked = self.pixels[index]  # uint8: (28, 28) for one row, (n, 28, 28) for several
        shape = self.sample_shape if picked.ndim == 2 else (len(picked), *self.sample_shape)
        return self._convert(picked.reshape(shape))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise CourseValueError("MnistImages converts its uint8 pixels, so np.asarray(x, copy=False) cannot avoid a copy")
        images = self[:]
        return images if dtype is None else images.astype(dtype)

    def min(self):
        return self._convert(self.pixels.min())

    def max(self):
        return self._convert(self.pixels.max())

    def _convert(self, pixels):
        """uint8 pixels -> ``dtype``, divided by 255 if normalize (in one pass: no uint8-sized detour)."""
        if self.normalize:
            return np.divide(pixels, 255, dtype=self.dtype)
        return pixels.astype(self.dtype)

    def __repr__(self):
        scale = "in [0, 1]" if self.normalize else "0 to 255"
        return (f"MnistImages({self.shape}, read as {self.dtype} {scale}; "
                f"kept as uint8, {self.pixels.nbytes / 2**20:.0f} MB)")

    def __getattr__(self, name):
        if name.startswith("__") or name in ("pixels", "sample_shape", "dtype", "normalize", "loaded_from"):
            raise AttributeError(name)
        raise AttributeError(
            f"MnistImages has no .{name}: it keeps the images as uint8 and converts the rows you read. "
            f"Read rows (x[:100].{name}), or ask for the whole array: np.asarray(x) or load_mnist(lazy=False) "
            f"({self.size * self.dtype.itemsize / 2**20:.0f} MB as {self.dtype})")


def mnist_dir(data_dir=None):
    """The folder to read: the argument, else $COURSE_MNIST_DIR, else the course's data/mnist."""
    if data_dir is not None:
        return Path(data_dir)
    return Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else paths.mnist_dir()


def load_raw(data_dir=None, cache=True):
    """{x_train, t_train, x_test, t_test: read-only uint8 arrays as stored}, images (N, 28, 28), labels (N,)."""
    folder = mnist_dir(data_dir)
    expected = read_checksums(folder)
    cache_key = np.array([expected[name] for name in FILES.values()])
    stamps = file_stamps(folder)  # taken before reading: a change while reading shows up next time
    in_memory = _already_loaded(folder, cache_key)
    if in_memory is not None and in_memory.verified_stamps == stamps:
        return in_memory  # the same files, unchanged since they were verified
    raw = _read_stamped_cache(folder, cache_key, stamps) if cache and in_memory is None else None
    if raw is None:  # a first load, a changed file or cache, or no cache: check every file's SHA-256
        file_bytes = {key: read_verified(folder, name, expected) for key, name in FILES.items()}
        raw = in_memory
        if raw is None and cache:
            raw = _read_cache(folder / CACHE, cache_key)
            if raw is not None:
                _write_stamps(folder, cache_key, stamps)
        if raw is None:
            raw = {key: parse_idx(_gunzip(folder / FILES[key], data), folder / FILES[key])
                   for key, data in file_bytes.items()}
            _check_pairs(raw, folder)
            if cache and _write_cache(folder / CACHE, cache_key, raw):
                _write_stamps(folder, cache_key, stamps)
    return _share(folder, cache_key, stamps, raw)


class LoadedMnist(dict):
    """{x_train, t_train, x_test, t_test: read-only uint8 arrays}; the MnistImages made from it keep it alive.

    verified_stamps: the files' stamps when they were verified (None if they had not settled)."""

    verified_stamps = None


# The arrays already in memory, shared by every load_mnist() of the same files while anything still
# holds them: a second load_mnist() in a lesson costs no second copy of the pixels.
_LOADED = weakref.WeakValueDictionary()


def _already_loaded(folder, cache_key):
    return _LOADED.get((str(Path(folder).resolve()), *cache_key))


def _share(folder, cache_key, stamps, raw):
    if not isinstance(raw, LoadedMnist):
        raw = LoadedMnist(raw)
        for array in raw.values():
            array.flags.writeable = False
        _LOADED[(str(Path(folder).resolve()), *cache_key)] = raw
    raw.verified_stamps = stamps if _settled(stamps) else None
    return raw


@contextmanager
def _reading(path):
    """A missing or unreadable MNIST file becomes a MnistFileError that says how to restore it."""
    try:
        yield
    except FileNotFoundError as err:
        raise MnistFileError(_restore_message(path, "is missing")) from err
    except OSError as err:
        raise MnistFileError(_restore_message(path, f"cannot be read ({err.strerror or err})")) from err


def file_stamps(folder):
    """{file name: [size, mtime_ns]} of the four files; MnistFileError for a missing one."""
    stamps = {}
    for name in FILES.values():
        path = Path(folder) / name
        with _reading(path):
            stat = path.stat()
        stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def _settled(stamps):
    """Every file last changed at least STAMP_SETTLE_NS ago: a later change gives it another stamp."""
    return all(mtime_ns < time.time_ns() - STAMP_SETTLE_NS for _, mtime_ns in stamps.values())


def _cache_stamp(path):
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _read_stamped_cache(folder, cache_key, stamps):
    """The cached arrays, without hashing, if the files and the cache still have the stamps recorded when
    they were last verified, under the same checksums; else None."""
    try:
        recorded = json.loads((folder / STAMPS).read_text())
        if (recorded["checksums"] != cache_key.tolist() or recorded["files"] != stamps
                or recorded["cache"] != _cache_stamp(folder / CACHE)):
            return None
        with np.load(folder / CACHE, allow_pickle=False) as cached:
            if not np.array_equal(cached["key"], cache_key):
                return None
            return {key: cached[key] for key in FILES}
    except Exception:  # no stamps yet, or broken ones: verify as on a first load
        return None


def _write_stamps(folder, cache_key, stamps):
    """Record the stamps of the files just verified and of the cache just verified or written; only if every
    file has settled (else remove an older record, and the next load verifies again)."""
    path = folder / STAMPS
    cache_stamp = _cache_stamp(folder / CACHE)
    if cache_stamp is None or not _settled(stamps):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        return
    _write_atomically(path, json.dumps({"checksums": cache_key.tolist(), "files": stamps, "cache": cache_stamp}),
                      prefix=".mnist-stamps-")


def read_checksums(folder):
    """{file name: sha256 hex} from <folder>/SHA256SUMS (the format of `sha256sum`)."""
    path = Path(folder) / CHECKSUMS
    try:
        lines = path.read_text().splitlines()
    except OSError as err:
        raise MnistFileError(_restore_message(path, f"cannot be read ({err.strerror or err})")) from err
    expected = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2:
            expected[parts[1].lstrip("*")] = parts[0].lower()
    missing = [name for name in FILES.values() if name not in expected]
    if missing:
        raise MnistFileError(_restore_message(path, f"has no checksum for {', '.join(missing)}"))
    return expected


def read_verified(folder, name, expected):
    """The bytes of <folder>/<name>, after checking their SHA-256 against ``expected[name]``."""
    path = Path(folder) / name
    with _reading(path):
        data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected[name]:
        raise MnistFileError(_restore_message(
            path, f"is truncated or altered: its SHA-256 is {actual}, but {CHECKSUMS} expects {expected[name]}"))
    return data


def parse_idx(data, path="IDX data"):
    """An uncompressed IDX file of unsigned bytes -> a uint8 array of the shape its header gives.

    Header: two zero bytes, the type code (0x08 = unsigned byte), the number of dimensions k,
    then k sizes as big-endian 32-bit integers; then the values, row-major.
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise MnistFileError(_restore_message(path, "is not an IDX file (it must begin with two zero bytes)"))
    type_code, n_dims = data[2], data[3]
    if type_code != IDX_UBYTE:
        raise MnistFileError(_restore_message(path, f"holds IDX type 0x{type_code:02x}; only 0x08 (unsigned byte) is read"))
    header_size = 4 + 4 * n_dims
    if len(data) < header_size:
        raise MnistFileError(_restore_message(path, "is truncated inside its IDX header"))
    shape = tuple(int(size) for size in np.frombuffer(data, dtype=">u4", count=n_dims, offset=4))
    n_values = int(np.prod(shape, dtype=np.int64))
    if len(data) - header_size != n_values:
        raise MnistFileError(_restore_message(
            path, f"has {len(data) - header_size} bytes of values, but its header {shape} announces {n_values}"))
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape)


def _gunzip(path, data):
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise MnistFileError(_restore_message(path, f"is not a valid gzip file ({err})")) from err


def _check_pairs(raw, folder):
    for images, labels in (("x_train", "t_train"), ("x_test", "t_test")):
        x, t = raw[images], raw[labels]
        if x.ndim != 3 or t.ndim != 1 or len(x) != len(t):
            raise MnistFileError(_restore_message(
                folder / FILES[images],
                f"does not fit {FILES[labels]}: images {x.shape} (expected (N, rows, cols)), labels {t.shape} (expected (N,))"))
        if t.size and t.max() >= N_CLASSES:
            raise MnistFileError(_restore_message(folder / FILES[labels], f"holds label {t.max()}; MNIST has 0 to 9"))


def _read_cache(path, cache_key):
    """The cached arrays if the cache exists, is readable, was made from files with these checksums, and
    its arrays are the ones written (their own SHA-256, ``digest``: an altered label or a truncated
    array in an otherwise valid .npz is not used)."""
    try:
        with np.load(path, allow_pickle=False) as cached:
            if cached["key"].shape != cache_key.shape or not np.array_equal(cached["key"], cache_key):
                return None
            arrays = {key: cached[key] for key in FILES}
            if str(cached["digest"]) != _content_digest(arrays):
                return None
            return arrays
    except Exception:  # no cache yet, or a broken one: it is only a cache, so rebuild it
        return None


def _content_digest(raw):
    """SHA-256 over the arrays' names, shapes, dtypes and bytes: the cache's checksum of its own contents."""
    digest = hashlib.sha256()
    for key in FILES:
        array = np.ascontiguousarray(raw[key])
        digest.update(f"{key} {array.shape} {array.dtype.str};".encode())
        digest.update(array.data)
    return digest.hexdigest()


def _write_cache(path, cache_key, raw):
    """Write the .npz next to the data, atomically; True if written (a read-only folder goes without)."""
    return _write_atomically(path, lambda tmp: np.savez(tmp, key=cache_key, digest=np.array(_content_digest(raw)),
                                                         **raw), prefix=".mnist-cache-")


def _write_atomically(path, content, prefix):
    """Write ``content`` (text, or a function writing to a binary file) under a temporary name next to
    ``path``, then rename: never a half-written file.  True if written; False on a read-only folder or a
    full disk."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as tmp:
            if callable(content):
                content(tmp)
            else:
                tmp.write(content.encode())
        os.chmod(tmp_name, 0o644)  # mkstemp makes it private; a cache may be shared like the data
        os.replace(tmp_name, path)
        return True
    except OSError:  # e.g. a full disk: go without
        Path(tmp_name).unlink(missing_ok=True)
        return False
    except BaseException:  # interrupted: leave no temporary file behind
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _restore_message(path, problem):
    return (
        f"MNIST file {path} {problem}. Restore it: copy the four .gz files and {CHECKSUMS} from the course "
        f"repository's data/mnist/ folder (in a git clone: `git checkout -- data/mnist`), "
        f"or point load_mnist(data_dir=...) or ${ENV_VAR} at a folder that holds them."
    )
