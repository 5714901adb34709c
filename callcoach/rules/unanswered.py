"""Unanswered customer questions: every question gets an answer, or a promise of one (003, 004).

A customer question is a 5W2H question (多少钱, 什么时候, 在哪, 怎么办, 为什么; "how much", "when" ...) or a
yes/no question (能退定金吗？) in a customer turn. The agent's next few replies must give that topic — state it,
about the question's matter — or say when and how the answer will come (稍后给您回电告知; "I'll call you back
with the price"); asking back or for details leaves the question open. What the customer asked, and its topic,
comes from :mod:`callcoach.rules.asked`; what the replies say, from :mod:`callcoach.rules.replies`.
"""

from __future__ import annotations

import dataclasses
import re

from ..questions import UNCUED, YES_NO, content_words, mentions
from ..textmatch import at_opening
from ..textnorm import is_han, tokens, words
from ..topics import topic_spotter
from . import answer_model
from .asked import another_matter, customer_questions, matter_topic, matter_words, same_question, yes_no_question
from .base import Call, CheckResult, Finding, RuleInfo, Status
from .replies import (
    PROPOSED,
    SENTENCE,
    asks_instead,
    echoes,
    evasive,
    fragment_reply,
    generic_words,
    is_question,
    names_another_thing,
    names_party,
    opens_with_reply,
    people_named,
    plain_reply,
    reasons,
    refers_to,
    says_clock,
    says_digits,
    says_duration,
    says_hour,
    says_price,
    shares_pair,
    shrugs_in,
    without,
)

