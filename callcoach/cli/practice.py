"""callcoach practice: a rehearsal call on a headset, then its scorecard."""

from __future__ import annotations

import json
import os
import select
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from rich.console import Group
from rich.live import Live
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import models
from ..packs import load_pack
from ..practice import (
    PracticeOptions,
    PracticeSession,
    SessionEvent,
    SessionState,
    default_record_path,
    resolve_device,
    score_session,
)
from ..practice.coach import practice_texts
from ..progress import open_db, record_card
from ..render import scorecard_view
from ..rules.base import mmss
from ..scenarios import load_scenario, scenario_names
from ..transcribe import LIVE_FRAMES_PER_CHUNK, Engine
from .options import add_model
from .progress import add_db_option, default_db

#: Unattended sessions (stdin not a terminal) end after this long unless --max-seconds says otherwise.
UNATTENDED_MAX_S = 900.0
#: Bundled scenario used when none is given, per language.
DEFAULT_SCENARIOS = {"zh": "install-request", "en": "en-internet-outage"}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "practice",
        help="rehearse a call on a headset: ring, simulated caller, live transcript",
        description="Rehearse a call: the headset rings until you answer (speak, or press space), "
        "a simulated caller speaks the scenario's lines after each of your turns, "
        "and the call is recorded and scored. Press q to hang up. Without a terminal "
        "on standard input it runs unattended until the scenario or --max-seconds ends.",
    )
    p.add_argument(
        "--scenario",
        metavar="FILE|NAME",
        help=f"scenario TOML file or bundled name ({', '.join(scenario_names())}); "
        "default: install-request (zh) / en-internet-outage (en)",
    )
    p.add_argument("--company", help="company name to use in your greeting (default: the scenario's)")
    p.add_argument("--agent", help="your name, as you introduce yourself (default: the scenario's)")
    p.add_argument("--input", metavar="DEV", help="microphone: device index or name (see `callcoach devices`)")
    p.add_argument("--output", metavar="DEV", help="headset: device index or name (see `callcoach devices`)")
    p.add_argument("--region", choices=("cn", "na", "uk"), help="ring cadence (default: the scenario's)")
    p.add_argument(
        "--record",
        metavar="FILE.wav",
        help="where to record the call (default: practice-SCENARIO-TIME.wav in the current folder)",
    )
    p.add_argument("--max-seconds", type=float, metavar="N", help="end the call after N seconds")
    p.add_argument("--lang", choices=("zh", "en"), help="call language (default: the scenario's)")
    p.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PACK.toml",
        help="a trainer's rule pack merged over the bundled one (repeatable)",
    )
    add_db_option(p, "record the session in")
    p.add_argument("--no-db", action="store_true", help="do not record the session in the progress database")
    add_model(p)
    p.set_defaults(run=run)


def run(args, console) -> int:
    scenario = load_scenario(args.scenario or DEFAULT_SCENARIOS[args.lang or "zh"])
    language = args.lang or scenario.language
    pack = load_pack(language, args.rules)
    record = Path(args.record) if args.record else default_record_path(scenario)
    interactive = sys.stdin.isatty()
    max_s = args.max_seconds if args.max_seconds is not None else (None if interactive else UNATTENDED_MAX_S)
    resolve_device(args.input, "input")  # a missing device fails now, before the model loads
    resolve_device(args.output, "output")
    engine = Engine(models.resolve(args.model, language=language), frames_per_chunk=LIVE_FRAMES_PER_CHUNK)
    options = PracticeOptions(
        record_path=record,
        company=args.company,
        agent=args.agent,
        language=language,
        region=args.region,
        input_device=args.input,
        output_device=args.output,
        max_seconds=max_s,
    )
    session = PracticeSession(scenario, engine, options, pack=pack)
    company = args.company or scenario.company
    agent = args.agent or scenario.agent
    words = practice_texts(language, "session")
    console.print(
        Text.assemble(
            (words["scenario"], "bold"), scenario.title, (f"  ({scenario.path})" if scenario.path else "", "dim")
        ),
        soft_wrap=True,
    )
    brief = scenario.briefing(company=args.company, agent=args.agent)
    if brief:
        console.print(Text(brief), style="italic")
    if agent and company:
        console.print(Text(words["you_are"].format(agent=agent, company=company)))
    elif agent:
        console.print(Text(words["you_are_agent"].format(agent=agent)))
    console.print(Text(words["recording"].format(path=record)), highlight=False, soft_wrap=True)
    if interactive:
        console.print(Text(words["keys"], style="bold"))
        with _keys(session), Live(console=console, refresh_per_second=10, transient=True) as live:
            result = session.run(lambda event, state: _live_update(live, event, state, scenario.title))
    else:
        result = session.run(lambda event, state: _log_event(console, event, state))
    how = words.get(f"end_{result.ended_by}", result.ended_by)
    console.print(
        Text(words["call_ended"].format(how=how, duration=mmss(result.duration_s), path=record)),
        highlight=False,
        soft_wrap=True,
    )
    if result.fell_behind:
        d = result.dropouts
        note = words["dropouts"].format(
            stall=d.get("longest_stall_s", 0.0), lost=d.get("input_overflows", 0), dry=d.get("output_underflows", 0)
        )
        console.print(Text(note, style="yellow"), soft_wrap=True)
    if result.slow_headset:
        console.print(
            Text(words["slow_headset"].format(latency=result.output_latency_s), style="yellow"), soft_wrap=True
        )
    if result.duration_s <= 0:
        return 1
    card = score_session(result, engine=engine, pack=pack).to_dict()
    out = record.with_suffix(".json")
    out.write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    console.print(scorecard_view(card))
    console.print(Text(words["saved"].format(path=out)), highlight=False, soft_wrap=True)
    if not args.no_db:
        db_path = args.db or default_db()
        db = open_db(db_path)
        try:
            record_card(db, card, kind="practice", scenario=scenario.name)
        finally:
            db.close()
        console.print(Text(words["progress"].format(path=db_path)), highlight=False, soft_wrap=True)
    return 0


