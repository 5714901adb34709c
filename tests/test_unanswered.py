"""Unanswered customer questions (issue 10, items 3 and 5): a customer's 多少钱 / 什么时候 / "how much" / "when"
must be answered — stated, asked back, or promised with when and how — in the agent's next turns.

Transcripts are scored by :func:`callcoach.scoring.score_call` with the real matchers and taggers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callcoach.scoring import CallSetup, score_call
from callcoach.transcript import Transcript, Turn

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def score_text(turns, lang="zh") -> dict:
    transcript = Transcript(tuple(Turn(s, a, b, t) for s, a, b, t in turns), language=lang, source="test")
    return score_call(transcript=transcript, setup=CallSetup()).to_dict()


def is_answered(lang: str, question: str, *replies: str) -> bool:
    """Whether the one question of ``question`` is answered by the agent's ``replies`` (see :func:`call`)."""
    (got,) = call(lang, question, *replies)["checks"]["unanswered"]["questions"]
    return got["answered"]


def call(lang: str, question: str, *replies: str) -> dict:
    """An opening, the customer's question, then the agent's replies 3 s apart; returns checks.unanswered."""
    opening = (
        "您好，星河物业，我是李明，请问有什么可以帮您？"
        if lang == "zh"
        else "Thank you for calling Acme, this is Sam, how can I help you?"
    )
    turns = [("agent", 0.0, 3.0, opening), ("customer", 3.5, 6.0, question)]
    turns += [("agent", 6.5 + 3.0 * i, 9.0 + 3.0 * i, r) for i, r in enumerate(replies)]
    return score_text(turns, lang)


@pytest.mark.parametrize(
    "lang, question, reply, topic",
    [
        ("zh", "那什么时候能修好？", "这个我不清楚，反正回头会有人处理的。", "when"),
        ("zh", "换个门锁要多少钱？", "好的，我们会尽快安排。", "how_much"),
        ("zh", "我该去哪里办理？", "您别着急。", "where"),
        ("zh", "网断了我该怎么办？", "嗯，好的。", "how"),
        ("en", "When will the technician come?", "I'm not sure, somebody will deal with it.", "when"),
        ("en", "How much is the new plan?", "It is a very popular plan.", "how_much"),
        ("en", "Where do I drop off the modem?", "Okay, sure.", "where"),
    ],
)
def test_an_unanswered_question_is_a_finding_with_the_words_heard(lang, question, reply, topic):
    card = call(lang, question, reply)
    got = card["checks"]["unanswered"]
    assert got["count"] == 1 and got["status"] == "warn"
    assert got["questions"] == [
        {
            "turn": 1,
            "at_s": got["questions"][0]["at_s"],
            "topic": topic,
            "heard": got["questions"][0]["heard"],
            "answered": False,
            "answer_turn": None,
            "deferred": False,
            "p_unanswered": got["questions"][0]["p_unanswered"],
        }
    ]
    q = got["questions"][0]
    assert q["p_unanswered"] >= 0.5  # the answer model is sure of it, not just past its threshold
    assert 3.5 <= q["at_s"] <= 6.0
    assert q["heard"] and q["heard"] in question
    finding = next(f for f in card["findings"] if f["rule"] == "unanswered")
    assert finding["severity"] == "warning" and finding["at_s"] == q["at_s"] and finding["heard"] == q["heard"]
    assert finding["suggestion"]
    # the agent's reply comes with it, for a trainer to judge the finding at a glance
    assert finding["reply"] == reply


def test_an_unanswered_question_shows_the_reply_in_the_scorecard_and_masks_it_when_redacting(tmp_path):
    """The reply is in the JSON, the terminal scorecard and the call's report page; masked like the rest. (A phone
    number in it is no price: the question stays unanswered.)"""
    from rich.console import Console

    from callcoach.render import scorecard_view
    from callcoach.report import write_report

    turns = [
        ("agent", 0.0, 3.0, "Thank you for calling Acme, this is Sam, how can I help you?"),
        ("customer", 3.5, 6.0, "How much is the new plan?"),
        ("agent", 6.5, 12.0, "It's a very popular plan, lots of people like it, my mobile is 07700 900123."),
        ("customer", 13.0, 14.0, "Okay."),
        ("agent", 14.5, 16.0, "Bye."),
    ]
    transcript = Transcript(tuple(Turn(s, a, b, t) for s, a, b, t in turns), language="en", source="test")
    card = score_call(transcript=transcript, setup=CallSetup()).to_dict()
    finding = next(f for f in card["findings"] if f["rule"] == "unanswered")
    assert finding["reply"] == turns[2][3]
    console = Console(width=200, record=True)
    console.print(scorecard_view(card))
    shown = console.export_text()
    assert "reply: “It's a very popular plan, lots of people like it, my mobile is 07700 900123.”" in shown
    masked = score_call(transcript=transcript, setup=CallSetup(redact=True)).to_dict()
    reply = next(f for f in masked["findings"] if f["rule"] == "unanswered")["reply"]
    assert reply == "It's a very popular plan, lots of people like it, my mobile is [phone]."
    write_report(tmp_path, [masked])
    (page,) = (tmp_path / "calls").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "reply: “It&#39;s a very popular plan, lots of people like it, my mobile is [phone].”" in html
    assert "900123" not in html


@pytest.mark.parametrize(
    "lang, question, reply, topic",
    [
        ("zh", "那什么时候能修好？", "师傅明天上午十点上门。", "when"),
        ("zh", "换个门锁要多少钱？", "换锁一共一百二十元。", "how_much"),
        ("zh", "我该去哪里办理？", "您到任意营业厅都可以办理。", "where"),
        ("zh", "要收费吗？", "上门服务免费。", "how_much"),
        ("zh", "为什么这个月多了？", "多出来的是电梯维修的分摊。", "why"),
        ("en", "When will the technician come?", "The technician will be there Friday at two o'clock.", "when"),
        ("en", "How much is the new plan?", "It is $49.99 a month.", "how_much"),
        ("en", "Will it cost anything?", "The visit is free of charge.", "how_much"),
        ("en", "How do I pay the bill?", "You can pay online or via the app.", "how"),
    ],
)
def test_a_question_answered_by_a_statement(lang, question, reply, topic):
    got = call(lang, question, reply)["checks"]["unanswered"]
    assert [(q["topic"], q["answered"], q["answer_turn"], q["deferred"]) for q in got["questions"]] == [
        (topic, True, 2, False)
    ]
    assert got["count"] == 0 and got["status"] == "pass"


@pytest.mark.parametrize(
    "lang, question, reply",
    [
        ("zh", "换个门锁要多少钱？", "我向师傅确认后给您回电告知。"),
        ("zh", "那什么时候能修好？", "我们核实后今天下午回复您。"),
        ("en", "How much will the repair cost?", "I'll call you back with the price this afternoon."),
        ("en", "When will my refund arrive?", "Let me find out, and I'll get back to you by email."),
    ],
)
def test_a_promise_of_when_and_how_the_answer_comes_counts(lang, question, reply):
    got = call(lang, question, reply)["checks"]["unanswered"]
    assert [(q["answered"], q["deferred"]) for q in got["questions"]] == [(True, True)]


@pytest.mark.parametrize(
    "lang, question, back, details, answer",
    [
        ("zh", "换个门锁要多少钱？", "您要换几把锁？", "两把。", "两把一共两百四十元，含上门费。"),
        (
            "en",
            "When can you come?",
            "What's the postcode there?",
            "S E one, four A B.",
            "We can be there Friday at two.",
        ),
    ],
)
def test_asking_back_is_no_answer_and_leaves_the_question_open(lang, question, back, details, answer):
    only_back = call(lang, question, back)["checks"]["unanswered"]
    assert [q["answered"] for q in only_back["questions"]] == [False]
    turns = [
        ("agent", 0.0, 3.0, "您好，星河物业，我是李明。" if lang == "zh" else "Acme, this is Sam."),
        ("customer", 3.5, 6.0, question),
        ("agent", 6.5, 8.0, back),
        ("customer", 8.5, 10.0, details),
        ("agent", 10.5, 13.0, answer),
    ]
    got = score_text(turns, lang)["checks"]["unanswered"]
    assert [(q["answered"], q["answer_turn"]) for q in got["questions"]] == [(True, 4)]


def test_the_answer_must_come_within_the_window_of_agent_turns():
    late = call("zh", "换个门锁要多少钱？", "好的。", "嗯，是这样的。", "您别着急。", "一共一百二十元。")
    q = late["checks"]["unanswered"]["questions"][0]
    assert q["answered"] is False  # the price came in the agent's 4th turn; the pack's window is 3
    in_time = call("zh", "换个门锁要多少钱？", "好的。", "嗯，是这样的。", "一共一百二十元。")
    assert in_time["checks"]["unanswered"]["questions"][0]["answer_turn"] == 4


def test_holds_and_requests_for_details_do_not_use_up_the_window():
    got = call(
        "zh",
        "换个门锁要多少钱？",
        "好的。",
        "请您稍等，我帮您查一下。",
        "麻烦您提供一下门牌号。",
        "嗯，是这样的。",
        "一共一百二十元。",
    )
    assert got["checks"]["unanswered"]["questions"][0]["answer_turn"] == 6


def test_a_hold_announcement_or_dont_know_is_no_answer():
    assert call("zh", "为什么这个月多了？", "请您稍等，我帮您查一下。")["checks"]["unanswered"]["count"] == 1
    assert call("zh", "为什么这个月多了？", "这个我也不清楚，可能系统出错了吧。")["checks"]["unanswered"]["count"] == 1


def test_two_unanswered_questions_fail():
    got = call("zh", "什么时候能来？要多少钱？", "好的，我记下了。")["checks"]["unanswered"]
    assert [q["topic"] for q in got["questions"]] == ["when", "how_much"]
    assert got["count"] == 2 and got["status"] == "fail"


@pytest.mark.parametrize(
    "lang, sentence",
    [
        ("zh", "什么时候都行，我一直在家。"),
        ("zh", "我家的网断了，一直连不上。"),
        ("zh", "明天上午我在家。"),
        ("zh", "好的，谢谢。"),
        ("zh", "多少有点贵，不过可以。"),
        ("en", "It drops when I use the microwave."),
        ("en", "My internet has been down since this morning."),
        ("en", "Tomorrow morning works for me."),
        ("en", "No, that's all, thanks."),
        ("en", "I live where the old mill used to be."),
        ("zh", "喂，能听见吗？"),  # checking the line, not asking about the matter
    ],
)
def test_statements_by_the_customer_are_no_questions(lang, sentence):
    got = call(lang, sentence, "好的。" if lang == "zh" else "Okay.")["checks"]["unanswered"]
    assert got["questions"] == [] and got["status"] == "n/a"


def test_without_speaker_labels_there_is_nothing_to_judge():
    got = score_text([("unknown", 0.0, 3.0, "那什么时候能修好？"), ("unknown", 3.5, 6.0, "好的。")])
    assert got["checks"]["unanswered"] == {"status": "n/a", "questions": [], "count": 0}


def test_an_unanswered_question_is_also_a_missing_required_5w2h_topic():
    card = call("zh", "那什么时候能修好？", "这个我不清楚，反正回头会有人处理的。")
    assert card["checks"]["5w2h"]["required"] == ["when"]
    assert card["checks"]["5w2h"]["missing"] == ["when"]


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".truth.json") for p in SAMPLES.glob("*.truth.json")))
def test_the_bundled_samples_questions_match_their_truth(name):
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text(encoding="utf-8"))
    card = score_call(transcript_path=SAMPLES / truth["transcript"], setup=CallSetup(ring_s=0.0)).to_dict()
    got = card["checks"]["unanswered"]
    assert [(q["turn"], q["topic"], q["answered"]) for q in got["questions"]] == [
        (q["turn"], q["topic"], q["answered"]) for q in truth["unanswered"]["questions"]
    ]
    assert got["count"] == truth["unanswered"]["count"]
    assert got["status"] == truth["expected"]["unanswered"]
    assert card["checks"]["5w2h"]["required"] == truth["5w2h"]["required"]


@pytest.mark.parametrize(
    "lang, question, reply, topic, answered",
    [
        ("en", "And is my card safe to keep using?", "Look, that's not my department.", "what", False),
        (
            "en",
            "And is my card safe to keep using?",
            "Yes, the card itself is fine, only that one charge is blocked.",
            "what",
            True,
        ),
        ("zh", "那这个体检的结果准确吗？", "嗯。", "what", False),
        # whether it can be done: how
        ("zh", "医保卡能在你们这儿刷吗？", "可以的，门诊一楼的窗口都能刷。", "how", True),
    ],
)
def test_a_yes_no_question_without_a_topic_cue_is_a_question_about_the_matter(lang, question, reply, topic, answered):
    card = call(lang, question, reply)
    q = card["checks"]["unanswered"]["questions"]
    assert [(x["topic"], x["answered"]) for x in q] == [(topic, answered)]
    assert card["checks"]["5w2h"]["required"] == []  # no topic named: nothing required of 5W2H


