"""The course's role-plays: five coaching conversations, as data, and the factories that build them.

Each script is played by `course.roleplay.RolePlay` (see its docstring for the format). Per step,
one reply coaches (kind `coach`) and two or three miss in a way a new manager really would:
arguing with an excuse, a leading question, premature advice, a "why" interrogation, rescuing
the rep, vague praise, letting a commitment slide, pressure without support, telling or blame.
The rep answers each reply in character. The coaching reply sits in a different place from one
step to the next (tests/test_roleplays.py checks it across all scripts).

A notebook cell shows one short line, `economy_talk = ex.economy_talk()`, and a locked hidden
test grades it: `assert economy_talk.is_correct(), economy_talk.status`. The passing conversation
of each is in grading/answer_key/widgets/<module>.json.
"""
from __future__ import annotations

from typing import Any

from course.roleplay import RolePlay

# ---------------------------------------------------------------- module 04: "it's the economy"
ECONOMY = {
    "id": "m04_economy_conversation",
    "module": "04-its-the-economy",
    "rep_name": "Your rep",
    "title": "Your rep says it's the economy. Acknowledge it, look at the data together, and leave with a next step.",
    "hint": "Grant that the market fell, then let the chart do the talking: ask what they see, and what changed for them.",
    "opening": "Look, it's the economy. Nobody in Central was buying. You can't pin that on me.",
    "steps": [
        {"stage": "goal", "replies": [
            {"say": "Everyone else in Central managed fine, so it can't just be the economy.", "kind": "argue",
             "rep": "Oh, so now I'm the problem? Easy to say from behind a dashboard."},
            {"say": "You may be right, Central had a rough year. Shall we look at your numbers next to the market "
                    "and the team, and see what they tell us?", "kind": "coach", "does": ["support"],
             "rep": "Fine. I'm telling you, the chart will show the whole region fell off a cliff."},
            {"say": "Don't worry, nobody is blaming you. It was a rough year for everyone; let's hope next year is kinder.",
             "kind": "rescue", "does": ["support"],
             "rep": "Thanks. Honestly, that's a relief. So we're good?"},
            {"say": "Why do you think the economy hit you harder than everyone else?", "kind": "why",
             "rep": "I didn't say it hit me harder. Why are you asking it like that?"},
        ]},
        {"stage": "reality", "replies": [
            {"say": "You can see your line stayed down after everyone else came back, can't you?", "kind": "leading",
             "rep": "Yes, all right, I can see it. Sounds like you've made up your mind already."},
            {"say": "The chart is clear: the market came back in the fall and you didn't.", "kind": "tell",
             "does": ["challenge"],
             "rep": "So the economy counts for nothing now. Great."},
            {"say": "Honestly, you held up better than I expected in the worst quarters. Good effort.", "kind": "praise",
             "rep": "Thanks. So it was the market, like I said."},
            {"say": "Here is your line, the team's median rep and the market index, all from the same start. "
                    "What do you notice?", "kind": "coach", "does": ["challenge"],
             "rep": "The market dipped and came back by the fall. The team came back with it. Mine didn't. Huh."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "What changed for you in early 2024?", "kind": "coach",
             "rep": "Honestly? When the big accounts went quiet I stopped prospecting. Calling felt pointless, so I "
                    "looked after my existing customers. I never really went back to it."},
            {"say": "Why did you stop calling when the market picked up again?", "kind": "why",
             "rep": "I didn't stop. I was busy. You make it sound like I was sitting around."},
            {"say": "I'd get back to forty calls a week. That's what the top reps do.", "kind": "advice",
             "rep": "Forty calls. Right. I'll see what I can do."},
            {"say": "Did you take your foot off the gas when things got hard?", "kind": "leading",
             "rep": "I... maybe. I don't know. Is that what this meeting is about?"},
        ]},
        {"stage": "options", "replies": [
            {"say": "Tell you what: I'll ask marketing to send you some warm leads to get you going.", "kind": "rescue",
             "does": ["support"],
             "rep": "That would help. I'll wait for those, then."},
            {"say": "Block nine to eleven every morning for prospecting. It worked for me.", "kind": "advice",
             "rep": "Mornings are when my customers call. But fine, if you say so."},
            {"say": "What could you do differently this month to get new opportunities moving again?", "kind": "coach",
             "rep": "Block time for new calls, Tuesday and Thursday mornings maybe. And go back to the accounts that "
                    "went quiet last year: some of them must be buying again."},
            {"say": "You're one of our most experienced reps. I know you'll turn it around.", "kind": "praise",
             "rep": "Sure. I'll turn it around."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "Good. I want twenty new calls a week from you, starting Monday.", "kind": "tell",
             "does": ["challenge"],
             "rep": "Twenty a week. Okay."},
            {"say": "Which of those will you start with, and when shall we look at the result together?",
             "kind": "coach", "does": ["commitment"],
             "rep": "The quiet accounts. I'll call all twelve of them by Friday, and we'll look at how many "
                    "meetings I booked in our next one-on-one."},
            {"say": "No rush. See how you feel about it over the next few weeks.", "kind": "let_off",
             "rep": "Sure. I'll think about it."},
            {"say": "So you'll do both, starting this week, right?", "kind": "leading",
             "rep": "Right. Both. This week."},
        ]},
    ],
}

