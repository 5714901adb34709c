"""calls.csv, agents.csv and the HTML report; the report is opened in headless Chromium."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from callcoach.report import call_row, mmss, write_report
from callcoach.report_charts import timeline
from conftest import REPO, unavailable
from test_batch import call_folder, voice_lines  # noqa: F401  (fixtures: synthesised calls)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

XSS = '<script>document.title="pwned"</script><img src=x onerror="console.error(1)">'


def scorecard(
    name: str,
    agent: str | None,
    *,
    hold_s: float = 5.0,
    opening: str = "您好，这里是安心物业，我是王芳。",
    mono: bool = False,
    rang_before_s: float | None = None,
) -> dict:
    """A result document shaped like ``Scorecard.to_dict()`` plus the batch section, built from parts."""
    speaker = (lambda who: "unknown") if mono else (lambda who: who)
    back = 40.0 + hold_s
    turns = [
        {"speaker": speaker("agent"), "start_s": 11.2, "end_s": 15.0, "text": opening, "words": []},
        {"speaker": speaker("customer"), "start_s": 15.5, "end_s": 20.0, "text": "你好，我家空调坏了。", "words": []},
        {"speaker": speaker("agent"), "start_s": 36.0, "end_s": 40.0, "text": "请您稍等一会儿，好吗？", "words": []},
        {
            "speaker": speaker("agent"),
            "start_s": back,
            "end_s": back + 6.0,
            "text": "让您久等了，师傅明天上午到。",
            "words": [],
        },
        {"speaker": speaker("customer"), "start_s": back + 7.0, "end_s": back + 9.0, "text": "好的谢谢", "words": []},
    ]
    duration = back + 12.0
    onset = -rang_before_s if rang_before_s else 0.5
    return {
        "file": f"/calls/{name}.wav",
        "duration_s": duration,
        "language": "zh",
        "agent": agent,
        "company": "安心物业",
        "score": 50.0 + hold_s,
        "checks": {
            "answer": {
                "status": "pass",
                "answer_s": 11.2,
                "rings": 2.1,
                "ringback": None if rang_before_s else "cn",
                "ring_onset_s": onset,
                "ring_source": "metadata" if rang_before_s else "ringback",
                "cycle_s": 5.0,
            },
            "introduction": {
                "status": "warn",
                "greeting": True,
                "company": True,
                "agent_name": False,
                "offer_help": False,
                "heard": opening,
            },
            "hold": {
                "status": "fail" if hold_s > 7 else "pass",
                "limit_s": 7.0,
                "longest_s": hold_s,
                "holds": [
                    {
                        "start_s": 40.0,
                        "end_s": back,
                        "duration_s": hold_s,
                        "announced": True,
                        "acknowledged": True,
                        "kind": "announced",
                    }
                ],
            },
            "pace": {"status": "pass", "rate": 150.0 + hold_s, "unit": "chars/min", "turns": [], "band": [120, 200]},
        },
        "findings": [
            {
                "rule": "introduction",
                "severity": "warning",
                "at_s": 11.2,
                "message": "The agent did not say their own name.",
                "suggestion": "我是XXX",
                "heard": opening,
            },
            *(
                [
                    {
                        "rule": "hold",
                        "severity": "error",
                        "at_s": 40.0,
                        "message": f"Hold of {hold_s:.0f} s at 0:40, over the 7 s limit.",
                        "suggestion": "Come back within 7 s.",
                    }
                ]
                if hold_s > 7
                else []
            ),
        ],
        "signals": {"ringback": None if rang_before_s else {"region": "cn", "bursts": [[0.5, 1.5], [5.5, 6.5]]}},
        "transcript": {
            "format": "callcoach-transcript",
            "version": 1,
            "language": "zh",
            "duration_s": duration,
            "source": "json",
            "turns": turns,
        },
        "batch": {"key": name},
    }


def failed(name: str, error: str) -> dict:
    return {
        "file": f"/calls/{name}.wav",
        "agent": None,
        "company": None,
        "language": None,
        "duration_s": None,
        "score": None,
        "error": error,
        "batch": {"key": name},
    }


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to show Chinese text"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --------------------------------------------------------------------------- tables


def test_calls_and_agents_csv(tmp_path):
    docs = [
        scorecard("a1", "王芳", hold_s=12.0),
        scorecard("a2", "王芳", hold_s=3.0),
        scorecard("b1", "李雷"),
        failed("bad", "/calls/bad.wav: file is empty"),
    ]
    files = write_report(tmp_path, docs)
    assert (files.calls, files.failed) == (4, 1)
    calls = read_csv(files.calls_csv)
    assert [r["file"] for r in calls] == [d["file"] for d in docs]
    first = calls[0]
    assert first["agent"] == "王芳" and first["result"] == "scored" and float(first["score"]) == 62.0
    assert first["hold"] == "fail" and first["hold.over_limit"] == "1" and first["hold.holds"] == "1"
    assert first["introduction.agent_name"] == "false" and first["pace.unit"] == "chars/min"
    assert first["pace.band"] == "120; 200" and first["json"] == "calls/a1.json"
    bad = calls[3]
    assert bad["result"] == "error" and bad["error"] == "/calls/bad.wav: file is empty"
    assert bad["score"] == "" and bad["hold"] == ""
    agents = {r["agent"]: r for r in read_csv(files.agents_csv)}
    assert list(agents) == ["李雷", "王芳", "(unknown)"]
    wang = agents["王芳"]
    assert (wang["calls"], wang["scored"], wang["failed"]) == ("2", "2", "0")
    assert float(wang["mean_score"]) == pytest.approx((62.0 + 53.0) / 2, abs=0.05)
    assert float(wang["hold_pass_pct"]) == 50.0 and float(wang["answer_pass_pct"]) == 100.0
    assert float(wang["introduction_pass_pct"]) == 0.0
    assert (wang["holds"], wang["holds_over_limit"]) == ("2", "1")
    assert float(wang["mean_pace"]) == pytest.approx((162.0 + 153.0) / 2)
    # the same advice at other times and figures counts as one kind of finding
    assert "did not say their own name" in wang["top_findings"] and "(×2)" in wang["top_findings"]
    assert agents["(unknown)"]["failed"] == "1" and agents["(unknown)"]["mean_score"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path):
    doc = scorecard("x", '=HYPERLINK("http://example.invalid")')
    files = write_report(tmp_path, [doc])
    row = read_csv(files.calls_csv)[0]
    assert row["agent"].startswith("'=")
    assert read_csv(files.agents_csv)[0]["agent"].startswith("'=")


def test_call_row_flattens_figures():
    row = call_row(scorecard("x", "a", hold_s=9.0))
    assert row["hold.limit_s"] == 7.0 and row["hold.longest_s"] == 9.0 and row["hold.unannounced"] == 0
    assert row["findings"] == 2 and row["findings_error"] == 1 and row["findings_warning"] == 1
    assert "hold.holds" in row and "answer.ring_source" in row


# --------------------------------------------------------------------------- timeline


def test_timeline_lanes_follow_the_call():
    doc = scorecard("t", "a", hold_s=12.0)
    t = timeline(doc)
    lanes = {lane["label"]: lane for lane in t["lanes"]}
    assert list(lanes) == ["ringing", "agent", "customer", "holds", "findings"]
    assert len(lanes["ringing"]["items"]) == 2
    assert len(lanes["agent"]["items"]) == 3 and len(lanes["customer"]["items"]) == 2
    (hold,) = lanes["holds"]["items"]
    assert "over" in hold["cls"]
    agent = lanes["agent"]["items"]
    assert agent[0]["x"] < agent[1]["x"] < agent[2]["x"]  # in time order, scaled
    assert all(item["href"].startswith("#turn-") for item in agent)
    assert [m["href"] for m in lanes["findings"]["marks"]] == ["#finding-0", "#finding-1"]
    assert t["ticks"][0]["label"] == "0:00" and t["answer_x"] is not None
    short = timeline(scorecard("t", "a", hold_s=3.0))
    assert "over" not in {lane["label"]: lane for lane in short["lanes"]}["holds"]["items"][0]["cls"]


def test_timeline_of_a_mono_call_and_of_ringing_before_the_recording():
    t = timeline(scorecard("m", "a", mono=True, rang_before_s=12.0))
    lanes = {lane["label"]: lane for lane in t["lanes"]}
    assert "agent" not in lanes and len(lanes["speech"]["items"]) == 5
    (before,) = lanes["ringing"]["items"]
    assert before["cls"] == "ring-before" and t["t0"] == -12.0
    assert t["ticks"][0]["label"].startswith("-")


def test_mmss():
    assert [mmss(v) for v in (0, 5.4, 65, 3600 + 61, -12, None)] == ["0:00", "0:05", "1:05", "1:01:01", "-0:12", "–"]


# --------------------------------------------------------------------------- HTML in a real browser


class Browser:
    """Headless Chromium driven over the DevTools protocol: console errors, DOM queries, screenshots."""

    def __init__(self, profile: Path):
        from websockets.sync.client import connect

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--allow-file-access-from-files",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=20))
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, timeout: float = 30.0, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        self.events.clear()
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")
        self.eval("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")

    def eval(self, expression: str):
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        self.eval("0")  # drain pending events
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e.get("method") == "Runtime.exceptionThrown":
                out.append("uncaught: " + json.dumps(p.get("exceptionDetails", {}), ensure_ascii=False)[:300])
            elif e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console.error: " + json.dumps(p.get("args", []), ensure_ascii=False)[:300])
            elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        return out

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(
            self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
        )
        path.write_bytes(data)
        return data

    def close(self) -> None:
        try:
            self._stack.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        unavailable("chromium is not installed (apt-get install chromium): the HTML report is not checked in a browser")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def test_browser_harness_sees_console_errors(browser, tmp_path):
    """The check below can fail: a page with a script error and a missing stylesheet is caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="missing.css">'
        '<script>console.error("on purpose"); undefinedFunction();</script>',
        encoding="utf-8",
    )
    browser.open(page.as_uri())
    errors = browser.console_errors()
    assert any("on purpose" in e for e in errors)
    assert any(e.startswith("uncaught") for e in errors)
    assert any("missing.css" in e for e in errors)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    docs = [
        scorecard("long-hold", "王芳", hold_s=12.0),
        scorecard("evil", "李雷", opening=XSS),
        scorecard("mono", None, mono=True, rang_before_s=8.0),
        failed("bad", "/calls/bad.wav: file is empty"),
        scorecard("evil-agent", XSS),
    ]
    write_report(out, docs)
    return out


