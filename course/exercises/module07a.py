"""Self-checks and questions for Module 07a · Challenge and morale.

Code exercises are `q1`, `q2`; each widget question is a factory named after its notebook variable.
"""
from course.checks import Exercise
from course.widgets import MultipleChoice, Sorter
from course.exercises.roleplays import will_talk  # noqa: F401 - the notebook calls ex.will_talk()


def _rep_id(value):
    if not isinstance(value, str):
        return "give the rep's id as text, such as 'R001'."
    if not value.strip().upper().startswith("R"):
        return "give the rep's id (such as 'R001'), not their name: the index of your table holds it."
    return None


q1 = Exercise(
    "m07a_low_will_rep", "low_will_rep", "4b0ff3501e39fc8824c2b11990b102318c16a7fb9ed80d9b091ff136bff53e96",
    hint_text=("Keep the pulse answers whose `month` falls in BASELINE, average `energy` per `rep_id` "
               "(`.groupby(...)[...].mean()`), and take the lowest with `.idxmin()`."),
    shape=_rep_id,
    mistakes={
        "7b83c15c271aadb1abed6dabbf3d1078636e7d72f7a7750b5af35a64b173e7b8": "that rep's stay_intent is the lowest, not her energy. Will shows in `energy`.",
        "67baed22516c8b48b012c05f0b2e904cce14db2ed7cb95f5fa7ac82425f6953c": "that is the rep with the lowest observed skill. Will is in the pulse survey's `energy` column.",
    },
)

q2 = Exercise(
    "m07a_flight_risk", "flight_risk", "c3f881f02458f82bea4fc20ed24b5304d69c89f541edf09a85c7c1cc4b376f5b",
    hint_text=("Average `stay_intent` per rep twice: once over EARLIER, once over LATEST. Subtract the earlier "
               "average from the latest one and take the rep with the most negative change (`.idxmin()`)."),
    shape=_rep_id,
    mistakes={
        "4a64c7e53e64fc905373986f851c5c9ddd73b370b19245b2d3689a298445fab2": "that rep's stay_intent rose the most: subtract the earlier average from the latest one, then take the lowest change.",
        "f803c439d56413458391f4ac75a86c14d2cd11cf055d62223059ce3953b0733a": "that rep's `energy` fell the most. The question is about `stay_intent`.",
    },
)


def skill_will() -> Sorter:
    """Exercise 1: the style each rep's skill and will call for."""
    return Sorter(
        "m07a_skill_will",
        items=[
            "Four months in, keen, books more first meetings than anyone, but freezes when a buyer asks about integrations.",
            "Joined last month from retail banking, full of questions, has never run a discovery call.",
            "Ten years of solid calls and good scores when observed, but her calls are down a third and she says the job feels like a treadmill.",
            "Can run a pricing negotiation in her sleep; has stopped volunteering for anything since her biggest account was reassigned.",
            "Top of the scoreboard, rated highest on every observed skill, asks you for harder accounts.",
            "Mentors the new hires without being asked; his forecast is right every quarter.",
            "Six months in, still cannot demo the product, skips the training sessions and says sales may not be for him.",
            "Moved onto a product line she did not ask for: she does not know it yet, and says openly she would rather sell the old one.",
        ],
        bins=["direct", "guide", "excite", "delegate"],
        answer_hash="fb3bda600b7eb4f7b54657cb786d414ded092ab58ad6d128dd88cc1480134e95",
        hint=("Ask two questions of each rep, for this task: can they do it yet (skill)? Do they want to (will)? "
              "Low skill and low will: direct. Low skill, high will: guide. High skill, low will: excite. "
              "Both high: delegate."),
        prompt="Which style does each rep's skill and will call for?",
        explain=("Skill and will belong to a task, not a person: the same rep can need delegating on "
                 "negotiation and guiding on a new product."),
    )


def missed_commitment() -> MultipleChoice:
    """Exercise 2: holding a rep to a commitment without taking the problem back."""
    return MultipleChoice(
        'm07a_missed_commitment',
        'Two weeks ago Samir committed to send a mutual action plan after every second meeting. At today\'s check-in he says: "I didn\'t get to it. Things got crazy." What do you say?',
        options=[
            '"No problem. Send me the three deals and I\'ll draft the action plans for you this week."',
            '"Why didn\'t you do it? We agreed on this two weeks ago."',
            '"You said you\'d send one after every second meeting. What got in the way, and what will you do so it happens before we meet on the 14th?"',
            '"Fine, let\'s drop it for now. Your numbers are okay anyway."',
        ],
        answer_hash='9f47d36a4739d8ebf7810d85f686dd202ac09648e5792432f555515c9d4fe2fa',
        hint='Who owns the problem after you speak? Does the commitment still stand, and does Samir do the thinking?',
        feedback={
            '"No problem. Send me the three deals and I\'ll draft the action plans for you this week."':
                'sealed:zjFzasfdVO+4ajzkfMaq9Kk+wk3L9nv1F2CbsXn8lzWIEeUlbZhPSZPsfpcIXHLfiVMOb4r5axNqUnUZ0nPBQudJcawCYxLhUZ4FeTyfFVxAT//bcWXf46/N63AA62fHv7VoXstq7wgbN0DwvpftekDnk7zOpMc5',
            '"Why didn\'t you do it? We agreed on this two weeks ago."':
                'sealed:wYqQfBcq7oj//k3Z/z3HneGqB8joej/iTxxrwgiLSyzi9tFvHx6Hzn4qhI50Liyn4oA5RLhxSvAb8v5MoTcB3a/T5SbH0AaLxYN+jpM8xA9tTTupIPiGD2N+nYZ01pywu0jwAJl8jN0++VanMMf8vwFap3Yp4w==',
            '"You said you\'d send one after every second meeting. What got in the way, and what will you do so it happens before we meet on the 14th?"':
                'sealed:9AGbj6TpucADFXo6y5ySIVHfUs8MQTixz3o13jnSDCoQGtT1PQ+pAtMaRqaNT8nPSR4shcGic+/jWcYn7OKIQ0Ia67OGM73LTTBUFyOUV4HWNx97hJR9ovfF/f7+DnslY1yCpu78v5YUYlvPDwVrCf6YiS71b/Y9ltRspz9ojBrY5VaUUaRa+fwEs9PpANbeFpTGaSs1C4zzDkAIIVM=',
            '"Fine, let\'s drop it for now. Your numbers are okay anyway."':
                'sealed:HtQ9U5VXlebXBB44VQS7GFujvfM2GmOBkQEEs2d6YA4BZEngG78nvR60ZpPYYkYgeowYu/3OuDKaH8Bo+H08/hppLhl46DfaK4cLKijeAIap5O5xvq0nIyELQ4Pj',
        },
    )