#: Endings in the unattended event log (kept in English: a log for scripts and trainers).
_ENDINGS = {
    "caller": "the caller hung up",
    "agent": "you hung up",
    "time_limit": "time limit",
    "no_answer": "nobody answered",
    "interrupted": "interrupted",
    "stopped": "stopped",
    "error": "error",
}


def _log_event(console, event: SessionEvent, state: SessionState) -> None:
    """Unattended mode: one plain line per event (no live display)."""
    if event.kind == "tick":
        return
    words = {
        "recording": "recording started",
        "ringing": "ringing",
        "answered": f"answered ({event.text}) after {state.rings or 0:.1f} rings",
        "caller_line": f"caller: {event.text}",
        "caller_done": f"caller line {state.line_number} ended",
        "agent_turn": f"agent: {event.text}",
        "hold_start": f"hold timer started ({event.text})",
        "hold_warn": f"hold countdown ({event.text})",
        "hint": f"hint: {event.text}",
        "hold_over": f"hold over {state.hold_limit_s:g} s ({event.text})",
        "hold_end": f"hold ended ({event.text})",
        "ended": f"call ended ({_ENDINGS.get(event.text or '', event.text)})",
    }
    console.print(
        f"{event.at_s:7.2f} {words.get(event.kind, event.kind)}", markup=False, highlight=False, soft_wrap=True
    )


def _live_update(live: Live, event: SessionEvent, state: SessionState, title: str) -> None:
    live.update(_view(state, title))


def _view(state: SessionState, title: str):
    words = practice_texts(state.language, "session")
    status = Text()
    if state.phase == "starting":
        status.append(words["starting"], style="dim")
    elif state.phase == "ringing":
        status.append(words["ringing"].format(ring=int(state.rings or 0) + 1), style="bold yellow")
        status.append("   " + words["pick_up"], style="dim")
    elif state.phase == "call":
        status.append(words["on_call"], style="bold green")
        if state.caller_speaking:
            status.append("   " + words["caller_speaking"], style="cyan")
        status.append("   " + words["caller_line"].format(line=state.line_number, total=state.lines_total), style="dim")
    else:
        status.append(words["ended"], style="bold")
    clock = Text(words["elapsed"].format(elapsed=mmss(state.elapsed_s)))
    if state.answer_s is not None and state.rings is not None:
        clock.append("   " + words["answered_after"].format(rings=state.rings), style="dim")
    hold = Text()
    if state.hold_kind is not None:
        label = words["on_hold"] if state.hold_kind == "announced" else words["silence"]
        hold.append(f"{label} {state.hold_s:4.1f} s", style="bold red" if state.hold_over else "bold yellow")
        if state.hold_over:
            hold.append("  " + words["over"].format(limit=state.hold_limit_s), style="red")
    hint = Text()
    if state.hint:
        hint.append(f"💡 {state.hint}", style="bold red" if state.hint_severity == "error" else "bold magenta")
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for speaker, start_s, text in state.transcript[-10:]:
        who = Text(words["caller"], style="cyan") if speaker == "customer" else Text(words["you"], style="green")
        table.add_row(mmss(start_s), who, Text(text))
    if state.partial:
        table.add_row("", Text(words["you"], style="green"), Text(state.partial, style="italic dim"))
    meter = "▮" * max(0, min(20, int((state.mic_dbfs + 70) / 3.5)))
    body = Group(status, clock, hold, hint, table, Text(f"{words['mic']} {meter}", style="dim"))
    return Panel(body, title=escape(title), subtitle=words["subtitle"], border_style="blue")


@contextmanager
def _keys(session: PracticeSession):
    """Read single key presses from the terminal while the call runs: space picks up, q hangs up."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            key = os.read(fd, 1).decode("utf-8", "ignore").lower()
            if key in (" ", "a", "\r", "\n"):
                session.answer()
            if key in ("q", "h", "\x1b"):
                session.hang_up()

    tty.setcbreak(fd)
    reader = threading.Thread(target=read, name="practice-keys", daemon=True)
    reader.start()
    try:
        yield
    finally:
        done.set()
        reader.join(timeout=1.0)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