def test_index_loads_cleanly_and_sorts(browser, report_dir, tmp_path):
    browser.open((report_dir / "index.html").as_uri(), height=1400)
    assert browser.console_errors() == []
    assert browser.eval("document.styleSheets[0].cssRules.length") > 10  # report.css was loaded
    for chart in ("chart-agents", "chart-checks", "chart-scores"):
        assert browser.eval(f"document.getElementById('{chart}').getBBox().width") > 50
    assert browser.eval("document.querySelectorAll('#agents tbody tr').length") == 4
    assert browser.eval("document.querySelectorAll('#calls tbody tr').length") == 5
    # an agent named like markup is shown as text, in the tables and the chart; the only script is the sorter
    assert browser.eval("document.title") != "pwned" and browser.eval("document.scripts.length") == 1
    assert browser.eval("document.querySelectorAll('img').length") == 0
    assert browser.eval(
        f"[...document.querySelectorAll('#agents td')].some(td => td.textContent === {json.dumps(XSS)})"
    )
    assert "file is empty" in browser.eval("document.getElementById('failed').nextElementSibling.textContent")
    # click "score": the inline sorter orders the calls by score
    before = browser.eval("[...document.querySelectorAll('#calls tbody tr td:nth-child(4)')].map(c => c.textContent)")
    browser.eval("document.querySelectorAll('#calls th')[3].click()")
    after = browser.eval("[...document.querySelectorAll('#calls tbody tr td:nth-child(4)')].map(c => c.textContent)")
    numbers = [float(v) for v in after if v not in ("–", "")]
    assert numbers == sorted(numbers) and sorted(before) == sorted(after)
    assert browser.console_errors() == []
    png = browser.screenshot(tmp_path / "index.png")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_call_page_has_the_timeline_and_escapes_text(browser, report_dir, tmp_path):
    browser.open((report_dir / "calls" / "evil.html").as_uri())
    assert browser.console_errors() == []  # the onerror handler in the transcript text never ran
    assert browser.eval("document.title") != "pwned"
    assert browser.eval("document.querySelectorAll('script, img').length") == 0
    assert XSS in browser.eval("document.getElementById('turn-0').textContent")
    assert browser.eval("document.querySelectorAll('#timeline rect.turn.agent').length") == 3
    assert browser.eval("document.querySelectorAll('#timeline rect.turn.customer').length") == 2
    assert browser.eval("document.querySelectorAll('#timeline rect.ring').length") == 2
    assert browser.eval("document.getElementById('timeline').getBoundingClientRect().width") > 500
    ticks = browser.eval("[...document.querySelectorAll('#timeline text.tick')].map(t => t.textContent)")
    assert ticks[0] == "0:00" and all(":" in t for t in ticks)
    png = browser.screenshot(tmp_path / "call.png")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000

    browser.open((report_dir / "calls" / "long-hold.html").as_uri())
    assert browser.console_errors() == []
    assert browser.eval("document.querySelectorAll('#timeline rect.hold.over').length") == 1
    assert browser.eval("document.querySelectorAll('#timeline path.mark.error').length") == 1
    # a finding marker links to its entry in the findings list
    href = browser.eval("document.querySelector('#timeline path.mark.error').parentNode.getAttribute('href')")
    assert browser.eval(f"document.querySelector('{href}').textContent").count("over the 7 s limit") == 1

    browser.open((report_dir / "calls" / "bad.html").as_uri())
    assert browser.console_errors() == []
    assert "file is empty" in browser.eval("document.getElementById('error').textContent")
    assert browser.eval("document.getElementById('timeline')") is None


