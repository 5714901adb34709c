"""callcoach: offline telephone-etiquette coaching.

The pipeline, one module per stage, data flowing forward only::

    audio -> signals (tones, activity, voice) -> transcript (transcribe / imported)
          -> rules -> scorecard -> reports

The library never prints and never exits; :mod:`callcoach.cli` is the only edge
that talks to a terminal.
"""

__version__ = "0.1.0"