RULE = RuleInfo(
    id="unanswered",
    title="Answer every question the customer asks",
    seeds=("003", "004"),
    why="003 (5W2H法) and 004: a customer who asks 多少钱 or 什么时候能来 and hears no answer calls again, or "
    "leaves. Never leave a question hanging: answer it, or say when and how the answer will come.",
    example="客户：那什么时候能修好？ 客服：这个我不清楚，反正回头会有人处理的。",
    instead="客户：那什么时候能修好？ 客服：师傅明天上午十点前上门；时间有变我会提前给您打电话。",
    check="unanswered",
    weight=10,
    labels={"zh": "回答客户问题", "en": "Customer questions answered"},
    how="A customer question is a phrase from `questions` (per 5W2H topic) in a customer turn; `not_questions` "
    'claim their words (什么时候都行, "when I call"), and in English a one-word question (when, where, who, '
    'why) asks only at the start of a clause, before an auxiliary ("when will") or after "I was wondering" / '
    '"find out" (an indirect question); a phrase heard only by its sound (那家 for 哪家), or holding none of '
    "`question_words` (停车场), in a sentence the transcript ends with a full stop is a statement; one heard only by "
    "its sound also in a clause the sentence goes on after (我是在人民路那家送的，……) or beside a question phrase heard "
    "as itself (那家具体在哪儿？ asks where only). A clause with no such phrase "
    "asks yes or no when it ends in 吗, has an A-not-A form (管不管, `yes_no_forms`; not a denial said twice: "
    "没有没有，就这些) or is an elliptical 那…呢, "
    "or, ending in ？, ends with one of `asked_tails` (他能吃这玩意儿不？ 印了没有？ 要赔伐？) or holds one of `asked_forms` (是店里保还是厂家保？, Yunnan 给有停车的地方？); a choice asked "
    "after a question (要预约吗？还是直接过去就行？) is one question with it, and one beside a topic question spells "
    "out its answers (利息谁出啊？是我自己出还是国家贴息？); one opening with one of `identity_checks` asks nothing in the "
    'customer\'s first turn (喂，是兴旺煤炭不？, "Oh, hi, is that Bloom and Bough?": who answered) nor beside a topic '
    "question (是什么人啊？是护士不？: a guess at its answer) "
    '(English: it ends in ? and opens, after `yes_no_lead_ins`, with one of `yes_no_openers`: "And do you '
    'deliver?"; one opening with one of `wh_openers` instead, "Um, what should we wear?", is an open question, '
    "answered by what is said and not by yes or no). A recogniser writes no punctuation: there a Mandarin clause runs to its 吗 or 呢 (and the turn's last words of five characters or more ask by `asked_tails`: 能 送到 村里 不; not 还 没有), and an English "
    'yes/no question starts where one of `yes_no_openers` comes before one of `yes_no_subjects` ("so can i get a '
    'refund"; not after `not_before_inversion`: "that is it"). Its topic is that of its words (`[unanswered.matter]`: 定金, "deposit" -> how much; else the '
    '5W2H spotter; else "how" when it asks whether something can be done, `can_words`: 能不能躺着抽？; else '
    '"what"), and one with no words of its own (到底有没有啊？) asks the customer\'s last '
    "question again; so does an elliptical one with no topic of its own (那小孩呢？ after 门票多少钱？; English "
    '`elliptical_openers`: "What about the kids?"), answered as that one is, or only setting up a question after '
    'it in the same turn (那家长呢？家长进去要买票吗？). A "what if" alone (`what_if`: 那要是对方不配合呢？) asks how. '
    "It is answered when one of the agent's next `window_turns` replies, starting within `window_s` seconds "
    "and before the customer asks something else (another topic, or the same topic about another matter), "
    "states the same topic (the 5W2H spotter of `[fivew2h]`; a question how long, `duration_cues`, only by a "
    'length of time — a number before one of `duration_units`, or one of `duration_words`: 大概两个小时, "about a '
    'week", not 您两点之前开过来; a who question also by a first reply opening with `who_replies` (我们师傅…, "Me '
    'and Kev") or naming someone (in English a capitalised word inside a sentence: `people_capitalised`, '
    "`not_people`; the agent's own name only when asked who the agent is, `agent_identity`: 你是谁？ — 我刘强; a "
    "question whom to turn to, `referral_cues`, by sending the customer to someone, `who_referrals`, however curtly: "
    "那质量问题要找谁？ — 这个不归我管，你要找厂里面品管部); "
    "a how-much question also by a bare number in the "
    "first or second sentence of the first reply (or of the one right after the agent asked back about what the "
    "customer said: 能收多少钱？ — Mate四十Pro是吧，成色怎么样？ … — 在一千二到一千四之间) that is no time, length of time "
    "(二十多年), place or person: "
    '"Seventy-five for a standard tune", 按时长算的。半天一百九十八, `not_numbers` aside, or by its being free '
    '(`free_words`: "Spectators are free"); a what-time question, '
    '`clock_cues`, also by a bare hour there: "Ten.", "One." alone; a how-long question by a bare length there: 半年。, also by the day the wait ends, '
    "`duration_words`: 明天上午就好; a question for a number, `number_cues`, by four digits or more read out: 工单号多少？ — "
    "2、4、1、1……) or defers "
    "with a promise (`deferrals`: 稍后给您回电, "
    '"I\'ll get back to you"). Asking back (蹭得大概多长？), asking for details (`requests`: 麻烦您提供, "may I '
    'have your") and a hold announcement answer nothing and do not use up the window (a reply that only announces '
    'a hold leaves the next one the first reply: "Fourteenth, hang on." — "Yeah, there\'s a morning session."). A fact beyond the first '
    "reply must be new: a recap of what the agent said before the question does not answer it, nor does the "
    "close's recap (`[closing.cues] recap`: \"So just to confirm, … you'll pay on the day by card\"). After a turn "
    "that says it does not know (`dont_know`: 不清楚, 只能看到) only a promise answers, also past the "
    "customer's follow-up question (那我问谁？ — 医生会给您讲), not past a question about another matter (附近有吃饭的"
    "地方吗？ — 我不太清楚 … 认养羊驼怎么弄？); one that asks the customer about something else "
    'there ("I\'d have to ask the boss. Anyway, shall I pop you down for Saturday?") has moved on, and a later '
    "promise must speak of the matter; one that will look it up (`[hold] announce`) is a hold, and what it says "
    "after that may answer (我不太清楚，我确认一下——是这样的，七天内可以退); 查不了 to 能不能查？ is a plain no, not a "
    "shrug. A yes/no question is answered by a first reply "
    'opening with `yes_no_replies` (不用，… / "Maybe if …"; Mandarin also after the matter, `topic_replies` '
    "within `topic_reply_within` characters of its first clause and not after a person: 检测可以，…, 合约期内不能直接销; "
    'not when that first sentence asks the customer something instead: "Sure, can I get the panel ID?"; nor with an '
    "evasive phrase, but a reason of `refusal_groups` after it: 夜钓不行，规定就这样; a plain yes or no of "
    "`plain_replies` — 是。, 对，什么事？; Mandarin also the question's one-character verb alone (收啊，什么书？), its "
    "matter and the A of its A-not-A (线轴带), its verb granted with a but (送是能送，…), "
    '"No, it\'s company policy" — answers whatever follows; English: also a first sentence ending in ", yeah" (or saying '
    'one of `yes_no_replies` as a clause of its own: "Aw, not underground, no, my lover, …", "The mower and the '
    'pots, no problem, we\'ll take those") in a reply that hedges nothing of the `[forbidden]` groups in `tag_reply_hedges`: "Kitchen does food till nine, '
    'yeah.", or a yes or no opening its second sentence after a first of at most `reply_after_words` words: '
    '"August. Yeah, I\'ve got one pen left") or with its own predicate or its negation (`echo_words`: 还在卖吗？ — 还在的, 认不认？ — 认啊, 有没有试听的？ '
    "— 有体验课, 能开发票吗？ — 发票开不了, or as all its first clause says after a condition and 就: 能送吗？ — 凑够就送, "
    "or ending its first clause: 能做吗？ — 膝盖这种运动后的是可以做的; a choice by its first clause saying a word of "
    "one side and none of the other, `choice_words`: 是寄过去，还是你们上门修？ — 寄过来就行; "
    "a reassurance after a Mandarin yes or no leaves it an answer (自带白酒是不收开瓶费的，这个您放心); a time or a "
    'role stated with one of `vague` near it states nothing ("Oh, afternoon sometime", "Whoever\'s on the desk"; '
    'a name still does: "Probably Kerry, or whoever\'s on"); '
    "English: also a first sentence without a verb that names something, after the turn's only question "
    '(`fragment_max_words`, none of `fragment_not_words`: "Where is it exactly?" — "Middleton."; not a hedge, '
    "a vague someone, the customer's words said back, a length of time not said for how long, nor a fact of another "
    'topic for a question with a topic cue: "What time?" — "About twenty quid"); '
    "English: one of the reply's first words is one of the question's: \"Do I "
    'need to book, or can I just come in?" — "Just come in"; also after the agent asked back about what the '
    "customer said), or by a "
    "fact or an explanation that speaks of its matter (one whose own words name a topic of `named_topics`, "
    '`[unanswered.matter]`: "someone", 让我老婆去, also by that topic stated in the reply right after it: "Is someone '
    'going to ring me about it?" — "Our disputes team will email you"; Mandarin: also by two of its characters, '
    "`pair_skip_chars` aside, or in the reply right after it by one: 要施肥吗？ — 现在别施，施了烧根): the content words of its sentence (jieba POS, compared by pinyin; less "
    "`generic_words`), those not "
    "said earlier in the call first (附近有租自行车的地方吗？ is not answered by the lake path's length; a time asked "
    "for is given by any time, and a cost asked about by a price in the first reply that says no soothing words "
    'and, in Mandarin, names no other thing first: "Does the survey cost anything?" — "Free if you go ahead, '
    "forty quid if you don't.\", not 我们的宽带一个月一百块 to 移机收不收钱). "
    "A question about a topic in `explained` (what, why, how) is also answered by an explanation: a reply of at "
    "least `explain_min_chars` characters (English: words) that is no question and no reassurance (`evasions`: "
    '您放心, 耐心等, "don\'t worry"; or a phrase of the `[forbidden]` groups in `evasive_groups`: 这是公司的规定, '
    '"not my problem", Mandarin also 可能有吧; or of the `[wording]` pairs in `evasive_pairs`: 不归我们管, "not my '
    'department"; a reassurance of `reassurances` said as the first clause is none when what follows speaks of the '
    'matter and gives a figure: 包间要最低消费吗？ — 您放心，包间最低消费是八百八), counted without leave-taking (`farewells`: 感谢您的来电, "have a lovely day"; thanks for holding is no '
    '"please be patient"), nor a recap beyond the first reply (`[closing.cues] recap`: "So just to recap"), nor '
    "states "
    "the topic of another question the customer asked in another "
    'clause of the same turn ("what set it off, and how much is the fee?" — the fee). A reply the customer\'s '
    "next turn calls no answer (`corrections`: 我问的是, "
    '"that\'s not what I asked") or answers by asking the same thing again ("So, the forty nine dollars?") does '
    "not count, and then only a reply about the matter answers. A question asked again (sharing a content word, "
    "or with none of its own) and answered then is answered; still unanswered, it is one question "
    '(`times_asked`). A customer who gives up after a reply (`gives_up`: 好吧, 算了, "forget it") with no new '
    "question closes it: later turns answer it no more. A *who* question is also answered by a person named "
    '(`person_tags`: 给您安排的是周磊老师); one for a number to ring (`number_cues`: 那他电话几号？, "what\'s her number?") '
    "by the number read out, not by a person or a role named. A what-time question (`clock_cues`) is not answered by a "
    'day alone (`clock_not_days`: "Lots of orders today.") unless an hour follows one of `hour_lead_words` '
    '("between eight and nine"), nor by a first reply without a verb that names no time. A question asked again '
    "in the words the agent just said (估计挺快的。 — 挺快是多快啊？) is the first one asked again. "
    "The verdict is then weighed (`model`, :mod:`callcoach.rules.answer_model`): a logistic model fitted to annotated "
    "transcripts combines it with signals of the reply read — the answering turn, else the first — and of the "
    "customer's next turn, and with their first words (a recogniser's text, with no punctuation, by a second model "
    "fitted to recognised copies of the same transcripts); it makes an answer the rule found none at "
    "`model_unanswered_at` and a question the rule found unanswered answered below `model_answered_below` "
    "(`p_unanswered`, per question), but never overrules a promise of the answer, nor makes an answer of a reply "
    'that states only other topics than a question word asked ("What time do you open?" — "About twenty quid") '
    "or of one without a length of time to a how-long question. "
    "An answered question also covers its topic for `5w2h`. A phone, "
    'ID-card or bank-card number is no price or hour ("my mobile is 07700 900123"). Each unanswered question is '
    "a finding with the words heard and the agent's reply (`reply`), to judge it by. "
    "Status: pass when every question is answered, warn with fewer than `fail_count` unanswered, "
    "fail with more; n/a with no customer question or no speaker labels.",
)