# ---------------------------------------------------------------- module 06: GROW with Noah
LEADS = {
    "id": "m06_leads_are_bad",
    "module": "06-the-coaching-conversation",
    "rep_name": "Noah",
    "title": "Noah says the leads are bad. Coach him through goal, reality, options and way forward.",
    "hint": "Acknowledge the excuse without arguing, then let Noah find the goal, the facts and the next step.",
    "opening": "Honestly? It's the leads. Marketing sends me people who downloaded a white paper. "
               "Half of them don't remember filling in the form.",
    "steps": [
        {"stage": "goal", "replies": [
            {"say": "Everyone on the team works the same leads, Noah. That can't be the reason.", "kind": "argue",
             "rep": "They're not the same leads. Mine are worse, and you'd know that if you looked."},
            {"say": "Other reps close those leads. Maybe the problem is how you work them.", "kind": "blame",
             "does": ["challenge"],
             "rep": "Great. So it's me. I knew this was going to be one of those meetings."},
            {"say": "That sounds frustrating. What would you like to get out of our half hour today?", "kind": "coach",
             "does": ["support"],
             "rep": "More of my first calls turning into a second meeting. Right now it's maybe one in five, "
                    "and I need two in five to make my number."},
            {"say": "Leave the leads with me. I'll have a word with marketing this afternoon.", "kind": "rescue",
             "does": ["support"],
             "rep": "Would you? That would really help. Until then there's not much I can do."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "Take the last lead that went nowhere. What happened on that call?", "kind": "coach",
             "rep": "She said she was just looking. So I sent the deck and followed up once by email. Nothing."},
            {"say": "One in five is low. You need to qualify harder in the first five minutes.", "kind": "advice",
             "rep": "I do qualify. They just aren't ready to buy, so I send the deck and move on."},
            {"say": "Why don't they want a second meeting with you?", "kind": "why",
             "rep": "No idea. Because they're not buyers? I can't read their minds."},
            {"say": "Are you asking enough questions on the first call?", "kind": "leading",
             "rep": "I think so. Yes. Probably."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "Sending the deck is the mistake. Nobody reads decks.", "kind": "tell",
             "rep": "Marketing made the deck. I'm using what I'm given."},
            {"say": "At least you followed up. Plenty of reps don't bother.", "kind": "praise",
             "rep": "Exactly. I do follow up. It's the leads."},
            {"say": "Don't you think the deck gives them an easy way out?", "kind": "leading",
             "rep": "Maybe. I suppose. But what else am I supposed to send?"},
            {"say": "And the others that went nowhere this month: how did those go?", "kind": "coach",
             "does": ["challenge"],
             "rep": "Much the same, actually. Deck, one email, next. I suppose that's what I do with nearly all of them."},
        ]},
        {"stage": "options", "replies": [
            {"say": "Stop sending the deck. Book a second call before you hang up.", "kind": "advice",
             "rep": "Okay. I can try that, I suppose."},
            {"say": "What could you try on the next 'just looking' call, before the deck goes out?", "kind": "coach",
             "rep": "Ask what made them download it, what they were hoping to fix. And call twice before I move "
                    "on, instead of one email."},
            {"say": "So it's not the leads after all. You give up after one email.", "kind": "blame",
             "does": ["challenge"],
             "rep": "I don't give up. I have ninety leads a month to get through."},
            {"say": "Let's do your next few first calls together, and I'll show you how I'd handle them.",
             "kind": "rescue", "does": ["support"],
             "rep": "Sure, if you've got time. You're better at this than me anyway."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "Good. Do both with every lead this week and send me a report on Friday.", "kind": "tell",
             "rep": "Sure. Friday."},
            {"say": "Fine, but this is the last time I want to hear about the leads.", "kind": "pressure",
             "does": ["challenge"],
             "rep": "Understood."},
            {"say": "Which of those will you try this week, and how will we know it worked?", "kind": "coach",
             "does": ["commitment", "challenge"],
             "rep": "The 'what made you download it' question, on every new lead this week. I'll count how many "
                    "book a second meeting and bring the number to our one-on-one on Friday."},
            {"say": "Great ideas, Noah. I'm sure you'll nail it.", "kind": "praise",
             "rep": "Thanks. We'll see."},
        ]},
    ],
}

