"""Every shipped scenario, won and lost with lines written the way a trainee types them.

Each scenario trains one part of the method; the winning conversation shows the behaviour it
rewards, and each losing one the trap it sets (accepting a stall, volunteering work, running
out of time, nodding along). They run through the public harness, :func:`trainer.harness.play`,
with the real classifier, so a change to the engine, the classifier or a scenario that breaks
a lesson shows up here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from trainer.engine import DEFAULT_REACTIONS, Engine
from trainer.harness import Run, play
from trainer.matching import PhraseBank
from trainer.scenario import Scenario
from trainer.scenario_load import load_scenario, shipped_scenarios
from trainer.text import plain

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

SHIPPED = ("busy-executive", "committee", "complex-sale", "drifting-renewal",
           "happy-with-supplier", "info-deflector", "polite-staller", "quote-volunteer")

STANDARD = ("ask_next_step", "confront_stall", "secure_date", "prospect_task", "recap")


# --- the winning conversations ---------------------------------------------------------------

WINS: dict[str, list[str]] = {
    "polite-staller": [
        "It sounds like this might not be a priority for you right now. Or is it never going "
        "to be?",
        "What went wrong with the last system?",
        "That makes sense. What do you think the next step should be?",
        "Great. Are you and Priya free on Thursday at 2pm?",
        "OK, how about Tuesday the 18th at 10am then?",
        "Could you bring last quarter's fuel and overtime costs so Priya can see the real "
        "numbers?",
        # Morgan's "I'm snowed under" reads as a stall too: name it, then ask again.
        "I hear you're snowed under. What would make it easier? Even rough figures would help "
        "Priya a lot. Could you pull those together?",
        "So to confirm: you'll bring the fuel and overtime figures, I'll prepare the ROI model, "
        "and we meet with Priya on Tuesday the 18th at 10am. Is that right?",
    ],
    "info-deflector": [
        "Happy to. What specifically would you be looking for in it, so I don't send you a "
        "pile of stuff you'll never read?",
        "That makes sense. What do you think the next step should be?",
        "What would Alan need to see before he'd put money in the budget for this?",
        "Great. Are you and Alan free on Thursday at 2pm?",
        "Yes, that works.",
        "Could you bring last winter's gas and electricity bills for the six schools?",
        "So to confirm: you'll bring the bills and get Alan there, I'll bring the savings "
        "model, and we meet on Friday at 8am. Is that right?",
    ],
    "committee": [
        "Of course. Who are the other people you'd need to talk to?",
        "What will Marcus, Lena and Dev be looking for when they decide?",
        "Rather than you presenting it for me, could we get all three of them on a call with "
        "us, so they can ask me directly?",
        "Great. Are you all free on Tuesday the 23rd at 10am?",
        "Yes, that works.",
        "Could you check Marcus, Lena and Dev can make it, and bring last quarter's no-show "
        "numbers for each clinic?",
        "So to confirm: you'll get the committee there and bring the no-show numbers, I'll "
        "answer Dev's migration questions and show the cost per clinic, and we all meet on "
        "Tuesday the 23rd at noon. Is that right?",
    ],
    "busy-executive": [
        "How do you handle supplier invoices today?",
        "That's painful. We've got a few minutes left, so what would you like the next step "
        "to be?",
        "Are you and Sanjay free on Wednesday at 3pm my time?",
        "Yes, that works.",
        "Could you ask Sanjay to send me a month of real invoices beforehand?",
        "So to confirm: Sanjay sends a month of invoices, I load them, and we meet Thursday "
        "at 2pm my time. Is that right?",
    ],
    "happy-with-supplier": [
        "Twelve years is a long time. Is there really nothing you'd change, or is it just not "
        "a priority?",
        "How often do the supermarkets reject a pallet for damaged cartons?",
        "What would you want to see from us next time? Would a sample carton for that line "
        "help?",
        "That sounds like something we can fix. What do you think the next step should be?",
        "Are you and Ray free on Thursday at 10am?",
        "Yes, that works.",
        "Could you get Ray to pull the pallet rejection reports for the last six months?",
        "I understand. Even three months of rejection reports would help. Could Ray pull "
        "those?",
        "So to confirm: I'll bring a sample carton and our drop-test results, Ray brings the "
        "rejection reports, and we meet on Wednesday at 2:30pm. Is that right?",
    ],
    "quote-volunteer": [
        "I'm glad it sounds good! What do you think the next step should be?",
        "Usually it depends on who else is involved. Who else would need to say yes to this?",
        "Could we get together with Marco at the café and look at the roof on Thursday at "
        "2pm?",
        "Sure, that works.",
        "Could you ask your landlord whether he's OK with panels on the roof before then?",
        "So to confirm: you'll check with the landlord, I'll come and look at the roof, and "
        "we meet with Marco on Thursday at noon. Is that right?",
    ],
    "complex-sale": [
        "That's good to hear. Who else needs to be involved before a pilot can start?",
        "Is there anyone else who would need to approve it?",
        "By when do you need the pilot running?",
        "What do you think the next step should be?",
        "Could we do that working session on Monday at 11?",
        "What would the summary need to cover? If I get it to you by tomorrow, can we book "
        "the session now?",
        "Monday at 11am my time, then.",
        "Yes, that works.",
        "Could you send Jonas the security questionnaire and ask Petra to open a vendor file "
        "this week?",
        "I understand, but with six weeks in procurement and a June go-live, starting now "
        "really matters. Could you ask Petra to open the vendor file?",
        "So to confirm: I'll send you the written summary by tomorrow evening, you'll send "
        "Jonas the questionnaire and get Petra started on the vendor file, and we meet with "
        "Jonas and Miriam on Monday at 10:30am my time. Is that right?",
    ],
    "drifting-renewal": [
        "It sounds like the renewal keeps slipping. Is something holding it up?",
        "That makes sense. Just so you know, your contract ends on the 30th of June, before "
        "the partners meet.",
        "What do you think the next step should be?",
        "Are you free on Thursday at 10am?",
        "Yes, that works.",
        "Could you bring the missed-appointment figures since you started with us?",
        "So to confirm: you'll bring the missed-appointment figures, I'll bring the new "
        "prices, and we meet on Thursday at 8:30am. Is that right?",
    ],
}


# --- the losing conversations ----------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    """A conversation that falls into the scenario's trap, and what the scorecard must say."""

    scenario: str
    trap: str
    lines: list[str]
    outcome: str
    verdicts: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # the ending's reason, when it is the point

    def __str__(self) -> str:
        return f"{self.scenario}: {self.trap}"