def _answer_turn(call: Call, question: dict) -> tuple[int | None, bool]:
    """The index of the agent turn that answers ``question`` (None: unanswered) and whether it only deferred.

    The agent's next ``window_turns`` replies are read in order; asking the customer for details, asking back
    about the topic and announcing a hold are the work of finding the answer: they neither answer nor use up the
    window. An answer beyond the first reply must bring something new: a fact the agent had stated before the
    question (a recap of it) does not answer it. After a reply the customer called no answer (`corrections`, or
    the customer asking the same thing again), the answer must speak of the question's matter.
    """
    conf = call.pack["unanswered"]
    turns = call.transcript.turns
    asked = turns[question["turn"]]
    spotter = topic_spotter(call.pack)
    deferrals = call.cues("unanswered", "deferrals")
    dont_know = call.cues("unanswered", "dont_know")
    requests = call.cues("unanswered", "requests")
    announce = call.cues("hold", "announce")
    yes_no = question["cue"] == YES_NO or yes_no_question(call, question)
    matter = matter_words(call, question)
    # its matter less the words that name its topic (费用, "nearby"): what a stated answer must also speak of
    particular = [w for w in matter if not matter_topic(call, w)]
    # a yes/no question whose own words name its topic, of `named_topics` ("Is someone going to ring me?")
    named = (
        question["topic"] in (conf.get("named_topics") or ())
        and matter_topic(call, question["heard"]) == question["topic"]
    )
    said_before = "".join(t.simplified for t in turns[: question["turn"]] if t.speaker == "agent")
    seen = 0
    knows = True
    corrected = False
    direct = True  # the agent's turn right after the question
    # later questions of another topic, or of this topic about another matter (那这个车是不是坏了？ … 晚上也能打这个电话吗？)
    mine = matter_words(call, question, new_only=False)
    later = [
        q
        for q in customer_questions(call)
        if q["turn"] != question["turn"] and (q["topic"] != question["topic"] or another_matter(call, mine, q))
    ]
    others = {q["turn"] for q in later}
    # the other topics asked in another clause of the same turn ("what set it off, and how much is that fee?")
    siblings = {
        q["topic"]
        for q in customer_questions(call)
        if q["turn"] == question["turn"] and q["topic"] != question["topic"] and _apart(asked.simplified, q, question)
    }
    # the turn's only question: a reply of a few words answers it, not one of several ("Roughly what would that be?
    # And how soon could you do it?" — "Two-fifty labour, roughly.")
    alone = sum(q["turn"] == question["turn"] for q in customer_questions(call)) == 1
    gives_up = call.cues("unanswered", "gives_up")
    vague = call.cues("unanswered", "vague")
    # a question about how long (多久, "how long") is answered by a length of time (says_duration)
    duration = question["topic"] == "when" and question["cue"] in (conf.get("duration_cues") or [])
    # a question what time (几点, "what time") is also answered by a bare hour: "Ten." / "There for eight."
    clock = question["topic"] == "when" and question["cue"] in (conf.get("clock_cues") or [])
    # the first reply may give the figure asked for bare: a price ("Seventy-five for a tune"), an hour, 半年。
    bare = (
        says_price if question["topic"] == "how_much" else says_clock if clock else says_duration if duration else None
    )
    # a question for a number to quote or ring (电话多少, "a number for Dave") is answered by one read out
    numbered = bool(call.cues("unanswered", "number_cues").find(question["heard"]))
    # a question who the agent is (你是谁, "who am I speaking to") is answered by the agent's own name too
    identity = bool(call.cues("unanswered", "agent_identity").find(question["heard"]))
    asked_words = content_words(asked.simplified, call.language, generic_words(call))
    # a question whom to turn to (找谁, 归谁管) is answered by a reply sending the customer to someone
    referral = question["cue"] in (conf.get("referral_cues") or [])
    clarified = False
    for i in range(question["turn"] + 1, len(turns)):
        turn = turns[i]
        # after "I don't know" only a question about another matter ends the wait for a promise (附近有吃饭的地方吗？ —
        # 我不太清楚 … 你们能认养羊驼，这个怎么弄？); 那我问谁？ goes on
        if i in others and seen and (knows or any(q["turn"] == i and another_matter(call, mine, q) for q in later)):
            break  # the customer moved on to another question: what follows answers that one
        if turn.speaker != "agent":
            if seen and gives_up.find(turn.simplified) and not is_question(turn.simplified, call):
                break  # ……好吧 / "fine, whatever": the customer let the question go after the reply
            continue
        if seen >= conf["window_turns"] or turn.start_s - asked.end_s > conf["window_s"]:
            break
        text = turn.simplified
        if deferrals.find(text) and (direct or not matter or mentions(text, matter, call.language)):
            return i, True  # "We'll text you when it's ready" at the end answers no question about deliveries
        if referral and direct and refers_to(call, text):
            return i, False  # 那质量问题要找谁？ — 这个不归我管，你要找厂里面品管部。
        shrugs = shrugs_in(call, text, question, yes_no)  # 不清楚, "no idea"; not 查不了 to 能不能查？
        if knows and shrugs and announce.find(text):
            # "I don't know — let me look that up": a hold; what comes after it in this turn or the next may answer
            after = text[announce.find(text)[-1].end :]
            if len(tokens(after, call.language)) < conf["explain_min_chars"] or dont_know.find(after):
                continue
            text, shrugs = after, []
        if not knows or shrugs:
            # "I don't know": only a promise answers now, and the customer's follow-up (那我问谁？) goes on; an
            # agent who asks the customer something else instead ("Anyway, shall I pop you down for Saturday?")
            # has moved on: a later promise must speak of the matter
            knows = False
            direct = direct and not is_question(text, call)
            seen += 1
            continue
        # a number asked for (那他电话几号？ / "what's her number?") is read out or said where to find: a person or a
        # role named is no number ("We don't give out drivers' numbers")
        hits = [h for h in spotter.spot(text) if h.topic == question["topic"] and not numbered]
        if question["topic"] == "who" and all(h.asked for h in hits):  # "Niamh and" is no "name and …?"
            # 主持人是谁？ — 给您安排的是周磊老师; 你是谁？ — 我刘强 (the agent's own name, asked for)
            hits += people_named(call, text, own_too=identity)
        stated = [h for h in hits if not (h.asked and spotter.asks_only(h))]
        # "Oh, afternoon sometime" / "Whoever's on the desk": a time or a role left vague states nothing (a name
        # still does: "Probably Kerry, or whoever's on")
        stated = [
            h
            for h in stated
            if h.cue == "person" or not vague.find(text[max(0, h.start - VAGUE_REACH) : h.end + VAGUE_REACH])
        ]
        # 要修多久？ is not answered by 两点之前开过来 (a time of day): a length of time near the hit answers it ("within
        # four working hours")
        if duration:
            stated = [h for h in stated if says_duration(call, text[max(0, h.start - 12) : h.end + 24])]
        if clock and not says_hour(call, text):
            # "What time will it arrive?" — "Lots of orders today.": a day alone is no time of day
            stated = [h for h in stated if h.words.lower() not in (conf.get("clock_not_days") or ())]
        first = seen == 0
        if _corrected(call, i, question, matter):
            seen += 1
            corrected = True
            continue  # 不是，我是说… / "So, the forty nine dollars?": the customer heard no answer in this turn
        # "Let me check. Yes, that'll be Andre" / 让您久等了，可以开的: the yes opens it, past the hold and the thanks
        reply = without(without(text, announce), call.cues("hold", "acknowledge")).strip(" ,.，。")
        plain = yes_no and plain_reply(call, reply, question["heard"])  # 不行，这是规定。 is an answer, however curt
        if (
            not corrected
            and (direct or clarified)
            and yes_no
            and (plain or opens_with_reply(call, reply) or echoes(call, question, reply))
            # (less a hold it announces: "Yeah, I can do that. Bear with me." asks no patience about the matter)
            and (plain or not evasive(call, _soothed(call, reply), but=reasons(call, reply), about=particular))
            # a Mandarin yes as a clause of its own stays one when a question follows (对，什么事？)
            and (not asks_instead(call, reply) or (call.language == "zh" and plain))
        ):
            return i, False
        fragment = fragment_reply(call, text) if direct and first and alone and not corrected else ""
        if (
            fragment
            and not evasive(call, text)
            # naming something of another topic answers no wh-question ("What time?" — "About twenty quid, cash or
            # card."; a yes/no question's topic is only that of its words)
            and (
                question["cue"] in UNCUED
                or not any(h.topic != question["topic"] for h in spotter.spot(fragment) if not h.asked)
            )
            # the customer's words said back ("… ten years? Is that a problem?" — "Ten years.") only acknowledge
            and not set(content_words(fragment, call.language, generic_words(call)))
            <= set(content_words(asked.text, call.language, generic_words(call)))
            and (not duration or says_duration(call, fragment))  # "How long?" — "Eight o'clock start." does not say
            # "What time will it arrive?" — "Lots of orders.": a when-question's fragment says a time
            and (
                question["topic"] != "when"
                or duration
                or question["cue"] in UNCUED
                or says_clock(call, fragment)
                or any(h.topic == "when" and not h.asked for h in spotter.spot(fragment))
            )
        ):
            # "Where is it exactly?" — "Middleton." / "Do I need to bring anything?" — "Photo ID, steel toecaps."
            return i, False
        who_replies = call.cues("unanswered", "who_replies", by_pinyin=False)
        if (
            question["topic"] == "who"
            and direct
            and any(at_opening(reply, m.start, call.language) for m in who_replies.find(reply))
        ):
            return i, False  # 谁来弄？ — 我们师傅明天过去。 / "Who'd do the work?" — "Me and Kev, plus a groundie."
        if direct and names_party(call, question["cue"], reply):
            return i, False  # 运费谁出？ — 我们出。 / 寄过来你出，寄回去我们出。
        # (also right after asking back about what the customer said: 能收多少钱？ — Mate四十Pro是吧，成色怎么样？ …
        # — 在一千二到一千四之间)
        if (
            bare and (direct or clarified) and not hits and bare(call, text)
        ):  # 多少钱？ — 七十五。 / 多久换一次？ — 半年。
            return i, False
        if numbered and direct and says_digits(call, reply):  # 工单号多少？ — 2411260083。 / "a number for Dave?"
            return i, False
        rest = without(text, announce)
        asks_back = is_question(rest, call) and not any(not h.asked for h in spotter.spot(rest))
        # asking back about what the customer said (您说的是六号楼三零二吧？) clarifies: the next may open with 还在的
        clarified = (direct or clarified) and asks_back and mentions(text, asked_words, call.language)
        # a hold announced and nothing else ("Fourteenth, hang on.") leaves the reply after it the direct one
        holds = rest != text and len(tokens(rest, call.language)) < conf["explain_min_chars"]
        right_after = direct
        direct = direct and holds
        if asks_back:  # 能告诉我您的姓名和新旧两个地址吗？ asks; 明天上午十点可以吗？ proposes a time or a place
            stated = [h for h in stated if h.topic in PROPOSED]
        # 附近有租自行车的地方吗？ — the lake is 6 miles round; but a time asked for is given by any time ("Can I
        # get a time on Thursday?" — "Morning, between eight and noon."), and a cost asked about by a price in the
        # first reply ("Does the survey cost anything?" — "Free if you go ahead, forty quid if you don't.")
        priced = (
            question["topic"] == "how_much"
            and first
            # a price, or "Spectators are free"
            and (says_price(call, text) or bool(call.cues("unanswered", "free_words").find(text)))
            and not evasive(call, text, about=particular)
            and not names_another_thing(call, text, asked.simplified)  # 我们的宽带一个月一百块 prices the broadband
        )
        if (
            question["cue"] == YES_NO
            and particular
            and question["topic"] != "when"
            and not priced
            and not identity
            and not (named and right_after and first)
        ):
            about = mentions(text, particular, call.language) or shares_pair(text, question["heard"], call)
            stated = stated if about else []
        new = first or any(h.words not in said_before for h in stated)
        if not first and call.cues("closing", "cues", "recap").find(text):
            stated = []  # "So just to confirm, … you'll pay on the day by card": the close restates, it answers nothing
        if stated and new and (not corrected or not matter or mentions(text, matter, call.language)):
            return i, False
        if requests.find(text) or (hits and not stated and is_question(rest, call)) or asks_back or holds:
            continue  # 麻烦您报一下订单号 / 蹭得大概多长？ / "one moment": working on the answer
        seen += 1
        if corrected and matter and not mentions(text, matter, call.language):
            continue  # after "that's not what I asked", only a reply about the matter answers
        said = without(rest, call.cues("unanswered", "farewells"))  # "Thanks for calling …, have a lovely day"
        if (
            (question["topic"] in conf["explained"] or (question["cue"] == YES_NO and matter))
            and len(tokens(said, call.language)) >= conf["explain_min_chars"]
            and not is_question(rest, call)
            and not evasive(call, text, about=particular)
            and (first or not call.cues("closing", "cues", "recap").find(text))  # "So just to recap: …" adds nothing
            and (
                question["cue"] != YES_NO
                or mentions(text, matter, call.language)
                or shares_pair(text, question["heard"], call)
                or (right_after and _shares_char(call, text, matter))
            )
            # a reply that states the other question of the turn (the fee) explains that one, not this one
            and not any(h.topic in siblings for h in spotter.spot(text) if not h.asked)
        ):
            return i, False
    return None, False


