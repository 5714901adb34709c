"""Reports stage, terminal side: the text scorecard as a rich renderable.

Works from the scorecard's JSON dict, so the same view serves a fresh score,
a practice session and a JSON file read back from a batch. Nothing is printed
here: the CLI prints what this returns.
"""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .rules.base import mmss

LABELS = {
    "zh": {"title": "通话评分", "score": "总分", "check": "检查项", "status": "结果", "detail": "要点",
           "findings": "发现与建议", "heard": "听到", "say": "建议", "none": "没有发现问题。",
           "answer": "三声内接听", "introduction": "开场自我介绍", "hold": "等待 (≤7秒)", "pace": "语速",
           "5w2h": "5W2H", "pass": "通过", "warn": "注意", "fail": "未通过", "n/a": "不适用",
           "rings": "声", "no_holds": "没有等待", "unannounced": "未告知", "no_thanks": "未致谢",
           "missing": "缺少", "bare": "以“喂”开场！", "greeting": "问候", "company": "公司", "agent_name": "姓名",
           "offer_help": "提供帮助", "chars/min": "字/分钟", "words/min": "词/分钟",
           "wording": "礼貌用语", "forbidden": "服务禁语", "you_statements": "多用“我”少用“你”",
           "closing": "结束通话", "interruption": "不打断客户", "volume": "音量", "intonation": "语调",
           "filler": "口头禅", "required": "必说用语", "found": "处", "anything_else": "其他需要",
           "recap": "复述要点", "next_step": "下一步", "thanks": "致谢", "own_name": "报名字",
           "semitones": "半音", "per_min": "次/分钟", "interruptions": "次打断",
           "unanswered": "回答客户问题", "questions": "个问题", "not_answered": "未回答",
           "topics": {"why": "原因", "what": "事项", "where": "地点", "when": "时间", "who": "人员", "how": "方式",
                      "how_much": "费用"}},
    "en": {"title": "Call scorecard", "score": "Score", "check": "Check", "status": "Result", "detail": "Figures",
           "findings": "Findings and coaching tips", "heard": "heard", "say": "say", "none": "No findings.",
           "answer": "Answer within 3 rings", "introduction": "Introduction", "hold": "Holds (≤7 s)",
           "pace": "Speech rate", "5w2h": "5W2H coverage", "pass": "pass", "warn": "warn", "fail": "fail",
           "n/a": "n/a", "rings": "rings", "no_holds": "no holds", "unannounced": "unannounced",
           "no_thanks": "no thanks", "missing": "missing", "bare": "bare opener!", "greeting": "greeting",
           "company": "company", "agent_name": "name", "offer_help": "offer of help", "chars/min": "chars/min",
           "words/min": "words/min", "wording": "Polite wording", "forbidden": "Forbidden phrases",
           "you_statements": "'I' not 'you'", "closing": "Closing and recap", "interruption": "No interrupting",
           "volume": "Volume", "intonation": "Intonation", "filler": "Filler words", "required": "Required phrases",
           "found": "found", "anything_else": "anything else", "recap": "recap", "next_step": "next step",
           "thanks": "thanks", "own_name": "own name", "semitones": "semitones", "per_min": "per min",
           "interruptions": "interruptions", "unanswered": "Customer questions answered",
           "questions": "questions", "not_answered": "unanswered",
           "topics": {"why": "why", "what": "what", "where": "where", "when": "when", "who": "who", "how": "how",
                      "how_much": "how much"}},
}
STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "n/a": "dim"}
SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "error": "bold red"}


