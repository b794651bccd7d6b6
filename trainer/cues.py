"""Linguistic cues for each move: regular expressions over normalised text.

The cues decide what fuzzy matching cannot: who acts (I / we / you), whether a line asks or
tells, and whether a verb is negated. Patterns run on :func:`trainer.text.normalise` output, so
contractions are already expanded ("don't" → "do not", "ill" → "i will") and text is lower case.

Each cue is ``(pattern, confidence)``. ``NOT`` guards a gap so "i will not send" never reads as
"i will send". Building blocks are named in capitals and composed with f-strings, so that a
trainer extending the vocabulary edits one list.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Iterator
from typing import Any

from trainer.text import plain

# A gap of up to N words that holds no negation ("i will just quickly send").
NOT = r"(?!not\b|never\b|cannot\b|no\b)"


# Words people drop into the middle of a phrase ("I'd need to, you know, talk to...").
FILLER = r"(?:, (?:you know|um|uh|er|erm|like|i mean|sort of|kind of|basically|honestly) , )?"


def gap(n: int) -> str:
    return rf"{FILLER}(?:{NOT}\w+ ){{0,{n}}}"


G1, G2, G3 = gap(1), gap(2), gap(3)

MEETING = (r"(?:meeting|meet ?up|call|follow ?up|followup|demo|session|workshop|walk ?through|"
           r"presentation|pilot|trial|review|conversation|chat|catch ?up|touch ?base|check ?in|"
           r"sit ?down|get ?together|appointment|time|slot|date|discussion|huddle|visit|"
           r"deep ?dive|next step|next steps|kick ?off|working session|onsite|site visit|"
           r"introduction|intro|tasting|tour|whiteboard|zoom|teams call|video call|walk|audit|"
           r"assessment|survey|inspection|fitting|viewing|consultation|test drive|trial run)")
SCHEDULE = (r"(?:schedule|set up|setup|book|arrange|organi[sz]e|plan|put|get|lock in|lock|"
            r"pencil in|pencil|pin down|nail down|line up|find|grab|have|do|hold|set|make|"
            r"carve out|block out|block|squeeze in|fit in|calendar|diary)")
MEET_VERB = (r"(?:meet|talk|speak|reconnect|regroup|get together|continue|follow up|pick (?:this|it|"
             r"things) (?:up|back up)|catch up|sit down|see each other|connect|chat|hop on|jump on|"
             r"get on|touch base|circle back|come back|come in|come by|pop in|reconvene|review)")
WORK = (r"(?:send|email|e ?mail|mail|shoot|drop|get you|get over|get together|put together|"
        r"pull together|draft|write up|write|work up|prepare|prep|build|create|whip up|mock up|"
        r"run the numbers|run some numbers|price|quote|forward|share|leave(?! it there| it at| "
        r"things| you to it| the \w+ with you| it with you| that with you| this with you)|"
        r"pass along|throw "
        r"together|knock together|put something together|come up with|look into|dig into|"
        r"figure out|find out|check on|work on|set up a (?:trial|sandbox|pilot|account)|"
        r"get a (?:quote|proposal|price|estimate)|sort out|pop|post|put (?:a|an) (?:reminder|note|"
        r"hold|placeholder)|pencil|book|schedule|arrange|organi[sz]e|line up|bring)")
CONTACT = (r"(?:call|ring|phone|buzz|follow up|circle back|reach out|check in|touch base|get back|"
           r"come back|swing by|stop by|drop by|be in touch|get in touch|keep in touch|ping|"
           r"give you a (?:call|ring|shout|buzz|bell|tinkle)|drop you a (?:line|note|email)|"
           r"ask (?:you )?again|get back in touch|make a note|keep an eye|check back|"
           r"loop back|revisit|keep you (?:posted|updated|in the loop)|update you|talk to (?:my|"
           r"our) \w+|check with (?:my|our) \w+|speak (?:to|with) (?:my|our) \w+)")
# Turning a time down: "no, 12 doesn't work", "I'm busy at 12", "8:30 is too early", "nah,
# Friday's out", "that's a bit tight for me"; not "2pm is not bad" or "nothing fancy". Read on
# normalised text (trainer.text.plain).
_TURNS_DOWN = re.compile(
    r"^(?:no|nope|nah)\b(?! (?:problem|worries|worry|bother|stress|dramas|wahala|rush|no|"
    r"need|apolog))|"
    r"^(?:sadly|afraid|unfortunately|unfortunatly) (?:not|no)\b|"
    r"^not (?!bad|a problem|at all|sure)\w+|\bprefer not\b|\ba no for me\b|\bimpossible\b|"
    r"\bis not (?:ideal|great|good|possible)\b|(?<!not )\bbad (?:for me|for us|then)\b|"
    r"\b\w+s bad\b|\b(?:have|got) (?:\w+ ){0,3}(?:on )?at\b|"
    r"\b(?:am|m) (?:driving|travelling|traveling|flying) (?:to|then|at)\b|"
    r"\b(?:am|m) (?:away|off|out) (?:then|that day|all day|at|on|till|until)\b|"
    r"\b(?:am|m) (?:on|in|at) (?:another|a|an|the) (?:\w+ )?(?:call|meeting|site|client|"
    r"customer|workshop|training)\b|"
    r"\b(?:does|do|will|would|is|are|can|could) not (?:really |quite )?(?:work|suit|do|fit|"
    r"be (?:good|possible|ideal))\b|\bcannot (?:do|make|manage|come|attend)\b|"
    r"\b(?:would be|is|s|sounds) (?:hard|difficult|tough|tricky|awkward|bad)\b|"
    r"\b(?:am|m|are|re) (?:busy|booked|tied up)\b|\bbusy (?:then|at|on)\b|\brather not\b|"
    r"\b(?:a bit|too) tight\b|\btight for me\b|\bhave (?:a|another) (?:\w+ )?(?:call|"
    r"meeting|appointment) (?:at|then|on)\b|"
    r"\b(?:no good|nothing works|neither works|too (?:early|late|soon)|clash(?:es)?|"
    r"(?:is|s) (?:out|taken)|out for me)\b")


def turns_down(text: str) -> bool:
    """Whether ``text`` turns a time down, said as a statement (a question asks; it refuses
    nothing)."""
    return "?" not in text and bool(_TURNS_DOWN.search(plain(text)))


TASK = (r"(?:bring|send|share|forward|pull|gather|collect|compile|loop|invite|include|introduce|"
        r"check with|check on|confirm|find out|look over|look at|look into|review|read|go "
        r"through|go over|skim|talk to|talk with|speak to|speak with|ask|run (?:it|this|that|"
        r"these|those) (?:by|past)|fill out|fill in|complete|sign|test|try|install|set up|book|"
        r"reserve|block|prepare|put together|write down|write up|list|jot down|note down|come "
        r"(?:prepared|ready|with)|have \w+(?: \w+){0,3} ready|dig up|dig out|grab|map out|"
        r"identify|get (?:approval|sign ?off|buy ?in|the|me|us|your|a|some|those|that)|clear|"
        r"circulate|send around|distribute|download|watch|schedule|pick|choose|shortlist|rank|"
        r"draft|think about (?:who|which|what|how|whether)|get hold of|track down|chase|"
        r"nominate|line up|block out|hold|email|e ?mail|connect me|connect us|put me in touch|"
        r"ping|sound out|poll|survey|export|upload|provide|let me know (?:who|which|what|by|before)|"
        r"share with|request|kick off|ask around|canvass|collect|estimate|scope|jot)")
DISCOVERY = (r"(?:tell me|tell us|walk me through|walk us through|explain|describe|help me "
             r"understand|remind me|talk me through|share (?:with me |with us )?(?:what|how|why|"
             r"when|where|who|which|a bit|a little|more|your thoughts|some (?:background|"
             r"context))|elaborate|clarify|give me (?:a|an|some) (?:sense|idea|feel|flavou?r|"
             r"rough|ballpark|quick|overview|example|picture)|see (?:my|the|this|that) screen|"
             r"hear me|see me|say|imagine|see yourself|repeat|spell|go back to|expand|unpack)")
# Verbs after "could you" that ask about a state or an opinion, not for an action.
NOT_TASK = (r"(?:be|have|like|want|love|say|think|believe|prefer|rather|agree|mind|see|hear|"
            r"imagine|consider|recommend|suggest|guess|tell|give me|remember|recall|afford|do "
            r"that|do it|help me|help us|take|use|make it|make that|live with|need|possibly|ever|"
            r"also|really|still|already|hold on|hang on|bear with|and|or|"
            # "could you do Thursday at 10?" asks for a time, not for work
            r"do (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|"
            r"next|this|the \d|\d|then|that day|that time|either|both|early|late|mornings?|"
            r"afternoons?|lunch))")
STAKEHOLDER = (r"(?:people|folks|colleagues|colleague|team|boss|partner|partners|manager|cfo|ceo|"
               r"cto|cio|coo|vp|board|committee|others|other people|stakeholders|leadership|finance|"
               r"procurement|legal|it|wife|husband|director|owner|co ?founder|head of \w+|the "
               r"powers that be|my (?:\w+ ){0,1}(?:team|lead|boss|manager|director|partner|"
               r"people|group|superior|exec|execs)|upstairs|higher ups|the guys|the group|"
               r"management|my side|our side|the rest of (?:the|my) team|someone|somebody|"
               r"a few people|them|him|her|my business partner|accounts|purchasing|ops|hr)")
PONDER = (r"(?:think|mull|sleep on|chew on|digest|reflect|consider|ponder|noodle on|evaluate|"
          r"process|weigh|look (?:it|this|things) over|look over|go over|review|discuss)")

CONTACT_OR_MEET = (r"(?:call|ring|bell|drop you a line|reach out|follow up|check in|check back|"
                   r"touch base|catch up|reconnect|regroup|meet|talk|speak|come back|swing by|"
                   r"pop (?:in|by|over)|visit|revisit|pick this up|get together|circle back|demo|"
                   r"session|walk (?:you|your|them)|try me|ping|chat|get in touch|be in touch)")
WINDOW = (r"(?:(?:in|after|over|around|during|towards?|for|early|late|later|end of|sometime|some "
          r"time|at some point|in the|one (?:afternoon|morning|day|evening)|the|next)(?: \w+){0,3} "
          r"(?:weeks?|months?|fortnight|quarter|quater|spring|summer|autumn|fall|winter|new year|"
          r"holidays|peak|season|audit|break|q[1-4]|january|february|march|april|june|july|"
          r"august|september|october|november|december|year|rebrand|launch|migration|"
          r"christmas|easter|summer break|half term|term|review|close|results|board meeting)|"
          r"sometime soon|at some point|down the (?:line|road|track)|(?:once|when) (?:the|she|he|"
          r"they|it|we|you|your|our) (?:\w+ ){0,3}(?:is|are|s|has|have|comes|gets|posted|back|"
          r"settles|settled|done|finished|in|starts|started|over|through|signed|approved|"
          r"decided|lands|landed))")

CUES: dict[str, list[tuple[str, float]]] = {
    "ask_next_step": [
        # asking for the others to be in the next meeting ("would it be possible for them to
        # join us directly?", "is there a chance you and I could present it to them together?")
        (r"\b(?:could|can|would|might|is it possible for|would it be possible for|is there a "
         r"chance|any chance) (?:they|them|he|him|she|her|you and i|you and me|we|your \w+|"
         r"the \w+)(?: \w+){0,3} (?:join us|join (?:the|our|a|that) (?:call|meeting|session|"
         r"demo|conversation)|sit in|present (?:it|this|that) (?:to|together)|come along|meet "
         r"(?:us|with us|together)|be (?:part of|in on|on|at|in) (?:the|our|that) (?:next )?"
         r"(?:call|meeting|session|demo|conversation))\b", 0.85),
        # "what would a useful next meeting look like for the two of you?"
        (r"\bwhat (?:would|should|could|does|do) (?:a |the |our |your )?(?:\w+ )?(?:next |"
         r"follow ?up |second )(?:meeting|conversation|call|session|visit|step) (?:look like|"
         r"be|involve|cover)\b", 0.9),
        (r"\bwhat (?:is|are|would be|should be|will be|do you see as|do you think (?:is|are|"
         r"should be|would be)|would you say is|would you say are|makes sense as) (?:the |our |a "
         r"|your |a good |some )?(?:\w+ )?next (?:step|steps|move|moves|stage|phase|action|"
         r"actions)\b", 0.95),
        (r"\bwhat (?:do|does|would|should) (?:the |our |your )?next steps? look like\b", 0.95),
        (r"\bwhat (?:should|would|could|will|might|do you think) (?:the |our |your |a good |a "
         r"sensible |a )?(?:\w+ )?next steps? (?:be|involve)\b", 0.95),
        (r"\bwhere (?:do|should|would|can|shall) we (?:\w+ )?go (?:from here|next|from there|"
         r"now)\b", 0.95),
        (r"\bwhere (?:does|do) (?:this|that|it|things) go (?:from here|next)\b", 0.9),
        # the short forms: "so what next?", "what now?", "where to from here?"
        (r"^(?:(?:so|okay|ok|right|alright|great|and|well)\s*,?\s*)*(?:what (?:next|now)|what "
         r"is next|where to(?: now| next| from here)?|where from here)(?: then| for us| from "
         r"here| after that| after this)?\s*\??$", 0.95),
        # what is to be done before the meeting booked: "what else do we need to do before then?"
        (r"\bwhat (?:else )?(?:do|should|shall|would|must) (?:we|i|you) (?:need to |have to )?"
         r"(?:do|get done|sort out|prepare|have ready) before (?:then|that|the (?:meeting|call|"
         r"session|demo|visit)|monday|tuesday|wednesday|thursday|friday|wed|thurs)\b|\bwhat "
         r"should happen before (?:then|that|the \w+|monday|tuesday|wednesday|thursday|"
         r"friday)\b", 0.9),
        (r"\bhow (?:do|should|would|shall|can|could|might) we (?:best )?(?:proceed|move (?:forward|"
         r"ahead|on)|move (?:this|things) (?:forward|ahead|along)|take (?:this|it|things) (?:forward|"
         r"further|to the next)|get (?:this|things) (?:moving|started|going)|go forward|keep (?:this|"
         r"things|the ball) (?:moving|rolling)|get started|kick (?:this|things) off|push (?:this|"
         r"it) forward|progress)", 0.95),
        (r"\bhow (?:would|do) you (?:like|want|prefer|suggest|recommend) (?:we |to )?(?:proceed|"
         r"move forward|go forward|continue|go from here|take (?:this|it) forward|handle next|play "
         r"(?:this|it)|take it from here)", 0.95),
        (rf"\bwhat (?:would|do|should|shall|could|can|might) (?:you|we) (?:{NOT}\w+ ){{0,6}}"
         rf"(?:next|from here)\b", 0.85),
        (r"\bwhat (?:happens|should happen|needs to happen|has to happen|would need to happen|"
         r"would have to happen|comes|would come|do we do|should we do|shall we do|can we do|"
         r"would you like to do|would you want to do|do you want to do) (?:\w+ ){0,2}(?:next|now|"
         r"from here|after this|after today|between now and)\b", 0.95),
        (rf"\b(?:can|could|shall|should|may|might) (?:we|i) {G2}{SCHEDULE} (?:up |in |down |"
         rf"out )?(?:a |an |another |the |our |some |one more |a quick |a short |a proper |a "
         rf"follow ?up |time |next |something |(?:a )?(?:\w+ ){{0,2}})?{MEETING}\b", 0.9),
        (rf"\b(?:can|could|shall|should|might) we {G2}{MEET_VERB}\b", 0.85),
        (rf"\b(?:would|are|is|were) (?:you|it|that|there|your team|everyone) {G1}(?:be )?(?:open|"
         rf"willing|interested|up for|keen|game|okay with|ok with|happy|possible|make sense|"
         rf"worth|a good idea|useful|helpful|wise|sensible|reasonable|appetite|any interest)\b"
         rf"(?:[^?,]{{0,60}})\b(?:{MEETING}|{MEET_VERB}|talk again|speak again|next|pilot|"
         rf"trial|move forward|moving forward|get (?:together|started)|{SCHEDULE} (?:a|an|another|"
         rf"some))\b", 0.9),
        (rf"\b(?:would|do) you (?:like|want|care) to {G2}(?:{SCHEDULE}|{MEET_VERB}|see (?:a|the|"
         rf"it|how)|move forward|go ahead|proceed|try|start|kick off|pilot|trial|take (?:a|the) "
         rf"next|explore|get started|dig deeper)\b", 0.85),
        (rf"\bwhen (?:can|could|shall|should|would|do|might|will) (?:we|you|i|your team) "
         rf"{G2}(?:{MEET_VERB}|{SCHEDULE}|see you|get|have|do|come|show|present|demo|start|"
         rf"expect|hear|sit|next)\b", 0.9),
        (rf"\b(?:how about|what about|why not|why do not) we {G2}(?:{MEET_VERB}|{SCHEDULE}|"
         rf"plan|agree|figure|map|set|get|talk|find|do|take|look|pull)\b", 0.85),
        (r"\bwhat (?:would|will|does|do) it take (?:to|for (?:you|us|your team)) (?:to )?(?:move "
         r"forward|go ahead|get (?:this|started|going|a yes|to yes)|say yes|make (?:this|a) "
         r"(?:happen|decision)|proceed|commit|sign|get over the line|take the next)", 0.9),
        (r"\bwhat (?:else )?(?:do|would|will) you need (?:from (?:me|us)|to see|to have|to "
         r"get|before you|in order|for you to|to feel|to make|to move|to take)\b", 0.85),
        (r"\b(?:can|could|shall|should) we (?:\w+ )?(?:agree|decide|settle|talk|discuss|figure "
         r"out|map out|lay out|work out|nail down|pin down|align|sketch out|outline|plan) (?:on |"
         r"about |out )?(?:the |some |our |a |what |how |which |when )?(?:next steps?|a plan|"
         r"a path|a timeline|the timeline|what happens next|where we go|happens next|we do next|"
         r"the plan|a way forward|the way forward|next actions|action items|the process)", 0.9),
        (r"\bwhat (?:do|would) you (?:suggest|recommend|propose|advise|think we should do)\b"
         r"(?:[^?,]{0,40})\?", 0.8),
        (r"\b(?:is there|are there) (?:a |any )?(?:time|day|point|chance|way|reason not|"
         r"reason we (?:cannot|could not|should not))\b[^?]{0,40}\b(?:meet|talk|get together|"
         r"{MEETING}|continue|reconnect|move forward|next)\b", 0.8),
        (r"\b(?:are|would) you (?:be )?(?:free|available|around|open)\b[^?,.]{0,40}\b(?:to "
         r"(?:meet|talk|chat|connect|continue|review|walk)|for (?:a|an|another|the|some|one|"
         r"next|a quick|a follow))", 0.85),
        (r"\bwhen (?:is|are|would be|works|is good|suits) (?:a good |the best |good |a "
         r"convenient |convenient |best )?(?:time|day|moment|window)?s? ?(?:for|to) (?:you|us|"
         r"your team|a|the|another|next|follow|meet|talk|reconnect|continue)\b", 0.85),
        (r"\bwhen works (?:for|best)\b", 0.85),
        (r"\bmay i (?:ask|suggest) (?:what|where|how) (?:\w+ ){0,4}(?:next|from here|proceed)",
         0.9),
        (r"\bwhat (?:would|do|will) you (?:like|want|prefer) (?:to do|us to do|me to do|to happen|"
         r"to see happen)\b", 0.85),
        (r"\bhow (?:do|would|should|shall) (?:you|we) (?:want to |like to )?(?:handle|play|approach|"
         r"tackle|run|structure) (?:this|it|things|the next)\b", 0.8),
        (r"\bwhat (?:makes sense|would make sense|is the plan|s the plan|would be sensible|would "
         r"be the right move|are the steps|would the steps be|steps (?:do|would) we need)\b", 0.8),
        (rf"\b(?:does|would|is) it (?:make sense|be worth|worth|help|be useful|be helpful) "
         rf"(?:for us |for you )?(?:to )?{G1}(?:{SCHEDULE}|{MEET_VERB}|setting up|scheduling|"
         rf"booking|meeting|getting|having|bringing|running|putting|us meeting|us talking)\b",
         0.85),
        (r"\bis there (?:a|any) (?:logical |natural |sensible |clear )?next step\b", 0.9),
        (r"\b(?:get|set up|book|arrange|organi[sz]e|find|grab|line up) (?:us|me|\w+ minutes|half an "
         r"hour|an hour|some time|time|a slot|a spot|us a slot|us some time|us \w+ minutes) (?:\w+ )"
         r"{0,2}(?:with|on|in|at) (?:the|your|you|him|her|them|\w+)\b", 0.8),
        (r"\b(?:would|will|could|is|are) (?:she|he|they|your \w+|the \w+|everyone|the team) "
         r"(?:\w+ )?(?:be )?(?:open|willing|up for|keen|happy|free|available)\b[^?]{0,40}\b(?:"
         r"call|meeting|chat|session|demo|meet|talk|join|visit|walk)\b", 0.85),
        (r"\bwould it (?:help|be easier|be useful|be better|make sense|be worth it|be ok|be okay) "
         r"if (?:i|we) (?:\w+ )?(?:came|come|joined|join|met|meet|ran|run|did|set up|swung|popped|"
         r"dropped|stopped|talked|spoke|walked|showed|presented|got on|hopped on)\b", 0.85),
        (r"\bwhat is the (?:process|path|next stage|route) (?:on your (?:side|end)|to get|for "
         r"getting|from here|to (?:a|the) (?:yes|decision))\b", 0.85),
        (r"\b(?:pencil|put|pop|stick|get) (?:something|it|us|one|a time|that|a date|a meeting|"
         r"a call) in\b", 0.8),
        (r"\bwhat (?:does|do|would|will) (?:the |your |our )?(?:decision|buying|approval|evaluation|"
         r"procurement|sign ?off)? ?(?:process|path|timeline|steps?) (?:look like )?(?:from here|"
         r"look like (?:from here|now|next|after this|on your side))\b", 0.85),
        (r"\b(?:can|could|shall|should) (?:we|i) (?:\w+ ){0,2}(?:get|put|grab|find|book|lock|"
         r"pencil|have|pop|stick) (?:\w+ ){0,3}(?:on|in|into) (?:the|your|our|both) (?:calendars?|"
         r"diar(?:y|ies)|books?|schedules?)\b", 0.85),
        (r"^(?:so |and |okay |ok )?(?:want|wanna|fancy|keen|up for|care|happy) (?:to )?(?:grab|set "
         r"up|book|meet|get together|catch up|do|have|jump on|hop on|schedule|find)\b", 0.8),
        (r"\b(?:thoughts|ideas|views|feelings) on (?:the |our |possible )?next steps?\b", 0.85),
        (r"^(?:\w+ ){0,2}(?:the )?next steps? \?", 0.85),
        (r"\bwhere (?:do|would) you (?:want|like|see) (?:to )?(?:go|take|this going|it going|us "
         r"going)\b", 0.9),
        (r"\bhow (?:do|can|could) we (?:get|make) (?:you|this|it|us|your team) (?:to|over|across|"
         r"happen|work)\b", 0.8),
    ],
    "tell_next_step": [
        (rf"\bwould it (?:make sense|help|be better|be easier|be useful|be worth it) (?:for me to|"
         rf"if i) {G1}(?!come|came|join|joined|meet|met|ran|run|sit|sat|pop|swing|drop by|talk|"
         rf"spoke|speak)(?:{WORK}|put|write|wrote|sent|drafted|built|prepared|pulled|got|"
         rf"set up|mocked)\b", 0.8),
        (r"\bwhat (?:i will|i would|i am going to|i d|we will|we would|we are going to) "
         r"(?:do|propose|suggest|recommend|love to do) is\b", 0.8),
        (r"\bi (?:can|could) (?:come|pop|swing|drive|head) (?:out|over|by|in|down|up|round)\b",
         0.75),
        (rf"\blet us {G2}(?:{SCHEDULE}|{MEET_VERB}|{WORK}|figure out|work out|map out|plan|"
         rf"do|start|run|kick|aim|say)\b", 0.7),
        (rf"\b(?:can|could|may) i {G1}(?:{WORK})\b", 0.8),
        (r"\b(?:i|we) (?:can|could|will|should be able to) (?:\w+ )?(?:have|get) (?:it|that|this|"
         r"them|those|a \w+|an \w+|the \w+|something|some \w+|our \w+|my \w+)(?: \w+)? (?:to "
         r"you|over|across|ready|with you|in your inbox|back to you)\b", 0.8),
        (r"\byou will (?:have|get|receive|see) (?:it|that|them|this|those|the \w+|a \w+|my \w+|"
         r"our \w+) (?:by|today|tomorrow|tonight|first thing|in|before|later|this)\b", 0.8),
        (rf"\b(?:i|we) will {G3}(?:{WORK}|{CONTACT})\b", 0.85),
        (rf"\b(?:i|we) (?:am|are) (?:going to|gonna|planning to|planning on|about to|happy to|"
         rf"going ahead and|just going to) {G2}(?:{WORK}|{CONTACT})", 0.85),
        (rf"\bi will have (?:my|our|someone|somebody|one of|the) (?:\w+ ){{0,3}}(?:{WORK}|"
         rf"{CONTACT}|reach|contact|get in)", 0.85),
        (rf"\blet me {G1}(?:{WORK}|{CONTACT}|get (?:you|back|something|that|this|those|a)|put)\b",
         0.8),
        (rf"\b(?:how about|what if|why do not|why not|suppose|perhaps|maybe) i {G2}(?:{WORK}|"
         rf"{CONTACT}|get|put|come|show|do|send|bring|set|run|pull)\b", 0.9),
        (rf"\b(?:how about|what if|why do not|suppose) we {G2}(?!book|schedule|arrange|"
         rf"organi[sz]e|pencil|line up|bring)(?:{WORK})\b", 0.8),
        (rf"\b(?:shall|should|can|could|may|might) i {G1}(?:{WORK}|{CONTACT}|get you|put "
         rf"together|pull together|just send|go ahead)\b", 0.85),
        (rf"\b(?:do you want|would you like|want|would it help if|would it help for|how about "
         rf"if|should) (?:me|i) (?:to )?{G1}(?:{WORK}|{CONTACT}|get|put|pull|send|set)\b", 0.85),
        (rf"\b(?:i|we) (?:can|could) {G2}(?:{WORK}|get you|put (?:together|something))\b", 0.75),
        (r"\b(?:the|our|my|your)? ?next steps? (?:is|are|will be|would be|here is|here are|from "
         r"here is|then is|then will be)\b(?! (?:what|up to|your call|for you to decide))", 0.8),
        (r"\b(?:i|we) will (?:then |just |probably |definitely |also )?(?:follow (?:that|this|it)"
         r" up|get (?:that|this|those|it|a \w+|the \w+) (?:over|across|to you|out)|be in "
         r"touch|touch base|put you|set you up|get you (?:set up|booked|on|in|a|the|some)|book "
         r"(?:you|us|it|that|a)|send (?:you|over|across|it|that|the|a))", 0.85),
        (r"\b(?:i|we) (?:am|are) (?:going to|gonna) (?:call|ring|follow|reach|put|pencil|book|"
         r"schedule|set|drop|send) ", 0.85),
        (r"\bi will (?:let you|leave you|give you) (?:know|a (?:call|ring)|with|some|my|the|"
         r"our)\b", 0.7),
    ],
    "vague_time": [
        (rf"\b{CONTACT_OR_MEET}\b[^.?]{{0,50}}\b{WINDOW}\b", 0.75),
        (rf"\b{WINDOW}\b[^.?]{{0,30}}\b{CONTACT_OR_MEET}\b", 0.7),
    ],
    "assign_task": [
        # "\b" once before the words, not once per word: the same matches, found 4x faster
        (rf"(?:^|, |\b(?:and|so|then|but|also|please|now|maybe|okay|ok|great|perfect|right|"
         rf"actually|hey|um|uh) )"
         rf"(?:could|can|would|will) (?:you|your team|your \w+(?: \w+)?) (?:please |maybe |"
         rf"perhaps |possibly |also |just |kindly |quickly |then |both |guys |all |each )?"
         rf"(?!{DISCOVERY}|{NOT_TASK}\b)(?:{NOT}[a-z]+)\b", 0.7),
        (rf"\bwould you be (?:open to|willing to|up for|able to|happy to|ok with|okay with) "
         rf"(?!{DISCOVERY}|{NOT_TASK}\b)(?:{NOT}[a-z]+ing|bring|loop|invite|share|send|get|"
         rf"pull|run|test|try|check)\b", 0.75),
        (r"\b(?:would it make sense|does it make sense|would it help|how about|what about) "
         r"(?:to |if you |for you to |you )?(?:bring|bringing|loop|looping|invite|inviting|"
         r"involve|involving|include|including|get|getting) (?:in )?(?:your|the|a) \w+", 0.75),
        (rf"\b(?:could|can|would|will|might) you (?:please |maybe |perhaps |possibly |also |"
         rf"just |kindly |quickly |then |go ahead and |try and |try to |both |guys |all )?{G1}"
         rf"(?!{DISCOVERY}){TASK}\b", 0.85),
        (rf"\bwould you (?:be able|be willing|mind|have time|have a chance|get a chance|be ok|be "
         rf"okay|be happy|be up for|be open to|care) (?:to )?{G1}(?:{TASK}|\w+ing)\b", 0.85),
        (rf"\b(?:if you could|it would (?:really |also |be great |be super |be )?(?:help|useful|"
         rf"helpful|great)(?: if| for you to)? ?(?:you)?|i would love (?:it )?if you(?: could)?|"
         rf"i would (?:like|love|ask) (?:for )?you to|i need you to|you will (?:want|need) to|you "
         rf"would (?:need|want) to|you might want to|you may want to|please|make sure you|make "
         rf"sure to|be sure to|do not forget to|remember to|(?:can|could|may) i ask you to|would "
         rf"you mind|is it possible for you to|are you able to|any chance you (?:could|can)|is "
         rf"there (?:any )?(?:way|chance) you (?:could|can)|would it be possible (?:for you )?to|"
         rf"i would suggest you|i would recommend you|in the meantime,? (?:could|can|would) "
         rf"you|before (?:then|we meet|next time|our next|the next|we talk|we speak)"
         rf"(?: \w+){{0,4}},? (?:could|can|would|will) you|can you make sure|could you make sure|"
         rf"your job|your task|your homework|on your end,? (?:could|can|would)? ?(?:you)?|on "
         rf"your side,? (?:could|can|would)? ?(?:you)?|ideally you(?: would| could| will)?|you "
         rf"should) {G2}(?!{DISCOVERY}){TASK}", 0.85),
        (r"\b(?:a|little|bit of|some|small|piece of|your) homework\b", 0.8),
        (r"\b(?:before (?:then|we meet|our next|next time|the next|that call|that meeting|"
         r"tuesday|monday|wednesday|thursday|friday)|ahead of (?:time|that|then|the|our|next))"
         r"\b[^.?]{0,60}\byou (?:could|can|would|will|might|guys|all|both|and your|to)\b", 0.75),
        (rf"\b(?:could|can|would|will) (?:you|your team|your \w+) {G1}(?:get|have|pull|send|bring)"
         rf" (?:\w+ ){{0,4}}(?:to (?:me|us)|over|across|ready|together|for (?:the|our|next|that|"
         rf"monday|tuesday|wednesday|thursday|friday))\b", 0.85),
        (r"\b(?:could|can|would) (?:you|your team) (?:also )?(?:join|attend|be on|come to|sit in|"
         r"make it to|dial in|hop on)\b", 0.6),
        # A task for a colleague of the prospect, asked of the prospect: "could Ray pull
        # those?", "can she send the RFP over?" (the prospect is the one who passes it on).
        (rf"(?:^|, |\b(?:and|so|then|but|also|maybe|okay|ok|great|perfect|right) )"
         rf"(?:could|can|would|will) (?!you\b|we\b|i\b|it\b|that\b|this\b|"
         rf"there\b|these\b|those\b)(?:he|she|they|(?:the |your )?[a-z]+) (?:please |maybe |also |just |then )?"
         rf"(?!{DISCOVERY}){TASK}\b", 0.65),
    ],
    "propose_time": [
        (r"\b(?:pull up|check|compare|look at|open|bring up|consult|grab|get out) (?:your|our|"
         r"the|both|each other s|those) (?:calendars?|diar(?:y|ies)|schedules?|outlook)\b", 0.85),
        (r"\b(?:find|pick|choose|lock in|lock|pin down|nail down|set|fix|put|block|grab|book|"
         r"agree on|agree|settle on|land on|get|confirm|pencil in|pencil|hold) (?:in |down )?(?:a "
         r"|the |one |our )?(?:specific |firm |concrete |actual |exact |good |proper )?"
         r"(?:time|date|slot|day|dates|times|hour)\b", 0.8),
        (r"\b(?:what|which) (?:time|day|date|slot|morning|afternoon|evening|week)s? (?:works?|"
         r"would work|is good|are good|suits?|is best|would be best|is better|would be better|is "
         r"easier|are you (?:free|thinking)|should we|do you (?:prefer|have))\b", 0.8),
        (r"\bwhen (?:are|would|will|might) you (?:be )?(?:free|available|around|in the office|"
         r"back)\b", 0.75),
        (r"\bwhat does your (?:calendar|week|schedule|diary|day|morning|afternoon|availability|"
         r"\w+day) (?:look|looking) like\b", 0.85),
        (r"\b(?:get|put|pop|throw|stick|lock) (?:it|this|that|something|a (?:time|date|meeting|"
         r"call|slot)|one|us|a placeholder|the (?:next )?(?:meeting|call|demo|session)) (?:in|on|"
         r"into) (?:the|your|our|both) (?:calendars?|diar(?:y|ies)|books?|schedules?)\b", 0.85),
        (r"\bsend (?:you |over |across )?(?:a |an |the )?(?:calendar |meeting |outlook |teams "
         r"|zoom |google )?invite\b", 0.6),
    ],
    "recap": [
        (r"\b(?:so )?(?:just )?to (?:confirm|recap|summari[sz]e|sum up|sum things up|sum it up|"
         r"wrap up|wrap things up|make sure we are (?:on the same page|aligned|clear)|be clear "
         r"(?:on|about) (?:next|what|who)|play (?:it|that) back|double check|make sure i have)\b",
         0.9),
        (r"\blet me (?:just |quickly )?(?:recap|summari[sz]e|confirm|play (?:that|it|this) back|"
         r"read (?:that|it|this) back|repeat (?:that|it|this|back)|run through (?:what|that)|make "
         r"sure i (?:have|got|understood|captured)|check i (?:have|got)|check that i)\b", 0.9),
        (r"\bso (?:the plan is|we are agreed|we have agreed|we agreed|here is what we (?:agreed|"
         r"have)|here is the plan|that is the plan|just so (?:we are|were) clear|we are (?:all )?set "
         r"(?:on|for)|next steps are|the next steps are|our next steps are|to be clear|we are "
         r"aligned|you will|the plan)\b", 0.8),
        (r"\b(?:did i|have i) (?:get|got|capture|captured|miss|missed|leave|left|summari[sz]e)"
         r" (?:that|anything|everything|it|all|this|something)\b", 0.85),
        (r"\b(?:does|is|do|would) (?:that|this|everything|all (?:of )?that|all (?:of )?this|it|"
         r"that summary|that recap|that plan) (?:sound|look|seem) (?:right|correct|accurate|about "
         r"right|fair)\b", 0.8),
        (r"\bis (?:that|this|everything|all of that) (?:right|correct|accurate)\b", 0.7),
        (r"\b(?:quick|brief|short|a) (?:recap|summary)\b", 0.85),
        (r"^(?:\w+ ){0,2}(?:recap|summary|recapping|summari[sz]ing|confirming|just confirming|so "
         r"confirming)\b", 0.8),
        (r"^(?:so |okay |ok |right |perfect |great |alright )?(?:, )?(?:the )?(?:next steps|"
         r"actions|action items|to dos)(?: are| as i (?:understand|see) (?:them|it)| then| from "
         r"here)?\b", 0.8),
        (r"\b(?:write|jot|note|type) (?:this|it|that|these) (?:down|up)\b", 0.8),
        (r"\b(?:where we have landed|where we landed|where we are landing|what we have agreed|"
         r"here is where we are)\b", 0.85),
        (r"\b(?:make sure|so) (?:we|that we) (?:both |all )?(?:leave|walk away|hang up|are|have)"
         r" (?:with )?(?:the same|on the same)\b", 0.85),
        (r"\b(?:read|play|run) (?:back|through) what (?:i|we) (?:have )?(?:written|wrote|noted|"
         r"agreed|said|discussed)\b", 0.9),
        (r"\bsummary of (?:the )?(?:next steps|what|where|our|today)\b", 0.85),
        (r"\b(?:i will|let me) (?:put|write|capture|send|type|summari[sz]e|jot|get) (?:all |"
         r"everything |that |this |these |it |what we (?:agreed|discussed|said)|a (?:quick |short "
         r"|brief )?(?:recap|summary))(?:\w+ ){0,4}(?:in|into|down in|up in|over in|by|in an) "
         r"(?:an? |the )?(?:email|e mail|writing|summary|recap|note|doc|document)", 0.8),
        (r"\b(?:recap|summary|confirmation) (?:email|e mail|note|of (?:what|our|today|the "
         r"call|everything))\b", 0.8),
        (r"\b(?:reply|respond|confirm|acknowledge|write back)\b[^.?]{0,40}\b(?:captured|got "
         r"(?:it|that|everything) right|is (?:right|correct|accurate)|to confirm|that i have)\b",
         0.8),
        (r"\bsum(?:ming)? (?:it|this|that|things|everything) up\b", 0.85),
        (r"\bjust so (?:we are|everyone is|we are all) (?:clear|on the same page|aligned)\b", 0.85),
    ],
    "confront_stall": [
        (rf"\bwhat (?:specifically|exactly|in particular|part|parts|aspect|aspects|questions?|"
         rf"concerns?|reservations?|doubts?|bits?|piece|pieces|areas?) (?:\w+ ){{0,5}}(?:{PONDER}|"
         rf"worr|concern|unsure|hesitat|hold|need|want|missing|unclear|left|open|uncertain|"
         rf"unanswered|bother|stop)", 0.9),
        (rf"\bwhat (?:do|would|will) you (?:\w+ ){{0,2}}(?:need|want|like|have) to "
         rf"(?:{PONDER}|figure out|work through|decide|know|see|understand|check|clarify|find "
         rf"out)", 0.8),
        (r"\bwhat (?:is|are|would be|might be) (?:holding you back|giving you pause|stopping "
         r"you|your (?:hesitation|concern|reservation|hesitancy|main concern|biggest concern|"
         r"doubt|worry)|the (?:hesitation|concern|hold up|holdup|hang up|sticking point|"
         r"reservation|worry|blocker|obstacle|real issue|real question|real concern|issue)|"
         r"making you hesitate|on your mind|behind that|behind (?:the|your) hesitation)\b", 0.95),
        # "is something holding it up?", "is the renewal still a priority for you?"
        (r"\bis (?:something|anything) (?:holding|keeping) (?:it|this|things|you|the \w+) "
         r"(?:up|back)\b|\bis (?:this|it|that|the \w+) still (?:a |your )?(?:top |real )?"
         r"priority\b", 0.9),
        (r"\b(?:holding you back|giving you pause|stopping you|making you hesitate|on the fence|"
         r"sitting on the fence|cold feet|gut (?:feel|feeling|says|telling))\b", 0.8),
        (r"\b(?:sounds|it sounds|seems|it seems|looks|it looks|feels|it feels|sense|i sense|i am "
         r"sensing|i get the (?:sense|feeling|impression)|my sense is|my gut says) (?:like |that |"
         r"as if |as though )?(?:this|it|that|you|we|the|there|i|maybe|something|your)\b", 0.75),
        (r"\b(?:not a|not the|no|never (?:going to be|be) a|ever (?:going to be|be) a|isn t a|"
         r"not really a|not your|is it a|low|lower) (?:top |real |big |high |current |immediate )?"
         r"priorit(?:y|ies)\b", 0.9),
        (r"\b(?:never|ever) (?:going to|gonna|be|become|happen|get|make)\b", 0.7),
        (r"\bwho (?:else )?(?:\w+ ){0,3}(?:need|needs|needed|would|will|should|have|has|do you|"
         r"does|else|must|gets to|is involved|involved|sign|signs|weigh|decide|decides|approve|"
         r"approves)\b[^?]{0,40}(?:talk|speak|check|run|consult|involve|involved|weigh|say|sign|"
         r"approve|decide|decision|bless|on board|onboard|in the room|buy|input|\?)", 0.85),
        (rf"\b(?:can|could|shall|should|would|why do not|how about|what if) (?:we|i|you) {G2}"
         rf"(?:get|bring|include|loop|invite|add|involve|have) (?:them|him|her|your \w+|the \w+|"
         rf"those|everyone|that person|whoever)\b[^?.]{{0,40}}(?:call|meeting|room|conversation|"
         rf"next|session|demo|together|too|as well|on|in|here)\b", 0.85),
        (r"\bwhat (?:are|will|would|do) you (?:going to |plan to |planning to )?(?:tell|say to|ask|"
         r"share with|present to|need to show|want to show|be looking for|be asking|be thinking "
         r"about|be weighing|be considering|be comparing)\b", 0.85),
        (r"\b(?:honest|honestly|candid|candidly|straight with|frank|frankly|level with|be "
         r"direct|blunt|truthfully|off the record|between us)\b", 0.7),
        (r"\b(?:usually|typically|often|normally|generally|in my experience|most of the time|"
         r"nine times out of ten|when (?:people|folks|clients|customers|prospects) say|when i hear)"
         r"\b[^.?]{0,60}\b(?:think about it|think it over|get back|talk to|that means|it means|"
         r"code for|means|not a priority|no|not interested|polite|stall|concern|worry|hesitat)",
         0.85),
        (r"\b(?:fit|not impressed|confused you|lost you|missed (?:the mark|something)|did i miss|"
         r"something i said|not resonat|not landing|not convinced|skeptical|sceptical|"
         r"unconvinced|underwhelm)\b", 0.75),
        (r"\bis (?:it|this|that) (?:the|a|about|because|more|mainly|mostly|really|maybe|"
         r"something|budget|price|timing|the price|the timing|the budget)\b[^.?]{0,40}\bor\b", 0.8),
        (r"\bis (?:it|there) (?:something|anything) (?:specific|in particular|else|that|i|you|"
         r"we|about)\b", 0.8),
        (r"\bwhat (?:has|is|would have) (?:changed|different|holding|stopping|standing)\b", 0.75),
        (r"\bwhat (?:information|info|data|details?|materials?|numbers|proof|evidence) "
         r"(?:specifically |exactly )?(?:would|do|are|will|should|might|could|is) (?:you|help|"
         r"missing|needed)\b", 0.85),
        (r"\b(?:can|could|may) i ask (?:what|why|who|which|where|how)\b", 0.75),
        (r"\b(?:help me understand|walk me through|tell me more about) (?:what|why|who|how|the|"
         r"your)\b[^.?]{0,40}\b(?:think|concern|hesitat|worr|need|decision|decide|process|"
         r"consider|involve|talk|priority|reservation|doubt|hold)", 0.85),
        (r"\bwhat would (?:make|need|have to|it take|change|help|move|get)\b", 0.75),
        (r"\bwhy (?:the|do you|would you|is|are|not)\b[^.?]{0,40}\b(?:hesitat|wait|need|think|"
         r"time|delay|holdup|hold up|concern|worr|decide|now|yet|later|next quarter)", 0.8),
        (r"\b(?:what|which) (?:are|is|would be) (?:the|your) (?:criteria|decision|deciding|"
         r"main|biggest|key|top)\b", 0.75),
        (r"\bwhy (?:not|wait)\b", 0.6),
    ],
    "accept_stall": [
        (r"\b(?:no (?:rush|problem|problems|worries|pressure|hurry|stress)|take (?:your|all "
         r"the|as much|whatever|some) time|there is no rush|no need to rush|i am in no rush|"
         r"whenever (?:you are|you re|works|suits|it suits)|in your own time|at your own pace|"
         r"when you get (?:a )?(?:chance|moment|a sec)|when you are ready|when(?:ever)? you "
         r"(?:can|have|decide|know))\b", 0.9),
        (r"\b(?:i |i totally |i completely |totally |completely |i fully |fully |i )(?:understand|"
         r"get it|get that|hear you|appreciate that|respect that)\b", 0.6),
        (r"\b(?:that is|that is totally|that is completely|that is perfectly|makes|that makes|"
         r"fair|totally|completely) (?:fine|okay|ok|fair|understandable|reasonable|no problem|"
         r"sense|enough)\b", 0.6),
        (r"\b(?:just )?(?:let me know|get back to me|come back to me|keep me posted|keep me in "
         r"the loop|give me a (?:shout|call|ring|buzz)|reach out|shoot me|drop me|ping me|you "
         r"know where to find me|you have my (?:number|email|details))\b", 0.85),
        (r"\bi will (?:wait|be (?:here|around|waiting)|look forward|await|hold off|wait to hear|"
         r"hang tight|sit tight|leave (?:it|that|this) (?:with|to) you|let you (?:think|mull|go|"
         r"discuss|talk|decide|digest|chat|consider|get on))\b", 0.85),
        (r"\b(?:of course|sure thing|sure|absolutely|okay|alright|all right|sounds good|will do|"
         r"talk soon|speak soon|makes sense|understood|got it|cool|great|perfect|fine|certainly)"
         r"\b", 0.55),
        (r"\b(?:i will|let me|i can) (?:just )?(?:send|email|shoot|drop|forward|pass|get) (?:you |"
         r"over |across |that |it |them |some |the |a |our )?(?:over |across )?(?:some |the |a |"
         r"our |more |that |this )?(?:info|information|materials?|brochure|deck|details|"
         r"overview|literature|case stud|one pager|pdf|whitepaper|white paper|pricing|stuff|"
         r"something|it|that|those|them)\b", 0.8),
        (r"\b(?:i will|let me|i can|i could|how about i|should i|shall i) (?:just |then )?"
         r"(?:follow up|check in|circle back|reach out|touch base|call you|ring you|give you a "
         r"(?:call|ring|buzz|shout)|ping you|get back in touch|come back|drop you)\b", 0.8),
    ],
    "stall": [
        (rf"\b(?:i|we) (?:just |really |probably |still |first |honestly |definitely |all |"
         rf"kind of |sort of |also |do )*(?:will|would|need to|want to|have to|got to|should|"
         rf"might|may|am going "
         rf"to|are going to|will have to|would like to|would want to|will need to|would need to|"
         rf"will want to|must|am gonna|are gonna|will probably|will just) (?:need (?:some|a little"
         rf"|a bit of|more) time to |take (?:some|a|a little|a bit of) time to )?{G2}(?:{PONDER}|"
         rf"sleep on it|get back to you|circle back|come back to you|let you know|be in touch|"
         rf"reach out|touch base|revisit|regroup|mull it over|look at (?:it|this|our)|take a look|"
         rf"have a look|have a think|chew on|run (?:it|this|that|the numbers|some numbers) "
         rf"(?:by|past|internally|through)|check (?:in |internally|with)|talk (?:to|with|about|it|"
         rf"internally|this)|speak (?:to|with)|discuss|chat (?:with|about|to)|confer|consult|sync "
         rf"(?:with|up)|loop in|get (?:input|feedback|buy ?in|sign ?off|approval|everyone))\b",
         0.85),
        (rf"\blet (?:me|us) {G2}(?:{PONDER}|sleep on|talk|check|run|discuss|chat|circle|get back|"
         rf"come back|look (?:at|into|over)|take (?:a look|a step|some time|it|this)|have a "
         rf"(?:think|look|chat|word)|mull|sit on|revisit|regroup|confer|consult|sync|see(?! ,)|loop|"
         rf"digest|wait|hold|park|pause|speak|touch base|reach out|get (?:back|input|feedback))"
         rf"(?! my calendar| the calendar| my diary| my schedule)\b", 0.85),
        (rf"\b(?:talk|speak|check|discuss|run (?:it|this|that) (?:by|past)|chat|confer|consult|"
         rf"touch base|sync|get input|circle up|huddle|see what) (?:with|to|from)? ?(?:some|a few|"
         rf"my|our|the|a couple of|a couple|with)? ?{STAKEHOLDER}\b", 0.7),
        (r"\b(?:get|come|circle|loop|reach) back (?:to you|in touch|around to)\b", 0.85),
        (r"\b(?:we|i) will (?:let you know|be in touch|reach out|get in touch|touch base|keep (?:you|"
         r"it|this|that) (?:in mind|posted|on file))\b", 0.85),
        (r"\b(?:just |can you |could you |why do not you |maybe )?(?:send|email|shoot|drop|mail|"
         r"forward|pop) (?:me|us|over|across|it)? ?(?:\w+ ){0,2}(?:information|info|materials?|"
         r"brochure|brochures|literature|something|details|overview|one pager|case stud\w*|"
         r"some stuff|an email|a deck|the deck|your deck|some slides|pricing|a proposal|a quote|"
         r"a pdf|a link|a summary|whitepaper|white paper|website)\b(?! invite)", 0.75),
        (r"\b(?:not|no|bad|hard|tough|hectic|crazy) (?:a |the )?(?:good|great|right|ideal|"
         r"best)? ?(?:time|moment|timing|season|quarter|week|month|year) (?:right now|for us|at "
         r"the moment|to|for this)?\b", 0.7),
        (r"\b(?:circle|check|come|get|touch|loop) back (?:in|after|next|later|around|with (?:me|"
         r"us) (?:in|next|after|later|around)|to me|sometime|at some point|once|when)\b", 0.85),
        (r"\bmaybe (?:next|in|after|later|down the|sometime|some time|another|once|when|at "
         r"some|around|early|towards|toward)\b", 0.8),
        (r"\b(?:reach out|call me|ping me|try me|get in touch|check back|contact me|email me|"
         r"follow up|circle back|touch base|hit me up|give me a (?:call|ring|shout|buzz)) (?:in|"
         r"next|after|later|around|again|sometime|some time|towards|toward|once|when|down the)\b",
         0.85),
        (r"\b(?:not|am not|are not|do not|does not|would not|be not) (?:\w+ ){0,2}(?:ready|"
         r"want|need|prepared|in a position|able|looking|comfortable|going) to (?:commit|"
         r"schedule|decide|move|book|set|sign|make|put|lock|agree|pin|fix|plan|take|start|go)\b",
         0.85),
        (r"\b(?:hold off|wait and see|we will see|let us see|we shall see|see how (?:it|things) "
         r"(?:go|goes|pan out|shake out)|play it by ear|on the back burner|back burner|on hold|on "
         r"ice|revisit (?:this|it|that) (?:later|next|in|after|down|at)|park (?:this|it|that)|"
         r"table (?:this|it|that)|take it under advisement|keep (?:it|this|you) on file|too busy|"
         r"swamped|slammed|snowed under|flat out|up to (?:my|our) (?:ears|eyeballs|neck)|not (?:a|"
         r"our|my) (?:top |big |high )?priority|not a focus|not on (?:our|my) radar|(?:long|sit) "
         r"with (?:it|this)|mull (?:it|this|that) over|sleep on it|think it over|give (?:me|us) "
         r"(?:some|a bit of|a little|a few|more) (?:time|days|weeks)|need (?:some|more|a little|a "
         r"bit of) time|leave it with me|leave it with us|in due course|we will get there|no "
         r"decision yet|have not decided|not decided|too early|too soon|early days|get through "
         r"(?:the|our|this|q\d)|after (?:the|our) (?:holidays|new year|busy season|budget|"
         r"reorg|audit|merger|launch|migration|quarter|end of))\b", 0.8),
        (r"\bnot (?:right now|at the moment|at this (?:time|point|stage)|yet|today|this "
         r"(?:quarter|year|month|week))\b", 0.65),
        (r"\b(?:not|no) (?:\w+ ){0,2}(?:a |our |my |the )?(?:top |real |big |high |main )?"
         r"priorit(?:y|ies)\b", 0.85),
        (r"\b(?:need|want|like|give (?:me|us)|have|take) (?:\w+ ){0,3}(?:more )?time (?:to|for|"
         r"with|before|on)\b", 0.8),
        (r"\bpick (?:this|it|things|that) (?:up|back up) (?:again|later|another|some|next|in|"
         r"after|when|once|at)\b", 0.85),
        (r"\b(?:call|ring|phone|try|contact|email|ping|chase|follow up with) (?:me |us )?(?:back "
         r")?(?:in|after|next|later|around|again|once|when|towards|toward|early|at the end)\b",
         0.8),
        (r"\b(?:keep|stay|be) in touch\b", 0.75),
        (r"\b(?:wait|hold on|hang on|hold fire) (?:until|till|for|and see|a (?:bit|while|few)|"
         r"on this|on it)\b", 0.85),
        (r"\b(?:not|are not|am not|is not) (?:\w+ ){0,2}(?:ready|in a rush|in any rush|in a hurry|"
         r"there yet|at that stage|at that point|in a position)\b", 0.8),
        (r"\b(?:not ready to say yes|not saying no|not a no|not a yes)\b", 0.85),
        (r"\b(?:cannot|can not|will not be able to) (?:do|commit to|start|move on|look at) "
         r"(?:anything|this|that|it) (?:until|before|till|right now|this|at the moment)\b", 0.85),
        (r"\b(?:gathering|collecting) (?:information|info|quotes|options)|just (?:looking|"
         r"browsing|exploring|researching)\b", 0.8),
        (r"\b(?:send|shoot|email|forward|pop|drop) (?:me |us |it |over |across )*(?:whatever|"
         r"what|anything|everything|something|some stuff|the stuff|stuff)\b(?! invite)", 0.75),
        (r"\b(?:at the earliest|in due course|down the (?:line|road|track)|one of these days|"
         r"at some point|another time|another day|later in the year|in the new year|next "
         r"(?:financial |fiscal )?year|after (?:the|our) \w+|once (?:the|we|our) \w+)\b", 0.6),
        (r"\b(?:let me|i will|we will|i need to|i have to) (?:\w+ ){0,2}(?:ask around|see what|see "
         r"if|see whether|find out|get back|revert|come back|have a look|take a look|look into "
         r"it|check (?:and|with|internally|the budget|our|my))\b", 0.8),
        (r"\b(?:i|we) will (?:get|have|ask) (?:our|my|the|someone|somebody|one of) (?:\w+ ){0,3}"
         r"(?:to )?(?:give you a call|call you|contact you|reach out|get in touch|be in touch|"
         r"email you|get back)\b", 0.85),
        (r"\b(?:stick with|stay with|carry on with|keep) (?:\w+ ){0,4}(?:and see|for (?:now|"
         r"another|a (?:bit|while|year)))\b", 0.8),
        (r"\b(?:i would rather|i would prefer) (?:not|you did not|you do not|to wait|we wait|"
         r"we held|to hold|to leave)\b", 0.75),
        (r"\bon (?:my|our|the) radar\b|\b(?:a lot|lots|too much|loads) on (?:my|our) plate\b|"
         r"\b(?:have|got) (?:a lot|lots|loads|so much) on\b|\bhectic\b|\bstretched\b", 0.7),
        (r"\b(?:let us|can we|could we|shall we|maybe we|we could|we can) (?:\w+ ){0,2}(?:pick "
         r"this up|revisit|reconnect|talk|touch base|circle back|catch up|speak|regroup|look "
         r"at this|come back to this)(?: \w+){0,3} (?:again|later|another|in|after|next|once|"
         r"when|some|at some)\b", 0.8),
        (r"\b(?:procurement|purchasing|legal|finance|head office) (?:\w+ ){0,2}(?:handles?|"
         r"deals? with|takes? care of|owns?|decides?|runs?)\b|\byou would (?:need|have) to go "
         r"through (?:them|procurement|purchasing|legal)\b", 0.7),
        (r"\b(?:put|get) (?:something|it|that|this|a proposal|a quote) in writing\b|\btake it "
         r"from there\b", 0.75),
        (r"\b(?:not|am not|are not) sure\b[^.?]{0,30}\b(?:ready|yet|right now|the right time|"
         r"for this|can|will|about timing)\b|\bdo not count on it\b|\bi will try\b", 0.7),
        (r"\b(?:let me|i will|we will) (?:\w+ ){0,3}(?:and|then) (?:i will |we will )?(?:get back|"
         r"come back|let you know|be in touch|revert)\b", 0.85),
        (r"\b(?:i would not say|not saying) (?:we are )?(?:not interested|no)\b", 0.8),
        (r"\b(?:have|got|need) to (?:run|go|dash|jump|head off|hop off|drop off)\b|\bi am "
         r"(?:late|running late) for\b", 0.7),
        (r"\b(?:i|we) (?:need|have|would need|will need|must|got) to (?:\w+ ){0,2}(?:check|talk|"
         r"discuss|consult|speak|run|get|see|ask|figure out|review|look|think|wait|sort|deal|"
         r"finish|focus|align|sync|confer|loop)\b", 0.6),
    ],
    "agree": [
        # taking up an invitation: "Lovely, I'll be there", "count on it, see you there"
        (r"\b(?:i will|we will|i can|we can|i would|i shall) (?:definitely |certainly |"
         r"absolutely |gladly )?be there\b|\bsee you there\b", 0.85),
        # "I don't see why not", "can't see why not", "I see no reason why not"
        (r"\b(?:(?:do not|cannot|can not|dont|cant) see|see no reason) why not\b", 0.9),
        (r"^(?:(?:oh |um |uh |well |okay |ok |yeah |yes |right |sure |great |perfect |fine )?"
         r"(?:yes|yeah|yep|yup|sure|okay|absolutely|definitely|of course|certainly|great|"
         r"perfect|fine|alright|all right|sounds (?:good|great|fine|like a plan|perfect|"
         r"reasonable|fair)|works for me|that works|deal|done|let us do (?:it|that|this)|happy "
         r"to|no problem|will do|can do|i can do that|that is (?:fine|good|great|perfect|right|"
         r"correct|spot on|it|accurate|about right)|correct|exactly|you got it|spot on|"
         r"agreed|sounds about right|works|go for it|why not|i am in|we are in|count (?:me|us) "
         r"in|bang on|indeed|mm hmm|mhm|uh huh|right|good idea|great idea|love it|love that|"
         r"by all means|please do|go ahead|fair enough|makes sense|brilliant|lovely|cheers|excellent|wonderful|cool|nice|sweet|"
         r"alright then|yes please|yeah sure|sure thing|that would be (?:great|good|fine|"
         r"helpful|perfect|useful)|would love (?:that|to)|i would like that|we would like that|"
         r"sounds like a plan|i can make that work|that should work|should be fine|"
         r"should work))\b", 0.7),
        (r"\b(?:that|this|it|tuesday|monday|wednesday|thursday|friday|saturday|sunday|the \w+|"
         r"\d+(?::\d+)?(?: ?[ap] ?m)?|[ap]m|morning|afternoon|noon|then|both|either|that time|that "
         r"slot|that day|next \w+|the slot|the time|the date) (?:\w+ ){0,2}(?:works|work|suits|"
         r"is fine|is good|is great|is perfect|(?:should|would|will) be (?:ok|okay|fine|good|"
         r"great|perfect)|is ok|is okay|would "
         r"work|should work|could work|is free|looks (?:free|clear|open)|is open|"
         r"is clear)\b", 0.85),
        (r"\b(?:that|this|it|everything|all) (?:\w+ )?(?:looks|sounds) (?:good|great|fine|perfect|"
         r"brilliant|lovely)\b", 0.7),
        (r"\b(?:book|send|put|lock|pencil|get|stick|pop) (?:it|me|that|the invite|an invite|"
         r"the meeting|us|something|a time|one|the call) (?:in|down|over|on|across|through)\b",
         0.8),
        (r"\bsend (?:me |us |over |across )?(?:the |an |a )?(?:calendar |meeting |outlook )?"
         r"invite\b", 0.8),
        (r"\bsee you (?:then|on|tuesday|monday|wednesday|thursday|friday|next|at|there|the)\b",
         0.85),
        (r"\b(?:i|we) (?:will|can|could|should be able to|am going to|are going to|will "
         r"definitely|will make sure to|will try to|will happily|am happy to|are happy to|would "
         r"be happy to|can definitely|will get|will have) {G2}(?:bring|send|get (?:you|them|it|"
         r"those|that|the|a|some|my|our|him|her)|loop|pull|gather|share|forward|invite|ask|"
         r"set up|block|book|prepare|put together|have (?:it|them|those|that|the|our|my)|make "
         r"(?:it|that|time)|do (?:that|it|tuesday|monday|wednesday|thursday|friday|the)|reserve|"
         r"introduce|connect you|dig out|dig up|find|collect|compile|fill|sign|complete|read|"
         r"review (?:it|the|that|those)|look over|go through|grab|come|attend|join|be there|"
         r"clear|confirm|email|circulate|check (?:with|on|the|if|whether))\b", 0.8),
        (r"\b(?:i|we) (?:can|could) (?:make|do|manage|squeeze|fit|swing) (?:it|that|this|"
         r"tuesday|monday|wednesday|thursday|friday|then|\d+|the \w+|a \w+)\b", 0.85),
        (r"\b(?:i am|we are) (?:free|available|around|good|open|clear|in)\b", 0.6),
        (r"\b(?:let us|i would like to|we would like to|we want to|i want to|we are ready to|we "
         r"are keen to|keen to|happy to|we will|we have decided to|we decided to) (?:\w+ ){0,1}"
         r"(?:move forward|go ahead|proceed|go for it|get started|sign|do (?:it|this|the "
         r"pilot|a pilot|the trial)|start (?:the|a))\b", 0.85),
        (r"\b(?:that is|that all|that sounds|everything is|you have (?:it|that)|you got (?:it|"
         r"that|everything)|you captured (?:it|that|everything)) (?:\w+ ){0,2}(?:right|correct|"
         r"accurate|spot on|it|good|perfect)\b", 0.8),
    ],
    "objection": [
        (r"\b(?:too|pretty|really|quite|very|a bit|bit|way|so|rather|awfully|super|a little|"
         r"far too|much too) (?:expensive|pricey|costly|steep|high|dear|rich|much money|much for "
         r"us)\b", 0.9),
        (r"\b(?:over|above|beyond|outside|exceeds?|blow|blows|bust|busts|more than) (?:our |the "
         r"|my |what we have in the |what is in the )?(?:budget|price range|means|spend|"
         r"allocation)\b", 0.9),
        (r"\b(?:no|not have|do not have|does not have|have not got|got no|there is no|not "
         r"much|tight|limited|frozen|cut|slashed|zero) (?:the |a |any |much |enough )?(?:budget|"
         r"money|funds|funding|cash|spend)\b", 0.85),
        (r"\b(?:cannot|can not|could not|not able to) (?:\w+ ){0,1}(?:afford|justify|stretch|"
         r"swing|get (?:it|this|that) approved|get approval|sell (?:this|it|that) internally)\b",
         0.9),
        (r"\b(?:price|pricing|cost|costs|fee|fees|rate|rates|quote|number|licen[cs]e|"
         r"subscription|premium) (?:\w+ ){0,2}(?:is|are|seems?|looks?|feels?) (?:\w+ )?(?:high|"
         r"steep|a lot|too|more than|double|significantly|much|out of|a problem|an issue|a "
         r"stretch|hard to)\b", 0.85),
        (r"\b(?:cheaper|half the price|lower price|better price|better deal|less expensive|"
         r"undercut|beat (?:that|your|the) price|paying less|pay less)\b", 0.8),
        (r"\b(?:already (?:use|have|work with|got|using|pay for|signed|bought|invested)|happy "
         r"with (?:our|the|what|who)|satisfied with (?:our|the|what)|locked (?:in|into)|under "
         r"contract|in (?:a|the middle of a) contract|contract (?:with|runs|until|renews)|(?:our|"
         r"the) current (?:vendor|supplier|provider|solution|system|tool|partner|platform|setup|"
         r"set up|agency|broker|carrier|arrangement)|incumbent|works (?:fine|well) for us|does the "
         r"job|good enough|long relationship|been with (?:them|our)|loyal to)\b", 0.8),
        (r"\b(?:worried|concerned|nervous|wary|scared|afraid|anxious|uneasy) (?:about|that|"
         r"it|this|we|the|our|how|if|whether)\b", 0.85),
        (r"\b(?:my|our|the|one|main|big|biggest|real|only|key) (?:concern|worry|worries|concerns|"
         r"hesitation|issue|problem|hang up|hangup|sticking point|reservation|fear|challenge|"
         r"objection|question mark|red flag) (?:is|are|would be|here|with)\b", 0.85),
        (r"\b(?:not (?:sure|convinced|certain|clear) (?:it|this|that|you|if|whether|we|about|how"
         r"|your|the)|skeptical|sceptical|doubt (?:it|that|this|whether|if|we|you)|unconvinced|"
         r"hard to believe|sounds too good)\b", 0.8),
        (r"\b(?:does not|do not|will not|would not|cannot|can not|could not|did not) (?:\w+ )"
         r"{0,2}(?:fit|integrate|work with|play nice|connect|scale|support|handle|solve|address|"
         r"cover|meet our|see the value|see how|justify|make sense for|suit|align)\b", 0.8),
        (r"\b(?:not|am not|are not) (?:the )?(?:decision maker|one who decides|one making|final "
         r"say|my call|my decision|up to me|signing off)\b", 0.8),
        (r"\b(?:how|why) (?:is|are|would|does|do) (?:this|that|it|you|yours|your \w+) (?:\w+ )?"
         r"(?:any )?(?:different|better|worth)\b", 0.75),
        (r"\b(?:tried (?:this|that|something|it|one|a)|been burned|got burned|burnt before|burned "
         r"before|last time we|bad experience|went badly|did not work out|was a disaster|was a "
         r"mess)\b", 0.8),
        (r"\b(?:too|really|very|quite|pretty|overly) (?:complicated|complex|much work|long|slow|"
         r"risky|disruptive|heavy|big|small|basic|much|early)\b", 0.7),
        (r"\b(?:do not|does not|did not) (?:really )?(?:see|get) (?:the|how|why|what) (?:value|"
         r"point|benefit|need|difference|roi|return)\b", 0.85),
        (r"\b(?:do not|does not|did not|have not) (?:really )?(?:have|got) (?:the )?(?:bandwidth|"
         r"resources|capacity|headcount|people|staff|time for|appetite)\b", 0.8),
        (r"\b(?:risk|risky|security|compliance|gdpr|hipaa|data protection|downtime|migration|"
         r"switching cost|lock ?in|learning curve|retrain|disruption)\b[^.?]{0,40}\b(?:worr|"
         r"concern|issue|problem|nervous|scar|hesita|afraid|risk|headache|pain|nightmare|big)",
         0.7),
        (r"\b(?:not|do not|does not) (?:\w+ ){0,2}(?:have (?:the )?(?:authority|sign ?off|final "
         r"say|budget)|up to me|my call|my decision)\b|\babove my pay ?grade\b", 0.8),
        (r"\b(?:do not|did not|does not) (?:\w+ ){0,1}think (?:\w+ ){0,4}(?:would|will|could|can|"
         r"is|are) (?:\w+ ){0,1}(?:use|work|cope|fit|adopt|want|need|help|suit|handle|go for|"
         r"enough|right|worth|ready)\b", 0.75),
        (r"\b(?:was|is|were|are|felt|seemed) (?:really |quite |very |pretty |a bit |too |just )?"
         r"(?:limited|poor|bad|slow|clunky|buggy|weak|basic|dated|unreliable|confusing|"
         r"overkill|lacking)\b", 0.7),
        (r"\b(?:seems|looks|sounds|feels|seem|look|sound|feel) (?:\w+ ){0,2}(?:complicated|"
         r"complex|expensive|risky|heavy|clunky|hard|difficult|fiddly|overkill|much for)\b",
         0.75),
        (r"\b(?:not enough to|hard to|cannot|can not) justify\b|\bjustify the (?:cost|spend|"
         r"price|disruption|switch|change)\b", 0.8),
        (r"\b(?:you do not|i do not think you|your \w+ (?:does not|do not|is not|are not|cannot|"
         r"will not)|you guys do not|you cannot|you can not)\b", 0.65),
        (r"\b(?:not|is not|it is not) in (?:the|our|this year s|my) (?:budget|plan|plans|"
         r"roadmap)\b", 0.85),
        (r"\b(?:too|a bit too|bit too|way too|far too|much too) (?:much|big|advanced|complex|"
         r"sophisticated|heavy|enterprise|expensive) for\b", 0.85),
        (r"\b(?:would need|will need|needs|need) to be (?:certified|approved|compliant|"
         r"accredited|vetted|validated|signed off)\b|\bbefore (?:our|the) \w+ (?:team )?"
         r"(?:would|will) (?:even )?(?:look|consider|touch)\b", 0.75),
        (r"\b(?:(?:a|such a|quite a|so) lot of money|it is a lot|it s a lot|(?:price|payment|cost|"
         r"fee|rate|number) is the (?:problem|issue|sticking point)|(?:higher|more|dearer|pricier) "
         r"than (?:what )?(?:we|our|the)|the other (?:\w+ )?(?:agent|agency|vendor|supplier|"
         r"company|firm|provider|quote|guys|dealer|broker) (?:said|quoted|offered|charges|came in|"
         r"is)|not (?:comfortable|happy) with|not sure about|i cannot sign|can not sign|what "
         r"happens if|the (?:main|big|only|one) (?:thing|issue|problem|worry|question) is|"
         r"nobody will (?:touch|sign|approve|buy))\b", 0.75),
        (r"\b(?:deal ?breaker|show ?stopper|non ?starter|non ?negotiable|big ask|a stretch|"
         r"massive fight|pushback|push back|hard sell|tough sell|not (?:there|worth it|convinced)|"
         r"is not there|just is not there|awful|terrible|cautious|wary|burned|burnt|nightmare|"
         r"headache|pain in the|promised the world|overpromise|over promise|switching costs?|"
         r"up against it|catch is|downside|problem for us|issue for us|unless you can|only if "
         r"you|as long as you)\b", 0.75),
        (r"\b(?:will not|would not|do not|does not|cannot|can not|never) (?:\w+ ){0,2}(?:use|"
         r"adopt|cope|accept|go for|sign off|approve|buy|wear|like|want|tolerate|agree to|pay)\b",
         0.65),
        (r"\bcame in (?:\w+ ){0,4}(?:under|lower|cheaper|below|less)\b|\b(?:under|below) your "
         r"(?:price|number|quote)\b|\bhalf your (?:price|number|quote)\b", 0.85),
        (r"\b(?:we need|we require|it has to|it needs to|we would need|must be|has to be|needs "
         r"to be) (?:\w+ ){0,4}(?:hosted|compliant|certified|integrat|support|in the eu|in the uk|"
         r"on prem|cheaper|under|within|less than|guarantee|sla|24)\b", 0.7),
        (r"\b(?:timing is (?:not|wrong|bad|off)|not the right time|wrong time|bad time of year|"
         r"peak season|busy season|too early|too soon)\b", 0.7),
        (r"\b(?:pitched|pitch) (?:already|us|before)|\b(?:other|three|two|several|a few|few) "
         r"(?:agencies|vendors|suppliers|providers|companies|firms|options|quotes)\b", 0.7),
        (r"\b(?:competitor|competition|other vendors?|another vendor|alternatives?|other "
         r"options|other quotes|other proposals|\w+ (?:offers|quoted|charges|gives us))\b", 0.6),
    ],
    "decline": [
        (r"\b(?:not|no longer|really not|just not|not really|definitely not) interested\b", 0.95),
        (r"\b(?:no thanks|no thank you|thanks but no|(?:we|i) will pass(?! it| this| that| them|"
         r" your| on| along| over)|going to pass|"
         r"gonna pass|have to pass|we are going to pass|i am going to pass|pass on this|pass for "
         r"now|we are good thanks|we are all set|i am all set|we are set|we are fine thanks)\b",
         0.9),
        (r"\b(?:decided|chosen|choose|going|signed|went|gone|go|going to go|sticking|stick|"
         r"staying|stay|move|moving forward) (?:to go )?(?:with|in) (?:another|a different|"
         r"someone else|somebody else|a competitor|the other|our current|our existing|our "
         r"incumbent|them|\w+ instead)\b", 0.85),
        (r"\b(?:not|never) (?:going to|gonna|be) (?:move|moving|go|going|proceed|proceeding|"
         r"buy|buying|sign|signing|happen|happening|work|working) ?(?:forward|ahead|with (?:you|"
         r"this|that))?\b", 0.85),
        (r"\b(?:do not|does not|will not|would not|not) (?:\w+ ){0,1}(?:need|want)(?: a| any| the|"
         r" another| to (?:\w+ ){0,2})? ?(?:demo|meeting|call|follow ?up|proposal|quote|anything|"
         r"this|that|it|more|another|your|a new|to move|to go|to buy|to switch|to change|to "
         r"meet|to talk|to schedule|a pitch|help)\b", 0.85),
        (r"\b(?:please )?(?:remove|take) (?:me|us) (?:off|from)\b|\b(?:do not|stop) "
         r"(?:call|calling|email|emailing|contact|contacting)\b", 0.9),
        (r"\b(?:cannot|can not|could not|will not be able to|am not able to|not able to|unable "
         r"to|can not really|cannot really|will not) (?:do|make|commit to|attend|manage|meet|fit|"
         r"swing|squeeze|join) (?:it|that|this|tuesday|monday|wednesday|thursday|friday|then|"
         r"the|a|at|on|any)\b", 0.85),
        (r"\b(?:that|it|tuesday|monday|wednesday|thursday|friday|this|the \w+|\d+(?::\d+)?(?: ?"
         r"[ap] ?m)?|then|that time|that day|that slot|mornings|afternoons) (?:\w+ ){0,3}(?:does "
         r"not|will not|would not|is not going to|do not) (?:really )?(?:work|suit|fit)\b", 0.85),
        (r"\b(?:i am|we are|i will be|i have|we have) (?:\w+ ){0,1}(?:busy|booked|out|away|"
         r"travel?ling|off|tied up|slammed|in meetings|unavailable|not available|on holiday|on "
         r"vacation|out of (?:the )?office|double booked|a conflict|conflict)\b[^.?]{0,25}"
         r"\b(?:then|that day|that time|at|on|all|tuesday|monday|wednesday|thursday|friday|"
         r"this week|next week|that week)\b", 0.8),
        (r"\bnot (?:for us|a (?:good )?fit|the right fit|right for us|something we need|"
         r"something we are|what we need|what we are looking for)\b", 0.85),
        (r"\b(?:the answer is no|i will have to say no|we will have to say no|going to say no|"
         r"have to say no|it is a no|that is a no|it is a hard no|hard no|no deal|not happening|"
         r"not going to happen|we are out|we are done|let us leave it|let us leave it there|we "
         r"will leave it|i will leave it|leave it there)\b", 0.9),
        (r"^(?:no|nope|nah)\b(?! problem| worries| rush| pressure| offen[cs]e| doubt| need to)(?!(?: ,)?(?: no)?(?: ,)? (?:that "
         r"is|it is|you|i think that|that covers|all good|we are good|it was|all fine|that "
         r"sounds|sounds|perfect|great|fine|spot on))", 0.6),
        (r"\b(?:so|then|sorry|i am afraid|afraid|honestly|unfortunately)(?: ,)? no\s*$", 0.8),
        (r"\b(?:decided|chosen|going|opted|plan|planning) to (?:build|do|keep|handle|run|develop|"
         r"manage) (?:it|this|that|everything|things) (?:in ?house|ourselves|internally|ourself)\b",
         0.85),
        (r"\bbudget (?:\w+ ){0,3}(?:has been|was|got|is being|is) (?:\w+ )?(?:cut|pulled|frozen|"
         r"slashed|scrapped|cancelled|canceled|killed|withdrawn)\b", 0.8),
        (r"\b(?:not|never) (?:changing|switching|moving|leaving|replacing)\b[^.?]{0,40}\b(?:full "
         r"stop|period|end of story|end of|at all|ever)\b|\bfull stop\b", 0.85),
        (r"\b(?:went|gone|going|decided to go|chose|chosen) with (?:the|a) (?:\w+ )?(?:option|"
         r"vendor|one|supplier|provider|agency|company|firm|competitor|alternative|other)\b",
         0.85),
        (r"\b(?:not something we|nothing we|not for us|we will not be|we are not going to|we are "
         r"not|not) (?:\w+ ){0,2}(?:pursue|pursuing|proceed|proceeding|take (?:it|this) further|"
         r"taking (?:it|this) further|moving ahead|going ahead)\b", 0.85),
        (r"\b(?:no way (?:we|i) can|there is no way|not a chance|no chance|absolutely not|"
         r"definitely not|certainly not|out of the question|not (?:without|until|unless)|"
         r"have not agreed|did not agree|never agreed|not quite|that is not (?:what|right)|"
         r"i did not say|wouldn t count on it|would not count on it|i doubt it|doubt (?:it|that)|"
         r"neither)\b", 0.75),
        (r"\b(?:\w+day|the \w+|that|mornings|afternoons|\w+days) (?:is|are|s) (?:\w+ )?(?:out|chaos|a "
         r"(?:mess|nightmare|write ?off)|impossible|no good|tough|difficult|hard|tricky|bad|"
         r"rough|not (?:good|great|possible|ideal)|"
         r"(?:always )?(?:a mess|busy|manic|mad|crazy|packed|full|booked))\b", 0.8),
        (r"\b(?:back to back|at a conference|on leave|on holiday|away|travel?ling|out of "
         r"(?:the )?office|in (?:meetings|clinic|court|surgery)|off (?:that|next|this))\b[^.?]{0,30}"
         r"\b(?:all day|that day|then|tomorrow|that week|this week|next week|until|till)\b",
         0.75),
        (r"\b(?:would rather not|prefer not to|i would rather we did not|rather not|rather hold "
         r"off)\b", 0.75),
        (r"\b(?:decided|chosen|going|opted|agreed) (?:\w+ )?to (?:stay|stick|remain|renew|continue|"
         r"keep going) (?:with|on)\b|\brenewed (?:\w+ ){0,2}with (?:our |the )?(?:existing|current|"
         r"incumbent)\b|\b(?:decided|chosen|agreed) not to (?:go ahead|proceed|move forward|"
         r"pursue|do|buy|run|continue|renew|switch|change)\b", 0.85),
        (r"\b(?:we|i) (?:have )?signed with \w+\b|\b(?:locked|tied) in (?:with|to|until)\b", 0.7),
        (r"\b(?:that is|that s|it is) (?:wrong|not right|not quite right|not correct|not what i "
         r"said|not what we agreed)\b|^(?:\w+ ){0,1}not right\b", 0.85),
        (r"\b(?:i am|i m|we are) (?:\w+ )?(?:interviewing|travelling|traveling|teaching|"
         r"presenting|training|away|off|out|on leave|on site|in court|in clinic|booked|slammed) "
         r"(?:\w+ ){0,2}(?:all day|that day|all week|then|that morning|that afternoon)\b", 0.8),
        (r"\bgo (?:in )?(?:a different|another|a new|the other) (?:direction|way|route)\b|\bgo "
         r"elsewhere\b|\bgoing elsewhere\b", 0.85),
        (r"\bno (?:need|interest|appetite|budget for this|use for)\b", 0.7),
    ],
}

LITERALS_FILE = "cue_literals.json"


def literals_of(pattern: str) -> tuple[str, ...] | None:
    """The required literals of a cue pattern (see :func:`required_literals`)."""
    # The standard library's own regex parser (private, but stable since 3.11, and the cues
    # are compiled by it anyway): it gives the pattern's structure without guesswork.
    parser: Any = importlib.import_module("re._parser")
    return required_literals(parser.parse(pattern, re.MULTILINE))


def literals_key(pattern: str) -> str:
    return hashlib.sha1(pattern.encode("utf-8")).hexdigest()[:16]


def all_literals() -> dict[str, list[str] | None]:
    """Every cue's required literals, keyed by pattern: what ``trainer/data/cue_literals.json``
    holds (``python -m trainer.cues`` rewrites it)."""
    return {literals_key(p): (list(lits) if (lits := literals_of(p)) else None)
            for cues in CUES.values() for p, _ in cues}


class Cue:
    """A cue pattern, compiled on first use: a line is only searched with the cues whose
    required literals it contains, so a short transcript never pays for most of them."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._compiled is None:
            from trainer import regexcache

            self._compiled = regexcache.compile(self.source, re.MULTILINE)
        return self._compiled.finditer(text)


