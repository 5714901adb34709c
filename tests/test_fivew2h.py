"""5W2H by meaning (issue 10, items 2, 4 and 5): statements and questions cover a topic, what is required follows
the request, and unrelated sentences cover nothing — in Mandarin and English.

Calls are transcripts scored by :func:`callcoach.scoring.score_call` with the real taggers (jieba's
part-of-speech tags, cn2an, pypinyin); nothing is mocked.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from callcoach.cli import main as cli_main
from callcoach.packs import load_pack
from callcoach.render import scorecard_view
from callcoach.scoring import CallSetup, score_call
from callcoach.topics import numeral_value, topic_spotter
from callcoach.transcript import Transcript, Turn


def score_text(turns, lang="zh", pack=None, **setup) -> dict:
    """Score a transcript alone: [(speaker, start_s, end_s, text)]."""
    transcript = Transcript(tuple(Turn(s, a, b, t) for s, a, b, t in turns), language=lang, source="test")
    return score_call(transcript=transcript, setup=CallSetup(**setup), pack=pack).to_dict()


def agent_says(text: str, lang: str = "zh") -> dict:
    return score_text([("agent", 2.0, 5.0, text)], lang)["checks"]["5w2h"]


# --------------------------------------------------------------------------- statements cover a topic

STATED_ZH = [
    ("when", "您的退款五个工作日之内到账。", "五个工作日"),
    ("when", "师傅明天上午十点到。", "明天"),
    ("when", "是上周三产生的。", "上周三"),
    ("when", "上个月十五号修的。", "上个月"),
    # the cause said plainly
    ("why", "那大概率是地面防水层的问题。", "大概率是"),
    ("why", "今天下雨，站点单子积压了。", "积压"),
    # who teaches or coaches; the account the customer is known by
    ("who", "游泳课有专门的教练带。", "教练"),
    ("who", "您的户号我这边查到了。", "户号"),
    ("where", "送到幸福路八号二楼。", "幸福路八号"),
    ("where", "黑龙江省内都可以用。", "黑龙江省"),
    ("where", "您到任意网点都可以办理。", "网点"),
    ("where", "阳光花园三栋二单元。", "阳光花园"),
    ("how_much", "加长的铜管每米收费六十元。", "收费"),
    ("how_much", "这个套餐每月十八元。", "十八元"),
    ("how_much", "送您一百兆的宽带。", "一百兆"),
    ("how_much", "一点五匹的挂机。", "一点五匹"),
    ("who", "维修师傅会给您打电话。", "师傅"),
    ("who", "快递员会直接送到家。", "快递员"),
    ("how", "您通过我们的手机应用上传照片就行。", "手机应用"),
    ("how", "发短信到一零零八六就可以。", "发短信到"),
    ("who", "请告诉我您的手机号码。", "手机号码"),  # a contact
    ("why", "这是因为系统升级了。", "因为"),
    ("what", "那跟您确认一下，卫生间顶上漏水，师傅下午过去。", "跟您确认一下"),  # a recap confirms the request
    ("how", "放好以后系统会给您发短信。", "发短信"),  # how the customer will hear of it
    ("where", "开过来以后直接找前台就可以。", "前台"),  # a place named in passing
    ("when", "司机送完这一单，大概一个小时送到。", "一个小时"),  # 一 with 个小时 is a duration
    ("when", "补完了系统自动给你排，一般两个礼拜左右。", "两个礼拜"),  # 个礼拜 is weeks, not two of something
    ("when", "转托管一般在办完之后的下一个交易日到账。", "一个交易日"),
]


@pytest.mark.parametrize("topic, sentence, words", STATED_ZH)
def test_a_stated_answer_covers_its_topic_zh(topic, sentence, words):
    got = agent_says(sentence)
    assert topic in got["covered"], got["evidence"]
    ev = got["evidence"][topic]
    assert ev["words"] == words
    assert ev["asked"] is False
    assert (ev["turn"], ev["at_s"], ev["text"]) == (0, 2.0, sentence)


STATED_EN = [
    ("when", "A technician can come Friday at two o'clock.", "Friday"),
    ("when", "The refund will arrive within five business days.", "within five business days"),
    ("when", "We can deliver next Tuesday at 10 am.", "next Tuesday"),
    ("where", "We'll send it to forty two Maple Street.", "forty two Maple Street"),
    ("where", "It goes to apartment 4B.", "apartment 4B"),
    ("how_much", "The new plan is $49.99 a month.", "$49.99 a month"),
    ("how_much", "We'll ship two units today.", "two units"),
    ("how_much", "It is twelve pounds more every month.", "twelve pounds"),
    ("who", "A technician will call you before arriving.", "technician"),
    ("how", "Upload the photo via the app.", "Upload"),
    ("how", "Just pay online.", "online"),
    ("why", "Your bill went up because of the new tariff.", "because of"),
    ("what", "Just to confirm, the fridge stopped cooling on Monday.", "Just to confirm"),  # a recap
    ("how", "Your new tickets will be emailed to you shortly.", "emailed to you"),  # the way it is done, stated
    ("where", "You can leave your bags at reception.", "reception"),
    ("how_much", "Breakfast is included for both guests.", "included"),
    # the cause stated without "because": what happened, what broke
    ("why", "So what's happened is your direct debit was cancelled.", "what's happened is"),
    ("why", "The van broke down yesterday afternoon.", "broke down"),
    ("where", "The nearest session is on Leyton High Road.", "Leyton High Road"),  # a named road, no number
    # the cause said plainly: "'cause", "that usually means"
    ("why", "Felling's more like a grand, 'cause we'd have to section it.", "cause"),
    ("why", "That usually means the tank's full.", "usually means"),
    # how it is paid, sent or done, said as a fact
    ("how", "Cash or card, whichever suits.", "Cash"),
    ("how", "I'll text you a payment link now.", "text you"),
    ("how", "The certificate comes in the post.", "in the post"),
    ("how", "She'll ring you from the van.", "ring you"),
    ("how", "You just tick the box when you book.", "You just"),
]


@pytest.mark.parametrize("topic, sentence, words", STATED_EN)
def test_a_stated_answer_covers_its_topic_en(topic, sentence, words):
    got = agent_says(sentence, "en")
    assert topic in got["covered"], got["evidence"]
    assert got["evidence"][topic]["words"] == words
    assert got["evidence"][topic]["asked"] is False


@pytest.mark.parametrize(
    "later, who",
    [
        # a person named inside a sentence says who (a typed transcript's capitals)
        ("It'll be Lee, he fitted it, he knows the job.", "Lee"),
        ("I've got Marcus finishing a job about ten minutes from you.", "Marcus"),
        # the agent's own name in the opening, and a weekday, say no who
        ("Yes, Thursday is fine for the measure-up.", None),
    ],
)
def test_a_person_named_after_the_opening_says_who(later, who):
    got = score_text(
        [
            ("agent", 0.0, 3.0, "Thank you for calling Bluewave, this is Emily, how may I help you today?"),
            ("customer", 3.5, 6.0, "Hi, the fence panels came down in the wind."),
            ("agent", 6.5, 9.0, later),
        ],
        "en",
    )["checks"]["5w2h"]
    assert got["evidence"].get("who", {}).get("words") == who


@pytest.mark.parametrize(
    "lang, sentence, topic",
    [
        ("zh", "请问您是因为搬家还是因为网速慢？", "why"),
        ("zh", "您明天上午九点方便吗？", "when"),
        ("zh", "请问地址是哪里？", "where"),
        ("en", "What error message do you see?", "what"),
        ("en", "Do you know why it stopped working?", "why"),
        ("en", "When would suit you?", "when"),
        ("en", "Where's the modem?", "where"),
        ("en", "What's the best phone number to reach you?", "who"),
        ("en", "I'll put you down for the tenth. And can I take a name for the booking?", "who"),
        # a one-word cue that is no question word asks wherever it stands
        ("en", "Right, what's the postcode there?", "where"),
    ],
)
def test_a_question_covers_its_topic_and_is_reported_as_asked(lang, sentence, topic):
    got = agent_says(sentence, lang)
    assert topic in got["covered"], got["evidence"]
    assert got["evidence"][topic]["asked"] is True


def test_a_number_is_read_with_cn2an():
    ev = agent_says("加长的铜管每米收费六十元。")["evidence"]["how_much"]
    assert ev["cue"] == "收费"  # the first evidence; the figure itself is found as well:
    hits = topic_spotter(load_pack("zh")).spot("每米收费六十元，安装费一百二十块")
    assert [(h.words, h.value) for h in hits if h.cue == "amount"] == [("六十元", 60.0), ("一百二十块", 120.0)]
    assert numeral_value("一点五") == 1.5 and numeral_value("两") == 2.0


@pytest.mark.parametrize(
    "lang, text, amounts",
    [
        # a price per period, no currency word: how much, with its value
        ("zh", "两千八一个月，按学期交，伙食费另算，一天十五。", [("两千八一个月", 2800.0), ("一天十五", 15.0)]),
        ("zh", "三百一晚，含早餐。", [("三百一晚", 300.0)]),
        ("zh", "39块一个月", [("39块一个月", 39.0)]),
        # times, counts and dates stay what they are
        ("zh", "二十一天就到了", []),
        ("zh", "十一月份开学", []),
        ("zh", "一天三次，饭后吃", [("三次", 3.0)]),
        ("zh", "一年十二个月都开", []),
        # a sum with no unit: money or a count
        ("zh", "按两百三十五万算，首付是四十七万左右。", [("两百三十五万", 2350000.0), ("四十七万", 470000.0)]),
        ("zh", "大概一千八。", [("一千八", 1800.0)]),
        ("zh", "千万别动它，我们万达店明天过去。", []),
        ("en", "It's forty nine a month, no contract.", [("forty nine a month", None)]),
        ("en", "The course is eighty per hour.", [("eighty per hour", None)]),
        ("en", "Take it three times a week.", []),
        ("en", "It's a flat sixty-five for the visit.", [("a flat sixty-five", None)]),  # a flat fee, not flat 65
    ],
)
def test_a_price_per_period_is_an_amount(lang, text, amounts):
    hits = topic_spotter(load_pack(lang)).spot(text)
    got = [(h.words, h.value) for h in hits if h.topic == "how_much"]
    assert got == amounts


# --------------------------------------------------------------------------- no false positives

UNRELATED_ZH = [
    "您好，星河物业，我是李明，请问有什么可以帮您？",
    "请您稍等一下。",
    "我帮您看一下。",
    "好的，我明白了。",
    "让您久等了。",
    "我一点都没听清，麻烦您再说一遍。",
    "我现在帮您查一下。",
    "不客气，祝您生活愉快。",
    "感谢您的来电，再见。",
    "您好。",
]
UNRELATED_EN = [
    "Thank you for calling Bluewave, this is Emily, how may I help you today?",
    "One moment please.",
    "I understand, that must be frustrating.",
    "Is there anything else I can help you with?",
    "Good morning, how are you?",
    "It drops when I use the microwave.",
    "Thanks for your patience.",
    "Sure, no problem.",
    "Don't worry, the update should sort all of that out, it usually does.",  # "usually" gives no reason
    "Sorry, I'm just crossing the road.",  # a road word after "the" names no place
    "Sorry, we're booked up.",  # sounds near "backed up" (a cause), says none
]


@pytest.mark.parametrize("lang, sentence", [("zh", s) for s in UNRELATED_ZH] + [("en", s) for s in UNRELATED_EN])
def test_unrelated_sentences_cover_nothing(lang, sentence):
    assert agent_says(sentence, lang)["covered"] == []


def test_phone_number_is_not_when_and_a_little_is_not_an_amount():
    spotter = topic_spotter(load_pack("zh"))
    # 六年 (liu nian) is a time, not the cue 流量 (liu liang): one syllable folded twice is no homophone
    assert [(h.topic, h.words) for h in spotter.spot("贷款分六年还")] == [("when", "六年")]
    assert [h.topic for h in spotter.spot("请告诉我您的手机号码")] == ["who"]  # a contact, not 几号 (when)
    assert spotter.spot("稍等一下，我看一点资料") == []
    assert [h.topic for h in spotter.spot("下午一点钟")] == ["when", "when"]  # 下午, 一点钟


@pytest.mark.parametrize(
    "sentence, times",
    [
        ("综合费率一个月百分之二点七。", ["一个月"]),  # a percentage's decimal point is no hour
        ("费率是二点五。", []),
        ("下午两点三十到。", ["下午", "两点"]),  # minutes after the hour
        ("两点零五分到。", ["两点"]),
        ("两点五十到。", ["两点"]),
    ],
)
def test_a_decimal_point_is_no_hour(sentence, times):
    spotter = topic_spotter(load_pack("zh"))
    assert [h.words for h in spotter.spot(sentence) if h.topic == "when"] == times


def test_a_time_is_not_a_cue_heard_only_by_its_sound():
    spotter = topic_spotter(load_pack("zh"))
    # 九点 (jiu dian) sounds like 酒店 (hotel): the time tagger's reading wins over a cue heard only by sound
    assert [(h.topic, h.words) for h in spotter.spot("下周三上午有九点十分的航班")][-1] == ("when", "九点")
    assert [(h.topic, h.words) for h in spotter.spot("我们酒店在湖边")] == [("where", "酒店")]
    # 一般是 (usually) gives no reason
    assert [h.topic for h in spotter.spot("一般是五个工作日出报告")] == ["when"]
    # an e-mail address is a contact, no place
    assert "where" not in [h.topic for h in topic_spotter(load_pack("en")).spot("What's the email address?")]


def test_a_road_word_needs_a_number_and_a_place_name_is_not_a_service_word():
    spotter = topic_spotter(load_pack("zh"))
    assert spotter.spot("线路问题我们会处理") == []  # 线路 is no road
    assert spotter.spot("我们的路由器") == []
    assert [h.topic for h in spotter.spot("我们的工程师会上门")] == ["who"]  # jieba tags 上门 a place name


# --------------------------------------------------------------------------- what is required follows the request


def test_a_topic_the_customer_asks_about_is_required():
    asked = [
        ("agent", 0.0, 3.0, "您好，星河物业，我是李明，请问有什么可以帮您？"),
        ("customer", 3.5, 6.0, "换个门锁要多少钱？"),
    ]
    open_ = score_text(asked + [("agent", 6.5, 9.0, "好的，我们会处理的。")])["checks"]["5w2h"]
    assert open_["required"] == ["how_much"] and open_["missing"] == ["how_much"]
    assert open_["required_because"] == {"how_much": "asked"}
    assert open_["status"] == "fail"  # one required topic missing and nothing covered
    answered = score_text(asked + [("agent", 6.5, 9.0, "换锁的费用是一百二十元，师傅明天上午过去。")])["checks"]["5w2h"]
    assert answered["missing"] == [] and set(answered["covered"]) >= {"how_much", "when", "who"}
    assert answered["status"] == "pass"


def test_the_other_topics_only_count_toward_coverage():
    """Nothing asked, no visit: two topics warn, three pass; nothing is missing."""
    two = score_text([("agent", 0.0, 3.0, "您的话费是三十元，因为开通了漫游。")])["checks"]["5w2h"]
    assert two["required"] == [] and two["missing"] == []
    assert set(two["covered"]) == {"how_much", "why"} and two["status"] == "warn"
    three = score_text([("agent", 0.0, 3.0, "您的话费是三十元，因为开通了漫游，上周三产生的。")])["checks"]["5w2h"]
    assert three["status"] == "pass"


@pytest.mark.parametrize(
    "lang, turns",
    [
        (
            "zh",
            [
                ("customer", 0.0, 3.0, "我家空调坏了，能派人上门修一下吗？"),
                ("agent", 3.5, 6.0, "好的，我们会派人过去。"),
            ],
        ),
        (
            "en",
            [
                ("customer", 0.0, 3.0, "My heater is broken, can you send a technician?"),
                ("agent", 3.5, 6.0, "Sure, we will take care of it."),
            ],
        ),
    ],
)
def test_a_service_visit_requires_where_when_and_who(lang, turns):
    got = score_text(turns, lang)["checks"]["5w2h"]
    assert got["required"] == ["where", "when", "who"]
    assert got["required_because"] == {"where": "visit", "when": "visit", "who": "visit"}
    assert set(got["missing"]) >= {"where", "when"}
    assert got["status"] == "fail"


@pytest.mark.parametrize(
    "lang, turns",
    [
        (
            "zh",
            [
                ("customer", 0.0, 3.0, "我家空调坏了，能派人上门修一下吗？"),
                ("agent", 3.5, 8.0, "好的，请问您的地址是哪里？"),
                ("customer", 8.5, 10.0, "幸福路八号。"),
                ("agent", 10.5, 14.0, "明天上午十点，刘师傅上门，他会先给您打电话。"),
            ],
        ),
        (
            "en",
            [
                ("customer", 0.0, 3.0, "My heater is broken, can you send a technician?"),
                ("agent", 3.5, 8.0, "Of course. What is the address?"),
                ("customer", 8.5, 10.0, "Forty two Maple Street."),
                ("agent", 10.5, 14.0, "A technician will be there Friday at two o'clock."),
            ],
        ),
    ],
)
def test_a_service_visit_with_address_time_and_contact_passes(lang, turns):
    got = score_text(turns, lang)["checks"]["5w2h"]
    assert got["missing"] == [] and {"where", "when", "who"} <= set(got["covered"])
    assert got["status"] == "pass"
    assert got["evidence"]["where"]["turn"] == 1 and got["evidence"]["when"]["turn"] == 3


def test_a_question_answered_by_explanation_covers_its_topic():
    """多出来的是电梯维修的分摊 names no reason word, but it answers 为什么: the topic is covered."""
    got = score_text([("customer", 0.0, 2.0, "为什么这个月多了？"), ("agent", 2.5, 5.0, "多出来的是电梯维修的分摊。")])[
        "checks"
    ]["5w2h"]
    assert "why" in got["covered"] and got["evidence"]["why"]["cue"] == "answer"
    assert got["evidence"]["why"]["turn"] == 1


ECHO = {
    "en": [
        ("agent", 0.0, 2.0, "Hi, Crumb and Co, how can I help?"),
        ("customer", 2.5, 6.0, "Hi, I need a birthday cake with a unicorn on it, and it has to be nut-free."),
        ("agent", 6.5, 9.0, "Right, so a unicorn cake, made without any nut ingredients, nut-free as far as we can."),
    ],
    "zh": [
        ("agent", 0.0, 2.0, "您好，蓝天航空。"),
        ("customer", 2.5, 6.0, "我那个航班延误了，想问问餐食和行李怎么弄。"),
        ("agent", 6.5, 9.0, "延误超过四小时机场会安排餐食，行李会直接转到下一班。"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_agent_statement_repeating_the_customers_words_for_the_matter_covers_what(lang):
    """Confirming the request in the customer's words (a unicorn cake, nut-free; 餐食, 行李) states what it is about;
    the same words only in a question, or an echo turned off in the pack, cover nothing."""
    got = score_text(ECHO[lang], lang)["checks"]["5w2h"]
    assert "what" in got["covered"] and got["evidence"]["what"]["cue"] == "echo"
    assert got["evidence"]["what"]["turn"] == 2
    asked = [*ECHO[lang][:2], ("agent", 6.5, 9.0, "Unicorn cake, nut-free?" if lang == "en" else "餐食还是行李？")]
    assert "what" not in score_text(asked, lang)["checks"]["5w2h"]["covered"]
    pack = load_pack(lang)
    pack.data["fivew2h"]["echo_min"] = 0
    assert "what" not in score_text(ECHO[lang], lang, pack=pack)["checks"]["5w2h"]["covered"]


def test_repeating_only_a_day_a_price_or_filler_words_covers_no_what():
    turns = [
        ("agent", 0.0, 2.0, "Hi, how can I help?"),
        ("customer", 2.5, 6.0, "Yeah, thanks, I'm calling about Saturday, it was forty pounds, really."),
        ("agent", 6.5, 9.0, "Thanks, so Saturday, forty pounds, really, yeah."),
    ]
    assert "what" not in score_text(turns, "en")["checks"]["5w2h"]["covered"]


# --------------------------------------------------------------------------- packs, scorecard, docs


def test_a_trainers_pack_extends_the_cues_and_the_spotter_is_compiled_once(tmp_path):
    extra = tmp_path / "company.toml"
    extra.write_text('language = "zh"\n[fivew2h.state]\nhow = ["刷脸"]\n', encoding="utf-8")
    pack = load_pack("zh", [extra])
    turns = [("agent", 0.0, 3.0, "进门的时候刷脸。")]
    assert score_text(turns)["checks"]["5w2h"]["covered"] == []
    assert score_text(turns, pack=pack)["checks"]["5w2h"]["covered"] == ["how"]
    assert topic_spotter(load_pack("zh", [extra])) is topic_spotter(pack)  # one compilation per settings
    assert topic_spotter(load_pack("zh")) is not topic_spotter(pack)


def test_the_chinese_scorecard_names_the_topics_in_chinese():
    card = score_text(
        [("customer", 0.0, 3.0, "我家空调坏了，能派人上门修一下吗？"), ("agent", 3.5, 6.0, "好的，我们会派人过去。")]
    )
    console = Console(file=io.StringIO(), width=140, color_system=None)
    console.print(scorecard_view(card))
    shown = console.file.getvalue()
    assert "地点" in shown and "时间" in shown
    assert "where" not in shown and "when" not in shown
    finding = next(f for f in card["findings"] if f["rule"] == "5w2h")
    assert "地点、时间" in finding["message"]


def test_rules_5w2h_explains_how_it_is_judged(capsys):
    assert cli_main(["rules", "5w2h"]) == 0
    out = capsys.readouterr().out
    assert "How it is judged" in out
    assert "visit_requires" in out and "fail_missing" in out
