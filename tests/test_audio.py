"""Audio stage: formats, rates, streaming, and the errors a user sees."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from callcoach import audio
from callcoach.errors import AudioError


def tone(sr: int, seconds: float, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


@pytest.mark.parametrize(
    "suffix,subtype",
    [
        (".wav", "PCM_16"),
        (".wav", "PCM_24"),
        (".wav", "PCM_32"),
        (".wav", "FLOAT"),
        (".flac", "PCM_16"),
        (".ogg", "VORBIS"),
    ],
)
def test_reads_formats(tmp_path, suffix, subtype):
    path = tmp_path / f"call{suffix}"
    sf.write(path, tone(16000, 2.0), 16000, subtype=subtype)
    frames, sr = audio.load(path)
    assert sr == 16000 and frames.shape[1] == 1
    assert abs(len(frames) - 32000) <= 64
    assert 0.3 < np.abs(frames).max() <= 0.55


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000])
def test_resamples_to_model_rate_keeping_pitch_and_length(tmp_path, rate):
    path = tmp_path / "call.wav"
    sf.write(path, np.stack([tone(rate, 3.0, 440.0), tone(rate, 3.0, 1000.0)], axis=1), rate)
    frames, sr = audio.load(path, samplerate=16000)
    assert sr == 16000
    assert abs(len(frames) - 48000) <= 16
    # the spectrum peak of each channel stays at its frequency
    for ch, hz in ((0, 440.0), (1, 1000.0)):
        spectrum = np.abs(np.fft.rfft(frames[8000:40000, ch]))
        peak_hz = np.argmax(spectrum) * 16000 / 32000
        assert abs(peak_hz - hz) < 2.0


def test_blocks_stream_with_exact_offsets(tmp_path):
    path = tmp_path / "long.wav"
    sf.write(path, tone(8000, 10.3), 8000)
    starts, total = [], 0
    for start_s, block in audio.blocks(path, block_s=1.0, samplerate=16000):
        assert abs(start_s - total / 16000) < 1e-9
        starts.append(start_s)
        total += len(block)
    assert abs(total - 10.3 * 16000) <= 16
    assert len(starts) >= 10


def test_stereo_channels_are_separable(tmp_path):
    path = tmp_path / "st.wav"
    silent = np.zeros(16000, np.float32)
    sf.write(path, np.stack([silent, tone(16000, 1.0)], axis=1), 16000)
    frames, _ = audio.load(path)
    assert np.abs(audio.channel(frames, "left")).max() == 0
    assert np.abs(audio.channel(frames, "right")).max() > 0.4


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"", "file is empty"),
        (b"this is a text file, not audio at all" * 10, "not a readable audio file"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00", "not a readable audio file"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, content, problem):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as err:
        audio.info(path)
    message = str(err.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        audio.info(tmp_path / "nope.wav")


def test_rate_outside_range_is_refused(tmp_path):
    path = tmp_path / "low.wav"
    sf.write(path, tone(4000, 1.0), 4000)
    with pytest.raises(AudioError, match="outside the supported 8000-48000 Hz"):
        audio.info(path)


def test_header_only_wav_has_no_samples(tmp_path):
    path = tmp_path / "zero.wav"
    sf.write(path, np.zeros(0, np.float32), 16000)
    with pytest.raises(AudioError, match="no samples"):
        audio.info(path)