LOSSES = [
    Loss("polite-staller", "accepts the stall",
         ["Of course, no rush at all. Take your time and get back to me whenever you're "
          "ready."],
         "no_decision", {"ask_next_step": "fail", "confront_stall": "fail",
                         "secure_date": "fail", "history": "fail"}, "stall accepted"),
    Loss("polite-staller", "bails out with a proposal",
         ["How about I put together a proposal with some numbers and send it over this "
          "afternoon?",
          "Great, I'll get that over to you tonight then."],
         "no_decision", {"ask_next_step": "fail", "secure_date": "fail"}),
    Loss("info-deflector", "agrees to send a brochure",
         ["Sure, no problem. I'll email our brochure over to you tonight."],
         "no_decision", {"ask_next_step": "fail", "confront_stall": "fail",
                         "secure_date": "fail"}, "stall accepted"),
    Loss("info-deflector", "asks, then sends the case study he asks for",
         ["What would you want to get out of it?",
          "What do you think the next step should be?",
          "Sure. I'll email you a case study and our price list this afternoon."],
         "no_decision", {"ask_next_step": "partial", "confront_stall": "partial",
                         "secure_date": "fail"}),
    Loss("committee", "waits for the committee to get back",
         ["Of course, take your time. Just let me know what they say."],
         "no_decision", {"confront_stall": "fail", "who-decides": "fail",
                         "committee-invited": "fail"}, "stall accepted"),
    Loss("committee", "lets the champion present alone",
         ["Who else is involved in the decision?",
          "What do you think the next step should be?",
          "That sounds good. I'll send you our slides so you can share them with the "
          "committee."],
         "no_decision", {"ask_next_step": "partial", "confront_stall": "partial",
                         "who-decides": "pass", "committee-invited": "fail"}),
    Loss("busy-executive", "enjoys the conversation until time runs out",
         ["How do you handle supplier invoices today?",
          "What's the biggest headache in that process for you?",
          "How many people in Dallas work on invoices?",
          "What happens when an invoice goes missing?",
          "How long does it take a general manager to approve an invoice?",
          "How does month-end close work across the hotels?",
          "How do you pay the Canadian suppliers?",
          "How many new hotels are you opening this year?",
          "Who approves the invoices at each hotel?"],
         "no_decision", {"ask_next_step": "fail", "secure_date": "fail", "asked-first": "pass",
                         "beat-the-clock": "fail"}, "time"),
    Loss("busy-executive", "pitches to a CFO",
         ["Our platform is the leading AP automation tool for hospitality.",
          "We also integrate with every major ERP, and we won an award last year."],
         "lost", {"ask_next_step": "fail", "asked-first": "fail"}, "patience"),
    Loss("happy-with-supplier", "nods along, then competes on price",
         ["Is there really nothing you'd change, or is it just not a priority right now?",
          "You're absolutely right, Corrigan sound like a great supplier.",
          "I completely agree, twelve years is a long time.",
          "But we could probably beat their price by a few cents a carton."],
         "lost", {"confront_stall": "pass", "created-interest": "fail",
                  "ask_next_step": "fail"}, "patience"),
    Loss("happy-with-supplier", "asks for a second meeting without a reason for one",
         ["Is there really nothing you'd change, or is it just not a priority right now?",
          "Fair enough. What do you think the next step should be?",
          "Sure, I'll email you our price list this afternoon."],
         "no_decision", {"ask_next_step": "partial", "created-interest": "fail",
                         "secure_date": "fail"}, "stall accepted"),
    Loss("quote-volunteer", "volunteers a quote",
         ["Great! How about I get you a quote for both cafés?",
          "Lovely, I'll have it over to you by Friday."],
         "no_decision", {"ask_next_step": "fail", "secure_date": "fail", "no-quote": "fail",
                         "decision": "fail"}, "stall accepted"),
    Loss("quote-volunteer", "asks, then volunteers the quote anyway",
         ["What do you think the next step should be?",
          "Most people start with a quote, so I'll send you one this week.",
          "Great, I'll have it over to you by Friday."],
         "no_decision", {"ask_next_step": "partial", "no-quote": "fail"}),
    Loss("complex-sale", "decides the next step alone",
         ["Great. I'll put a proposal together and send it over tomorrow.",
          "Perfect, I'll wait to hear from you then."],
         "no_decision", {"ask_next_step": "fail", "secure_date": "fail", "negotiated": "fail",
                         "stakeholders": "fail"}, "stall accepted"),
    Loss("complex-sale", "lets her circulate it internally first",
         ["Who else needs to be involved before a pilot can start?",
          "Could we do a working session with Jonas and Miriam on Monday at 11?",
          "Of course, no rush. Let me know once you've spoken to them."],
         "no_decision", {"confront_stall": "fail", "secure_date": "fail",
                         "negotiated": "fail"}, "stall accepted"),
    Loss("drifting-renewal", "lets it drift to next quarter",
         ["Of course, no problem. Let's pick it up next quarter then."],
         # "next quarter" is a window, not a slot: half marks at best.
         "no_decision", {"confront_stall": "fail", "secure_date": "partial",
                         "before-expiry": "fail"}, "stall accepted"),
    Loss("drifting-renewal", "settles for 'give me a shout nearer the time'",
         ["It sounds like the renewal keeps slipping. Is something holding it up?",
          "OK. Shall we catch up again in a few weeks?",
          "Sure, I'll give you a shout nearer the time."],
         "no_decision", {"confront_stall": "partial", "secure_date": "partial"},
         "stall accepted"),
]