# --------------------------------------------------------------------------- a real batch, end to end


@pytest.mark.slow
def test_report_of_a_scored_batch_in_the_browser(browser, call_folder, tmp_path):
    """Score calls with the real command (imported transcripts, one saying <script>), look at every page."""
    calls, manifest = call_folder
    transcript = calls / "李雷" / "li_2.json"  # callcoach JSON keeps text as it is (SRT import drops tags)
    data = json.loads(transcript.read_text(encoding="utf-8"))
    data["turns"][-2]["text"] += XSS
    transcript.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(calls),
            "--out",
            str(out),
            "--manifest",
            str(manifest),
            "-j",
            "2",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # some calls could not be scored
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "calls").glob("*.json"))]
    failed_docs = [d for d in docs if d.get("error")]
    assert len(docs) == 10 and len(failed_docs) == 5
    browser.open((out / "index.html").as_uri(), height=1400)
    assert browser.console_errors() == []
    assert browser.eval("document.querySelectorAll('#calls tbody tr').length") == 10
    assert browser.eval("document.querySelectorAll('#calls tbody tr.error').length") == 5
    assert browser.eval("document.querySelectorAll('#failed + ul li').length") == 5
    shot = browser.screenshot(tmp_path / "index.png")
    assert shot.startswith(b"\x89PNG")
    for doc in docs:
        page = out / "calls" / f"{doc['batch']['key']}.html"
        browser.open(page.as_uri())
        assert browser.console_errors() == [], doc["file"]
        assert browser.eval("document.scripts.length + document.images.length") == 0
        if doc.get("error"):
            assert doc["error"] in browser.eval("document.getElementById('error').textContent")
            continue
        turns = doc["transcript"]["turns"]
        for who in ("agent", "customer"):
            drawn = browser.eval(f"document.querySelectorAll('#timeline rect.turn.{who}').length")
            assert drawn == sum(t["speaker"] == who for t in turns)
        holds = doc["checks"]["hold"]["holds"]
        assert browser.eval("document.querySelectorAll('#timeline .lane-holds rect.hold').length") == len(holds)
        over = [h for h in holds if h["duration_s"] > doc["checks"]["hold"]["limit_s"] or not h["announced"]]
        assert browser.eval("document.querySelectorAll('#timeline rect.hold.over').length") == len(over)
        assert browser.eval("document.querySelectorAll('table.transcript tr').length") == len(turns)
        shown = browser.eval("document.querySelector('table.transcript').textContent")
        assert all(t["text"] in shown for t in turns)
        if doc["file"].endswith("li_2.wav"):
            assert XSS in shown and browser.eval("document.title") != "pwned"
            shot = browser.screenshot(tmp_path / "call.png")
            assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