def test_a_question_asked_again_and_answered_then_counts_as_answered():
    got = score_text(
        [
            ("customer", 0.0, 3.0, "新家能装宽带吗，多少钱一年？"),
            ("agent", 3.5, 6.0, "请问新家的地址是哪里呢？"),
            ("customer", 6.5, 8.0, "滨江新城三期。"),
            ("agent", 8.5, 10.0, "我查一下，请您稍等。"),
            ("agent", 14.0, 17.0, "谢谢您的等待，那边已经覆盖了光纤，可以安装。"),
            ("customer", 17.5, 18.5, "那价格呢？"),
            ("agent", 19.0, 23.0, "一百兆的一年六百元。"),
        ]
    )["checks"]["unanswered"]
    assert [(q["turn"], q["topic"], q["answered"], q["answer_turn"]) for q in got["questions"]] == [
        (0, "how_much", True, 6),
        (5, "how_much", True, 6),
    ]


def test_a_question_with_no_words_of_its_own_is_not_asked_again_past_questions_on_other_topics():
    # 那这个大概多少钱？ left open; the customer then asks where, and later whether a redo is free (how much):
    # that later question is a new one, and does not answer the first
    got = score_text(
        [
            ("customer", 0.0, 3.0, "那这个大概多少钱？"),
            ("agent", 3.5, 6.0, "这个不好说，来了再说吧。"),
            ("customer", 6.5, 9.0, "那你们店在哪儿啊？"),
            ("agent", 9.5, 13.0, "现在在文化路菜市场东门旁边，工商银行对面，二楼。"),
            ("customer", 13.5, 16.0, "改完要是还不合适，能免费再改吗？"),
            ("agent", 16.5, 19.0, "可以的，免费再改一次。"),
        ]
    )["checks"]["unanswered"]
    first, *later = got["questions"]
    assert (first["turn"], first["topic"], first["answered"]) == (0, "how_much", False)
    assert later and all(q["turn"] > 0 and q["answered"] for q in later)


@pytest.mark.parametrize(
    "question, answered",
    [
        ("I was also wondering if we'd be able to taste anything beforehand?", False),
        ("I wanted to know whether you do gluten-free?", False),
        ("I was wondering if you could send it to me.", None),  # a request said as a statement: no question
    ],
)
def test_an_indirect_yes_no_question_is_a_question(question, answered):
    got = call("en", question, "Our reviews on the website are a good place to see what people thought.")
    questions = got["checks"]["unanswered"]["questions"]
    assert [q["answered"] for q in questions] == ([] if answered is None else [answered])


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a plain yes or no is an answer, however curt the rest: the refusal is the answer
        ("en", "Can I at least get a loaner?", "No loaners on service jobs, it's company policy.", True),
        (
            "en",
            "Are you insured, like, if something falls on a car?",
            "Course we are, ten million public liability.",
            True,
        ),
        ("en", "Do you guys cover that, or?", "Yeah, um, that's, it depends, there's a lot of factors.", False),
        ("zh", "那个，我想问一下啊，你们现在还能插班吗？", "是。小班还是中班？", True),
        ("zh", "你们是做鱼缸上门维护的吗？", "对，什么事？", True),
        ("zh", "这个能退吗？", "是这样的，您先别急。", False),
        ("zh", "我看拼多多上才十二块多。能便宜点吗？", "这不可能，十四块五已经是最低了。", True),
        # a bare "maybe" answers nothing, "maybe if …" does; not knowing said carelessly is no answer
        ("en", "Can you fix that sticking key as well?", "Maybe, depends what it is.", False),
        ("en", "Hmm. Can't I get a refund instead?", "Maybe if you send a doctor's note.", True),
        # a hold announcement before the yes; who answered by a person named in passing or by "me"
        (
            "en",
            "Will it be the same guy who installed it?",
            "Let me check. Yes, that'll be Andre, he covers your area.",
            True,
        ),
        ("en", "Thursday's good, after school. Who'd be teaching her?", "Probably Kerry, or whoever's on.", True),
        ("en", "Um, and who'd actually do the work, would it be you?", "Me and Kev, plus a groundie.", True),
        ("en", "Thursday's good, after school. Who'd be teaching her?", "It depends on the rota, to be honest.", False),
        # putting it off with no when or how, or reassuring instead, answers nothing
        ("zh", "……那万一它在你们那生病了怎么办？", "我们养了这么多年狗，没出过什么事。", False),
        ("zh", "那狗能带过去吗？", "狗啊……到时候再看吧，人多的话不好弄。", False),
        # "card's" is the question's "card"
        ("en", "Um, and can I pay by card?", "Card's fine, he's got a machine.", True),
        # an A-not-A question is answered by its A (认不认 -> 认啊); a condition, 就 and the predicate answer yes
        ("zh", "户口本两页。那翻出来的，使馆认不认啊？", "认啊，我们有翻译专用章，带资质的。", True),
        ("zh", "差两百啊……那我再加点修正带什么的凑够两千，能送吗？", "凑够就送。", True),
        ("zh", "那翻出来的，使馆认不认啊？", "我们做了十几年了。", False),
        # "mattresses", "glasses" are the question's "mattress", "glass" (the plural of a word ending in -ss)
        ("en", "And can we put a mattress in it?", "Mattresses can't go in the skip, I'm afraid.", True),
        ("en", "Can you take the old glass?", "Glasses are fine, we recycle them.", True),
        # a plain no carrying the question's verb is still plain, whatever follows; a 不会 reassures as often
        ("zh", "三万八啊……那能分期吗？", "不能分，你必须开营前全交齐，这是规定。", True),
        ("zh", "那这八十块能不能退给我？", "退不了。还车页面上有提示的，你还车之前应该自己看一下。", True),
        ("zh", "那放久了会不会坏啊？", "不会坏的，您放心。", False),
        # a rate stated as a percentage answers how the interest is worked out
        ("zh", "嗯嗯。那利息是怎么算的，一个月多少？", "综合费率一个月百分之二点七，最短当五天。", True),
        # who does it (谁出, 谁付): the party doing it answers, however short
        ("zh", "那运费谁出？", "我们出。", True),
        ("zh", "哦……那运费谁出啊？", "寄过来你出，修好寄回去我们出。", True),
        ("zh", "那运费谁出？", "这个要看情况。", False),
        # a yes before a hold it announces still answers; patience asked about the matter does not
        ("en", "Can I just book it now over the phone?", "Yeah, I can do that for you. Just bear with me.", True),
        ("en", "Can I just book it now over the phone?", "Yeah, bear with us, the system's slow this week.", False),
        # an either-or question answered by "either" (or both, neither)
        ("en", "Do I bring it in to you, or do you collect?", "Either. I'm down at the marina on Tuesdays.", True),
        ("en", "Do I bring it in to you, or do you collect?", "Well, we'll see, it's a busy month.", False),
        (
            "en",
            "Can I pay him there on the day or do ye send out a bill?",
            "Either's fine, he has the card machine.",
            True,
        ),
        # a first sentence ending in ", aye" answers like ", yeah"
        ("en", "Are they still there, though, the puffins?", "They're still on Lunga, aye. Till August.", True),
        # a cost asked about is answered by its being free
        (
            "en",
            "There's four of us coming up to cheer him on, do we have to pay in as well?",
            "Spectators are free, there's just a bucket going round.",
            True,
        ),
        ("en", "Do we have to pay in as well?", "Ah, you'll be grand, don't worry about that.", False),
    ],
)
def test_a_plain_yes_or_no_and_the_questions_own_words_answer(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


@pytest.mark.parametrize(
    "question, replies, answered",
    [
        # back from a hold, a word or two and then the yes or no: "August. Yeah, …" / "Sorry about that. No, …"
        ("Have you got room for two cats in August?", ["August. Yeah, I've got one family pen left."], True),
        (
            "And have you any indoor space, like, under cover?",
            ["Let me just check the shed list there, one sec.", "Sorry about that. No, the shed's full for this year."],
            True,
        ),
        # or a short reaction first: "Congratulations on the new arrival! Yes, …"
        (
            "And, sorry, do you take younger dogs?",
            ["Congratulations on the new arrival! Yes, we take puppies from five months."],
            True,
        ),
        # a yes after a sentence of its own says yes to something else
        (
            "Have you got anything on Saturday?",
            ["The boss sorts all the bookings out. Yeah, he'll be in later."],
            False,
        ),
    ],
)
def test_a_yes_or_no_after_a_word_or_two_answers(question, replies, answered):
    assert is_answered("en", question, *replies) is answered


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the matter first, the yes or no after it (topic, then comment)
        ("那能不能拿去检测一下？", "检测可以，您寄回来，我们质检用仪器测一下。", True),
        ("能不能先排个队？", "满了可以登记候补，有人退了就按顺序打电话通知。", True),
        ("这个能销吗？", "合约期内不能直接销，要销就得先解约。", True),
        # a suggestion to the customer, an aside or a guess is no reply
        ("万一接回去实在不行，能送回来吗？", "那您可以先来基地跟它接触一下，看看自己的反应。", False),
        ("中途能不能出来上个厕所？", "你要是怕就别选这个本了嘛。", False),
        ("复检还要再交钱吗？", "一般都能过的，您车平时开着没什么毛病的话。", False),
    ],
)
def test_a_mandarin_reply_may_put_the_matter_before_its_yes_or_no(question, reply, answered):
    assert is_answered("zh", question, reply) is answered


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # whether something costs: a price in the first reply answers, however it names the matter
        ("en", "Does the survey cost anything?", "Free if you go ahead, forty quid if you don't.", True),
        ("en", "Tuesday then. Does the survey cost anything?", "It's forty quid.", True),
        ("zh", "那上门检测要收费吗？", "一百二，修的话抵扣。", True),
        # a figure that is no price, or one said to soothe, does not
        ("zh", "过生日有没有什么优惠啊？", "邓先生，今晚八点，小包，十个人，记上了。", False),
        (
            "zh",
            "那万一婚期要改，这个定金能退吗？",
            "您放心，尾款是婚礼前一个月再付，剩下的一万五千八也可以分两次付。",
            False,
        ),
        # a reassurance first, then the figure asked about: the figure answers
        (
            "zh",
            "包间是不是要最低消费啊？",
            "您放心，我们早茶时段包间最低消费是八百八，十二位的话一般都会超过的。",
            True,
        ),
        ("zh", "包间是不是要最低消费啊？", "您放心，我们早茶时段的包间都很划算的，一般都会超过的。", False),
    ],
)
def test_whether_something_costs_is_answered_by_a_price(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # passing the question to someone else answers nothing
        (
            "And, sorry, can I put a little shed on it, or do I need permission?",
            "Sheds, that's a committee thing, not us.",
            False,
        ),
        (
            "Is that, like, yearly, or monthly?",
            "Oh, membership's the treasurer, not me, she does all that side of it.",
            False,
        ),
        # but naming who does it answers who
        ("Who does the training sessions, then?", "Not me, no. It'd be Marcus, he's our behaviour trainer.", True),
    ],
)
def test_passing_the_question_on_is_no_answer(question, reply, answered):
    assert is_answered("en", question, reply) is answered


