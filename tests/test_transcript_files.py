"""Importing trainers' transcripts: SRT and WebVTT with speaker labels, callcoach JSON, and their errors."""

import json

import pytest

from callcoach.cli import main
from callcoach.errors import TranscriptError
from callcoach.transcript_files import load_transcript, save_transcript, to_srt, to_vtt

SRT_ZH = """1
00:00:01,000 --> 00:00:04,000
客服：您好，星河物業，我是李明，請問有什麼可以幫您？

2
00:00:04,500 --> 00:00:07,500
客户：我家的空调坏了。

3
00:00:08,000 --> 00:00:09,000
- 客服：请您稍等。
- 客户：好的。
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_srt_with_chinese_labels_and_traditional_characters(tmp_path):
    t = load_transcript(write(tmp_path, "call.srt", SRT_ZH))
    assert t.language == "zh"
    assert [x.speaker for x in t.turns] == ["agent", "customer", "agent", "customer"]
    first = t.turns[0]
    assert (first.start_s, first.end_s) == (1.0, 4.0)
    assert first.text.startswith("您好，星河物業")  # kept for display
    assert first.simplified.startswith("您好，星河物业")  # converted for matching
    # a cue with two labelled lines is split in time, in order
    assert t.turns[2].start_s == 8.0 and t.turns[3].end_s == 9.0
    assert t.turns[2].end_s == t.turns[3].start_s


def test_srt_english_labels_crlf_and_bom(tmp_path):
    text = (
        "\ufeff1\r\n00:00:00,500 --> 00:00:02,000\r\nAgent: Thank you for calling.\r\n\r\n"
        "2\r\n00:00:02,200 --> 00:00:03,000\r\nCustomer: Hi.\r\n"
    )
    t = load_transcript(write(tmp_path, "call.srt", text))
    assert t.language == "en"
    assert [(x.speaker, x.text) for x in t.turns] == [("agent", "Thank you for calling."), ("customer", "Hi.")]


def test_traditional_labels(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\n客服：您好\n\n2\n00:00:02,000 --> 00:00:03,000\n客戶：請問\n"
    t = load_transcript(write(tmp_path, "call.srt", text))
    assert [(x.speaker, x.text, x.simplified) for x in t.turns] == [
        ("agent", "您好", "您好"),
        ("customer", "請問", "请问"),
    ]


def test_gb18030_file_is_read(tmp_path):
    t = load_transcript(write(tmp_path, "call.srt", SRT_ZH, encoding="gb18030"))
    assert t.turns[1].text == "我家的空调坏了。"


def test_configurable_labels(tmp_path):
    text = "1\n00:00:01,000 --> 00:00:02,000\n小王：您好\n\n2\n00:00:02,000 --> 00:00:03,000\n张先生：你好\n"
    path = write(tmp_path, "call.srt", text)
    assert {x.speaker for x in load_transcript(path).turns} == {"unknown"}
    t = load_transcript(path, labels={"小王": "agent", "张先生": "customer"})
    assert [(x.speaker, x.text) for x in t.turns] == [("agent", "您好"), ("customer", "你好")]


def test_webvtt_voice_tags(tmp_path):
    text = (
        "WEBVTT\n\nNOTE exported\n\n1\n00:01.000 --> 00:03.000 align:start\n<v 客服>您好，请问有什么可以帮您？</v>\n\n"
        "00:00:03.500 --> 00:00:05.000\n<v.loud Customer>我想<i>交</i>电费\n"
    )
    t = load_transcript(write(tmp_path, "call.vtt", text))
    assert [(x.speaker, x.start_s, x.end_s) for x in t.turns] == [("agent", 1.0, 3.0), ("customer", 3.5, 5.0)]
    assert t.turns[1].text == "我想交电费"


def test_malformed_cue_names_file_and_line(tmp_path):
    bad = SRT_ZH.replace("00:00:04,500 --> 00:00:07,500", "00:00:04.500 -> 7.5")
    path = write(tmp_path, "bad.srt", bad)
    with pytest.raises(TranscriptError) as err:
        load_transcript(path)
    assert err.value.line == 6
    assert str(err.value).startswith(f"{path}:6: ")


def test_cue_ending_before_it_starts(tmp_path):
    bad = SRT_ZH.replace("00:00:04,500 --> 00:00:07,500", "00:00:07,500 --> 00:00:04,500")
    with pytest.raises(TranscriptError, match="before it starts"):
        load_transcript(write(tmp_path, "bad.srt", bad))


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("empty.srt", b"", "empty file"),
        ("blank.srt", b"\n\n  \n", "no cues"),
        ("binary.srt", b"RIFF\x00\x00\x00\x00WAVEfmt ", "binary"),
        ("notvtt.vtt", "1\n00:00:01,000 --> 00:00:02,000\n客服：您好\n".encode(), "WEBVTT"),
        ("broken.json", b'{"turns": [\n{"speaker": "agent",\n', "invalid JSON"),
        ("shape.json", b'{"turns": [{"speaker": "boss", "start_s": 0, "end_s": 1, "text": "x"}]}', "speaker"),
        ("notes.txt", "随便写的笔记".encode(), "unknown transcript type"),
    ],
)
def test_bad_transcripts_are_one_line_errors(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TranscriptError) as err:
        load_transcript(path)
    assert problem in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        load_transcript(tmp_path / "nope.srt")


def test_json_round_trip_keeps_words_and_traditional_text(tmp_path):
    t = load_transcript(write(tmp_path, "call.srt", SRT_ZH))
    save_transcript(t, tmp_path / "call.json")
    doc = json.loads((tmp_path / "call.json").read_text(encoding="utf-8"))
    assert doc["format"] == "callcoach-transcript" and doc["version"] == 1
    back = load_transcript(tmp_path / "call.json")
    assert back.turns == t.turns and back.language == "zh"


def test_srt_and_vtt_export_reimport(tmp_path):
    t = load_transcript(write(tmp_path, "call.srt", SRT_ZH))
    for name, text in (("again.srt", to_srt(t)), ("again.vtt", to_vtt(t))):
        back = load_transcript(write(tmp_path, name, text))
        assert [(x.speaker, x.text) for x in back.turns] == [(x.speaker, x.text) for x in t.turns]
        assert [round(x.start_s, 2) for x in back.turns] == [round(x.start_s, 2) for x in t.turns]


def test_json_error_line_number(tmp_path):
    path = write(tmp_path, "t.json", '{\n "turns": [\n  {"speaker": "agent" "start_s": 1}\n ]\n}\n')
    with pytest.raises(TranscriptError) as err:
        load_transcript(path)
    assert err.value.line == 3


def test_cli_score_reports_bad_transcript_in_one_line(tmp_path, capsys):
    bad = write(tmp_path, "bad.srt", SRT_ZH.replace("00:00:04,500 --> 00:00:07,500", "garbage"))
    assert main(["score", "--transcript", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("callcoach: error: ") and f"{bad}:6:" in err and "\n" not in err


def test_the_next_turn_of_the_agent_or_of_anyone_else():
    from callcoach.transcript import Transcript, Turn

    said = [("agent", "您好"), ("customer", "多少钱？"), ("unknown", "嗯"), ("agent", "八十。"), ("customer", "好。")]
    transcript = Transcript(tuple(Turn(who, i, i + 0.5, text) for i, (who, text) in enumerate(said)), language="zh")
    assert transcript.next_turn(1) == 3  # the agent's reply, past a voice not told apart
    assert transcript.next_turn(0, agent=False) == 1 and transcript.next_turn(1, agent=False) == 2
    assert transcript.next_turn(3) is None and transcript.next_turn(4, agent=False) is None