def coach_or_manage() -> Sorter:
    """Exercise 5: coaching, performance management, or a question of fit?"""
    return Sorter(
        "m07a_coach_or_manage",
        items=[
            "A capable rep's discovery has slipped since she took on a second territory; she has asked for help.",
            "A keen new hire who still fumbles pricing questions.",
            "After three months of plans he agreed to, a rep has kept none of his commitments and his activity is still half the team's.",
            "A rep has logged meetings in the CRM that never took place.",
            "A former analyst in her second year of sales: works hard, takes coaching well, dreads every cold call, and lights up when she builds a business case.",
            "A rep who loves winning new logos, moved to renewing the same ten accounts, loses energy every quarter.",
        ],
        bins=["coaching", "performance management", "a question of fit"],
        answer_hash="3deb2e64584399ad822e5cde62d7dcad63c6752bc2d27aad23404d4790e02d40",
        hint=("Coaching works when the rep wants to get better and can. When agreed commitments keep being broken, or "
              "a rule is broken, it is a performance or conduct matter. When effort and coaching are there but the "
              "job itself does not suit the person, it is fit."),
        prompt="What does each situation call for?",
        explain=("Coaching is not the answer to everything: it needs a rep who can and wants to improve. Naming a "
                 "performance or fit problem early is kinder than a year of coaching that cannot work."),
    )


def morale_response() -> MultipleChoice:
    """Exercise 7: what a coach does about a star's falling pulse."""
    return MultipleChoice(
        'm07a_morale_response',
        'Helena\'s energy is still high, but her answers on growth, recognition and "I see myself here in a year" have fallen since January. She is the best seller on the team. What do you do this week?',
        options=[
            'Nothing yet: her numbers are the best on the team, and pulse answers are private for a reason.',
            'Ask your director to approve a raise for her before she asks for one.',
            'Book a one-on-one about her, not her pipeline: ask what she wants next and what would keep her here, then agree one step you will take, with a date.',
            "Remind the whole team at Monday's meeting how much the company values its people.",
        ],
        answer_hash='1e28c26c59df83d27815ed8742bdd53771a2462dd0e0eed986b4817a314e8b33',
        hint='Which reply finds out what she wants instead of guessing it, and still leaves you a step to take?',
        feedback={
            'Nothing yet: her numbers are the best on the team, and pulse answers are private for a reason.':
                'sealed:jeq6mjI64dtQT3LxHMuz2mCloVyNerZYKXhjAI0I4H5SrSIqcqiZwusvq3DPu+PdRXMB/2yqPowDcK9z7hhO6S8TzAKvA2OtMKjxVc20w4EH3y35Nsd6JHlfl2L9AxuME9YEWGc=',
            'Ask your director to approve a raise for her before she asks for one.':
                'sealed:lNeFhlmKZhAwl2bX2pmgHmjD2kuHQ73PB/nR/QcmdCj7u1qpU8Sg9jU29VdmsI5qlTTMOiPHkm7Si6aV8U/lLWDYSUjrLCh5zwEdkHR5WyGXWZYHPaOKhaX11oEYHXw/nJ9Ob4RQWDdd',
            'Book a one-on-one about her, not her pipeline: ask what she wants next and what would keep her here, then agree one step you will take, with a date.':
                'sealed:r272GfZBYyLjEdM6ytw0AT2PRTJM/R4LvxPwsve85jwKrGUOj0M0j27IOgBE733m30N1Em+81n+UbV3vYXBt1sbi3LaALEVt7l1H3I4ZcuBPqLmI6zleJR6gzw8Pe8Qtx4PhYkALyYUiwbcxBVeKyHbCYtGUlSXRnD7BV0gCYTq9CkT1OtDY5vH8LQGFhZsRhkIDSXpPlwIrvUHRsHPZdqio/2vh',
            "Remind the whole team at Monday's meeting how much the company values its people.":
                'sealed:HY+QwF9cpX4iP0InSRRPkG0r6RPtgDbicczn8XmJeyCPGbyhzHat2LYzQdpipb/wYNpR9iw6884iCsvTUSx0fuJz37TQTwPCYdExkYq+rZ4vRUFwa32yqyt13KeROpTa7w==',
        },
    )