def test_the_closes_recap_past_the_first_reply_answers_nothing_asked_before():
    lines = [
        "C: And how do I pay for it?",
        "A: Don't worry about that.",
        "C: Okay then.",
        "A: Lovely, so just to confirm, that's Saturday the ninth, two vans, eight a.m., and you'll pay on the day by card.",
    ]
    questions = score_text(_turns(*lines), "en")["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in questions] == [("how", False)]
    # as the first reply, it answers
    assert (
        _unanswered(["C: 那送货的师傅要另外给钱吗？", "A: 好的，跟您确认一下，周日上午送货，运费三十元，到了当场付。"])
        == []
    )


def test_a_later_question_of_the_same_topic_about_another_matter_ends_the_window():
    # a realistic call: 能免费再改吗？ (不合适 is 何时 by its sound only, in a clause that asks nothing) gets
    # 我们做了二十多年了，基本上没有不合适的 (a denial); the customer then asks when the shop closes, and that
    # answer does not answer the redo question
    from callcoach.transcript_files import load_transcript

    path = Path(__file__).parent / "fixtures" / "realspeech" / "dev" / "zh_tailor_22.srt"
    transcript = load_transcript(path, language="zh")
    got = score_call(transcript=transcript, setup=CallSetup(company="巧针坊改衣", language="zh")).to_dict()
    by_turn: dict[int, list[bool]] = {}
    for q in got["checks"]["unanswered"]["questions"]:
        by_turn.setdefault(q["turn"], []).append(q["answered"])
    assert "能免费再改吗" in transcript.turns[19].text and not all(by_turn[19])
    assert "几点关门" in transcript.turns[21].text and all(by_turn[21])


def test_not_knowing_said_carelessly_leaves_the_question_open_past_the_next_reply():
    got = call(
        "en",
        "Um, and the stuff you use, is it okay with pets?",
        "Dunno off the top of my head what's in it, to be honest, it's just the standard stuff everyone uses.",
        "So shall I put you down for the eight o'clock slot on Thursday then, with the van outside?",
    )
    (question,) = got["checks"]["unanswered"]["questions"]
    assert question["answered"] is False


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # how long is answered by a length of time (or a promise), not by a time of day to come in
        ("zh", "这一修要修多久啊？", "您今天下午两点之前开过来就行。", False),
        ("zh", "这一修要修多久啊？", "大概两个小时。", True),
        ("zh", "多久能转过去？", "一般在办完之后的下一个交易日到账。", True),
        ("zh", "那换的话要等多久？", "我今天下午五点前给您发短信，告诉您具体哪天送。", True),
        ("en", "Um, and how long does a recut take?", "About a week.", True),
        ("en", "How long will the repair take?", "He'll be with you at two o'clock.", False),
    ],
)
def test_how_long_is_answered_by_a_length_of_time(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


def test_the_answer_window_ends_at_the_customers_next_question():
    """小额补充是多少？ is met by 不清楚; the price words that follow answer the next question, not this one."""
    got = score_text(
        [
            ("customer", 0.0, 2.0, "小额补充是多少？"),
            ("agent", 2.5, 5.0, "这个我也不清楚，条款里应该有写。"),
            ("customer", 5.5, 8.0, "那报销要准备什么材料？"),
            ("agent", 8.5, 12.0, "费用清单和发票原件，通过我们的手机应用上传就行。"),
        ]
    )["checks"]["unanswered"]
    assert [(q["topic"], q["answered"]) for q in got["questions"]] == [("how_much", False), ("how", True)]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        ("zh", "那个停车方便吗，医院有停车场吗？", "麻烦您提供一下就诊人姓名和身份证号。", False),
        ("zh", "医院有停车场吗？", "有的，门诊楼后面有一个地下停车场。", True),
    ],
)
def test_asking_about_parking_is_a_where_question_and_a_request_for_details_no_answer(lang, question, reply, answered):
    q = call(lang, question, reply)["checks"]["unanswered"]["questions"]
    assert [(x["topic"], x["answered"]) for x in q] == [("where", answered)]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a yes/no question met by a reply that opens with yes / no / maybe answers it
        ("en", "Hmm. Can't I get a refund instead?", "Maybe if you send a doctor's note.", True),
        ("en", "Hmm. Can't I get a refund instead?", "Let me put you on a short hold.", False),
        ("zh", "解读门诊要钱吗？", "不用，体检客户都不收。", True),
        # a question with a question word is not answered by "yes"
        ("en", "How much is the refund?", "Yes, I see the booking here.", False),
        # an explanation asking the customer for details answers nothing ("what" question)
        ("en", "And is my card safe to keep using?", "Can I have your date of birth for security first?", False),
        ("en", "And is my card safe to keep using?", "May I have your full name and postcode please.", False),
    ],
)
def test_yes_no_replies_and_requests_for_details(lang, question, reply, answered):
    q = call(lang, question, reply)["checks"]["unanswered"]["questions"]
    assert [x["answered"] for x in q] == [answered]


def test_after_dont_know_only_a_promise_answers_even_past_the_customers_follow_up():
    """这个我不清楚 … 那我问谁？ … 医生会给您讲: a promise of who will answer answers both questions."""
    got = score_text(
        [
            ("agent", 0.0, 3.0, "您好，仁和医院，我是小王，请问有什么可以帮您？"),
            ("customer", 3.5, 6.0, "我的血脂有一项偏高，严不严重啊？"),
            ("agent", 6.5, 9.0, "这个我不清楚，我们这里是客服，看不到您的具体结果。"),
            ("customer", 9.5, 10.5, "那我问谁？"),
            ("agent", 11.0, 15.0, "拿到报告以后，您可以挂一个解读门诊，医生会给您讲。"),
        ]
    )
    q = got["checks"]["unanswered"]["questions"]
    assert [(x["turn"], x["answered"], x["deferred"]) for x in q] == [(1, True, True), (3, True, True)]


def test_after_dont_know_a_question_about_another_matter_ends_the_wait_for_a_promise():
    """附近有吃饭的地方吗？ — 我不太清楚 … 认养羊驼怎么弄？ … 我让同事联系您: the promise is about the alpacas."""
    got = score_text(
        [
            ("agent", 0.0, 3.0, "您好，云朵牧场，我是马俊，请问有什么可以帮您？"),
            ("customer", 3.5, 6.0, "那附近有吃饭的地方吗？"),
            ("agent", 6.5, 9.0, "这个我不太清楚，您到时候导航搜一下吧。"),
            ("customer", 9.5, 12.0, "好吧。我在网上看到你们能认养羊驼，这个怎么弄？"),
            ("agent", 12.5, 16.0, "认养的话我让负责的同事明天联系您，给您详细讲。"),
        ]
    )
    q = got["checks"]["unanswered"]["questions"]
    assert [(x["turn"], x["answered"]) for x in q] == [(1, False), (3, True)]


def test_a_promise_to_put_it_in_the_email_defers_the_answer():
    got = call(
        "en",
        "And how much are the exams?",
        "I don't know the exact figure off the top of my head, but I'll put the current ones in the email tonight.",
    )
    (q,) = got["checks"]["unanswered"]["questions"]
    assert (q["answered"], q["deferred"]) == (True, True)


def test_only_seeing_part_of_the_account_is_no_answer_to_why():
    """只能看到余额 says the agent cannot tell; what follows answers the customer's next question, not this one."""
    got = score_text(
        [
            ("agent", 0.0, 3.0, "您好，星河通信，我是李明，请问有什么可以帮您？"),
            ("customer", 3.5, 6.0, "那一百块钱哪去了？"),
            ("agent", 6.5, 10.0, "我们这里只能看到余额，具体扣费你必须去营业厅打详单。"),
            ("customer", 10.5, 13.0, "那我现在怎么恢复通话？"),
            ("agent", 13.5, 16.0, "交费就恢复了，在手机应用上交也行。"),
        ]
    )
    q = got["checks"]["unanswered"]["questions"]
    assert [(x["turn"], x["topic"], x["answered"]) for x in q] == [(1, "why", False), (3, "how", True)]


@pytest.mark.parametrize(
    "lang, question, reply, topic, answered",
    [
        # a yes/no question asks about the matter its words name, and a reassurance is no answer to it
        ("zh", "万一考不过，能退定金吗？", "您放心，我们的通过率一直很高的，基本上都没问题。", "how_much", False),
        ("zh", "万一考不过，能退定金吗？", "可以的，考试前申请都能全额退还。", "how_much", True),
        ("zh", "我让我家人帮我去办行不行？", "这个到时候看情况吧，一般都好说的。", "who", False),
        ("zh", "能不能改到下周五入住？", "可以的，我帮您改一下。", "how", True),  # 能不能改: the pack's own cue
        (
            "en",
            "If I cancel, do I get my deposit back?",
            "Don't worry, it'll all get sorted out in the end.",
            "how_much",
            False,
        ),
        (
            "en",
            "If I cancel, do I get my deposit back?",
            "Yes, the deposit comes back to your card within five days.",
            "how_much",
            True,
        ),
        (
            "en",
            "Is there anywhere nearby to rent bikes?",
            "Oh, the kids will love that, it's a lovely time of year for it.",
            "where",
            False,
        ),
    ],
)
def test_a_yes_no_question_is_answered_by_a_reply_about_its_matter(lang, question, reply, topic, answered):
    got = call(lang, question, reply)["checks"]["unanswered"]
    assert [(q["topic"], q["answered"]) for q in got["questions"]] == [(topic, answered)]


@pytest.mark.parametrize(
    "lang, question, reply, correction",
    [
        (
            "zh",
            "我还有十节私教课没上完，那个怎么办啊？",
            "私教课现在在做活动，买二十节送三节，您可以看看。",
            "不是，我是说我没上完那十节。",
        ),
        (
            "en",
            "How do I get the late fee removed?",
            "Late fees are added when a bill is paid after the due date.",
            "That's not what I asked.",
        ),
    ],
)
def test_a_reply_the_customer_says_was_no_answer_does_not_answer(lang, question, reply, correction):
    turns = [
        ("agent", 0.0, 3.0, "您好，星河物业，我是李明。" if lang == "zh" else "Acme, this is Sam."),
        ("customer", 3.5, 6.0, question),
        ("agent", 6.5, 9.0, reply),
        ("customer", 9.5, 11.0, correction),
    ]
    got = score_text(turns, lang)["checks"]["unanswered"]
    assert [q["answered"] for q in got["questions"]] == [False]
    answered = score_text(turns[:3], lang)["checks"]["unanswered"]  # without the correction, the reply would do
    assert [q["answered"] for q in answered["questions"]] == [True]


def test_a_question_asked_again_and_still_unanswered_is_one_question_asked_twice():
    turns = [
        ("agent", 0.0, 3.0, "您好，星河物业，我是李明。"),
        ("customer", 3.5, 6.0, "那什么时候能修好？"),
        ("agent", 6.5, 9.0, "这个要看师傅那边安排。"),
        ("customer", 9.5, 12.0, "我就想知道什么时候能修好？"),
        ("agent", 12.5, 15.0, "这个我也说不好。"),
    ]
    got = score_text(turns)["checks"]["unanswered"]
    assert got["count"] == 1
    assert [(q["turn"], q["topic"], q.get("times_asked")) for q in got["questions"]] == [(1, "when", 2)]


def test_a_recap_of_what_was_said_before_the_question_does_not_answer_it():
    turns = [
        ("agent", 0.0, 3.0, "您好，幸福街道便民服务中心，我是王芳。"),
        ("customer", 3.5, 6.0, "我社保断了一个月，还能办居住证吗？"),
        ("agent", 6.5, 10.0, "这个我帮您登记，转给区人社局核实，他们会在三个工作日内给您回电话。"),
        ("customer", 10.5, 12.0, "好。那办下来要多长时间啊？"),
        ("agent", 12.5, 14.0, "您留一下您的姓名和联系电话吧。"),
        ("customer", 14.5, 16.0, "我叫詹小军，电话一五八一一二三六六九零。"),
        ("agent", 16.5, 21.0, "好的，跟您确认一下，詹小军先生，已经转区人社局，三个工作日内回电。"),
    ]
    got = score_text(turns)["checks"]["unanswered"]
    assert [(q["turn"], q["topic"], q["answered"]) for q in got["questions"] if q["turn"] == 3] == [(3, "when", False)]
    fresh = turns[:6] + [("agent", 16.5, 21.0, "办下来一般十五个工作日，证件会寄到您家里。")]
    got = score_text(fresh)["checks"]["unanswered"]
    assert [q["answered"] for q in got["questions"] if q["turn"] == 3] == [True]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        ("zh", "附近有租自行车的地方吗？", "湖边那条步道一圈大概十公里，很平。", False),
        ("zh", "附近有租自行车的地方吗？", "酒店大堂旁边就能租自行车，一小时二十元。", True),
        (
            "en",
            "And is there anywhere nearby to rent bikes?",
            "The lake path is about six miles all the way round.",
            False,
        ),
        (
            "en",
            "And is there anywhere nearby to rent bikes?",
            "The shop next to reception rents bikes by the hour.",
            True,
        ),
    ],
)
def test_a_fact_of_the_topic_answers_a_yes_no_question_only_about_its_matter(lang, question, reply, answered):
    got = call(lang, question, reply)["checks"]["unanswered"]
    assert [(q["topic"], q["answered"]) for q in got["questions"]] == [("where", answered)]


def test_the_customer_asking_the_same_thing_again_means_the_reply_was_no_answer():
    turns = [
        ("agent", 0.0, 3.0, "Summit Fitness, this is Tyler."),
        ("customer", 3.5, 7.0, "Why was I charged a forty nine dollar annual fee last week?"),
        (
            "agent",
            7.5,
            11.0,
            "You know, instead of cancelling, a lot of members freeze their account for ten dollars a month.",
        ),
        ("customer", 11.5, 14.0, "No, I'm moving. So, the forty nine dollars?"),
        ("agent", 14.5, 16.0, "Right."),
    ]
    got = score_text(turns, "en")["checks"]["unanswered"]
    assert [(q["topic"], q["answered"]) for q in got["questions"]] == [("why", False)]
    new_question = turns[:3] + [("customer", 11.5, 14.0, "Okay. And can I freeze it online?")] + turns[4:]
    got = score_text(new_question, "en")["checks"]["unanswered"]
    assert [(q["topic"], q["answered"]) for q in got["questions"]][0] == ("why", True)


def test_a_yes_no_question_with_no_words_of_its_own_asks_the_last_question_again():
    turns = [
        ("agent", 0.0, 3.0, "您好，优选商城，我是刘洋。"),
        ("customer", 3.5, 6.0, "上门取件要钱吗？"),
        ("agent", 6.5, 9.0, "我想应该是不要钱的吧。"),
        ("customer", 9.5, 11.0, "应该是？到底有没有啊？"),
        ("agent", 11.5, 13.0, "不好意思，我帮您确认一下，请您稍等。"),
        ("agent", 20.0, 23.0, "让您久等了，上门取件是免费的，运费由运费险支付。"),
    ]
    got = score_text(turns)["checks"]["unanswered"]
    assert [(q["turn"], q["topic"], q["answered"]) for q in got["questions"]] == [
        (1, "how_much", True),
        (3, "how_much", True),
    ]


