"""Argument groups shared by several commands."""

from __future__ import annotations

import argparse


def add_audio_layout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layout", choices=("stereo", "mono"),
                        help="stereo: agent and customer on separate channels; mono: one mixed channel "
                             "(default: from the file's channel count)")
    parser.add_argument("--agent-channel", choices=("left", "right"), default="left",
                        help="which stereo channel is the agent's (default: left)")


def add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH_OR_NAME",
                        help="Vosk model folder or registry name (default: the installed model "
                             "for the call's language; see `callcoach models list`)")