# ---------------------------------------------------------------- module 07: SBI feedback with Ivan
FEEDBACK = {
    "id": "m07_feedback_conversation",
    "module": "07-feedback-and-the-coaching-plan",
    "rep_name": "Ivan",
    "title": "Give Ivan feedback on the Quarry Insurance call, and agree a next step he owns.",
    "hint": "Ask what he wanted first; then situation, behavior, impact, and his view before any idea of yours.",
    "opening": "You wanted to talk about the Quarry call? I thought it went well. She asked for the price list.",
    "steps": [
        {"stage": "goal", "replies": [
            {"say": "It did go well! Great energy on that call, Ivan.", "kind": "praise",
             "rep": "Thanks! I thought so too. She was really engaged during the demo."},
            {"say": "It didn't go well, I'm afraid. You lost her in the first five minutes.", "kind": "tell",
             "does": ["challenge"],
             "rep": "Lost her? She asked for a price list. That's not nothing."},
            {"say": "Do you really think a price list means it went well?", "kind": "leading",
             "rep": "Well... it's a next step. Isn't it?"},
            {"say": "Before I share what I noticed: what did you want to get out of that first call?", "kind": "coach",
             "does": ["support"],
             "rep": "A second meeting with their operations director, ideally. And a sense of how big the paperwork "
                    "problem is. I got a price-list request instead, I suppose."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "You jumped into the demo far too fast. You need to ask better questions.", "kind": "blame",
             "does": ["challenge"],
             "rep": "I ask plenty of questions. She told me the problem; I showed her the fix."},
            {"say": "Four minutes in, when she said her team was drowning in paperwork, you said 'that's exactly what "
                    "we fix' and shared your screen for twenty minutes. After that she asked very little, and the call "
                    "ended on a price list. How does that match what you remember?", "kind": "coach",
             "does": ["challenge"],
             "rep": "Put like that... yes. I heard 'paperwork' and went straight to the claims module. I never asked "
                    "how much paperwork, or what it costs them."},
            {"say": "Your demo was really polished. Maybe just a bit long?", "kind": "praise",
             "rep": "Long? It was the full claims module. They need to see all of it."},
            {"say": "Why did you start the demo so early?", "kind": "why",
             "rep": "Because she told me the problem. Why wait?"},
        ]},
        {"stage": "reality", "replies": [
            {"say": "So next time you'll ask more questions before the demo, yes?", "kind": "leading",
             "rep": "Yes. Sure."},
            {"say": "Don't be hard on yourself: everyone does that with a hot lead. I should have reviewed more calls "
                    "with you.", "kind": "rescue", "does": ["support"],
             "rep": "Ha, maybe. Still, she did ask for the price list."},
            {"say": "What do you think she needed from you at that moment?", "kind": "coach", "does": ["support"],
             "rep": "To feel I understood her mess before I pitched anything. How many claims, where they pile up, "
                    "who it hurts. I skipped all of that."},
            {"say": "What you need is a discovery checklist. I'll send you mine.", "kind": "advice",
             "rep": "Okay. Send it over."},
        ]},
        {"stage": "options", "replies": [
            {"say": "What could you do on your next first call, when a buyer names a problem like that?",
             "kind": "coach",
             "rep": "Ask two or three questions before I show anything: how big is it, what does it cost them, who else "
                    "feels it. Then play it back to check I've got it."},
            {"say": "Never demo on a first call. Book the demo as the second meeting.", "kind": "advice",
             "rep": "Never? Some buyers want to see it straight away."},
            {"say": "You know our product better than anyone; you'll work it out.", "kind": "praise",
             "rep": "Sure, I'll work it out."},
            {"say": "Wouldn't it be better to just ask 'what does that cost you?' first?", "kind": "leading",
             "rep": "I guess so, yes."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "Good. I'll listen to your next three first calls and score your questions.", "kind": "tell",
             "does": ["challenge"],
             "rep": "Okay... so you'll be checking up on me."},
            {"say": "Great, sounds like you've got it. No need to pin anything down.", "kind": "let_off",
             "rep": "Cool. Thanks."},
            {"say": "I'll write that into your coaching plan for you tonight.", "kind": "rescue", "does": ["support"],
             "rep": "Thanks, that saves me a job."},
            {"say": "Which calls will you try it on, and when shall we listen to one together?", "kind": "coach",
             "does": ["commitment", "support"],
             "rep": "My three first calls next week. I'll record Thursday's, and we can listen to it together in our "
                    "one-on-one on Friday."},
        ]},
    ],
}

