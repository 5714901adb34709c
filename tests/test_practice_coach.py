"""Live hints from the scorecard's rules, fed timed words and events; and the listening caller's choices."""

from __future__ import annotations

import pytest

from callcoach.packs import load_pack
from callcoach.practice import Caller, LiveCoach, TurnFacts
from callcoach.rules.base import CallSetup
from callcoach.scenarios import load_scenario, parse_scenario


@pytest.fixture(scope="module")
def zh_pack():
    return load_pack("zh")


def _coach(pack, language="zh") -> LiveCoach:
    coach = LiveCoach(pack, language, CallSetup(company="美家电器", agent="小王"))
    coach.answered(1.0)
    return coach


def test_bare_wei_at_pick_up_is_hinted_at_once_with_the_greeting_to_use(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("喂", 1.0, 1.3, final=True, now_s=1.9)
    hint = coach.step(1.9)
    assert hint is not None and hint.rule == "introduction" and hint.severity == "error"
    assert "喂" in hint.text and "您好" in hint.text  # what to say instead, in the call's language
    assert hint.at_s - 1.3 < 1.0
    # a greeting later is no second opener hint; the first turn is judged once
    coach.utterance("您好美家电器我是小王", 3.0, 5.0, final=True, now_s=5.5)
    assert coach.step(5.5) is None
    assert [h.rule for h in coach.shown] == ["introduction"]


@pytest.mark.parametrize(
    "language, partials, final",
    [
        ("zh", ["您", "您好"], "您好美家电器我是小王"),
        ("en", ["good", "good morning"], "good morning acme this is anna how can i help"),
        ("en", ["hello"], "hello thanks for calling acme this is anna"),
    ],
)
def test_the_first_word_of_a_greeting_heard_as_a_partial_result_is_no_bare_pickup(language, partials, final):
    """A partial result of the first utterance ("good", 您) is the start of a greeting as often as a bare pickup:
    the opening is judged once it is more than a syllable."""
    coach = LiveCoach(load_pack(language), language, CallSetup(company="Acme", agent="Anna"))
    coach.answered(1.0)
    for i, partial in enumerate(partials):
        coach.utterance(partial, 1.0, 1.3 + 0.3 * i, final=False, now_s=1.4 + 0.3 * i)
        assert coach.step(1.4 + 0.3 * i) is None
    coach.utterance(final, 1.0, 4.0, final=True, now_s=4.5)
    assert coach.step(4.5) is None and coach.shown == []


def test_a_one_word_pickup_is_hinted_once_it_is_final():
    coach = LiveCoach(load_pack("en"), "en", CallSetup(company="Acme", agent="Anna"))
    coach.answered(1.0)
    coach.utterance("yet", 1.0, 1.3, final=True, now_s=1.9)  # "Yeah?" as the recogniser heard it
    hint = coach.step(1.9)
    assert hint is not None and hint.rule == "introduction" and hint.severity == "error"


@pytest.mark.parametrize(
    "language, partial, final, hinted",
    [
        # a phrase that counts only as all of its clause waits for the final result
        ("en", "your name", "your name is on the list", False),
        ("en", "address", "address", True),
        ("zh", "你说什么", "你说什么时候都行", False),
        ("zh", "没办法", "没办法上网是吧", False),
        ("zh", "没办法", "没办法", True),
    ],
)
def test_a_phrase_that_must_stand_alone_is_judged_on_the_final_result(language, partial, final, hinted):
    coach = LiveCoach(load_pack(language), language, CallSetup(company="Acme", agent="Anna"))
    coach.answered(0.0)
    opening = (
        "good morning acme this is anna how can i help"
        if language == "en"
        else "您好美家电器我是小王请问有什么可以帮您"
    )
    coach.utterance(opening, 0.0, 3.0, final=True, now_s=3.5)
    coach.utterance(partial, 10.0, 10.5, final=False, now_s=10.6)
    assert coach.step(10.6) is None
    coach.utterance(final, 10.0, 11.0, final=True, now_s=11.1)
    hint = coach.step(11.1)
    assert (hint is not None) is hinted


def test_a_proper_greeting_gives_no_hint(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("您好美家电器我是小王请问有什么可以帮您", 1.0, 4.0, final=True, now_s=4.5)
    assert coach.step(4.5) is None and coach.shown == []


def test_ni_deng_zhe_is_hinted_from_the_partial_result_once_with_the_polite_form(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("您好美家电器我是小王", 1.0, 3.0, final=True, now_s=3.5)
    coach.utterance("你等", 10.0, 10.4, final=False, now_s=10.5)
    assert coach.step(10.5) is None  # not said yet
    coach.utterance("你等着", 10.0, 10.7, final=False, now_s=10.8)
    hint = coach.step(10.8)
    assert hint is not None and hint.rule == "wording" and "你等着" in hint.text and "请您稍等" in hint.text
    assert hint.at_s - 10.7 < 1.0
    coach.utterance("你等着", 10.0, 10.8, final=True, now_s=11.4)  # the final result: no second hint
    coach.utterance("你等着我马上查", 30.0, 31.0, final=True, now_s=31.5)  # said again later: still shown once
    assert coach.step(11.4) is None and coach.step(31.5) is None
    assert [h.rule for h in coach.shown] == ["wording"]


def test_a_forbidden_phrase_is_hinted_with_the_packs_suggestion(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("您好美家电器我是小王", 1.0, 3.0, final=True, now_s=3.5)
    coach.utterance("这是我们公司的规定", 8.0, 9.5, final=True, now_s=10.1)
    hint = coach.step(10.1)
    assert hint is not None and hint.rule == "forbidden"
    suggestion = zh_pack["forbidden"]["groups"]
    assert any(g.get("suggestion") and g["suggestion"] in hint.text for g in suggestion.values())


def test_the_most_severe_hint_goes_first_and_one_is_on_screen_at_a_time(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("您好美家电器我是小王", 1.0, 3.0, final=True, now_s=3.5)
    coach.step(3.5)
    # at the same moment: improper wording (a warning) and the hold going over the limit (an error)
    coach.utterance("你等着", 20.0, 20.6, final=True, now_s=21.0)
    coach.hold("hold_over", 21.0, "silence", 7.1, 7.0)
    first = coach.step(21.0)
    assert first is not None and first.rule == "hold" and first.severity == "error"
    assert coach.on_screen is first
    assert coach.step(21.5) is None  # the wording hint waits: one hint on screen
    second = coach.step(21.0 + coach.min_show_s)
    assert second is not None and second.rule == "wording"
    assert [h.severity for h in coach.shown] == ["error", "warning"]


def test_a_more_severe_hint_replaces_the_one_on_screen(zh_pack):
    coach = _coach(zh_pack)
    coach.hold("hold_warn", 10.0, "silence", 5.0, 7.0)
    warn = coach.step(10.0)
    assert warn is not None and "2" in warn.text  # 2 s left
    coach.hold("hold_over", 12.1, "silence", 7.1, 7.0)
    over = coach.step(12.1)  # before min_show_s of the countdown has passed
    assert over is not None and over.severity == "error" and "对不起，让您久等了" in over.text
    coach.hold("hold_end", 14.0, "silence", 9.0, 7.0)
    assert coach.on_screen is None  # the agent is back: the hold hint goes


def test_talking_over_the_caller_is_hinted_while_it_happens(zh_pack):
    coach = _coach(zh_pack)
    coach.caller_line(1, 5.0, None, "我上周就报修了，到现在还没人来")
    coach.agent_speech(6.0, None, now_s=6.5)
    assert coach.step(6.5) is None  # half a second of overlap: a backchannel
    coach.agent_speech(6.0, None, now_s=7.2)
    hint = coach.step(7.2)
    assert hint is not None and hint.rule == "interruption" and 0 <= hint.at_s - 7.0 < 1.0


def test_pace_above_the_band_over_the_last_seconds(zh_pack):
    coach = _coach(zh_pack)
    coach.utterance("您好美家电器我是小王请问有什么可以帮您", 1.0, 4.0, final=True, now_s=4.5)
    assert coach.step(4.5) is None
    fast = "我们这边的师傅明天上午会带着工具上门给您安装空调请您在家等候安装前会先打电话跟您确认具体的时间"
    coach.utterance(fast, 10.0, 17.0, final=True, now_s=17.5)  # 46 characters in 7 s: ~390 a minute
    hint = coach.step(17.5)
    assert hint is not None and hint.rule == "pace"


def test_the_agents_turn_tells_the_caller_topics_rudeness_and_closing(zh_pack):
    coach = _coach(zh_pack)
    asked = coach.turn_facts(20.0, "请问您的地址是哪里？您什么时候方便？", 17.0)
    assert asked.topics == {"where", "when"} and not asked.rude and not asked.closing
    rude = coach.turn_facts(30.0, "你错了，这是我们公司的规定", 28.0)
    assert set(rude.rude) >= {"forbidden"}
    assert coach.turn_facts(40.0, "您还有其他事吗？", 39.0).closing


# --------------------------------------------------------------------------- the listening caller

LISTENING = """\
language = "zh"
[[lines]]
text = "我想预约安装空调。"
[[lines]]
text = "那师傅什么时候能来？"
needs = ["when"]
[[lines]]
text = "我家在朝阳区建国路八十八号。"
answers = ["where"]
[[lines]]
text = "好的，谢谢，再见。"
goodbye = true
[[reactions]]
on = "rude"
text = "你这是什么态度？"
[[reactions]]
on = "rude"
text = "我要投诉你！"
goodbye = true
[[reactions]]
on = "unanswered"
topic = "when"
text = "那到底什么时候能来？"
[[reactions]]
on = "long_hold"
text = "喂？还在吗？"
"""


def _say(caller: Caller, **facts) -> int | None:
    line = caller.next_line(TurnFacts(at_s=0.0, **facts))
    if line is not None:
        caller.played(line.number)
    return None if line is None else line.number


def test_a_linear_scenario_is_said_in_order(tmp_path):
    scenario = parse_scenario(
        '[[lines]]\ntext = "a"\n[[lines]]\ntext = "b"\n[[lines]]\ntext = "c"\n', tmp_path / "linear.toml"
    )
    caller = Caller(scenario)
    said = [_say(caller) for _ in scenario.lines]
    assert said == [1, 2, 3] and scenario.lines[-1].goodbye
    assert _say(caller, topics=frozenset({"where"})) is None  # the script is done: the caller waits


def test_the_caller_answers_what_was_asked_follows_up_and_reacts(tmp_path):
    scenario = parse_scenario(LISTENING, tmp_path / "s.toml")
    assert [r.number for r in scenario.reactions] == [5, 6, 7, 8]
    caller = Caller(scenario)
    assert _say(caller) == 1
    assert _say(caller, topics=frozenset({"where"})) == 3  # asked where: the address, out of order
    assert _say(caller) == 2  # then the script goes on: 什么时候能来？ needs "when"
    assert _say(caller, topics=frozenset({"who"})) == 7  # not answered: the follow-up
    assert _say(caller, rude=("wording",)) == 5  # rude: impatient
    assert _say(caller, long_hold=True) == 8
    assert _say(caller, rude=("forbidden",)) == 6  # rude again: escalates and hangs up
    assert scenario.line(6).goodbye
    assert [d["because"] for d in caller.decisions] == [
        "next",
        "asked",
        "next",
        "unanswered",
        "rude",
        "long_hold",
        "rude",
    ]


def test_the_caller_says_goodbye_when_the_agent_closes(tmp_path):
    scenario = parse_scenario(LISTENING, tmp_path / "s.toml")
    caller = Caller(scenario)
    assert _say(caller) == 1
    assert _say(caller, closing=True) == 4


def test_reaction_errors_name_the_file_and_line(tmp_path):
    from callcoach.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_scenario('[[lines]]\ntext = "hi"\n\n[[reactions]]\non = "angry"\ntext = "x"\n', tmp_path / "s.toml")
    assert err.value.line == 5 and "rude" in err.value.problem
    with pytest.raises(ConfigError) as err:
        parse_scenario('[[lines]]\ntext = "hi"\nanswers = ["address"]\n', tmp_path / "s.toml")
    assert err.value.line == 3


def test_briefing_names_the_given_company_and_agent():
    scenario = load_scenario("install-request")
    brief = scenario.briefing(company="瑞丰空调", agent="李娜")
    assert "瑞丰空调" in brief and "李娜" in brief
    assert (scenario.company or "") not in brief and (scenario.agent or "") not in brief