def verdicts(run: Run) -> dict[str, str]:
    return {c.id: c.verdict for c in run.scorecard.criteria}


def ending_reason(run: Run) -> str | None:
    endings = [e for e in run.transcript.events if e.kind == "ending"]
    return endings[-1].detail["reason"] if endings else None


# --- loading ---------------------------------------------------------------------------------


def test_every_shipped_scenario_loads_once_with_its_own_id() -> None:
    shipped = shipped_scenarios()
    ids = [s.id for s in shipped]
    assert sorted(ids) == sorted(SHIPPED) and len(set(ids)) == len(ids)
    assert {p.stem for p in SCENARIOS.glob("*.yaml")} == set(SHIPPED)
    for path in SCENARIOS.glob("*.yaml"):
        assert load_scenario(path).id == path.stem  # each file is named after its id
    # The picker lists them easiest first, and there is one for every level.
    assert [s.difficulty for s in shipped] == sorted(s.difficulty for s in shipped)
    assert {s.difficulty for s in shipped} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("scenario", shipped_scenarios(), ids=lambda s: s.id)
def test_every_state_teaches_and_every_scenario_has_both_conversations(
        scenario: Scenario) -> None:
    assert scenario.id in WINS and any(loss.scenario == scenario.id for loss in LOSSES)
    for name, state in scenario.states.items():
        assert state.hints, f"{scenario.id}: state {name} has no hints"