# ---------------------------------------------------------------- module 07a: a will problem
WILL = {
    "id": "m07a_will_conversation",
    "module": "07a-challenge-and-morale",
    "rep_name": "Jordan",
    "title": "Jordan knows how to prospect and keeps not doing it. Challenge, support, and hold the line.",
    "hint": "Name the gap in facts, find out what it is about for Jordan, and leave with a commitment Jordan owns "
            "and a date you will both check.",
    "opening": "Hey. Is this about the prospecting blocks again? It's been a crazy few weeks.",
    "steps": [
        {"stage": "reality", "replies": [
            {"say": "It is. Three weeks ago we agreed two prospecting blocks a week. Your calendar shows none since. "
                    "I'd like to understand what's going on.", "kind": "coach", "does": ["challenge", "support"],
             "rep": "Yeah. I know. I just... end up doing other things. Renewals, mostly."},
            {"say": "Crazy weeks happen. Let's not worry about the blocks for now.", "kind": "let_off",
             "does": ["support"],
             "rep": "Thanks. Honestly, I'll get to them when things calm down."},
            {"say": "Why haven't you done a single block in three weeks?", "kind": "why",
             "rep": "I told you, it's been crazy. I'm not slacking, if that's what you mean."},
            {"say": "This is the third week. If it happens again, it goes in your review.", "kind": "pressure",
             "does": ["challenge"],
             "rep": "Right. Understood."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "Renewals are easier, aren't they? Less rejection.", "kind": "leading",
             "rep": "I guess. Sure."},
            {"say": "I'll take two of your renewals off you so you have the time.", "kind": "rescue",
             "does": ["support"],
             "rep": "Oh, that would be great. Then I'd definitely have time."},
            {"say": "You know how to prospect. You were the best on the team at it last year.", "kind": "praise",
             "rep": "Last year was different."},
            {"say": "What happens when a prospecting block comes round?", "kind": "coach",
             "rep": "I open the list and I... don't want to. Forty calls, two conversations, and I'm the one "
                    "closest to quota on renewals anyway. It feels like wasted time."},
        ]},
        {"stage": "goal", "replies": [
            {"say": "What do you want this year to look like for you: your number, your commission, what comes next?",
             "kind": "coach", "does": ["support"],
             "rep": "I want to make accelerator this year. That's real money for us, with the baby coming. And I "
                    "can't get there on renewals alone. New business pays double."},
            {"say": "Wasted time or not, prospecting is part of the job.", "kind": "tell", "does": ["challenge"],
             "rep": "I know it's part of the job. You don't have to remind me."},
            {"say": "You'll feel better once the calls start landing, trust me.", "kind": "praise",
             "rep": "Maybe."},
        ]},
        {"stage": "options", "replies": [
            {"say": "Block Monday morning, phone off, and don't come out until forty calls are done.", "kind": "advice",
             "rep": "Forty in a row? That's exactly what I dread."},
            {"say": "So the accelerator needs new business, and new business needs the calls. What would make the "
                    "blocks actually happen?", "kind": "coach", "does": ["challenge"],
             "rep": "Shorter blocks, maybe. An hour, first thing, before I open my inbox. And a list I've prepared "
                    "the afternoon before, so I'm not choosing who to call when I'm already dreading it."},
            {"say": "Don't you think you'd hit accelerator if you just did the calls?", "kind": "leading",
             "rep": "Yes. Obviously."},
            {"say": "Why would anyone pay accelerator for renewals?", "kind": "why",
             "rep": "They wouldn't. That's my point. I'm not stupid."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "Good. Let me know how it goes.", "kind": "let_off",
             "rep": "Will do."},
            {"say": "Great. I'll put the hours in your calendar for you.", "kind": "rescue", "does": ["support"],
             "rep": "Okay. Thanks."},
            {"say": "This time it gets done. I'll check your calendar every day.", "kind": "pressure",
             "does": ["challenge"],
             "rep": "Fine. You'll see it."},
            {"say": "What exactly will you commit to, by when, and how will we both know it happened?",
             "kind": "coach", "does": ["commitment", "challenge"],
             "rep": "An hour at eight on Tuesday and Thursday, list ready the day before, starting this week. I'll "
                    "bring the call log to our check-in next Friday, and if I've missed one, I'll tell you why "
                    "before you have to ask."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "And if the blocks slip again, what should we do then?", "kind": "coach",
             "does": ["challenge", "support"],
             "rep": "Then we talk about it straight away, not three weeks later. And you can ask me about the "
                    "accelerator. That'll sting enough."},
            {"say": "And if they slip again, that's a written warning.", "kind": "pressure", "does": ["challenge"],
             "rep": "Understood."},
            {"say": "I'm sure they won't. You've got this.", "kind": "praise",
             "rep": "Hope so."},
        ]},
    ],
}