def _shares_char(call: Call, text: str, matter: list[str]) -> bool:
    """Mandarin: whether ``text`` says a character of the question's matter words, none of ``[unanswered]
    pair_skip_chars``, as a word or a word's first character (要施肥吗？ — 现在别施，施了烧根; 修好了保修吗？ — 换的配件保三个
    月; not the 生 of 先生 for 生日): enough for the reply right after a yes/no question, which speaks of what was just
    asked."""
    skip = set(call.pack["unanswered"].get("pair_skip_chars", ""))
    if call.language != "zh" or not skip:
        return False
    chars = {ch for w in matter for ch in w if is_han(ch) and ch not in skip}
    return any(word[0] in chars for word, _, _ in words(text))


#: Characters either side of a stated topic where ``[unanswered] vague`` words leave it vague.
VAGUE_REACH = 16


def _soothed(call: Call, reply: str) -> str:
    """Mandarin: a yes or no with a reassurance after it (自带白酒是不收开瓶费的，这个您放心。) reassures about the answer
    given, not instead of it: the reply without the clauses of ``[unanswered] reassurances`` that follow its first
    — unless that opens with one of ``reassuring_replies`` (不会坏的，您放心 soothes)."""
    if call.language != "zh":
        return reply
    soothing = call.cues("unanswered", "reassurances")
    clauses = re.split(r"(?<=[，。！？,.!?；;])", reply)
    if clauses[0].startswith(tuple(call.pack["unanswered"].get("reassuring_replies") or ())):
        return reply  # 会坏吗？ — 不会坏的，您放心。 soothes as much as it answers
    return "".join(clauses[:1] + [c for c in clauses[1:] if not soothing.find(c)])


