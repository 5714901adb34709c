"""callcoach devices: the audio devices a practice session can use."""

from __future__ import annotations

from rich.table import Table

from ..errors import DeviceError
from ..practice import list_devices


def add_parser(sub) -> None:
    p = sub.add_parser(
        "devices",
        help="list audio devices for `callcoach practice`",
        description="List the microphones and headsets PortAudio can open; pass the index or "
        "part of the name to `callcoach practice --input/--output`.",
    )
    p.set_defaults(run=run)


def run(args, console) -> int:
    devices = list_devices()
    if not devices:
        raise DeviceError(
            "no audio devices found (is a sound server such as PulseAudio running, and are "
            "libportaudio2 and libasound2-plugins installed?)"
        )
    table = Table(title="Audio devices")
    for col, justify in (
        ("#", "right"),
        ("name", "left"),
        ("host API", "left"),
        ("in", "right"),
        ("out", "right"),
        ("rate", "right"),
        ("default", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for d in devices:
        default = ", ".join(k for k, v in (("input", d.default_input), ("output", d.default_output)) if v)
        table.add_row(
            str(d.index), d.name, d.hostapi, str(d.inputs), str(d.outputs), f"{d.default_samplerate_hz:g}", default
        )
    console.print(table)
    return 0
