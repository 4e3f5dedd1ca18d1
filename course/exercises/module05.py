"""Self-checks for Module 05 · Observe before you coach."""
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

from course.answers import answer_hash
from course.checks import Exercise
from course.widgets import Sorter

SKILLS = ("discovery_questions", "active_listening", "value_articulation", "objection_handling", "next_steps")
FUNNEL_METRICS = ("qualified_rate", "proposal_rate", "negotiation_rate", "close_rate", "win_rate",
                  "avg_deal_size", "avg_cycle_days", "avg_discount_pct")
FOCUS_KEYS = {"skill", "funnel_evidence", "scorecard_evidence"}


def _gaps_shape(value):
    if not (hasattr(value, "columns") and hasattr(value, "index")):
        return "give a DataFrame: one row per rep (indexed by name), one column per skill."
    if set(value.columns) != set(SKILLS):
        return f"use exactly the five skill columns {list(SKILLS)}."
    if value.index.has_duplicates or value.index.dtype != object:
        return "index the rows by the rep's name, one row per rep (`groupby(\"name\")` does this)."
    if len(value.index) != 8:
        return "give one row per rep on the team (8 rows)."
    return None


def _names(value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return "give a list of rep names (strings), for example [\"A Name\", \"Another Name\"]."
    return None


def _focus(value):
    if not isinstance(value, Mapping):
        return "give a dict: {rep name: {\"skill\": ..., \"funnel_evidence\": ..., \"scorecard_evidence\": ...}}."
    for name, entry in value.items():
        if not isinstance(entry, Mapping) or set(entry) != FOCUS_KEYS:
            return f"the entry for {name!r} should be a dict with exactly the keys {sorted(FOCUS_KEYS)}."
        if entry["skill"] not in SKILLS or entry["scorecard_evidence"] not in SKILLS:
            return f"for {name!r}, \"skill\" and \"scorecard_evidence\" must be scorecard skill columns."
        if entry["funnel_evidence"] not in FUNNEL_METRICS:
            return f"for {name!r}, \"funnel_evidence\" must be one of the funnel metric names in the table above."
    return None


q1 = Exercise(
    "m05_skill_gaps", "skill_gaps", "c718cb60836d8ebfd6e728633ba8df68d5d7094e6e660030a9619f920d2a984f",
    hint_text=("`cards.groupby(\"name\")[SKILLS].mean()` gives each rep's average rating per skill. "
               "Its `.median()` is the team's median rep; subtract it from the averages."),
    shape=_gaps_shape,
    mistakes={
        "b955853b1a707fec6eacb5b0dc9c5cf607736777aeba4d8d98170d5f5e96fbb8": "these are the raw averages. Subtract the team's median rep to see who is weak for this team.",
        "232aedb411756154b21a29e261e7a8f9e2bae848912e177a755e040f6c59eed2": "you compared with the average of all the team's scorecards. Use the median of the reps' averages, so one rep with many calls (or one star) does not set the bar.",
        "89d1763cbf77a77db01d1d02c738655a74ca91b08d513224dee9766fdc5b6ef2": "you compared with the mean rep. Use the median rep, as the funnel tables do.",
    },
)

q2 = Exercise(
    "m05_focus", "focus", "4a00f2cc178daec4de575b714834e7200f3f045b11119d14d49ce844f5f508d3",
    hint_text=("For each rep, `skill_gaps.loc[name].idxmin()` is the skill furthest below the team; "
               "`LINKS.loc[skill, \"funnel_metric\"]` is the number that skill should move."),
    shape=_focus,
    mistakes={
        "eb420a04eded516108838cc38d6f29ae6936d01202bb8d28732db7f986d3956c": "one rep's focus is their second-weakest skill. Take the skill furthest below the team in `skill_gaps`, then its linked metric.",
        "02993a102077cf62490a7b3d0cea2097cc86df9dd0532a1c3da406510452d93c": "the win rate is every skill's result at once, so it cannot point to one skill. Cite the funnel metric that the link table ties to the skill.",
    },
)

q3 = Exercise(
    "m05_false_alarms", "false_alarms", "7340dfca247b04e7bb7fa48cc04884275cffde913b9d8ada85fb7a06a2e5d201",
    hint_text=("First list every rep whose weakest gap is at or below the cut-off. Then, for each, look up the "
               "linked metric in `LINKS` and that rep's value in `shortfall`: a false alarm falls short of the threshold."),
    shape=_names,
    same=sorted,  # the graded test compares the names in any order
    mistakes={
        "cfc26fba1e5501d74f0abfc18249e136f1257f41ca64e3b100ef1f48389af2b4": "that is every rep the scorecards flag. Keep only those whose funnel does NOT confirm it.",
        "42d355275bd43ca87682da72a21d6f43530186733a62164b94c5a35273b3b130": "those are the reps whose funnel confirms the scorecards: the real skill problems, not the false alarms.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/05-observe-before-you-coach.json.
def skill_or_will() -> Sorter:
    """Put each situation in the bin that describes it."""
    return Sorter(
        'm05_skill_or_will',
        items=[
            "Handled pricing objections well in last week's role-play, but avoids booking the calls where they will come up.",
            'Asks for a next step on every call, but the steps are vague: "let\'s touch base next week".',
            'Activity fell by half after missing the team-lead promotion; scorecards are unchanged.',
            'Tries to quantify the customer\'s problem but never gets past "it\'s slow": the questions stay on the surface.',
            "Knows how to log calls in the CRM and has been reminded twice, but still doesn't.",
            'Prepares for hours for the big account, yet when procurement pushes on price, offers a discount before asking what is behind the push.',
        ],
        bins=['skill', 'will'],
        answer_hash='ffbd906d15bafca1051e9c854452399b840a981256211c0fbd8751f962e0c7ff',
        hint='Ask of each: could the rep do it well today if they chose to? Yes is will; no is skill.',
        prompt='Put each situation in the bin that describes it.',
    )


# ---------------------------------------------------------------- Exercise 6: observation as a skill
EXCERPTS = ("E1", "E2", "E3", "E4", "E5")
AGREE_WITHIN_ONE = 4  # of the five excerpts: the usual bar when two trained listeners calibrate
COACH_HEARD = {  # what the enablement coach wrote next to each score (the scores themselves are hashed)
    "E1": "one question about the problem, then the first answer is taken and the demo starts.",
    "E2": "the worry is played back in the buyer's words, but not checked before the rep answers it.",
    "E3": "a benefit in general words (\"a lot of time\"); the buyer's two days a month are never used.",
    "E4": "the rep gives in before asking anything about the budget.",
    "E5": "a date, an action for the buyer, and the person who decides invited.",
}


@dataclass
class ObservationCheck(Exercise):
    """The learner's 1-5 scores for the written call excerpts against the enablement coach's
    (hashed per excerpt). Correct when at least AGREE_WITHIN_ONE scores are within one point."""

    item_hashes: dict[str, str] = field(default_factory=dict)

    def coach_score(self, excerpt: str) -> int:
        return next(s for s in range(1, 6) if answer_hash(f"{self.question_id}:{excerpt}", s) == self.item_hashes[excerpt])

    def status(self, value):
        if value is Ellipsis:
            return super().status(value)
        problem = _scores_shape(value)
        if problem:
            return "wrong", f"`{self.variable}` = {value!r}: {problem}"
        lines, within = [], 0
        for excerpt in EXCERPTS:
            gap = int(value[excerpt]) - self.coach_score(excerpt)
            within += abs(gap) <= 1
            if gap == 0:
                verdict = "the same score as the coach"
            elif abs(gap) == 1:
                verdict = "one point apart, normal between two trained listeners"
            else:
                verdict = (f"{abs(gap)} points {'above' if gap > 0 else 'below'} the coach; reread the anchors for "
                           "that skill")
            lines.append(f"{excerpt}: {verdict}. The coach's note: {COACH_HEARD[excerpt]}")
        report = "\n   ".join(lines)
        summary = (f"you agree with the coach within one point on {within} of {len(EXCERPTS)} excerpts "
                   f"(exactly on {sum('the same score' in line for line in lines)}).")
        if within >= AGREE_WITHIN_ONE:
            return "correct", f"Correct: {summary}\n   {report}"
        return "wrong", f"`{self.variable}`: {summary} Calibrated listeners reach {AGREE_WITHIN_ONE}.\n   {report}"


def _scores_shape(value):
    if not isinstance(value, Mapping) or set(value) != set(EXCERPTS):
        return f"give a dict with one score per excerpt: {{{', '.join(repr(e) + ': ...' for e in EXCERPTS)}}}."
    for excerpt, score in value.items():
        if isinstance(score, bool) or not isinstance(score, numbers.Integral) or not 1 <= score <= 5:
            return f"each score is a whole number from 1 to 5; {excerpt} has {score!r}."
    return None


q4 = ObservationCheck(
    "m05_observation", "my_scores", "",
    hint_text=("Score each excerpt on its one skill only. Find the anchor that matches what the rep *did* "
               "(not how the call ended, and not how much you like the rep); between two anchors, give the 2 or the 4."),
    item_hashes={
        "E1": "d8e51e1bdd6900c22c06cb1bceacd7f4e7346f31c1ed9c5cec45435e81577d76",
        "E2": "aef059d4756091455b5f4d31006371fb848881416cc203a01680a444b7259fa8",
        "E3": "b98420a0ae80f8afba549a85e997e3f4faa0f6a17d7568dd093b2211bc0206f7",
        "E4": "bd1a9434b3cbcc9e46698de5415bcf513f1e8874de831baeba20a401d4a00e4f",
        "E5": "55ab18ef84d3afce5b5fe7dde63ebd465242118c757f6c9c637026d7f8775cdf",
    },
)