def _corrected(call: Call, answer: int, question: dict, matter: list[str]) -> bool:
    """Whether the customer's next turn after agent turn ``answer`` says that was no answer: a correction
    (``corrections``: 不是，我是说 / 我问的是 / "That's not what I asked") or the same question again (a question
    about the question's matter: "So, the forty nine dollars?")."""
    turns = call.transcript.turns
    after = call.transcript.next_turn(answer, agent=False)
    if after is None:
        return False
    text = turns[after].simplified
    if call.cues("unanswered", "corrections").find(text):
        return True
    if not (is_question(text, call) and matter and mentions(text, matter, call.language)):
        return False
    asks = {q["topic"] for q in customer_questions(call) if q["turn"] == after}
    if asks and question["topic"] not in asks:
        return False  # 那补卡要钱吗？ after 怎么补卡 asks something new
    # the same thing again says nothing new: 那手术要是八千块，是不是就报不了？ after 能报多少 is a new question
    asked = turns[question["turn"]].simplified
    asking = [s for s in SENTENCE.split(text) if is_question(s)]  # the sentence that asks about the matter again
    again = " ".join(s for s in asking if mentions(s, matter, call.language)) or text
    return all(mentions(asked, [w], call.language) for w in content_words(again, call.language, generic_words(call)))