@pytest.mark.parametrize(
    "lang, text, topics",
    [
        ("zh", "你们管不管？", ["what"]),  # A-not-A
        ("zh", "没了没了。", []),
        ("zh", "郑州？", []),  # an echo, no question of its own
        ("zh", "不可能啊，我上个月充了一百呢。", []),
        ("zh", "嗯，那这个月二十五号，周六上午能来吗？要不要先交定金啊？", ["when", "how_much"]),
        ("zh", "那要是对方不配合呢？", ["how"]),
        ("zh", "我就是担心，万一考不过呢，能退钱吗？", ["how_much"]),
        ("en", "I don't know, I think just mine?", []),  # a statement said with a rising voice
        ("en", "Good. And, um, do you do deliveries at all?", ["what"]),
        ("en", "What if the parcel doesn't come by Friday?", ["how"]),
        # checking the line is still open asks nothing; whether an offer is still on does
        ("zh", "喂？还在吗？", []),
        ("zh", "那个七折的活动还在吗？", ["how_much"]),
        ("en", "Hello? Are you still there?", []),
        # 么 as a spoken 吗 (Hunan, Sichuan): 能用医保卡刷么？ asks; 你说什么？ does not ask yes or no
        ("zh", "这个能用医保卡刷么？", ["how"]),
        ("zh", "你说什么？", []),
        # northern A…不A with the object between (能给俺送到洛阳不能？); a filler before 那…呢
        ("zh", "那能给俺送到洛阳不能？", ["where"]),
        ("zh", "咦，乖乖。这价还会再往上走不会？", ["what"]),
        ("zh", "嗯……那开票呢？俺这边有个饭店。", ["what"]),
        ("zh", "我是说没有。", []),
        # an English statement with a question tag asks; a bare "Right?" or "No?" reacts
        ("en", "If it doesn't come by Friday, my advance you'll refund or what?", ["how_much"]),
        ("en", "And you open on Sunday, is it?", ["when"]),
        ("en", "Right?", []),
        ("en", "No?", []),
    ],
)
def test_which_customer_sentences_are_questions(lang, text, topics):
    got = call(lang, text, "好的。" if lang == "zh" else "Okay.")["checks"]["unanswered"]
    assert [q["topic"] for q in got.get("questions", [])] == topics


def _turns(*lines: str) -> list[tuple]:
    """Turns 3 s apart from "A: …" / "C: …" lines, after the agent's opening."""
    out = [("agent", 0.0, 3.0, "您好，安居置业，我是钱磊，您请说。")]
    for i, line in enumerate(lines):
        speaker, text = line.split(": ", 1)
        out.append(("agent" if speaker == "A" else "customer", 3.5 + 3.0 * i, 6.0 + 3.0 * i, text))
    return out


def _unanswered(lines) -> list[str]:
    card = score_text(_turns(*lines))["checks"]["unanswered"]
    return [q["heard"] for q in card["questions"] if q["answered"] is False]


@pytest.mark.parametrize(
    "reply, answered",
    [
        ("还在的，业主这周都能接待看房。", True),  # opens with the question's own predicate
        ("不在了，上周已经签了。", True),  # or its negation
        ("业主这周都能接待看房。", False),  # says something else about the flat
        ("业主这周都能接待看房。还在的。", True),  # or says it as all of a later clause
        ("业主这周都能接待看房，还在考虑降价。", False),  # not only inside one
    ],
)
def test_a_yes_no_question_is_answered_by_a_reply_that_opens_with_its_predicate(reply, answered):
    assert (_unanswered(["C: 锦华苑那套两居室还在卖吗？", f"A: {reply}"]) == []) is answered


@pytest.mark.parametrize(
    "reply, answered",
    [
        ("开票要加六个点。", True),  # 开发票 as agents shorten it, opening the reply
        ("周末也营业。", False),
        ("我们这周都发货。", False),
    ],
)
def test_a_predicate_of_three_characters_may_open_the_reply_cut_to_its_first_and_last(reply, answered):
    assert (_unanswered(["C: 那能开发票吗？", f"A: {reply}"]) == []) is answered


def test_after_asking_back_about_the_question_the_reply_may_still_open_with_the_answer():
    lines = ["C: 我在网上看到锦华苑那套两居室，还在卖吗？", "A: 您说的是锦华苑三楼那套吧？", "C: 对，就是那套。"]
    assert _unanswered([*lines, "A: 还在的，这周都能看房。"]) == []
    # asking about something else first: the question is still open when "还在" comes later about another thing
    other = ["C: 锦华苑那套两居室还在卖吗？", "A: 请问您贵姓？", "C: 我姓方。", "A: 还在考虑要不要降价呢。"]
    assert _unanswered(other) == ["锦华苑那套两居室还在卖吗？"]


@pytest.mark.parametrize("reaction, unanswered", [("哦……好吧。", True), ("嗯。", False)])
def test_a_customer_who_gives_up_after_the_reply_closes_the_question(reaction, unanswered):
    lines = [
        "C: 那送过来要不要给他钱啊？",
        "A: 这个您跟司机商量吧。",
        f"C: {reaction}",
        "A: 一般给个二十块辛苦费就行。",
    ]
    assert bool(_unanswered(lines)) is unanswered


@pytest.mark.parametrize(
    "reply, answered",
    [
        ("移机费一次是一百块，您是老用户，第一次免费。", True),  # speaks of 移机, which jieba split as 移 / 机收
        ("我们的宽带一个月一百块。", False),  # a price, but of something else
    ],
)
def test_a_fact_answers_a_yes_no_question_when_it_says_two_of_its_characters(reply, answered):
    assert (_unanswered(["C: 那移机收不收钱啊？", f"A: {reply}"]) == []) is answered


def test_a_reply_about_the_other_question_of_the_turn_does_not_explain_this_one():
    turns = _turns(
        "C: 我家半夜报警器响了，还收到误报费的短信。那到底是什么原因响的，误报费要多少钱？",
        "A: 误报费是三十五块，不过今年第一次误报免收，这次不收您钱。",
    )
    questions = score_text(turns)["checks"]["unanswered"]["questions"]
    assert {q["topic"]: q["answered"] for q in questions} == {"why": False, "how_much": True}


