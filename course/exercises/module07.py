"""Self-checks for Module 07 · Developmental feedback and the coaching plan.

q3 checks a coaching plan with `course.plans.plan_problems` (complete, and consistent with the
data), then compares the rep and the focus skill with salted hashes, like every other check.
"""
from dataclasses import dataclass

from course.answers import answer_hash
from course.checks import Exercise, PlanCheck, share
from course.widgets import MultipleChoice, Sorter
from course.exercises.roleplays import feedback_talk  # noqa: F401 - the notebook calls ex.feedback_talk()

AS_OF = "2025-06-30"


def _rep_id(value):
    if not isinstance(value, str):
        return "give the rep's id as text, such as 'R001'."
    if not value.startswith("R"):
        return "give the rep's id (such as 'R001'), not their name: the index of your table holds it."
    return None


@dataclass
class RepPlanCheck(PlanCheck):
    """The plan is for the rep and skill with the largest gap (salted hashes of both)."""

    skill_hash: str = ""

    def fits(self, plan):
        if answer_hash(self.question_id, plan["rep_id"]) != self.answer_hash:
            return "wrong", ("`plan` holds together, but rep_id is not the rep whose observed calls sit furthest "
                             "below the team (your answer to Exercise 4).")
        if answer_hash(f"{self.question_id}:focus_skill", plan["focus_skill"]) != self.skill_hash:
            return "wrong", "`plan`: focus_skill is not the skill on which that rep sits furthest below the team."
        return "correct", ("Correct: `plan` is complete and consistent with the data, for the right rep and skill. "
                           "Your trainer will read the behavior you wrote.")


q1 = Exercise(
    "m07_plan_rep", "plan_rep", "a74183e836054ecacf5774bbf027caa7a1b0227a5a1cc46c910a02b233e586e3",
    hint_text=("Keep the scorecards whose `call_date` falls in BASELINE (`.between(*BASELINE)`), average each "
               "skill per `rep_id`, subtract the team's median rep (`.median()`), then find the most negative "
               "gap: `.min(axis=1)` per rep, `.idxmin()` over reps."),
    shape=_rep_id,
    mistakes={
        "aad409d2959fec72edbf6b54d3bf7c9c86b292fe9371e2aa8a1c2252adb430dc": ("that is the rep with the lowest quota attainment: a lagging number. A plan needs a gap "
                               "in something the rep does; compare the observed skills."),
        "8ba41a4ece20790642adec6db91eb814af72b7d001973b6d9992797a4d9681b0": ("that rep has the lowest average over all five skills. Averaging hides one very weak "
                            "skill: look for the largest gap on any single skill."),
    },
)

q2 = Exercise(
    "m07_baseline_rate", "baseline_rate", "1ea6e2803980bfd1abfc079573484f4794cddcf331b2c7e451dcedfda237f2f8",
    hint_text=("Keep Ivan's opportunities created in BASELINE. Count those with `furthest_stage >= \"proposal\"` "
               "and divide by those with `furthest_stage >= \"qualified\"`. Do not round."),
    shape=share,
    mistakes={
        "46e68dfab4e823ef25f94d640d73bdb9787055a59e5d88b5de76a045ec932ba6": "that uses every deal since 2023. The baseline is the two quarters before the plan (BASELINE).",
        "ee6d0735b96aed2d649c5682dac4b5c408fc733f49a10b98da282fe46767487b": ("you kept closed deals only. Count every deal created in the period, open ones "
                                "too, as `course.metrics` does."),
        "18b7b79b3926c62606a6aef83207fa75c7eb3469ce9277fccf3d2be684c3ff78": ("you counted only deals whose furthest stage is exactly `proposal`. A deal that went on "
                                   "to negotiation or was won reached a proposal too: use `>=`."),
        "55b4fb2c061a0729287291751c94cc838a8854f4bb2e01319754746bc2df11c6": ("your denominator counts only deals that stopped at `qualified`. Every deal that got "
                                    "at least that far was qualified: use `>=`."),
        "d520c9626bfa12a56a9648e4b8f585185864923f4e6dac8a8c11c0530cd7cc45": "you divided by all his opportunities. The rate starts from qualified deals.",
        "1cf8b86212e7fa979c25226a9bd172fa6c18e1fb76c4327dd2df83b6fde34341": "that is the team's median rep. A baseline is the rep's own figure.",
        "05965bb7ebdb00568d5f14c2042b56f799a01543f570674a86bf4e1df0f1614c": "close: that is rounded. Give the unrounded share the division returns.",
        "789e728bb08d4c372efc8f91206c46ee3b035bd85dbd2ede78360bea99f80e11": "close: that is rounded. Give the unrounded share the division returns.",
    },
)

