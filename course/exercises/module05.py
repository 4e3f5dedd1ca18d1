"""Self-checks for Module 05 · Observe before you coach."""
from collections.abc import Mapping

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
    "m05_skill_gaps", "skill_gaps", "43351e178edbec138222b8998664988bf00cb3663afe0eaa6d118c6b86e0df2e",
    hint_text=("`cards.groupby(\"name\")[SKILLS].mean()` gives each rep's average rating per skill. "
               "Its `.median()` is the team's median rep; subtract it from the averages."),
    shape=_gaps_shape,
    mistakes={
        "b432dd5c9f65a8547bd4c85e4ddb4a6e5b835d13d141c791d2d8b89e5b7da51c": "these are the raw averages. Subtract the team's median rep to see who is weak for this team.",
        "746b7c4c3541d932553ff463f7fedbb2de2f89b45eb5a0d96d67f7c1c2e3ce93": "you compared with the average of all the team's scorecards. Use the median of the reps' averages, so one rep with many calls (or one star) does not set the bar.",
        "6c17c3b92c00dd0bf0cc297efff401bf8eb302de3b9656617472c4a23a4e34e5": "you compared with the mean rep. Use the median rep, as the funnel tables do.",
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