@pytest.mark.parametrize(
    "question, reply",
    [
        ("Do you guys still do the custom ones with drawings on top?", "We do, we can print a picture or pipe it."),
        ("Do you come out that way?", "I do, yeah, I'm at Ashcombe most Wednesdays."),
        ("Okay, and what would that run me?", "The ten-inch is fifty-two dollars."),
    ],
)
def test_english_replies_that_give_the_subject_and_auxiliary_back_or_a_price(question, reply):
    assert call("en", question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is True


@pytest.mark.parametrize(
    "sentence, topics",
    [
        # an indirect question needs no question mark after "I was wondering", "I need to find out"
        (
            "I've just had my first statement and it's way lower than expected. I was wondering why it's so low.",
            ["why"],
        ),
        ("So I need to find out where I can park.", ["where"]),
        ("Any chance someone could pop round and check the system?", ["how"]),
        # a statement with the same words asks nothing
        ("It's way lower than expected, that's why I called.", []),
    ],
)
def test_indirect_english_questions(sentence, topics):
    card = score_text(
        [("agent", 0.0, 2.0, "Thanks for calling Acme, this is Sam."), ("customer", 2.5, 6.0, sentence)], "en"
    )
    assert [q["topic"] for q in card["checks"]["unanswered"]["questions"]] == topics


@pytest.mark.parametrize(
    "question, topic",
    [
        ("这才一个月，怎么就掉了？", "why"),  # 怎么 before a change that has happened: how come
        ("上次说的是一万六，怎么现在变成一万八了？", "why"),
        ("车费怎么打了八十多？", "why"),
        ("那改签怎么付？", "how"),  # 怎么 before what to do: how
    ],
)
def test_zenme_before_what_has_happened_asks_why(question, topic):
    assert [q["topic"] for q in call("zh", question, "好的。")["checks"]["unanswered"]["questions"]] == [topic]


@pytest.mark.parametrize(
    "reply", ["您先别担心，补牙一年之内脱落我们都是保修的，过来重新补。", "价格都是以当前报价为准的，这是规定。"]
)
def test_reassurance_or_a_rule_explains_no_why(reply):
    assert call("zh", "这才一个月，怎么就掉了？", reply)["checks"]["unanswered"]["questions"][0]["answered"] is False


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        ("那主持人是谁啊？", "给您安排的是周磊老师，他主持十年了。", True),  # a person named
        ("那主持人是谁啊？", "主持人都很专业的，您放心。", False),
        ("运费由谁承担？", "我们出。", True),  # "we pay" states who
    ],
)
def test_a_who_question_is_answered_by_a_person_named_or_we_will(question, reply, answered):
    assert call("zh", question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is answered


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # whom to ask in a small business: the finance clerk, a person by surname, the instructors, a number to ring
        ("zh", "那我找谁问去啊？", "找财务呗，她姓孙。", True),
        ("zh", "那我找谁问去啊？", "这个我也说不好。", False),
        ("en", "Who actually makes the call on that?", "The instructors decide on the morning.", True),
        ("en", "If I can't make it, who do I ring?", "Just ring this number and ask for me.", True),
        ("en", "Who actually makes the call on that?", "Ah, it'll be grand, don't worry.", False),
        # where to stay in the country: 村口, 县城
        ("zh", "那我们住哪儿啊？", "村口有个农家院，要不就上县城住。", True),
    ],
)
def test_who_and_where_answered_in_a_small_business_or_the_country(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


def test_a_statement_with_a_question_word_in_it_is_no_asking_back():
    # 单号 is what an agent asks for (订单号 / 单号?); said in a statement, it is the answer
    got = call("zh", "那快递单号能发我一下吗？", "寄出以后系统会在今晚六点前把顺丰单号短信发到您的手机上。")
    assert got["checks"]["unanswered"]["questions"][0]["answered"] is True


def test_a_question_word_heard_by_sound_in_a_statement_asks_nothing():
    # 那家 sounds like 哪家 (which one?); the transcript ends the sentence with a full stop: it is an answer
    turns = [
        ("agent", 0.0, 3.0, "您好，明视眼镜，您请讲。"),
        ("customer", 3.5, 6.0, "我新配的眼镜戴着头晕，这是怎么回事啊？"),
        ("agent", 6.5, 9.0, "麻烦您说一下是在哪家门店配的？"),
        ("customer", 9.5, 12.0, "就万达广场那家，手机号一五八零二二六七七三一。"),
        ("agent", 12.5, 15.0, "您的度数加了一百五十度，加得比较多，头晕主要是这个原因。"),
    ]
    questions = score_text(turns)["checks"]["unanswered"]["questions"]
    assert [(q["turn"], q["topic"], q["answered"]) for q in questions] == [(1, "why", True)]
    turns[3] = ("customer", 9.5, 12.0, "就万达广场那家？")  # said as a question, it still asks
    assert [q["turn"] for q in score_text(turns)["checks"]["unanswered"]["questions"]] == [1, 3]


@pytest.mark.parametrize(
    "question, reply",
    [
        ("我有点晕针，抽血那边能不能躺着抽啊？", "您别紧张，我们抽血的护士都很有经验的，一下就好。"),
        ("那工期会不会往后拖啊？我们年底还想搬进去呢。", "工期这块我们会尽量给您协调，尽量不影响您入住。"),
    ],
)
def test_a_reassurance_or_best_effort_answers_no_yes_no_question(question, reply):
    assert call("zh", question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is False


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a yes/no clause after a topic question, past lead-ins: the reply opens with the question's own words
        (
            "en",
            "Um, and where do the lessons start from, do you pick him up from home?",
            "We pick up, yes, from home.",
            True,
        ),
        ("en", "So how much is the deposit, is it refundable?", "Refundable in full when you leave.", True),
        # passing the buck is no "no"
        ("en", "And will I get my deposit back?", "Not my problem, that's between you and the landlord.", False),
        ("en", "So is there a fee for that?", "Not my problem.", False),
        ("zh", "那我能不能先过去看看房间？", "当然可以，欢迎您来参观。", True),
        # 都行 says nothing of the matter: the opening hours answer when
        ("zh", "那我什么时候去都行吗？", "您哪天方便都可以，门店营业时间是早上十点到晚上十点。", True),
    ],
)
def test_yes_no_questions_answered_by_their_reply_opening(lang, question, reply, answered):
    assert call(lang, question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is answered


@pytest.mark.parametrize(
    "lang, question, reply",
    [
        # the reply's first sentence asks the customer for something instead of answering
        ("en", "Could you tell me which sensor it was, though?", "Sure, can I get the panel ID? It's on a sticker."),
        # leave-taking explains nothing
        (
            "en",
            "Any chance someone could pop round and check the system over?",
            "Thanks for calling Sunfield Solar, I'm Owen, have a lovely afternoon.",
        ),
        # reassurance
        ("zh", "那万一它生病了怎么办？", "这个您先别急，我们肯定会处理好的。"),
        (
            "en",
            "And, um, can I ask, why's the variable rate so much higher?",
            "Oh, I wouldn't worry about that, most of our customers move onto a new deal anyway.",
        ),
        # a denial or the rules as the answer (000's forbidden phrases, [unanswered] evasive_groups)
        ("zh", "为什么要收我这个钱？", "这是公司的规定，所有客户都一样收。"),
        # passing the buck ([unanswered] evasive_pairs), and a Mandarin hedge
        ("zh", "那换电能不能帮我处理一下？", "换电柜是合作方运营的，这个不归我们客服这边管。"),
        ("zh", "那边有停车的地方吗？", "可能有吧，那边停车一直挺紧张的。"),
        (
            "en",
            "Could you sort the refund for the machine out?",
            "Refunds for the machine aren't really something we deal with here.",
        ),
        ("zh", "我家地下室进水了，你们怎么处理？", "我们从来没出过这种问题，您那边自己看看吧。"),
    ],
)
def test_a_reply_that_asks_back_reassures_denies_or_says_goodbye_answers_nothing(lang, question, reply):
    assert call(lang, question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is False


def test_a_proposal_answers_and_a_question_word_in_a_statement_asks_nothing():
    # a proposed time answers even as a question
    got = call("zh", "那个，能不能改到周日？", "周日上午排满了，周日下午两点到五点给您送，您看可以吗？")
    assert got["checks"]["unanswered"]["questions"][0]["answered"] is True
    # 停车场 asks only in a question: said in a statement that ends with a full stop it asks nothing
    said = "我刚从你们万达那个停车场出来，手机上扣了我两次钱。"
    assert call("zh", said, "好的。")["checks"]["unanswered"]["questions"] == []
    assert [q["topic"] for q in call("zh", "医院有停车场吗？", "好的。")["checks"]["unanswered"]["questions"]] == [
        "where"
    ]


def test_thanks_for_holding_is_no_please_be_patient_and_a_late_recap_answers_nothing():
    turns = [
        ("agent", 0.0, 3.0, "您好，木语家居售后，我是田甜，请问有什么可以帮您？"),
        ("customer", 3.5, 8.0, "我买的沙发扶手划了一道口子，这个你们怎么处理啊？"),
        ("agent", 8.5, 11.0, "麻烦您报一下下单的手机号。"),
        ("customer", 11.5, 14.0, "一五九，二二八一，六零三三。"),
        ("agent", 20.0, 27.0, "感谢您的耐心等待，查到您的订单了。这个情况可以给您换一个新的，或者补偿您两百元。"),
    ]
    questions = score_text(turns)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"], q["answer_turn"]) for q in questions] == [("how", True, 4)]
    # a recap at the close repeats what was agreed: it explains nothing asked after it
    got = score_text(
        [
            ("agent", 0.0, 3.0, "Thanks for calling Acme Mortgages, this is Sam, how can I help?"),
            ("customer", 3.5, 7.0, "My fix ends in June. Can I ask, why's the variable rate so much higher?"),
            ("agent", 7.5, 10.0, "Oh, I wouldn't worry about that, honestly."),
            ("customer", 10.5, 12.0, "Hmm. Okay."),
            (
                "agent",
                12.5,
                20.0,
                "So just to recap: your fix ends in June and the variable rate would be about a thousand a month.",
            ),
        ],
        "en",
    )
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [False]


@pytest.mark.parametrize(
    "lang, heard, asked",
    [
        # a recogniser writes no punctuation: an auxiliary before its subject starts a yes/no question
        ("en", "i paid on monday can you check it for me", ["can you check it for me"]),
        ("en", "um so do you deliver on sundays", ["do you deliver on sundays"]),
        ("en", "that is it thanks", []),  # no inversion: "is" after "that"
        ("en", "yeah i can do that", []),
        # Mandarin: a clause runs to its 吗; an A-not-A form still asks across the recogniser's spaces
        ("zh", "那 还 在 卖 吗 我 想 要 一 台", ["那还在卖吗"]),
        ("zh", "我 周日 能 不能 直接 还 到 虹桥 那个 店", ["我周日能不能直接还到虹桥那个店"]),
        ("zh", "我 周日 直接 还 到 虹桥 那个 店", []),
    ],
)
def test_yes_no_questions_in_recogniser_output(lang, heard, asked):
    from callcoach.packs import load_pack
    from callcoach.questions import YES_NO, question_spotter

    hits = question_spotter(load_pack(lang)).find(heard)
    assert [h.words.replace(" ", "") if lang == "zh" else h.words for h in hits if h.cue == YES_NO] == asked


def test_an_unanswered_yes_no_question_is_found_in_recogniser_output():
    turns = [
        ("agent", 0.0, 3.0, "thanks for calling acme this is sam how can i help"),
        ("customer", 3.5, 7.0, "hi the lamp came broken so can i get my money back for it"),
        ("agent", 7.5, 10.0, "okay the courier comes on tuesday"),
    ]
    got = score_text(turns, "en")["checks"]["unanswered"]
    assert [(q["heard"], q["answered"]) for q in got["questions"]] == [("can i get my money back for it", False)]


def test_asking_back_in_recogniser_output_does_not_use_up_the_window():
    # no question mark: "is it the flat ..." still asks back (an auxiliary before its subject)
    turns = [
        ("agent", 0.0, 3.0, "thanks for calling acme this is sam how can i help"),
        ("customer", 3.5, 6.0, "hi when will the engineer come"),
        ("agent", 6.5, 8.0, "is it the flat on elm road"),
        ("customer", 8.5, 9.0, "yes that's right"),
        ("agent", 9.5, 11.0, "right thanks"),
        ("agent", 11.5, 12.0, "okay"),
        ("agent", 12.5, 14.0, "he comes on tuesday at nine"),
    ]
    got = score_text(turns, "en")["checks"]["unanswered"]["questions"]
    assert [(q["answered"], q["answer_turn"]) for q in got] == [(True, 6)]


@pytest.mark.parametrize(
    "lang, question, topic",
    [
        ("zh", "我有点晕针，抽血那边能不能躺着抽啊？", "how"),  # whether it can be done asks how
        ("zh", "那之前那几节她没听懂的课，可以补一下吗？", "how"),
        ("zh", "窗户玻璃也包括吗？", "what"),
        ("en", "Oh, and could you send me a copy?", "how"),
        ("en", "Is it actually safe to drive there?", "what"),
    ],
)
def test_a_yes_no_question_whether_something_can_be_done_asks_how(lang, question, topic):
    assert [
        q["topic"]
        for q in call(lang, question, "好的。" if lang == "zh" else "Okay.")["checks"]["unanswered"]["questions"]
    ] == [topic]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a bare number in the first reply answers how much
        ("en", "How much do you charge for a tuning?", "Seventy-five for a standard tune.", True),
        ("zh", "那明前的，礼盒装，半斤那个多少钱？", "半斤四百八。", True),
        # a number that is a time, or 万一 ("in case"), is no price
        ("zh", "那退多少钱？", "三个工作日内退回。", False),
        ("zh", "万一镜头磕了碰了，要赔多少？", "万一的话到时候再说。", False),
        ("en", "How much will I get back?", "It takes two weeks.", False),
        # "a couple of weeks" says when
        (
            "en",
            "And how long does that take, roughly?",
            "Probably a couple of weeks, depends on the other person.",
            True,
        ),
    ],
)
def test_a_bare_number_answers_how_much_and_a_vague_duration_answers_when(lang, question, reply, answered):
    assert call(lang, question, reply)["checks"]["unanswered"]["questions"][0]["answered"] is answered


def test_a_time_asked_for_is_given_by_any_time():
    got = call("en", "Can I at least get a time on Thursday?", "Morning. Between eight and noon.")
    assert [(q["topic"], q["answered"]) for q in got["checks"]["unanswered"]["questions"]] == [("when", True)]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # a question word with no topic cue asks an open question: what is said answers it, not yes or no
        ("Um, what should we wear?", "Old clothes, proper trainers or boots. We give you overalls and a mask.", True),
        ("Um, what should we wear?", "Yeah.", False),
        ("So, uh, what happens now?", "We send someone out on Monday to take a look at the posts.", True),
        # "Does he …?" — "He does …": the question's subject and auxiliary given back
        ("And does he need to have had all his jabs?", "He does need to be vaccinated, yes.", True),
        ("And does he need to have had all his jabs?", "Lovely weather today, isn't it?", False),
        # what it comes to asks how much
        ("And what does that come to?", "In the E-Class it's ninety-five, all in.", True),
    ],
)
def test_open_questions_and_short_english_answers(question, reply, answered):
    got = call("en", question, reply)["checks"]["unanswered"]["questions"]
    assert [q["answered"] for q in got] == [answered]


def test_a_yes_after_a_bare_hold_announcement_answers():
    got = call("en", "Have you got space?", "Fourteenth, hang on.", "Yeah, there's a morning session.")
    assert [(q["answered"], q["answer_turn"]) for q in got["checks"]["unanswered"]["questions"]] == [(True, 3)]


def test_open_question_form():
    from callcoach.packs import load_pack
    from callcoach.questions import OPEN, YES_NO, question_spotter

    spotter = question_spotter(load_pack("en"))
    cues = [h.cue for h in spotter.find("Um, what should we wear? And can I bring my own mask?")]
    assert cues == [OPEN, YES_NO]


@pytest.mark.parametrize(
    "question, topics",
    [
        # 那家 (哪家 by its sound) in the clause of a real 在哪 is the place asked about, not a second question
        ("我是在人民路那家送的，听说你们新开了一家，那家具体在哪儿啊？", ["where"]),
        # a fee asks how much
        ("那学费呢？", ["how_much"]),
    ],
)
def test_mandarin_question_topics(question, topics):
    got = call("zh", question, "好的。")["checks"]["unanswered"]["questions"]
    assert [q["topic"] for q in got] == topics


def test_a_length_of_time_is_no_price():
    # 二十多年 is how long the shop has been open, not what a redo costs
    got = call("zh", "改完要是还不合适，能免费再改吗？", "我们做了二十多年了，基本上没有不合适的。")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [False]
    got = call("zh", "这个大概多少钱？", "两百。")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [True]


@pytest.mark.parametrize(
    "replies, answered",
    [
        # not knowing, then asking about something else: a later promise about something else answers nothing
        (
            (
                "I'd have to ask the boss about that one. Anyway, shall I pop you down for the Saturday?",
                "Lovely. I'll text you a link for the deposit.",
            ),
            False,
        ),
        # not knowing, then a promise: answered
        (("I'd have to ask the boss about that one.", "I'll text you once I've asked him."), True),
    ],
)
def test_a_promise_after_not_knowing(replies, answered):
    got = call("en", "And could we keep it overnight?", *replies)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


def test_a_thank_you_explains_nothing():
    # six words of thanks are no explanation of how to cancel; a sentence that says how is
    got = call("en", "And what happens if it rains, can we cancel?", "Thank you, Joanne, that's all in.")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [False]
    got = call("en", "And what happens if it rains, can we cancel?", "Ring us by eight that morning and we refund it.")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [True]


@pytest.mark.parametrize(
    "reply, answered",
    [
        ("Ten. Courts three to six have lights, one and two don't.", True),
        ("Lads are usually there for eight, eight fifteen.", True),
        ("The floodlights are on a timer, I think.", False),
        ("About twenty quid, cash or card.", False),  # a price is no hour
        # in any currency word: Irish "euro", "five pound", "two grand"
        ("Delivery's free over a hundred and fifty euro, and under that it's twelve euro.", False),
        ("It's five pound on the day.", False),
    ],
)
def test_a_bare_hour_answers_what_time(reply, answered):
    got = call("en", "What time do the floodlights go off, then?", reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "language, question, reply, answered",
    [
        ("zh", "嗯，那滤网多久换一次啊？", "半年。", True),
        ("zh", "嗯，那滤网多久换一次啊？", "大概三个月左右，看您家用得多不多。", True),
        ("zh", "嗯，那滤网多久换一次啊？", "两点之前开过来就行。", False),  # an hour of the day is no length
        ("en", "And how long does the clean take?", "Couple of hours, tops.", True),
        ("en", "And how long does the clean take?", "Eight o'clock start.", False),
    ],
)
def test_a_bare_length_of_time_answers_how_long(language, question, reply, answered):
    got = call(language, question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the price in the reply's second sentence, after how it is charged
        ("那是按天算还是按次算？多少钱啊？", "按时长算的。半天一百九十八，全天三百二十八。", True),
        ("多少钱啊？", "您是要全天吗？全天三百二十八。", False),  # asking first is no answer yet
        # a road junction is a place
        ("人民路具体在哪儿啊？", "人民路跟解放路路口，工商银行旁边。", True),
    ],
)
def test_a_price_in_the_second_sentence_and_a_junction_answer(question, reply, answered):
    got = call("zh", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][-1:] == [answered]


@pytest.mark.parametrize(
    "question, reply, topic, answered",
    [
        # 用什么 asks what: the customer's next question is a new one, not the price asked again
        ("你们是用什么洗的？我家有小孩。", "高温蒸汽加紫外线，不加化学药剂。", "what", True),
        ("那个，你怎么称呼？", "姓曹。", "who", True),  # asking the agent's name asks who
        ("那洗的时候要停水多久？", "一个水箱大概四个钟头，一般早上八点开始。", "when", True),  # 钟头 is a length
    ],
)
def test_what_with_who_by_name_and_hours_by_zhongtou(question, reply, topic, answered):
    got = call("zh", question, reply)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [(topic, answered)]