def _detail(key: str, check: dict, L: dict) -> str:
    if key == "answer":
        if check.get("answer_s") is None:
            return "—"
        rings = check.get("rings")
        ring = f", {rings:.1f} {L['rings']}" if rings is not None else ""
        return f"{check['answer_s']:.1f} s{ring}" + (f" ({check['ringback']})" if check.get("ringback") else "")
    if key == "introduction":
        flags = ["greeting", "company", "agent_name", "offer_help"]
        marks = " ".join(("✓" if check.get(f) else "✗") + L[f] for f in flags)
        return (L["bare"] + " " if check.get("bare_wei") else "") + marks
    if key == "hold":
        holds = check.get("holds", [])
        if not holds:
            return L["no_holds"]
        return "; ".join(f"{mmss(h['start_s'])} {h['duration_s']:.0f}s"
                         + ("" if h["announced"] else f" {L['unannounced']}")
                         + ("" if h["acknowledged"] else f" {L['no_thanks']}") for h in holds)
    if key == "pace":
        return "—" if check.get("rate") is None else f"{check['rate']:.0f} {L.get(check['unit'], check['unit'])}"
    if key == "5w2h":
        sep = "、" if L is LABELS["zh"] else ", "
        names = L["topics"]
        return f"{len(check.get('covered', []))}/7" + (
            f", {L['missing']}: {sep.join(names.get(n, n) for n in check['missing'])}" if check.get("missing") else "")
    if key == "unanswered":
        asked = len(check.get("questions", []))
        return "—" if not asked else f"{asked} {L['questions']}, {check.get('count', 0)} {L['not_answered']}"
    if key in ("wording", "forbidden", "you_statements"):
        return f"{check.get('count', 0)} {L['found']}"
    if key == "closing":
        flags = ["anything_else", "recap", "next_step", "thanks", "own_name"]
        return " ".join(("✓" if check.get(f) else "✗") + L[f] for f in flags)
    if key == "interruption":
        return f"{check.get('count', 0)} {L['interruptions']}"
    if key == "volume" and check.get("level_dbfs") is not None:
        return f"{check['level_dbfs']:.0f} dBFS" + (f", clip {check['clipping_ratio']:.2%}"
                                                    if check.get("clipping_ratio") else "")
    if key == "intonation" and check.get("variation_semitones") is not None:
        return f"{check['variation_semitones']:.1f} {L['semitones']}"
    if key == "filler" and check.get("per_min") is not None:
        return f"{check.get('count', 0)}, {check['per_min']:.1f} {L['per_min']}"
    if key == "required":
        missing = check.get("missing") or []
        return ("✗ " + ", ".join(missing)) if missing else "—"
    if check.get("status") == "n/a":
        return "—"
    status_free = {k: v for k, v in check.items() if k != "status" and isinstance(v, (int, float, str, bool))}
    return ", ".join(f"{k}={v}" for k, v in list(status_free.items())[:3])


def scorecard_view(card: dict):
    """A rich renderable of a scorecard dict (``Scorecard.to_dict()``)."""
    lang = card.get("language") if card.get("language") in LABELS else "en"
    L = LABELS[lang]
    head = Text()
    head.append(f"{L['title']}: ", style="bold")
    head.append(str(card.get("file") or "(transcript)"))
    if card.get("agent"):
        head.append(f"  · {card['agent']}")
    head.append(f"  · {mmss(card.get('duration_s'))}")
    score = card.get("score")
    head.append(f"\n{L['score']}: ", style="bold")
    head.append("—" if score is None else f"{score:.0f}/100",
                style="bold green" if (score or 0) >= 80 else "bold yellow" if (score or 0) >= 60 else "bold red")
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column(L["check"])
    table.add_column(L["status"])
    table.add_column(L["detail"], overflow="fold")
    for key, check in card.get("checks", {}).items():
        status = check.get("status", "n/a")
        table.add_row(escape(L.get(key, key)), Text(L.get(status, status), style=STATUS_STYLE.get(status, "")),
                      escape(_detail(key, check, L)))
    lines = []
    for f in card.get("findings", []):
        line = Text()
        line.append(f"{mmss(f.get('at_s')) if f.get('at_s') is not None else '  —  '} ", style="dim")
        line.append(f"[{f['rule']}] ", style=SEVERITY_STYLE.get(f["severity"], ""))
        line.append(f["message"])
        if f.get("heard"):
            line.append(f"\n        {L['heard']}: ", style="dim")
            line.append(f"“{f['heard']}”")
        if f.get("suggestion"):
            line.append(f"\n        {L['say']}: ", style="green")
            line.append(f["suggestion"])
        lines.append(line)
    body = Group(*lines) if lines else Text(L["none"], style="green")
    return Group(head, table, Panel(body, title=L["findings"], title_align="left"))
