"""The rubric on whole conversations: every verdict of every criterion is reachable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import convo
from trainer.rubric import CRITERIA, grade

CALLS = Path(__file__).resolve().parent / "data"

STRONG = """
Rep: Thanks for walking me through the routing problem. What would you suggest as a next step?
Prospect: I think I need to talk to some people first and get back to you.
Rep: It sounds like this might not be a priority right now. Who else needs to weigh in?
Prospect: Fair point. Our finance lead, Luis, signs off on anything like this.
Rep: Could we get Luis in the room? Are you both free Tuesday at 10?
Prospect: Tuesday at 10 works for both of us.
Rep: Great. Could you bring last quarter's overtime numbers?
Prospect: Sure, I can bring those.
Rep: So to confirm: you'll bring the overtime numbers, I'll prepare the board, and we meet Tuesday at 10 with Luis. Did I get that right?
Prospect: Yes, that's right.
"""

WEAK = """
Rep: So that's the platform. I'll send you a proposal and call you next week.
Prospect: Sounds good. I'll think about it.
Rep: Sure, take your time, get back to me whenever.
Prospect: Will do.
Rep: I'll give you a call in a few weeks then.
Prospect: Sure, sometime.
"""


def verdicts(text: str) -> dict[str, str]:
    card = grade(convo(text))
    return {c.id: c.verdict for c in card.criteria}


def test_strong_call_passes_every_criterion_and_scores_100():
    card = grade(convo(STRONG))
    assert {c.id: c.verdict for c in card.criteria} == dict.fromkeys(CRITERIA, "pass")
    assert card.score == 100


def test_weak_call_fails_where_the_method_says_it_should():
    v = verdicts(WEAK)
    assert v["ask_next_step"] == "fail"
    assert v["confront_stall"] == "fail"
    assert v["secure_date"] == "partial"  # only a vague window
    assert v["prospect_task"] == "fail"
    assert v["recap"] == "fail"
    assert grade(convo(WEAK)).score < 20


def test_evidence_points_at_the_line_and_says_why():
    card = grade(convo(WEAK))
    ask = card.criterion("ask_next_step")
    assert ask.evidence[0].turn == 1
    assert ask.evidence[0].speaker == "Rep"
    assert "proposal" in ask.evidence[0].text
    assert "volunteered" in ask.evidence[0].why
    assert "Ask" in ask.tip


def test_ask_and_tell_is_partial():
    v = verdicts("""
        Rep: What do you think the next step should be? I'll send the contract tomorrow anyway.
        Prospect: Okay.
    """)
    assert v["ask_next_step"] == "partial"


def test_doing_what_the_prospect_asked_for_is_not_volunteering():
    v = verdicts("""
        Prospect: Could you send me the security questionnaire answers?
        Rep: Yes, I'll send them over today. Where do we go from here after that?
        Prospect: Then we can book the pilot.
    """)
    assert v["ask_next_step"] == "pass"


def test_no_stall_means_confront_is_not_applicable_and_not_counted():
    card = grade(convo("""
        Rep: Where do we go from here?
        Prospect: Let's set up a pilot.
    """))
    assert card.criterion("confront_stall").verdict == "n/a"
    assert card.criterion("confront_stall").score is None


def test_some_stalls_confronted_is_partial():
    v = verdicts("""
        Prospect: I'll think about it.
        Rep: What specifically do you need to think over?
        Prospect: Pricing, mostly. Let me talk to my boss and get back to you.
        Rep: No problem, let me know.
    """)
    assert v["confront_stall"] == "partial"


def test_pressing_for_a_concrete_step_past_a_stall_confronts_it():
    card = grade(convo("""
        Prospect: It's a priority, but finance owns the budget, so I can't commit on my own.
        Rep: Then let's bring finance in. Could we meet Tuesday at 10 with your finance lead?
        Prospect: Tuesday at 10 works.
    """))
    confront = card.criterion("confront_stall")
    assert confront.verdict == "pass"
    assert "pressed for a concrete step" in confront.evidence[-1].why
    # its tip praises what was done, not naming the stall, and says to name it too
    assert "pressed for a concrete step" in confront.tip and "named the stall" not in confront.tip


def test_a_step_that_lets_the_stall_stand_does_not_confront_it():
    v = verdicts("""
        Prospect: Let me talk to my boss and get back to you.
        Rep: No rush at all, take your time. Maybe we catch up sometime next month?
    """)
    assert v["confront_stall"] == "fail"


def test_a_one_word_confirmation_of_the_recap_confirms_it():
    for answer in ("Right.", "Correct.", "Exactly.", "Spot on."):
        v = verdicts(f"""
            Rep: So to confirm, we meet Thursday at 10 and you bring the user list. Right?
            Prospect: {answer}
        """)
        assert v["recap"] == "pass", answer


def test_a_slot_the_prospect_declines_is_not_a_secured_date():
    v = verdicts("""
        Rep: Are you free Thursday at 3pm?
        Prospect: No, I can't do Thursday.
    """)
    assert v["secure_date"] == "fail"


def test_the_reps_acceptance_of_a_counter_proposal_secures_the_date():
    v = verdicts("""
        Rep: Are you free Thursday at 3pm?
        Prospect: Thursday is bad. How about Friday at 11am?
        Rep: Friday at 11 works for me, I'll send the invite.
    """)
    assert v["secure_date"] == "pass"


def test_a_time_the_prospect_named_is_credited_to_the_prospect_when_the_rep_takes_it():
    card = grade(convo("""
        Rep: Could we do that Tuesday at 10?
        Prospect: Tuesday's bad. Let's say Wednesday at 3 instead.
        Rep: Wednesday at 3 it is.
        Prospect: Good. I'll bring our architect.
    """))
    date = card.criterion("secure_date")
    assert date.verdict == "pass"
    assert [(e.turn, e.why) for e in date.evidence] == [
        (2, "the prospect proposed a specific time"), (3, "the rep accepted it")]


def test_a_time_the_rep_turns_down_is_no_proposal_and_no_window():
    card = grade(convo("""
        Rep: Could we meet Wednesday at 3pm?
        Prospect: Wednesday's full. Thursday at 2pm?
        Rep: No, Thursday's out for me.
        Prospect: Then I don't know.
    """))
    date = card.criterion("secure_date")
    assert date.verdict == "fail"
    assert all(e.turn != 3 for e in date.evidence)


def test_a_task_the_prospect_refuses_fails_with_the_refusal_as_evidence():
    card = grade(convo("""
        Rep: Could you bring the budget numbers to the next meeting?
        Prospect: No, I don't want to dig into budget yet.
    """))
    task = card.criterion("prospect_task")
    assert task.verdict == "fail"
    assert any("pushed back" in e.why for e in task.evidence)


def test_a_yes_to_fixing_a_time_is_no_date_until_one_is_named():
    v = verdicts("""
        Rep: Would she be open to a 20-minute session with us?
        Prospect: Yes, but realistically sometime in early May.
        Rep: Can we pin down a day and time now so it doesn't drift?
        Prospect: Sure, I wish I could, but I can't see her calendar. Early May is as close as I can get.
        Rep: OK, we'll meet in early May then.
    """)
    assert v["secure_date"] == "partial"  # only a window; it passed on the "sure"
    v = verdicts("""
        Rep: Can we pin down a day and time now?
        Prospect: Yes, Tuesday the 14th at 10 works.
    """)
    assert v["secure_date"] == "pass"  # the slot named in the answer


def test_a_window_the_prospect_names_is_a_partial_date():
    # "only a vague window was agreed or proposed": by either side
    v = verdicts("""
        Rep: What would you like to do next?
        Prospect: Let's touch base next quarter, after the harvest is in.
        Rep: Sure, sounds sensible.
    """)
    assert v["secure_date"] == "partial"
    v = verdicts("""
        Rep: So what do you think the next step should be?
        Prospect: I'll send you our shift schedule by the end of the week.
        Rep: That works.
    """)
    assert v["secure_date"] == "fail"  # a deadline for work is no meeting window


def test_a_window_given_when_asked_when_is_a_partial_date():
    v = verdicts("""
        Rep: And for going through it, when could you and your associate sit down with us?
        Prospect: She's in London the first fortnight of March, so some time in that window.
        Rep: The first two weeks of March suits us.
    """)
    assert v["secure_date"] == "partial"
    v = verdicts("""
        Rep: When did you move over to the new system?
        Prospect: In March, I think.
    """)
    assert v["secure_date"] == "fail"  # the past is no window for a meeting


def test_asking_the_prospect_to_choose_when_is_asking_for_the_step():
    v = verdicts("""
        Rep: Then could we do a pressure test on the block? When would suit you?
        Prospect: Tuesday the 4th, eight in the morning, at the pump house.
    """)
    assert v["ask_next_step"] == "pass"


def test_a_hedge_agrees_to_no_slot():
    # "I'll have to see, he's on the road this week" agreed to the slot
    v = verdicts("""
        Rep: Could Dale join us for half an hour so he hears the numbers directly? How about Thursday at 4?
        Prospect: I'll have to see, he's on the road this week, he does the equipment runs.
    """)
    assert v["secure_date"] != "pass"
    v = verdicts("""
        Rep: Friday the 9th at 11 works. So to recap: Friday at 11, I bring the numbers.
        Prospect: We'll see about the costs, I'm not promising that. But Friday at 11, yes.
    """)
    assert v["secure_date"] == "pass"  # a yes after the hedge still agrees


def test_a_recap_in_reply_to_a_stall_lets_it_stand():
    from trainer.formats import read

    # "Aye, fair enough, you know him best. So to sum up: ..." counted as pressing past it
    card = grade(read(CALLS / "conversations_third" / "e03.txt"))
    assert card.criterion("confront_stall").verdict == "partial"


def test_taking_up_the_prospects_own_slot_is_not_telling():
    v = verdicts("""
        Rep: What would you suggest as a next step?
        Prospect: Getting Priya in front of this.
        Rep: Could we meet with Priya on Thursday 13 March at 10am?
        Prospect: Thursday doesn't work. Could we do Wednesday 12 March at 4:30pm instead?
        Rep: Let's do Wednesday 12 March at 4:30pm then.
    """)
    assert v["ask_next_step"] == "pass"


def test_a_task_the_prospect_takes_on_unasked_passes():
    # "the prospect agreed to do something before the next step": volunteering it counts
    card = grade(convo("""
        Rep: Could we get your managing director in for thirty minutes?
        Prospect: Yes, he can do Friday the 20th at 9:30.
        Rep: Friday the 20th at 9:30 is perfect.
        Prospect: Good. I'll send you our employee handbook before then as well.
    """))
    task = card.criterion("prospect_task")
    assert task.verdict == "pass" and "of their own" in task.evidence[0].why
    assert task.evidence[0].turn == 4


@pytest.mark.parametrize("offer", [
    "Tuesday the 12th at ten's fine. I'll get Maria from buying to sit in.",
    "Fine. I can have our permit clerk send both by next Wednesday.",
])
def test_a_prospect_who_sends_a_colleague_on_a_task_has_taken_it_on(offer):
    v = verdicts(f"""
        Rep: Could we go through the range together, Tuesday the 12th at ten?
        Prospect: {offer}
    """)
    assert v["prospect_task"] == "pass"


@pytest.mark.parametrize("offer", [
    # no "yes" needed, and people type without apostrophes
    "ok that sounds decent tbh. look ill send you our last three months of orders",
    "Good. I'll have Margaret pull a sample of twenty files, different decades.",
    "cool ill get my head nurse to export it, youll have it by friday",
    # "let me see," is thinking aloud, not a stall
    "Okay. Let me see, I will send you the number of animals and their ages tonight.",
    "Sweet. And I'll have the final guest numbers from the couple by then.",
    # courtesy, not a condition
    "Yes. I'll send you the last three months of invoices before then, if that's useful.",
    "Sure. I'll send you the invoices in case Priya asks.",
])
def test_a_task_the_prospect_volunteers_in_any_words_passes(offer):
    v = verdicts(f"""
        Rep: So the first thing would be to see what you order today.
        Prospect: {offer}
    """)
    assert v["prospect_task"] == "pass"


@pytest.mark.parametrize("reply", [
    "I'll send you an email if anything changes.",
    "Honestly I'll have my decision ready by then.",  # an answer promised is no task
    "I'll ask him, but honestly I wouldn't hold your breath.",
    "I can send you our spec but we're not changing suppliers this year.",
])
def test_a_promise_on_a_condition_or_with_a_brush_off_is_no_task(reply):
    v = verdicts(f"""
        Rep: What would you suggest as a next step?
        Prospect: {reply}
    """)
    assert v["prospect_task"] == "fail"


def test_a_prospect_who_only_promises_to_get_back_has_taken_on_no_task():
    v = verdicts("""
        Rep: What would you suggest as a next step?
        Prospect: Sure, I'll get back to you next week.
    """)
    assert v["prospect_task"] == "fail"


@pytest.mark.parametrize("reply", [
    "Make it February actually, January's always mental.",
    "We'll see about the costs, I'm not promising that. But Friday at 11, yes.",
    "Anyway, did you say the backups are every night?",  # moves on: no confirmation
    "Probably. I'll have a proper look when the invite comes through.",  # a hedge
    "Um, so actually the costs, my ops manager has the real sheet, so she'll send them.",
    "Aye, more or less. Might be Tuesday for the costs, mind, Monday's mart day.",
    "Hm. I suppose so, though the board doesn't meet until the 30th, so I doubt it.",
    "Yeah, more or less. Though it might end up being the week after that, like.",
])
def test_a_recap_the_prospect_puts_right_or_passes_over_is_partial(reply):
    v = verdicts(f"""
        Rep: So just to recap: you'll send the costs, and we meet Friday at 11.
        Prospect: {reply}
    """)
    assert v["recap"] == "partial"


@pytest.mark.parametrize("reply", ["Actually, yes, that's it exactly.",
                                   "Yes, that's actually perfect.",
                                   "Actually, that works for me.",
                                   "Yes, that might be the best way to do it.",
                                   "Yes. I doubt it will take long."])
def test_actually_said_confirming_confirms_the_recap(reply):
    v = verdicts(f"""
        Rep: So just to recap: you'll send the costs, and we meet Friday at 11. Right?
        Prospect: {reply}
    """)
    assert v["recap"] == "pass"


def test_a_confirmation_may_end_with_a_question():
    v = verdicts("""
        Rep: So to recap: you'll send the costs by Monday, and we meet Friday at 11. Right?
        Prospect: Sounds right, can you send the invite?
    """)
    assert v["recap"] == "pass"


def test_recap_without_confirmation_is_partial():
    v = verdicts("""
        Rep: Just to recap: you'll loop in IT, I'll send the pricing, we meet Monday at 11.
        Prospect: I have to run to another meeting.
    """)
    assert v["recap"] == "partial"


def test_weights_change_the_overall_score_and_zero_drops_a_criterion():
    t = convo(WEAK)
    base = grade(t).score
    heavy = grade(t, weights={"secure_date": 5}).score
    assert heavy > base  # the only partial criterion now counts more
    only_date = grade(t, weights={c: 0 for c in CRITERIA if c != "secure_date"})
    assert only_date.score == 50


def test_unknown_weight_is_an_error():
    with pytest.raises(ValueError, match="unknown criteria"):
        grade(convo(WEAK), weights={"closing": 2})


def test_engine_events_are_the_record_in_a_practice_run():
    from dataclasses import replace

    from trainer.transcript import Event

    t = convo("""
        Rep: How does the 17th at 1pm look?
        Prospect: Let me check... fine.
    """)
    t = replace(t, events=(Event(1, "slot_accepted", {"when": "2026-01-17T13:00"}),))
    assert grade(t).criterion("secure_date").verdict == "pass"


def test_json_shape_matches_the_contract():
    d = grade(convo(STRONG)).to_dict()
    assert set(d) == {"score", "criteria", "turns"}
    assert [c["id"] for c in d["criteria"]] == list(CRITERIA)
    for c in d["criteria"]:
        assert {"id", "verdict", "score", "evidence", "tip"} <= set(c)
        for e in c["evidence"]:
            assert set(e) == {"turn", "speaker", "text", "why"}
    assert {"speaker", "text", "moves"} <= set(d["turns"][0])


def test_in_a_practice_run_the_engine_decides_what_was_agreed():
    from dataclasses import replace

    from trainer.transcript import Event

    t = convo("""
        Rep: If I send a summary tomorrow, shall we speak on Monday at 11?
        Prospect: That's a fair trade. Give me a day and time.
        Rep: So to confirm: summary tomorrow, we speak Monday at 11. Right?
        Prospect: Wait, didn't we say Tuesday?
    """)
    practice = replace(t, meta={**t.meta, "values": {}},
                       events=(Event(3, "recap_corrected"),))
    card = grade(practice)
    assert card.criterion("secure_date").verdict != "pass"  # no slot_accepted event
    assert card.criterion("recap").verdict == "partial"
    assert "corrected" in card.criterion("recap").evidence[0].why


def test_in_a_practice_run_only_the_engines_stalls_need_confronting():
    from dataclasses import replace

    from trainer.transcript import Event

    t = convo("""
        Prospect: I'll think about it and get back to you.
        Rep: What specifically do you need to think over?
        Prospect: Honestly I need to run the numbers by finance first, that's all.
        Rep: Who in finance, and can we get them on Tuesday's call?
    """)
    practice = replace(t, meta={**t.meta, "values": {}},
                       events=(Event(0, "stall_raised"), Event(1, "stall_confronted")))
    assert grade(practice).criterion("confront_stall").verdict == "pass"


def test_evidence_says_who_named_the_time_and_why_a_recap_stands_unconfirmed():
    card = grade(convo("""
        Rep: What would you like to happen next?
        Prospect: A demo for the ops team.
        Rep: What day next week works for you?
        Prospect: Tuesday at 10.
        Rep: So to recap: you bring the ops team and we meet Tuesday at 10. Right?
        Prospect: Sorry, I have to jump on another call. Bye.
    """))
    date = card.criterion("secure_date")
    assert date.verdict == "pass"
    assert [e.why for e in date.evidence] == ["asked for a time",
                                              "the prospect named a specific time"]
    recap = card.criterion("recap")
    assert recap.verdict == "partial" and "corrected" not in recap.evidence[-1].why


@pytest.mark.parametrize("yes", ["I don't see why not.", "Can't see why not, yeah."])
def test_i_dont_see_why_not_is_a_yes(yes):
    v = verdicts(f"""
        Rep: Does Tuesday at 10am work?
        Prospect: {yes}
    """)
    assert v["secure_date"] == "pass"


def test_the_prospects_invitation_taken_up_secures_the_date():
    v = verdicts("""
        Rep: Right, then I'll put together two designs with prices for the council.
        Prospect: Actually, the next full council is Tuesday the 12th at seven o'clock in the village hall. If you come and present for ten minutes at the start, they can ask you whatever they like.
        Rep: Lovely, I'll be there with the designs and the maintenance costs.
    """)
    assert v["secure_date"] == "pass"


def test_a_recap_typed_without_apostrophes_is_heard():
    v = verdicts("""
        Rep: so just so were clear, youre having a think, well speak again in a few weeks, and im not sending anything over in the meantime. that right
        Prospect: yeah thats right, spot on
    """)
    assert v["recap"] == "pass"