# --- won -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("scenario", SHIPPED)
def test_the_winning_conversation_wins_for_any_seed(scenario: str, seed: int) -> None:
    run = play(scenario, WINS[scenario], seed=seed)
    assert run.outcome == "won", run.transcript.turns[-1].text
    assert not run.unused
    got = verdicts(run)
    for cid in ("ask_next_step", "secure_date", "prospect_task", "recap"):
        assert got[cid] == "pass", (cid, got)
    assert got["confront_stall"] in ("pass", "n/a")
    extra = [c.id for c in run.scenario.rubric.criteria]
    assert all(got[cid] == "pass" for cid in extra), got
    assert run.scorecard.score == 100
    assert ending_reason(run) == "recap confirmed"


# --- lost ------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES, ids=str)
def test_the_trap_loses(loss: Loss) -> None:
    run = play(loss.scenario, loss.lines, seed=0)
    assert run.outcome == loss.outcome, [t.text for t in run.transcript.turns]
    assert not run.unused  # the meeting ended on the last line, not before
    got = verdicts(run)
    for cid, verdict in loss.verdicts.items():
        assert got[cid] == verdict, (cid, got)
    if loss.reason is not None:
        assert ending_reason(run) == loss.reason
    assert run.scorecard.score < 50


# --- what particular scenarios rely on -------------------------------------------------------


def test_info_deflector_deflects_twice() -> None:
    run = play("info-deflector", WINS["info-deflector"][:3], seed=0)
    raised = [e for e in run.transcript.events if e.kind == "stall_raised"]
    confronted = [e for e in run.transcript.events if e.kind == "stall_confronted"]
    assert [e.detail["state"] for e in raised] == ["send_info", "case_study"]
    assert len(confronted) == 2


def test_committee_wont_book_until_the_committee_is_invited() -> None:
    lines = ["Who else is involved in the decision?", "How about Monday at 2pm?"]
    run = play("committee", lines, seed=0)
    assert "slot_accepted" not in {e.kind for e in run.transcript.events}
    assert "committee" in run.transcript.turns[-1].text