# ---------------------------------------------------------------- module 09: the missed commitment
MISSED = {
    "id": "m09_missed_commitment",
    "module": "09-capstone-your-first-90-days",
    "rep_name": "Beatriz",
    "title": "Beatriz did not do what she committed to. Follow it up without taking the problem back.",
    "hint": "State the commitment as a fact, ask what got in the way, connect it to her goal, and let her recommit "
            "with a date.",
    "opening": "Before you start: I know. The objection notes. I didn't get to them.",
    "steps": [
        {"stage": "reality", "replies": [
            {"say": "Don't worry about it, you've had a busy couple of weeks.", "kind": "let_off", "does": ["support"],
             "rep": "I have. Thanks for understanding. I'll try to get to it."},
            {"say": "Thanks for saying it first. Two weeks ago you agreed to play back each buyer's concern before "
                    "answering, and note it on your next five proposals. None of the five has a note. What got in "
                    "the way?", "kind": "coach", "does": ["challenge", "support"],
             "rep": "Two of the proposals went out in a rush at month end. In the other three... the buyer pushed "
                    "back and I answered straight away, like always."},
            {"say": "That's disappointing. When you commit to something, I expect it done.", "kind": "pressure",
             "does": ["challenge"],
             "rep": "I know. Sorry. It won't happen again."},
        ]},
        {"stage": "reality", "replies": [
            {"say": "Why do you always answer straight away?", "kind": "why",
             "rep": "Because that's my job! They ask, I answer. I don't know."},
            {"say": "Next time, just pause and say 'help me understand what's behind that'.", "kind": "advice",
             "rep": "Sure. I'll try that."},
            {"say": "Isn't answering straight away the easy way out?", "kind": "leading",
             "rep": "I suppose it is."},
            {"say": "What happens for you in the moment a buyer pushes back?", "kind": "coach",
             "rep": "I panic a little. I think the deal is slipping and a quick answer is the way to hold on to it. "
                    "Asking what's behind it feels like I'm stalling."},
        ]},
        {"stage": "goal", "replies": [
            {"say": "And how does that fit with what you told me you wanted from this quarter?", "kind": "coach",
             "does": ["challenge"],
             "rep": "It doesn't. I said I wanted to stop losing deals at the last minute. Two of those three "
                    "still slipped, quick answers and all."},
            {"say": "I'll join your negotiations myself for a while.", "kind": "rescue", "does": ["support"],
             "rep": "Honestly, that would be a relief."},
            {"say": "You're great with customers, you'll get there.", "kind": "praise",
             "rep": "Thanks. I hope so."},
            {"say": "The team is counting on your deals this quarter.", "kind": "tell", "does": ["challenge"],
             "rep": "I know. No pressure, then."},
        ]},
        {"stage": "options", "replies": [
            {"say": "Let's role-play it right now, I'll be the buyer.", "kind": "rescue",
             "rep": "Okay... if you think that's what I need."},
            {"say": "Just write it on a sticky note. That's what I did.", "kind": "advice",
             "rep": "A sticky note. Okay."},
            {"say": "What would help you ask first, even when you feel the deal slipping?", "kind": "coach",
             "does": ["support"],
             "rep": "Having the question written on the proposal checklist, so it's in front of me. And practicing "
                    "it once with you, out loud, before my next negotiation."},
        ]},
        {"stage": "way_forward", "replies": [
            {"say": "So we're agreed: five notes by Friday, no excuses.", "kind": "pressure", "does": ["challenge"],
             "rep": "Fine. Five notes by Friday."},
            {"say": "Shall we just drop the notes and see how it goes?", "kind": "let_off",
             "rep": "Sure, that's easier."},
            {"say": "Great, I'm sure it'll be fine this time.", "kind": "praise",
             "rep": "Me too."},
            {"say": "What will you commit to now, by when, and how will we check it together?", "kind": "coach",
             "does": ["commitment", "challenge"],
             "rep": "The question goes on my checklist today. We practice it on Thursday. Then the next three "
                    "proposals each get a note of the concern I played back, and we go through them in our "
                    "check-in on the 18th."},
        ]},
    ],
}

SCRIPTS: dict[str, dict[str, Any]] = {script["id"]: script for script in (ECONOMY, LEADS, FEEDBACK, WILL, MISSED)}


def play(script: dict[str, Any]) -> RolePlay:
    """The widget for one of the scripts above."""
    return RolePlay(script["id"], script, rep_name=script["rep_name"], title=script["title"],
                    hint=script["hint"], pass_score=script.get("pass_score"))


def economy_talk() -> RolePlay:
    """Module 04: answer "it's the economy" by acknowledging it and looking at the data together."""
    return play(ECONOMY)


def leads_talk() -> RolePlay:
    """Module 06: coach Noah through GROW after he blames the leads."""
    return play(LEADS)


def feedback_talk() -> RolePlay:
    """Module 07: give Ivan SBI feedback on the Quarry call and agree a next step he owns."""
    return play(FEEDBACK)


def will_talk() -> RolePlay:
    """Module 07a: a will problem that needs challenge with support, and accountability."""
    return play(WILL)


def missed_commitment_talk() -> RolePlay:
    """Module 09: follow up a commitment Beatriz did not keep."""
    return play(MISSED)