def test_a_promise_to_ring_back_is_a_deferral():
    got = call(
        "en",
        "She's on bute on and off. Would that be alright with this feed?",
        "Good question. Our nutritionist, Ciaran, will ring you tomorrow before twelve to go through it.",
    )
    assert [(q["answered"], q["deferred"]) for q in got["checks"]["unanswered"]["questions"]] == [(True, True)]


@pytest.mark.parametrize(
    "lang, question, topic",
    [
        # how an amount is worked out asks how much (money of any kind is how much)
        ("zh", "改签要交钱吗？差价怎么算？", ["how_much"]),
        ("zh", "那利息是怎么算的？", ["how_much"]),
        ("en", "How do you work out the price?", ["how_much"]),
        ("en", "How will you calculate the refund?", ["how_much"]),
        # no money named: how it is done
        ("zh", "那积分怎么算？", ["how"]),
        ("en", "How do I work out which filter I need?", ["how"]),
        ("en", "How do I pay?", ["how"]),
    ],
)
def test_how_an_amount_is_worked_out_asks_how_much(lang, question, topic):
    got = call(lang, question, "好的。" if lang == "zh" else "Right.")["checks"]["unanswered"]["questions"]
    assert [q["topic"] for q in got] == topic


@pytest.mark.parametrize(
    "lang, question, replies, answered",
    [
        # "I don't know — let me look that up" is a hold: the reply after it may answer
        ("zh", "那能开发票吗？", ("这个我不清楚，我帮您查一下。", "可以开的，下单的时候填一下抬头。"), True),
        (
            "en",
            "Can I pay by card?",
            ("I don't know, let me check.", "Yes, card's fine, we take Visa and Mastercard."),
            True,
        ),
        # "I don't know" with no look-up: a later answer must be a promise
        ("zh", "那能开发票吗？", ("这个我不清楚。", "可以开的，下单的时候填一下抬头。"), False),
    ],
)
def test_i_dont_know_with_a_look_up_is_a_hold(lang, question, replies, answered):
    got = call(lang, question, *replies)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "reply, answered",
    [
        # a web address names where, in any country's domain
        ("Hatchet house cork dot ie. Right.", True),
        ("Ironside boxing dot co dot uk, it's at the bottom, says new members.", True),
        ("It's saltbush dot com dot au.", True),
        ("Ah, we'll sort that out later.", False),
    ],
)
def test_a_web_address_answers_where(reply, answered):
    got = call("en", "Okay, and where do I find the form?", reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "question, reply",
    [
        ("樱桃从哪天开始能摘？", "五一就开了。"),  # a holiday names the date
        ("那画材那些要另外交钱吗？", "材料费是包含在里面的，您不用另外买。"),  # the price includes it
        ("那钱怎么给？现金还是转账？", "转账，鉴定完当场打。"),  # a way to pay
        ("那能不能给我们留一片？", "没办法，谁先来谁摘。"),  # a plain no, not a shrug
    ],
)
def test_mandarin_answers_in_few_words(question, reply):
    got = call("zh", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [True]


@pytest.mark.parametrize(
    "reply, answered",
    [
        # "at six" before "per", "each" or a money word is a number, not an hour: it answers how many
        ("No, no, we cap the beginners at six per teacher, so it's quite small.", True),
        ("Lessons start at six.", False),
    ],
)
def test_at_a_number_per_person_is_no_hour(reply, answered):
    got = call("en", "Um, and how many are in a group?", reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the question's own verb refused is a plain no, even when the agent then hides behind a rule
        ("购买记录！能不能查！", "查不了，这不可能，机器里不存这个。", True),
        ("那个……能开发票吗？", "发票开不了，这是店里规定。", True),
        ("那个……能开发票吗？", "这是店里规定。", False),
        ("购买记录能不能查？", "不知道，你问别人吧。", False),  # a shrug is no 查不了
        # 有没有 asks whether there is one: 有 and what there is answers
        ("有没有那种先试试的？", "有体验课，免费的，四十五分钟。", True),
        ("有没有那种先试试的？", "这个要问老师。", False),
    ],
)
def test_mandarin_yes_no_answered_by_the_questions_own_verb(question, reply, answered):
    got = call("zh", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # not knowing, checking, then the answer in the same turn
        (
            "zh",
            "那要是剩一团没用上，能退吗？",
            "这个我不太清楚，呃，不好意思，我确认一下——是这样的，没拆封、标签还在的，七天内可以退。",
            True,
        ),
        ("zh", "那要是剩一团没用上，能退吗？", "这个我不太清楚，我确认一下。", False),
    ],
)
def test_a_look_up_then_the_answer_in_the_same_turn(lang, question, reply, answered):
    got = call(lang, question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "look_up",
    [
        "Honestly I don't know, would you mind bearing with me a moment while I check?",
        "I don't know offhand, let me just check, one sec.",
    ],
)
def test_bearing_with_me_announces_a_look_up(look_up):
    """ "bearing with me", "let me just check" and "one sec" put the customer on hold as "bear with me" does: after
    not knowing, the reply that comes back answers."""
    back = "Sorry to keep you. They're quoting up to twenty weeks at the moment."
    got = call("en", "And how long does the whole thing take?", look_up, back)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [True]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        ("And am I able to work on her myself over the winter?", "You are, yeah. Owners can come in weekdays.", True),
        # a yes tagged on to a statement answers; a hedged one does not
        (
            "And do you do food during it, or should we eat before?",
            "Kitchen does the bistro menu till nine, yeah.",
            True,
        ),
        ("And is it the proper accredited one?", "Should be, yeah. Probably. They all are.", False),
        ("Would your guys carry it up three floors?", "I reckon they'd be alright with that, yeah.", False),
        # or a yes or no as a clause of its own inside the first sentence
        (
            "Can he get down the mine at all?",
            "Aw, not underground, no, my lover, the adit's all steps and it's ever so narrow.",
            True,
        ),
        ("Can he get down the mine at all?", "Aw, the adit's all steps and it's ever so narrow.", False),
        # the question's own word in another form opening the reply
        ("So, um, can it be fixed?", "It's fixable, they nearly always are.", True),
    ],
)
def test_english_yes_no_answered_by_you_are_or_a_tagged_yeah(question, reply, answered):
    got = call("en", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize("reply, answered", [("One.", True), ("One of the lads will sort it.", False)])
def test_a_bare_one_is_an_hour_to_what_time(reply, answered):
    got = call("en", "And what time do we have to have them back by?", reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a yes or no with a rule as its reason answers, if curtly
        ("zh", "那晚上能夜钓吗？", "夜钓不行，天一黑就清场，规定就这样。", True),
        ("zh", "旧空调你们能不能顺便拆了带走？", "拆是可以拆的，拆一台一百，但是回收我们不负责。", True),
        (
            "en",
            "So can it be changed?",
            "We can recut it, yeah, but it's a new mount, so it's charged, that's just our policy.",
            True,
        ),
        # passing the buck answers nothing
        ("zh", "换电柜哪边电池多一点？有没有电池？", "换电柜是合作方运营的，这个不归我们客服这边管。", False),
    ],
)
def test_a_yes_or_no_with_a_rule_as_its_reason_answers(lang, question, reply, answered):
    got = call(lang, question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][:1] == [answered]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        ("Can I book it over the phone, with you?", "Nah, do it on the website.", True),
        ("Is that alright?", "That's fine, we'll take the old one away too.", True),
        ("Is that alright?", "We'll take the old one away too.", False),
        ("Could I come and see the place first?", "You could, yeah. We do an open morning in the spring.", True),
        # a name heard like "name and …" is still the person who answers a who question
        ("And who'd be her teacher?", "That'd be Niamh and Cathal in the Oak room.", True),
    ],
)
def test_english_nah_you_could_and_a_name_like_a_cue(question, reply, answered):
    got = call("en", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [answered]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        ("你好，我想问一下你们收旧书吗？", "收啊，什么书？", True),  # the verb alone, then a question back
        ("那风筝线和线轴带不带？", "线轴带，一个风筝配一个。", True),  # the matter and the A of 带不带
        ("那能送到学校来吗？", "送是能送，运费你得出。", True),  # granted with a but
        ("那整改完了，能不能再来复验一次？", "能是能，到时候再说吧。", True),
        ("你们给换吗？", "这个没办法，东西出了门就不是我们的事了。", True),  # a plain no after 这个
        ("那我能自己去取吗？", "都行。自取的话到我们门市。", True),
        # the matter named first is no answer by itself
        ("那你们能上门来接吗？", "上门啊，那得看那天师傅排不排得开。", False),
        ("布丁还在吗？", "布丁啊，它周六可能在吧。", False),
    ],
)
def test_mandarin_replies_in_the_questions_own_words(question, reply, answered):
    got = call("zh", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][:1] == [answered]


def test_a_customer_checking_the_line_leaves_the_question_open_for_the_answer_after_it():
    """周末多少钱？ — 周末票价啊，嗯… — 喂？还在吗？ — the price: the line check is no new question that would end the
    first one's window."""
    assert not _unanswered(
        [
            "C: 那门票呢？周末多少钱？",
            "A: 周末票价啊，嗯…",
            "C: 喂？还在吗？",
            "A: 在的在的，不好意思啊，刚看了一下。周末成人八十八，一米二以下的小孩免费。",
        ]
    )


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # the thanks for holding before the yes (让您久等了, "Thanks for waiting") leaves the yes the reply's opening
        ("zh", "哦对了，发票能开吗？", "让您久等了，可以开的。", True),
        (
            "en",
            "And could I still get on it, or is it full?",
            "Thanks for waiting. Yes, there are four places left.",
            True,
        ),
        # not knowing, said carelessly or in dialect, is no answer
        ("zh", "这个能用医保卡刷么？", "医保这个……我不懂哎，你要问你们公司。", False),
        ("zh", "那他明天在不在？", "我哪晓得他明天排不排班，你来了就晓得了。", False),
        # 尽量 as advice (尽量三天内喝完) explains; "we'll try" (我们尽量吧) does not
        ("zh", "开了盖以后又要怎么放？", "开了盖的话，尽量三天内喝完，盖子拧紧，还是放冰箱里。", True),
        ("zh", "开了盖以后又要怎么放？", "这个我们尽量吧，到时候再说。", False),
        # a place in the country (在我们武清的果园)
        ("zh", "你们那个线下的酿酒体验课在哪儿上？", "在我们武清的果园，每周六上午九点半。", True),
    ],
)
def test_replies_after_a_hold_in_dialect_or_as_advice(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a number to quote or ring is answered by one read out, whatever its separators
        ("zh", "工单号多少？你说慢点，我拿个笔记一下。", "好的，工单号是，2、4、1、1、2、6、0、0、8、3。", True),
        ("zh", "你们电话多少？", "电话是028-86123456。", True),
        ("zh", "工单号多少？", "好的，2411260083。", True),  # the number alone
        (
            "en",
            "Can I at least get a number for Dave, then, so I can chase him myself?",
            "Oh-three, three-two-two, five-one-seven-four. That's the yard.",
            True,
        ),
        ("en", "Can I at least get a number for Dave, then, so I can chase him myself?", "He's very busy.", False),
        # how many days to wait, answered by the day the wait ends (not by a time of day to bring it in)
        (
            "zh",
            "那我寻思整十斤蒜味儿的，得等几天啊？",
            "十斤不用等，今天下单，明天上午就熏出来，下午就给您发走。",
            True,
        ),
        ("zh", "这一修要修多久啊？", "您今天下午两点之前开过来就行，我给您约上。", False),
        (
            "en",
            "How long will the new part take?",
            "It'll be with us tomorrow and I'll fit it the same afternoon.",
            True,
        ),
        # "Nah." as a sentence of its own is a plain no, a policy after it the reason
        (
            "en",
            "Can you take the Tekapo one off the map now?",
            "Nah. It's company policy, only the moderators can.",
            True,
        ),
        # places to pay or be told: a bank, the estate's notice board, an app
        ("zh", "那我要是不申诉了，直接交，在哪儿交？", "12123上面直接交，或者去银行。", True),
        ("zh", "你们在哪儿通知的嘛？", "网上国网APP上面有，小区物业的公告栏也贴了的。", True),
        # places by the water and in town, where to board, and when with the next bill
        ("en", "where do we land the dinghy?", "Dinghy pontoon in the inner harbour, by the lifeboat station.", True),
        ("en", "Where exactly do we meet you?", "Bottom of the steps by the fish market. Blue boat.", True),
        ("zh", "在哪儿上车？", "上车在银锭桥南边儿，前海北沿儿那个停车点儿。", True),
        ("en", "When am I getting that back?", "It will adjust in your first bill once the switch completes.", True),
        # the agent's surname or name, asked for
        ("zh", "转您……您这电话就是微信吗？您贵姓啊？", "就这号儿，我姓张。", True),
        ("en", "Can I at least get your name?", "It's Gary.", True),
        # "half hour" is a length of time; a house on a named row is a place; 几钿 (Shanghai) asks the price
        ("en", "Forget it then, she'll have chips. How long will it be?", "Half hour.", True),
        ("en", "Where do I get the key from?", "Emrys the caretaker lives next door, number two Chapel Row.", True),
        ("zh", "换整只？要几钿？", "看侬挑啥牌子，便宜额五六百，好一点额一千出头，安装另外一百。", True),
        # a road named with an accent is a road named
        (
            "en",
            "Sweet. And where do we leave the car?",
            "Carpark's at the end of Kōwhai Road, past the Cass turn-off.",
            True,
        ),
    ],
)
def test_numbers_read_out_days_a_plain_nah_and_places_answer(lang, question, reply, answered):
    assert is_answered(lang, question, reply) is answered


