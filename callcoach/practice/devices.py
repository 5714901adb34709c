"""Practice stage: the audio devices PortAudio can open (through :mod:`sounddevice`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import DeviceError

__all__ = ["DeviceInfo", "list_devices", "resolve_device", "sounddevice_module"]


def sounddevice_module():
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library missing
        raise DeviceError(f"audio is not available: {exc} (install libportaudio2)") from None
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    """An audio device as PortAudio lists it."""

    index: int
    name: str
    hostapi: str
    inputs: int
    outputs: int
    default_samplerate_hz: float
    default_input: bool
    default_output: bool


def list_devices() -> list[DeviceInfo]:
    """The audio devices PortAudio can open.

    Raises
    ------
    DeviceError
        PortAudio is missing or cannot list devices.
    """
    sd = sounddevice_module()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices: {exc}") from None
    out = []
    for d in devices:
        out.append(
            DeviceInfo(
                index=int(d["index"]),
                name=str(d["name"]),
                hostapi=str(apis[d["hostapi"]]["name"]),
                inputs=int(d["max_input_channels"]),
                outputs=int(d["max_output_channels"]),
                default_samplerate_hz=float(d["default_samplerate"]),
                default_input=int(d["index"]) == default_in,
                default_output=int(d["index"]) == default_out,
            )
        )
    return out


def resolve_device(spec: str | int | None, kind: str) -> int:
    """The PortAudio index of an input or output device given by index or by (part of) its name.

    Raises
    ------
    DeviceError
        No such device, several match, or it has no channels of that kind.
    """
    sd = sounddevice_module()
    if isinstance(spec, str) and spec.strip().isdigit():
        spec = int(spec)
    try:
        info = sd.query_devices(spec, kind)
    except ValueError as exc:
        text = str(exc)
        if spec is None:
            raise DeviceError(
                f"no default {kind} device ({text}); see `callcoach devices` and pass --{kind} DEVICE"
            ) from None
        if "Multiple" in text:
            raise DeviceError(
                f"several {kind} devices match {spec!r}; give the index from `callcoach devices`"
            ) from None
        raise DeviceError(f"no {kind} device {spec!r} (see `callcoach devices`)") from None
    except sd.PortAudioError as exc:
        if spec is None:
            raise DeviceError(
                f"no default {kind} device ({exc}); is a sound server running? "
                f"see `callcoach devices` and pass --{kind} DEVICE"
            ) from None
        raise DeviceError(f"no {kind} device {spec!r} ({exc}); see `callcoach devices`") from None
    channels = info["max_input_channels" if kind == "input" else "max_output_channels"]
    if channels < 1:
        raise DeviceError(f"device {info['name']!r} has no {kind} channels (see `callcoach devices`)")
    return int(info["index"])