def _apart(text: str, a: dict, b: dict) -> bool:
    """Whether two questions' cues in one turn's ``text`` are in different clauses (a ，/ , / ？ between them)."""
    first, second = sorted((a, b), key=lambda q: q["start"])
    return bool(re.search(r"[，,；;。？?！!]", text[first["end"] : second["start"]]))


def rule_verdicts(call: Call) -> list[tuple[dict, int | None, bool]]:
    """The rule's own verdict on each customer question, before :mod:`~callcoach.rules.answer_model` weighs it:
    (question, index of the answering agent turn or None, whether that turn only deferred). What the model is
    fitted to (``scripts/train_answer_model.py``)."""
    return [(q, *_answer_turn(call, q)) for q in customer_questions(call)] if call.speakers_known else []


def answers(call: Call) -> list[dict]:
    """Each customer question with ``answered``, ``answer_turn`` and ``deferred`` (cached per call)."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "customer-answers" not in cache:
        out = []
        # a recogniser's text is weighed by the model fitted to recognised copies of the calls
        model = (
            answer_model.load(call.language, heard=answer_model.recognised(call))
            if call.pack["unanswered"]["model"]
            else None
        )
        for q, answer, deferred in rule_verdicts(call):
            answered, doubt = answer is not None, None
            if model is not None:
                # the rule's verdict weighed with what the reply and the customer's next words look like
                weighed = answer_model.features(call, q, answer, deferred)
                answered, doubt = answer_model.weigh(model, weighed, call.pack["unanswered"])
                if answered and answer is None:
                    answer = call.transcript.next_turn(q["turn"])
                elif not answered:
                    answer, deferred = None, False
            out.append(
                {
                    "turn": q["turn"],
                    "at_s": q["at_s"],
                    "topic": q["topic"],
                    "heard": q["heard"],
                    "answered": answered,
                    "answer_turn": answer,
                    "deferred": deferred,
                    "p_unanswered": None if doubt is None else round(doubt, 2),
                    "_topical": q["cue"] not in UNCUED,
                    "_words": matter_words(call, q, new_only=False),
                }
            )
        for earlier in out:  # asked again (那价格呢？) and answered then: the first asking is answered too
            if not earlier["answered"]:
                again = next(
                    (
                        q
                        for q in out
                        if q["turn"] > earlier["turn"]
                        and q["topic"] == earlier["topic"]
                        and q["answered"]
                        and same_question(call, earlier, q, out)
                    ),
                    None,
                )
                if again is not None:
                    earlier.update(answered=True, answer_turn=again["answer_turn"], deferred=again["deferred"])
        kept: list[dict] = []
        for q in out:  # asked again and still unanswered: one question, asked more than once
            first = next(
                (k for k in kept if k["topic"] == q["topic"] and not k["answered"] and same_question(call, k, q, out)),
                None,
            )
            if first is not None and not q["answered"]:
                first["times_asked"] = first.get("times_asked", 1) + 1
                continue
            kept.append(q)
        out = kept
        cache["customer-answers"] = out
    return cache["customer-answers"]


def check(call: Call) -> CheckResult:
    conf = call.pack["unanswered"]
    questions = [{k: v for k, v in q.items() if not k.startswith("_")} for q in answers(call)]
    findings = []
    turns = call.transcript.turns
    for q in questions:
        if not q["answered"]:
            topic = call.say("5w2h", q["topic"])
            suggestion = conf["suggestion"].format(answer=conf["answers"][q["topic"]])
            # the agent's reply, for the trainer to judge the finding by (None: the agent said nothing more)
            replied = call.transcript.next_turn(q["turn"])
            reply = None if replied is None else turns[replied].text
            findings.append(
                Finding(
                    RULE.id,
                    "warning",
                    q["at_s"],
                    call.say("unanswered", "question", topic=topic),
                    suggestion,
                    heard=q["heard"],
                    reply=reply,
                )
            )
    count = sum(1 for q in questions if not q["answered"])
    figures = {"questions": questions, "count": count}
    if not questions:
        return CheckResult("n/a", figures, [])
    status: Status = "pass" if count == 0 else ("warn" if count < conf["fail_count"] else "fail")
    if status == "fail":
        findings = [dataclasses.replace(f, severity="error") for f in findings]
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: the customer's questions and how many went unanswered."""
    asked = len(figures.get("questions", []))
    if not asked:
        return "—"
    questions, unanswered = ("个问题", "未回答") if language == "zh" else ("questions", "unanswered")
    return f"{asked} {questions}, {figures.get('count', 0)} {unanswered}"