def test_busy_executive_names_both_clocks() -> None:
    run = play("busy-executive", WINS["busy-executive"], seed=0)
    assert "slot_countered" in {e.kind for e in run.transcript.events}
    counter = next(t.text for t in run.transcript.turns if "board meeting" in t.text)
    assert "your time (9am for me)" in counter  # she is in New York, the trainee in London
    assert run.transcript.meta["slot"].startswith("2025-06-12T14:00")


def test_busy_executive_warns_before_time_runs_out() -> None:
    loss = next(x for x in LOSSES if x.scenario == "busy-executive" and x.reason == "time")
    run = play("busy-executive", loss.lines, seed=0)
    warnings = [e for e in run.transcript.events if e.kind == "clock_warning"]
    assert len(warnings) == 1 and warnings[0].detail["minutes_left"] <= 4
    ending = next(e for e in run.transcript.events if e.kind == "ending")
    assert ending.turn > warnings[0].turn  # the warning came while there was time to act


def test_busy_executive_wants_a_question_before_a_meeting() -> None:
    run = play("busy-executive", ["What would you like the next step to be?"], seed=0)
    assert "haven't asked" in run.transcript.turns[-1].text
    assert run.transcript.meta["values"]["next_step"] is False


def test_complex_sale_books_only_after_a_trade() -> None:
    lines = WINS["complex-sale"][:5]
    run = play("complex-sale", lines, seed=0)
    assert run.transcript.meta["state"] == "need_paper"  # "let me circulate something first"
    assert "slot_accepted" not in {e.kind for e in run.transcript.events}
    run = play("complex-sale", WINS["complex-sale"], seed=0)
    assert run.transcript.meta["values"]["traded"] is True
    # "Monday at 11" London is noon in Cologne, into the works council: she offers 10:30.
    assert run.transcript.meta["slot"].startswith("2025-03-24T10:30")


def test_quote_volunteer_recovers_but_the_volunteered_quote_still_counts() -> None:
    lines = ["Great! How about I get you a quote for both cafés?",
             "Before I do, what would you do with a quote once you had it?",
             "Who else would need to be involved in deciding?",
             "Could we meet with Marco at the café on Wednesday at 10am?",
             "Could you dig out last year's hydro bills?",
             "So to confirm: you'll bring the hydro bills, I'll look at the roof, and we meet "
             "with Marco on Wednesday at 10am. Right?"]
    run = play("quote-volunteer", lines, seed=0)
    got = verdicts(run)
    assert run.outcome == "won"
    assert got["no-quote"] == "fail" and got["ask_next_step"] == "partial"
    assert "two" in run.transcript.turns[4].text  # she already has two quotes in a folder


def test_drifting_renewal_is_gentle() -> None:
    gentle = load_scenario(SCENARIOS / "drifting-renewal.yaml")
    others = [s for s in shipped_scenarios() if s.id != gentle.id]
    assert gentle.difficulty == 1
    assert gentle.patience.limit >= max(s.patience.limit for s in others)
    assert gentle.persona.tasks == "accept"


# --- how trainees type -------------------------------------------------------------------------

# Intent patterns read the line as typed, examples read it normalised: both must hear a line
# written without apostrophes, with a curly one, or in chat spelling.
TYPED = [
    ("busy-executive", "discovery", "whats the biggest headache with your invoices?"),
    ("busy-executive", "discovery", "how r invoices approved today"),
    ("busy-executive", "discovery", "hows approval done at the hotels"),
    ("busy-executive", "discovery", "wats ur biggest headache with invoices"),
    ("complex-sale", "timeline", "whats driving the timing?"),
    ("complex-sale", "timeline", "When do u need the pilot to be running?"),
    ("complex-sale", "trade", "if ill get the summary over tmrw, can u put the session in?"),
    ("happy-with-supplier", "nod", "ur absolutely right"),
    ("happy-with-supplier", "nod", "youre right"),
    ("happy-with-supplier", "price_pitch", "we could beat corrigans price"),
    ("happy-with-supplier", "what_to_bring", "wat would u want me to bring"),
    ("quote-volunteer", "decision", "what would u need to know?"),
    ("quote-volunteer", "decision", "how do u decide on stuff like this"),
    ("committee", "what_matters", "whats the committee looking for?"),
    ("committee", "what_matters", "What\u2019s Dev going to ask about?"),
]


