"""A private PulseAudio server with a virtual headset and a virtual microphone, for practice tests.

The server runs as a child of the test process (``pulseaudio -n --daemonize=no``
with its own config, socket and runtime folder, so it never touches a user's
sound server) and holds:

* ``headset`` — a null sink, the default output: what ``callcoach practice`` plays;
* ``micfeed`` — a null sink the test plays the agent's voice into (``paplay``);
* ``mic`` — a source remapped from ``micfeed.monitor``, the default input:
  the agent's microphone (or from ``headset.monitor`` with ``loopback=True``).

PortAudio reaches it through ALSA's ``pulse`` device (libasound2-plugins), so
``callcoach practice --input pulse --output pulse`` in a process started with
:meth:`PulseServer.env` records from ``mic`` and plays to ``headset``.

Use the ``pulse_server`` fixture (import it into the test module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import unavailable

CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1 socket={socket}
load-module module-null-sink sink_name=headset rate=16000 sink_properties=device.description=Headset
load-module module-null-sink sink_name=micfeed rate=16000 sink_properties=device.description=MicFeed
load-module module-remap-source source_name=mic master={mic_master} source_properties=device.description=Mic
set-default-sink headset
set-default-source mic
"""

_ALSA_PULSE = (
    "/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so",
    "/usr/lib/aarch64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so",
)


def missing() -> str | None:
    """Why a PulseAudio test cannot run here, or None."""
    for tool in ("pulseaudio", "paplay", "pactl"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
    if not any(Path(p).exists() for p in _ALSA_PULSE):
        return "ALSA's PulseAudio plug-in is not installed (apt-get install libasound2-plugins)"
    return None


class PulseServer:
    """Start and stop a private PulseAudio daemon.

    Parameters
    ----------
    loopback : bool
        The microphone hears the headset (``mic`` remaps ``headset.monitor``):
        an acoustic loop with no delay, to check what the recording says was
        heard against what the microphone picked up.

    Attributes
    ----------
    folder : Path
        Config, socket, runtime and home folder of the daemon.
    """

    def __init__(self, *, loopback: bool = False):
        self.mic_master = "headset.monitor" if loopback else "micfeed.monitor"
        self.folder = Path(tempfile.mkdtemp(prefix="callcoach-pulse-"))
        self.socket = self.folder / "native"
        self.process: subprocess.Popen | None = None
        self.log = self.folder / "pulseaudio.log"

    def env(self, base: dict | None = None) -> dict:
        """Environment for a client process: this server, its runtime folder, unbuffered Python output."""
        env = dict(os.environ if base is None else base)
        env.update(
            PULSE_SERVER=f"unix:{self.socket}",
            XDG_RUNTIME_DIR=str(self.folder / "run"),
            PULSE_COOKIE=str(self.folder / "cookie"),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, timeout_s: float = 10.0) -> PulseServer:
        (self.folder / "run").mkdir(mode=0o700)
        config = self.folder / "default.pa"
        config.write_text(CONFIG.format(socket=self.socket, mic_master=self.mic_master))
        env = self.env()
        env["HOME"] = str(self.folder)
        self.process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=false",
                "--disable-shm=yes",
                "--log-target=stderr",
                "-F",
                str(config),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "wb"),
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {self.log.read_text(errors='replace')[-2000:]}")
            done = subprocess.run(["pactl", "info"], env=self.env(), capture_output=True, text=True)
            if done.returncode == 0 and "Default Source: mic" in done.stdout:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("pulseaudio did not come up in time")

    def play_to_mic(self, wav: Path) -> subprocess.Popen:
        """Start playing ``wav`` into the virtual microphone; returns the paplay process."""
        return subprocess.Popen(
            ["paplay", "--device=micfeed", str(wav)], env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pulse_server():
    """A running private PulseAudio server (skips the test when PulseAudio is not installed; fails in CI)."""
    reason = missing()
    if reason:
        unavailable(reason)
    server = PulseServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pulse_loopback():
    """A private PulseAudio server whose microphone hears the headset."""
    reason = missing()
    if reason:
        unavailable(reason)
    server = PulseServer(loopback=True).start()
    try:
        yield server
    finally:
        server.stop()