def _cached_literals() -> dict[str, Any]:
    from trainer import datafiles

    try:
        data: dict[str, Any] = json.loads(datafiles.text(LITERALS_FILE))
    except (OSError, ValueError):
        return {}
    return data


def required_literals(parsed: Any) -> tuple[str, ...] | None:
    """Strings one of which occurs in every match of a parsed pattern (None when none can be
    proved). A line that contains none of them cannot match, so the classifier skips the
    regex: most cues fail this cheap substring test on most sentences."""
    c: Any = importlib.import_module("re._constants")

    def seq(items: list[Any]) -> set[str] | None:
        best: set[str] | None = None
        run: list[str] = []

        def flush() -> None:
            nonlocal best, run
            if len(run) >= 3:
                best = better(best, {"".join(run)})
            run = []

        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            flush()
            if op is c.SUBPATTERN:
                best = better(best, seq(list(av[3])))
            elif op is c.BRANCH:
                alternatives = [seq(list(b)) for b in av[1]]
                if all(alternatives):
                    best = better(best, set().union(*alternatives))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                best = better(best, seq(list(av[2])))
        flush()
        return best

    def better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
        if not b:
            return a
        if not a:
            return b
        # the more selective set: longer shortest member, then fewer members
        return b if (min(map(len, b)), -len(b)) > (min(map(len, a)), -len(a)) else a

    found = seq(list(parsed))
    return tuple(sorted(found)) if found else None


def _compiled() -> list[tuple[str, Cue, float, tuple[str, ...] | None]]:
    """(move, cue, confidence, required literals) for every cue. The literals come from
    ``cue_literals.json`` when it knows the pattern (parsing all the cues costs more than the
    rest of a cold start), else from the pattern itself."""
    cached = _cached_literals()
    out = []
    for move, cues in CUES.items():
        for pattern, conf in cues:
            key = literals_key(pattern)
            if key in cached:
                lits = tuple(cached[key]) if cached[key] else None
            else:
                lits = literals_of(pattern)
            out.append((move, Cue(pattern), conf, lits))
    return out


# Built once at import. The classifier runs each cue over a line's sentences joined by
# newlines, so ``^`` and ``$`` anchor to a sentence.
COMPILED: list[tuple[str, Cue, float, tuple[str, ...] | None]] = _compiled()


if __name__ == "__main__":  # python -m trainer.cues: rewrite the literals file
    from pathlib import Path

    table = all_literals()
    out = Path(__file__).resolve().parent / "data" / LITERALS_FILE
    out.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {out.name}: {len(table)} cues")