def hears(scenario: Scenario, intent: str, line: str) -> bool:
    spec = scenario.intents[intent]
    if any(p.search(line) for p in spec.patterns):
        return True
    bank = PhraseBank({intent: spec.examples}, threshold=spec.threshold)
    return bool(spec.examples) and bank.match_normalised(plain(line)) is not None


@pytest.mark.parametrize(("scenario", "intent", "line"), TYPED, ids=lambda x: str(x)[:40])
def test_intents_hear_lines_as_trainees_type_them(scenario: str, intent: str,
                                                   line: str) -> None:
    assert hears(load_scenario(SCENARIOS / f"{scenario}.yaml"), intent, line)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("scenario", SHIPPED)
def test_a_vague_window_is_said_back_without_a_doubled_word(scenario: str, seed: int) -> None:
    for window in ("let's just say sometime next week", "shall we catch up some time next month?",
                   "how about sometime later this month?"):
        engine = Engine(load_scenario(SCENARIOS / f"{scenario}.yaml"), seed=seed)
        engine.opening()
        line = engine.reply(window).line.lower()
        assert "sometime sometime" not in line and "sometime some time" not in line, line


# The line that lets a stall pass is followed by the no-decision ending in the same turn: the
# ending says goodbye, so the reaction must not, and only one of them says thanks.
_GOODBYE = re.compile(r"\b(?:bye|talk soon|see you|cheers|thanks for (?:calling|coming))\b", re.I)
_THANKS = re.compile(r"\bthank", re.I)


@pytest.mark.parametrize("scenario", shipped_scenarios(), ids=lambda s: s.id)
def test_letting_a_stall_pass_gets_one_goodbye(scenario: Scenario) -> None:
    own = scenario.reactions.get("stall_accepted")
    reactions = own.say if own is not None and own.say else DEFAULT_REACTIONS["stall_accepted"]
    for reaction in reactions:
        assert not _GOODBYE.search(reaction), reaction
        for ending in scenario.endings.get("no_decision").say:
            said = f"{reaction} {ending}"
            assert len(_THANKS.findall(said)) <= 1, said


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_quote_volunteer_says_goodbye_once(seed: int) -> None:
    run = play("quote-volunteer", ["great so what ill do is send u a quote by end of week",
                                   "ok sounds good, no rush at all, take ur time and get back "
                                   "to me whenever"], seed=seed)
    last = run.transcript.turns[-1].text
    assert run.outcome == "no_decision"
    assert len(re.findall(r"\bbye\b|talk soon", last, re.I)) == 1, last


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_committee_takes_on_any_task_in_words_that_fit_it(seed: int) -> None:
    # Asked for something before any date or committee meeting is agreed, she agrees to that
    # thing, not to diary invites or numbers nobody asked for.
    run = play("committee", ["Who else is involved in the decision?",
                             "Before then, could you ask Lena for the cost per clinic?"], seed=seed)
    said = run.transcript.turns[-1].text.lower()
    assert "task_accepted" in {e.kind for e in run.transcript.events}
    assert not any(word in said for word in ("diaries", "no-show", "invite")), said


def test_committee_tip_fits_an_invitation_left_unbooked() -> None:
    run = play("committee", ["Who else is involved in the decision?",
                             "I'd love to meet Marcus, Lena and Dev myself."], seed=0)
    assert run.transcript.meta["values"]["invited"] is True
    crit = next(c for c in run.scorecard.criteria if c.id == "committee-invited")
    assert crit.verdict == "fail"
    assert not crit.tip.startswith("Don't let your champion present for you")
    assert "book a specific day and time" in crit.tip