def test_asked_who_the_agent_is_the_agents_own_name_answers():
    # the agent's own name (the call's setup) answers only a question who the agent is
    lines = [
        ("agent", 0.0, 2.0, "喂。"),
        ("customer", 2.5, 5.0, "你是谁啊？叫啥？我回头好找你。"),
        ("agent", 5.5, 7.0, "我刘强，调度。"),
        ("customer", 7.5, 9.0, "那谁来给我推雪？"),
        ("agent", 9.5, 11.0, "我刘强给你安排。"),
    ]
    transcript = Transcript(tuple(Turn(*line) for line in lines), language="zh", source="test")
    card = score_call(transcript=transcript, setup=CallSetup(agent="刘强", language="zh")).to_dict()
    got = {q["heard"]: q["answered"] for q in card["checks"]["unanswered"]["questions"]}
    assert got == {"你是谁啊？": True, "那谁来给我推雪？": False}


@pytest.mark.parametrize(
    "said, reply",
    [
        ("泡完没多少。", "秋耳一斤干的能泡出来十来斤。"),  # "not much"
        ("哎呀我哪里分得清爽，就是底下有水渗出来。", "那估计是密封圈老化了。"),  # "how would I know"
    ],
)
def test_not_much_and_how_would_i_know_ask_nothing(said, reply):
    got = call("zh", said, reply)["checks"]["unanswered"]
    assert got.get("questions", []) == []


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # a question whose own word names its topic (someone: who) is answered by that topic stated right after
        (
            "And is someone going to ring me about the investigation?",
            "Our disputes team will revert back to you by email within ten working days.",
            True,
        ),
        ("And is someone going to ring me about the investigation?", "It's all logged on the system.", False),
        # a short first clause that grants it; after a pronoun it soothes instead
        ("Can my daughter come too?", "Fourteen's fine. You book her a separate place online.", True),
        ("And, um, does it hurt?", "It's fine, honestly, everyone's different, you'll be fine.", False),
        # a reply as a clause of its own inside the first sentence, not only yes or no
        (
            "Do you take all that as well or have I got to clear it out first?",
            "The mower and the pots, no problem, we'll take those.",
            True,
        ),
        # the question's word in another form: collect / collection
        ("Um, can you collect?", "Collection's for trade customers really. Domestic, you bring them in.", True),
        # an initialism is a matter word of its own
        (
            "Do you bring your own music, or do we need to get a PA?",
            "We've a melodeon and a drum. Don't need a PA.",
            True,
        ),
    ],
)
def test_english_yes_no_answered_by_a_granted_clause_or_the_person_its_words_ask_for(question, reply, answered):
    got = call("en", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][:1] == [answered]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the matter first and the reply after it, fillers aside
        ("那我能不能带我自己的精油过去？", "嗯，自带的精油我们这边是不能用的，这是我们的规定。", True),
        ("那我能不能带我自己的精油过去？", "嗯，这是我们的规定。", False),
    ],
)
def test_mandarin_reply_after_the_matter_and_a_filler(question, reply, answered):
    got = call("zh", question, reply)
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][:1] == [answered]


@pytest.mark.parametrize(
    "reply, answered", [("在一千二到一千四之间，具体要等质检出来。", True), ("具体要等质检出来。", False)]
)
def test_a_bare_price_after_asking_back_about_what_the_customer_said(reply, answered):
    """能收多少钱？ — 华为Mate四十Pro是吧，成色怎么样？ — (the customer says) — the figure, with no 元 or 块."""
    lines = [
        "C: 你好，我有个旧手机想卖，华为Mate四十Pro，你们那能收多少钱？",
        "A: Mate四十Pro是吧，嗯，成色怎么样，屏幕有没有划痕？",
        "C: 屏幕有一道小划痕，不太明显。",
        f"A: 嗯，那这个的话，按我们这边今天的报价，{reply}",
    ]
    assert bool(_unanswered(lines)) is not answered


def test_a_length_of_time_a_few_words_after_within_answers_how_long():
    """ "within" states when; the length it gives may come three words on ("within four working hours")."""
    got = call("en", "OK... so how long's it going to take then?", "Ticket's in, so that's within four working hours.")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]] == [True]


def _questions(lines) -> list[tuple[str, str, bool]]:
    card = score_text(_turns(*lines))["checks"]["unanswered"]
    return [(q["heard"], q["topic"], q["answered"]) for q in card["questions"]]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the verb-negation question of speech and dialect: V不？ V了没有？ 有…冇？ …伐？ (Shanghai)
        ("那我老丈人有点高血压，他能吃这玩意儿不？", "这个我不清楚，得问大夫。", False),
        ("那我老丈人有点高血压，他能吃这玩意儿不？", "能吃的，高血压的老人吃一点没关系。", True),
        ("那你们给送不？我在铁西这边儿。", "铁西市内我们免费送。", True),
        ("还有那个校徽，说好要印在风筝尾巴上的，印了没有？", "我不清楚，到时候你看就知道了。", False),
        ("那包里面有厕所冇？", "这个嘛，到时候看吧。", False),
        ("翻新要出钞票伐？", "我也不晓得，侬来了再讲。", False),
        # Yunnan 给 + verb
        ("对了，我们租的车，你们门口给有停车的地方？", "这个我不清楚，你们到了再说吧。", False),
        # a choice is answered by picking one side
        ("那我是要寄过去，还是你们派人上门来修啊？", "嗯，面包机这类小家电我们是寄修的，运费不用您出。", True),
        ("那我是要寄过去，还是你们派人上门来修啊？", "这个我也不清楚，您问问师傅吧。", False),
        ("那是先付定金，还是到了再付？", "得先付全款，到了直接取。", True),
        ("那是寄过去，还是你们上门修？", "寄过来就行。", True),
        ("那是寄过去，还是你们上门修？", "您先别急。", False),
    ],
)
def test_spoken_and_dialect_yes_no_questions_and_choices(question, reply, answered):
    got = call("zh", question, reply)["checks"]["unanswered"]["questions"]
    assert [q["answered"] for q in got] == [answered]


@pytest.mark.parametrize(
    "statement",
    ["这个我们没有，你去别家看看。", "我不去了，算了不", "是店里保还是厂家保我也说不清。"],
)
def test_without_a_question_mark_a_negation_or_choice_at_the_end_asks_nothing(statement):
    assert call("zh", statement, "好的。")["checks"]["unanswered"]["questions"] == []


def test_the_first_words_checking_who_answered_and_a_guess_beside_a_question_ask_nothing():
    """喂，是兴旺煤炭不？ checks the line; 是什么人啊？是护士不？ guesses at the answer; 要预约吗？还是直接过去就行？ is one
    question, answered by picking a side."""
    asked = _questions(
        [
            "A: 您好，兴旺煤炭。",
            "C: 喂，你好，是兴旺煤炭不？",
            "A: 对，是的。",
            "C: 那陪诊的是什么人啊？是护士不？",
            "A: 这个您放心。",
            "C: 那要预约吗？还是直接过去就行？",
            "A: 直接过去就行。",
        ]
    )
    assert asked == [("那陪诊的是什么人啊？", "who", False), ("那要预约吗？还是直接过去就行？", "how", True)]


@pytest.mark.parametrize(
    "question, topic",
    [
        ("我想把我爷那辈儿续到家谱上，那个咋整？", "how"),
        ("那冇得卡要么子办？", "how"),
        ("去年那个鞭有一截冇响，是么样回事？", "why"),
        ("打车过来要好多钱嘛？", "how_much"),
        ("那砚台一般什么价位？", "how_much"),
        ("听说有优惠，是打几折来着？", "how_much"),
        ("那现在到底还要好久嘛？", "when"),
        ("下一期是么子时候？", "when"),
        ("那我们那个大巴车停哪点？", "where"),
        ("那当时帮我贴的那个师傅叫么子？", "who"),
        ("那老师都是什么背景啊？", "who"),
        ("那个镀晶用的是什么牌子的？", "what"),
        # Cantonese written as said, and Inner Mongolia
        ("上年都係一千四百八咋喔，点解贵咗咁多㗎？", "why"),
        ("仲有，斋盆菜几多钱㗎？", "how_much"),
        ("那师傅多会儿能来？", "when"),
    ],
)
def test_question_words_of_dialect_and_speech(question, topic):
    got = call("zh", question, "嗯，好的。")["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [(topic, False)]


def test_a_yes_no_question_is_answered_by_its_predicate_ending_the_first_clause_or_a_word_jieba_calls_a_pronoun():
    assert is_answered("zh", "像我这种膝盖不好的能做吗？", "膝盖这种运动后的是可以做的。")
    assert not is_answered("zh", "像我这种膝盖不好的能做吗？", "膝盖这种运动后的，您放心。")
    assert is_answered("zh", "那来回票价一样吗？", "一样的，往返三十五块。")


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # a first reply with no verb that names something answers the question it follows
        (
            "And where is it exactly, is it the farm at Rhossili?",
            "Middleton. Just before Rhossili, Pitton Cross way.",
            True,
        ),
        ("Do I need to bring anything, like ID or whatever?", "Photo ID, steel toecaps, hi-vis.", True),
        ("Who am I speaking to, sorry?", "Darren.", True),
        ("And how long's the session, roughly?", "Two hours, give or take.", True),
        ("OK, and how long do we get it for?", "Three nights.", True),
        # not the customer's words said back, nor something of another topic than a wh-question's
        ("It's not been tuned in ten years. Is that a problem?", "Ten years.", False),
        ("What time do you open on Saturday?", "About twenty quid, cash or card.", False),
        # not a hedge, a vague someone, a request for details or a hold
        ("And who's actually bringing them?", "Someone'll bring them.", False),
        ("And is this going to cost me anything?", "Maybe. Depends on the retailer.", False),
        ("Where is it?", "Job number.", False),
        ("Where is it?", "Hold on.", False),
    ],
)
def test_a_verbless_first_reply_naming_something_answers(question, reply, answered):
    got = call("en", question, reply)["checks"]["unanswered"]["questions"]
    assert [q["answered"] for q in got] == [answered]


def test_a_verbless_reply_answers_only_a_turn_that_asks_one_thing():
    got = call("en", "Roughly what would that cost? And how soon could you do it?", "Two-fifty labour, roughly.")
    assert [q["answered"] for q in got["checks"]["unanswered"]["questions"]][-1:] == [False]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # a question whom to turn to is answered by sending the customer to someone, however curtly
        ("那质量问题要找谁？", "质量的事这个不归我管，你要找厂里面品管部。", True),
        ("那归谁管？", "找营业厅，解放路那个。", True),
        ("那这事到底谁负责？", "这个不归我管。", False),
        # who pays is not whom to ask
        ("那提前这一次，钱是谁出啊？", "那你问物业去，那不是我们的事。", False),
    ],
)
def test_a_question_whom_to_turn_to_is_answered_by_a_referral(question, reply, answered):
    got = call("zh", question, reply)["checks"]["unanswered"]["questions"]
    assert [q["answered"] for q in got] == [answered]


@pytest.mark.parametrize(
    "reply, answered",
    [("自带白酒是不收开瓶费的，这个您放心。", True), ("这个您放心。", False), ("应该没问题吧，您放心。", False)],
)
def test_a_reassurance_after_a_yes_or_no_leaves_it_an_answer(reply, answered):
    assert is_answered("zh", "哦，那自己带白酒要收开瓶费吗？", reply) is answered


def test_cannot_say_over_the_phone_is_no_explanation():
    assert not is_answered("zh", "这三个有什么区别啊？", "来了让发型师给你看，电话里说不清。")
    assert is_answered("zh", "这三个有什么区别啊？", "烫发是卷的，拉直是直的，营养护理不改发型，只护发质。")


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        ("And what time will he be round, roughly?", "Oh, afternoon sometime, it depends how the run goes.", False),
        ("And what time will he be round, roughly?", "Afternoon, between two and four.", True),
        ("Um, just, who should I ask for when I get there on Tuesday?", "Whoever's on the desk. See ya.", False),
        ("Thursday's good, after school. Who'd be teaching her?", "Probably Kerry, or whoever's on.", True),
    ],
)
def test_a_time_or_a_role_left_vague_answers_nothing_but_a_name_does(question, reply, answered):
    assert is_answered("en", question, reply) is answered


def test_why_with_a_contracted_auxiliary_asks_why():
    got = call("en", "Eighty-five? Why've I got to pay for that?", "That's just how we do it here, it's the rules.")
    assert [(q["topic"], q["answered"]) for q in got["checks"]["unanswered"]["questions"]] == [("why", False)]