q3 = RepPlanCheck(
    "m07_plan", "plan", "10c798b831e247506d72314e373cd42cf6dd84f1327bb8a722cedde664011b74",
    hint_text=("Start from `plans.PLAN_FIELDS`. Take the indicator from `plans.SKILL_INDICATORS[focus_skill]`, and "
               "the baseline from `plans.indicator_value(indicator, rep_id, *BASELINE)`. Run "
               "`plans.plan_problems(plan, as_of=AS_OF)` to see what is left to fix."),
    as_of=AS_OF,
    skill_hash="e0ad12a2e373986e9c74adad23090ef057d89eb79e3ea3a6c33aa896775f536c",
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/07-feedback-and-the-coaching-plan.json.
def sbi_missing() -> Sorter:
    """What does each piece of feedback lack?"""
    return Sorter(
        'm07_sbi_missing',
        items=[
            'On Tuesday’s call with Orion Logistics, after the buyer mentioned missed delivery windows, you asked how many a month and what each one costs. She worked the number out loud and asked you for a proposal.',
            'In this morning’s call with Lakeside Dental, you let the office manager finish every answer and played it back in one sentence. She then told you about the board meeting that moves our timeline.',
            'You always jump to the demo before you know what the problem costs, so buyers end up comparing prices.',
            'Lately you’ve been ending calls without a date for the next meeting, and your deals sit for weeks.',
            'In Wednesday’s demo for Harbor Packaging you came across as arrogant, and their CFO left after ten minutes.',
            'When Cedar Labs pushed back on price in Friday’s call, you folded like a beginner, and we gave away eight points of discount.',
            'In Monday’s call with Silverline Freight, you asked four questions about their current process before showing anything.',
        ],
        bins=['complete SBI', 'no situation', 'no behaviour (a judgement)', 'no impact'],
        answer_hash='6ee13dd95b94ebadc7fe52982dd2ea17cfb7f8ba0241b011ed82c4e220b7492a',
        hint="Read each statement three times. Is there one particular moment? ('always' and 'lately' are not.) Is there something a camera could have recorded? ('arrogant' and 'like a beginner' are verdicts.) Does it say what it caused? The first part missing names the bin.",
        prompt='What does each piece of feedback lack?',
    )


def check_in() -> MultipleChoice:
    """Which check-in keeps Ivan's discovery practice going without micromanaging him?"""
    return MultipleChoice(
        'm07_check_in',
        "Which check-in keeps Ivan's discovery practice going without micromanaging him?",
        options=[
            'A 9 am call every day: Ivan reads you the questions he plans to ask on that day’s calls.',
            'Every other Tuesday, 20 minutes: you listen to one of his recorded first calls together; he scores his own discovery first, then you add yours.',
            'You join every first call he has this quarter and step in when he starts the demo too early.',
            'No check-ins: at the end of the quarter you look at his closed value and decide whether the plan worked.',
        ],
        answer_hash='9377b23fa63cb3399e58653b977c2b29d260adce0ab14b729b8035e3bd69075e',
        hint='Which one leaves Ivan the how, looks at his practice rather than the result, and comes often enough to notice a slip?',
        feedback={
            'A 9 am call every day: Ivan reads you the questions he plans to ask on that day’s calls.':
                'sealed:uvbPnA7iRji6fR5djlAEmoIHhhZVUJcOChn7EI3KKwrn5VthEKjFF7Bb+AWWldX98pIvxjkZW9/EkrjdgoXyBrAb9wFjAuThQty909zErL3coI8mqA6jN/8SBVfVxlOjeQ==',
            'Every other Tuesday, 20 minutes: you listen to one of his recorded first calls together; he scores his own discovery first, then you add yours.':
                'sealed:IO1QZO4zyoL+xXx1bEP0YerzXqyLnX3TYewc653SAZ6hi0tAjO1X4R0nrRjGRIGdkwv7FIDES6yxTqY0QEBG5DxgWifNTjnIISwnaxX2twuFz/vkMIT1o14T6pK7zA00qbNmSEs=',
            'You join every first call he has this quarter and step in when he starts the demo too early.':
                'sealed:PmdBT/gIXk8XTgQ6fb0M59jbjKaR+B+D1pC0/SWw7kquLZAy0FSpp3EPSy2eIYXFxav79pk47BIXTcOmJILyipfmpA05DICS1g+N/AfkGgIGXSsdA3EYJLAgdt7mam3CbcYf',
            'No check-ins: at the end of the quarter you look at his closed value and decide whether the plan worked.':
                'sealed:Yqx2IQyK4RQWigtdL7fBjd4lselkjL2AqCQyEZracW/eZmCzILVG1sF7aN1M+iEPa92UugkPI1LHifRHZPtC03DL9NTiLCky3h3+KbGvzEEksNwmTE6CpAMfwNMNjL8RXc2rhAi6BejobR3JvomCDNadztxuT9FP',
        },
    )


def skill_habit_routine() -> Sorter:
    """Exercise 3: tell the skill, the habit and the routine of a plan apart."""
    return Sorter(
        "m07_skill_habit_routine",
        items=[
            "Asking what a problem costs, then following the answer with a sharper question.",
            "Handling a price objection without reaching for a discount.",
            "When a buyer names a problem, asking what it costs before showing anything.",
            "After every demo, sending the recap before leaving the customer's parking lot.",
            "Every Monday at 8:30, fifteen minutes writing the questions for the week's first calls.",
            "A twenty-minute call review with you every other Tuesday.",
        ],
        bins=["skill", "habit", "routine"],
        answer_hash="5b1144f7a8932cecf5ea6574a63cd69e864ba339ccf5dd176beefcb70489a737",
        hint=("A skill is doing something well, in the moment. A habit starts with a cue: 'when…', 'after…'. "
              "A routine has a place in the calendar: a day, a time, a slot."),
        prompt="Is each line of Ivan's draft plan a skill, a habit or a routine?",
        explain=("The skill is what he gets better at; the habit is the cue that makes him use it on every call; "
                 "the routine is the slot in his week that keeps both alive."),
    )