@pytest.mark.parametrize(
    "words, asks",
    [
        ("那 就 八 袋 吧 能 送到 村里 不", True),  # a recogniser's text: no ？, the turn's last words ask
        ("那个 校徽 印 了 没有", True),
        ("快递 到现在 还 没有", False),  # 还没有 says it has not come
        ("我 不", False),  # too short to ask
        ("是 兴旺 煤炭 不", False),  # checks the line
    ],
)
def test_a_recognisers_turn_ending_in_a_verb_negation_asks(words, asks):
    got = call("zh", words, "嗯 好 的")["checks"]["unanswered"]["questions"]
    assert bool(got) is asks


@pytest.mark.parametrize(
    "first_words, asks",
    [
        ("Oh — hi, is that Bloom and Bough?", False),  # checks who answered
        ("Hello, am I through to the lost property office?", False),
        ("Hi. The light on the boiler keeps flashing red. Is that normal?", True),
    ],
)
def test_the_customers_first_words_checking_who_answered_ask_nothing(first_words, asks):
    got = call("en", first_words, "Yes, that's right.")["checks"]["unanswered"]["questions"]
    assert bool(got) is asks


@pytest.mark.parametrize(
    "lines, expected",
    [
        # 那…呢 asks the last question again, of someone else, and is answered as that one is: by a price
        (
            [
                "C: 你们现在门票多少钱？",
                "A: 平时一百二十八，周末一百五十八。",
                "C: 那小孩呢，我儿子七岁。",
                "A: 一米二以下免费，一米二到一米四半价。",
            ],
            [("你们现在门票多少钱？", "how_much", True), ("那小孩呢，我儿子七岁。", "how_much", True)],
        ),
        (
            ["C: 你们现在门票多少钱？", "A: 平时一百二十八，周末一百五十八。", "C: 那小孩呢？", "A: 小孩要大人带着。"],
            [("你们现在门票多少钱？", "how_much", True), ("那小孩呢？", "how_much", False)],
        ),
        # beside another question it only sets that one up
        (
            [
                "C: 你们现在门票多少钱？",
                "A: 平时一百二十八。",
                "C: 那家长呢？家长进去要买票吗？",
                "A: 要的，家长三十。",
            ],
            [("你们现在门票多少钱？", "how_much", True), ("家长进去要买票吗？", "how_much", True)],
        ),
    ],
)
def test_an_elliptical_question_asks_the_last_question_again(lines, expected):
    assert _questions(lines) == expected


def test_an_elliptical_question_in_english_asks_the_last_question_again():
    lines = [
        "C: How much is a lesson?",
        "A: Forty pounds for the hour.",
        "C: What about the kids?",
        "A: Kids are twenty.",
    ]
    turns = [("agent", 0.0, 3.0, "Hello, Riverside Riding School, Sam speaking, how can I help?")]
    turns += [
        ("agent" if line[0] == "A" else "customer", 3.5 + 3.0 * i, 6.0 + 3.0 * i, line[3:])
        for i, line in enumerate(lines)
    ]
    got = score_text(turns, lang="en")["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [("how_much", True), ("how_much", True)]


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # the reply right after a yes/no question speaks of what was just asked: one character of its matter will do
        ("那要施肥吗？", "现在别施，施了烧根。", True),
        ("那修好了保修吗？", "换的配件保三个月，摔的不保。", True),
        ("醋和蒜能多给点吗？", "嗯，给你多放两包蒜。", True),
        ("过生日有没有什么优惠啊？", "邓先生，今晚八点，小包，十个人，记上了。", False),  # 生 inside 先生
        # nor when it puts the answer off
        ("那你们能上门来接吗？", "上门啊，那得看那天师傅排不排得开。", False),
        ("水漏下去弄湿伊拉天花板，我要赔伐？", "搿个要看漏得多少了，师傅明朝去了再讲。", False),
    ],
)
def test_the_reply_right_after_a_yes_no_question_answers_by_a_character_of_its_matter(question, reply, answered):
    assert is_answered("zh", question, reply) is answered


@pytest.mark.parametrize(
    "question, reply, answered",
    [
        # Nanjing and Hefei 阿 + verb asks yes or no
        ("那你们新街口那块阿好停车啊？我儿子开车送我。", "嗯，那边车多。", False),
        ("那你们新街口那块阿好停车啊？我儿子开车送我。", "门口就有个停车场，两块钱一个钟头。", True),
        ("你们晚来一天，这一天的租金阿要算我头上啊？", "这个不归我管，你找财务去。", False),
        # 咋 before a lack asks why; 保几年 asks how long
        ("订的时候说送头纱，俺拿回来的袋子里咋没有头纱？", "先说洗的事儿，你明天几点过来？", False),
        ("俺听说有的种了几年就松了，恁这给保几年？", "我们用的种植体都是正规品牌，可以在网上查真伪。", False),
        ("俺听说有的种了几年就松了，恁这给保几年？", "种植体终身保修，牙冠保五年。", True),
    ],
)
def test_dialect_questions_of_nanjing_and_shandong(question, reply, answered):
    assert is_answered("zh", question, reply) is answered


def test_a_numbered_line_exit_or_gate_is_a_place_not_a_date():
    """地铁一号线 … 二号出口 says where, not when: it answers no question when the shop closes."""
    got = call(
        "zh",
        "我自己去店里拿，你们店在哪块啊？几点关门啊？",
        "离您近的话是新街口店，就在中山路上，地铁一号线新街口站二号出口出来走两步就到了。",
    )["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [("where", True), ("when", False)]


@pytest.mark.parametrize(
    "lang, question, reply, topic, answered",
    [
        # Gansu 阿会儿 (when) and Jiangxi 几多钱 (how much) ask as 什么时候 and 多少钱 do
        ("zh", "嗯……阿会儿能到？", "一般两天就到了，礼拜五前后就能收上。", "when", True),
        ("zh", "嗯……阿会儿能到？", "我知不道，他们一出去就是一天。", "when", False),  # 我知不道: 我不知道
        ("zh", "那开一下几多钱？", "开门一百五，晚上十点以后加五十。", "how_much", True),
        # Shanxi 甚时候 and Hainan 几时 ask when; Hainan 可以无？ asks yes or no
        ("zh", "两吨型煤甚时候能送咧？", "排着咧，这几天单子多。", "when", False),
        ("zh", "那改期改到几时？", "下个礼拜三，十号。", "when", True),
        ("zh", "那改期可以无？", "可以，定金留着抵。", "how", True),
        # Indian English "how much time" asks how long, not how much
        ("en", "And how much time it will take, same day itself?", "Two to three hours only, sir.", "when", True),
        ("en", "How many days it will take to get the money?", "Within seven working days, madam.", "when", True),
        # a dropped g written as an apostrophe is the word: "workin' days" is a length of time
        ("en", "And how long would y'all need it?", "It's usually three to four workin' days.", "when", True),
    ],
)
def test_dialect_question_words_and_spellings(lang, question, reply, topic, answered):
    got = call(lang, question, reply)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [(topic, answered)]


@pytest.mark.parametrize(
    "text",
    [
        "放到窖里了么！我拉回去当天就下到窖里了。",  # an exclaimed 么 (嘛) asks nothing
        "我一下午哪块都么去。",  # 哪块都: anywhere
        "唉，那成么，我寻个车拉过来。",  # 成么 as 行吗: a tag
    ],
)
def test_statements_in_dialect_ask_nothing(text):
    assert call("zh", text, "好的。")["checks"]["unanswered"]["questions"] == []


@pytest.mark.parametrize(
    "question, reply, want",
    [
        # Indian English asks with the subject first: "When he is coming?"
        (
            "When he is coming? We have small children at home.",
            "He will come. What time, I don't know.",
            [("when", False)],
        ),
        ("When it will get repaired?", "Tomorrow morning itself the technician is coming.", [("when", True)]),
        # asked inside a statement, after words that ask
        ("I was wondering when I could come in.", "Any time after ten tomorrow.", [("when", True)]),
        ("I was just calling to see when I can come get her.", "Saturday after nine.", [("when", True)]),
        # a clause of time before a question asks no when
        ("When I called, nobody picked up.", "Sorry about that.", []),
    ],
)
def test_a_question_word_before_its_subject_asks(question, reply, want):
    got = call("en", question, reply)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == want


@pytest.mark.parametrize(
    "text",
    [
        "没有没有，就这些。",  # a denial said twice holds 有没有 and asks nothing
        "不是不是，我说的是楼下。",
        "不对不对，是三号。",
        "没啦没啦，谢谢你啊。",  # 啦没啦 is no A-not-A
        "我同事说头几天饭都吃不下。",  # 几天 as "a few days"
        "我哪里晓得它会坏嘛，前几天还好好的。",
        "订单号……我找找啊，那单子让我塞哪去了……哎有了。",  # talking to oneself
        "我这损失找谁说理去……算了。",  # a complaint, not a question
    ],
)
def test_denials_said_twice_and_a_few_days_ask_nothing(text):
    assert call("zh", text, "好的。")["checks"]["unanswered"]["questions"] == []


@pytest.mark.parametrize(
    "question, want",
    [
        ("不是不是，你们到底有没有货？", [("what", False)]),  # the A-not-A after the denial still asks
        ("这个能修好吗", [("how", False)]),  # the 好 of 修好 is no tag 好吗
        ("那几天你们开门吗？", [("what", False)]),
        ("你们把我的货放哪去了？", [("why", False)]),  # 我的 is no 我放哪 (where I put it)
    ],
)
def test_a_question_after_a_denial_or_with_a_resultative_ha_still_asks(question, want):
    got = call("zh", question, "嗯。")["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == want


@pytest.mark.parametrize(
    "lang, question, reply, answered",
    [
        # a number to ring asks who to contact: read out, it is answered; a person or role named is no number
        ("zh", "那他电话几号？", "零九二八……等一下喔，零九二八，七七零，一三一。", True),
        ("zh", "送的那个人电话多少，我直接问他。", "送的骑车呢，你打他他也不接。", False),
        ("en", "Okay, so what's her number then?", "Ag, I don't know her number off by heart.", False),
        (
            "en",
            "Can I just have his number so I can ring him directly?",
            "We don't give out drivers' numbers, that's just how it is.",
            False,
        ),
        ("en", "And what's their number?", "Oh-one, four-four-two, three-one-nine-eight.", True),
    ],
)
def test_a_number_to_ring_asks_who_and_is_answered_by_the_number(lang, question, reply, answered):
    got = call(lang, question, reply)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [("who", answered)]


def test_how_fast_asks_when_and_the_agents_words_said_back_ask_it_again():
    """估计挺快的。 — 挺快是多快啊？ asks the first question again (one question, asked twice), not a new one."""
    lines = [
        "C: 那换个新的多长时间能到？",
        "A: 这个看仓库那边，估计挺快的。",
        "C: 挺快是多快啊？",
        "A: 仓库发货我这儿看不着，您申请了就知道了。",
    ]
    got = score_text(_turns(*lines))["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"], q.get("times_asked", 1)) for q in got] == [("when", False, 2)]


def test_a_thing_the_agent_brought_up_and_the_customer_asks_about_is_a_new_question():
    """钱能退不？ — 你先把定金交了再说。 — 定金交多少？ asks of the deposit: the refund is still unanswered."""
    lines = [
        "C: 要是那天刮沙尘暴了，骑不成，钱能退不？",
        "A: 你先把定金交了再说，天气到时候再看。",
        "C: 定金交多少？",
        "A: 一个人五十，加这个电话的微信转过来。",
    ]
    got = score_text(_turns(*lines))["checks"]["unanswered"]["questions"]
    assert [(q["turn"], q["answered"]) for q in got] == [(1, False), (3, True)]


@pytest.mark.parametrize(
    "lang, question, topic",
    [
        ("en", "How no? Yous used tae come up tae us aw the time.", "why"),  # Scots: why not
        ("en", "Whit dates have yous got free?", "when"),  # whit (what) and dates
        ("zh", "那坏的这些钱咋算？", "how_much"),  # 咋 (怎么) working out money
        ("zh", "押金么时候能退？", "when"),  # Shandong 么 (什么)
        ("zh", "你们老板叫么？", "who"),
    ],
)
def test_question_words_of_scots_and_shandong(lang, question, topic):
    got = call(lang, question, "嗯。" if lang == "zh" else "Right.")["checks"]["unanswered"]["questions"]
    assert [q["topic"] for q in got] == [topic]


@pytest.mark.parametrize(
    "reply, answered",
    [
        ("Ma'am, lots of orders today.", False),  # a day is no time of day
        ("Lots of orders.", False),  # nor a fragment naming no time
        ("Saturday he does the early run, so you'll have it between eight and nine.", True),  # an hour after a day
        ("About ten.", True),
        ("This afternoon, after lunch.", True),
    ],
)
def test_what_time_is_answered_by_a_time_of_day(reply, answered):
    got = call("en", "What time will it arrive?", reply)["checks"]["unanswered"]["questions"]
    assert [(q["topic"], q["answered"]) for q in got] == [("when", answered)]
