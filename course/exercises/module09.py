"""Self-checks for Module 09 · Capstone: your first 90 days as a coach.

q7 and q8 check a coaching plan (`course.plans`): first `plans.plan_problems` (every field, and
consistent with the data), then, with salted hashes, that the plan is for a rep whose numbers show
a controllable gap and that its focus fits that gap. q8's plan must be for another rep than q7's.
"""
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

from course.answers import answer_hash
from course.checks import Classification, Exercise, PlanCheck
from course.widgets import MultipleChoice
from course.exercises.roleplays import missed_commitment_talk  # noqa: F401 - the notebook calls ex.missed_commitment_talk()

AS_OF = "2025-06-30"
TEAM_NAMES = ['Beatriz Duarte', 'Bianca Yilmaz', 'Fatima Nakamura', 'Nina Lopez', 'Owen Vasquez', 'Rafael Xu', 'Tara Haddad', 'Theo Kowalski']
GAP_METRICS = ['activities_per_week', 'qualified_rate', 'proposal_rate', 'negotiation_rate', 'close_rate', 'avg_deal_size', 'avg_cycle_days', 'avg_discount_pct']
SKILLS = ['discovery_questions', 'active_listening', 'value_articulation', 'objection_handling', 'next_steps']
DASHBOARD_KEYS = ("pipeline_value", "closed_value", "win_rate")


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def _dashboard_shape(value):
    if not isinstance(value, Mapping) or set(value) != set(DASHBOARD_KEYS):
        return f"give a dict with exactly the keys {list(DASHBOARD_KEYS)}."
    if not all(_number(value[key]) for key in DASHBOARD_KEYS):
        return "every value should be a number (not NaN): check that each filter keeps some rows."
    if not 0 <= value["win_rate"] <= 1:
        return "give win_rate as a share between 0 and 1 (0.25, not 25)."
    return None


def _gap_shape(value):
    if not (hasattr(value, "columns") and hasattr(value, "index")):
        return "give a DataFrame: one row per rep (indexed by name), one column per metric in GAP_METRICS."
    if set(value.columns) != set(GAP_METRICS):
        return "use exactly the columns of GAP_METRICS."
    if set(value.index) != set(TEAM_NAMES):
        return "index the rows by each Summit rep's name, once (the index of `comparison`)."
    try:
        too_big = bool((value.abs() > 20).any().any())
    except TypeError:
        return "every value should be a number."
    if too_big:
        return "each index is a ratio around 1 (0.9, not 90): divide, do not subtract."
    return None


def _focus_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict from a rep's name to one skill, for example {\"A Name\": \"next_steps\"}."
    if not set(value) <= set(TEAM_NAMES):
        return "use Summit reps' names as keys."
    if not set(value.values()) <= set(SKILLS):
        return "each value should be one of the five skills in SKILLS."
    return None


def _share_change(value):
    if not _number(value):
        return "give a number: a change in a rate, such as 0.12 for twelve points."
    if abs(value) > 1:
        return "give the change as a share (0.12 for twelve points), not in percent."
    return None


@dataclass
class FittingPlanCheck(PlanCheck):
    """The plan's rep has a controllable gap and its focus fits it; `other` names the other plan,
    which must be for another rep."""

    fitting: dict = field(default_factory=dict)  # hash of a fitting rep_id -> hash of its focus skill, or "habit"
    other: str = ""

    def fits(self, plan):
        expected = self.fitting.get(answer_hash(self.question_id, plan["rep_id"]))
        if expected is None:
            return "wrong", (f"`{self.variable}` holds together, but its rep_id is not a rep whose diagnosis shows a "
                             "controllable gap (Exercise 3): a rep with no gap, or one still ramping, needs no plan now.")
        if expected == "habit":
            if not str(plan["leading_indicator"]).startswith("weekly_"):
                return "wrong", (f"`{self.variable}`: this rep's gap is activity, a habit. Track one of the weekly_ "
                                 "activity indicators.")
        elif answer_hash(f"{self.question_id}:focus_skill", plan["focus_skill"]) != expected:
            return "wrong", f"`{self.variable}`: focus_skill is not the skill behind this rep's gap (Exercise 5)."
        other = self.notebook.get(self.other) if self.other else None
        if isinstance(other, Mapping) and other.get("rep_id") == plan["rep_id"]:
            return "wrong", f"`{self.variable}` is for the same rep as `{self.other}`: write it for another rep."
        return "correct", (f"Correct: `{self.variable}` is complete, consistent with the data, and fits the rep's gap. "
                           "Your trainer reads the behavior you wrote.")


q1 = Exercise(
    "m09_dashboard", "dashboard", "9f2cf2a9f253c5a28186ac9cc60a12be4b6d9a59fadb3b987c09d88d5dbe3ec4",
    hint_text=("Pipeline: open deals' `amount`. Closed value: won deals whose `closed_quarter` is QUARTER. "
               "Win rate: among deals created in LAST_FOUR, won / (won + lost)."),
    shape=_dashboard_shape,
    mistakes={
        "bbc39d6a27857d0628632fb8d1b2d651e59b8dd65ae647a80940d140043d14ea": 'pipeline_value adds up every deal the team ever had. Pipeline is what is still open.',
        "ea0df257c8f2be0a117ada4bd4039d99b7b0e177b71c9c99be9c9da6b2fd46af": 'pipeline_value counts won deals too. Won deals are revenue already: keep only open deals.',
        "04d6efaa64ff290555e61ed9bb6047094c40c81892bb6a8c187486538a407109": 'pipeline_value is a count of deals. Give the dollars: add up `amount`.',
        "e2cfa7973a1ce98cb74dbded8308bc3d1df95db523bfdfacc88bae7f05787f9f": 'closed_value picks deals by the quarter they were created. A deal counts in the quarter it closes.',
        "ced11f7d80090d5dbf2cad09b160c3d249902c3b8f3f9024ce3b155806c981bb": 'closed_value includes deals lost in the quarter. Count won deals only.',
        "0b415beeeb70707c341578914c506b5ef3fe2a0bfe8eaf33e7eb4713a386397c": 'win_rate divides by every deal, open ones included. Open is not lost: leave open deals out.',
        "5220bb0fdb1bb412c3cbaccdada83ce8cd74e3b33ada5ed462e0351873d4ca3b": 'win_rate picks deals by the quarter they closed. Use the deals created in LAST_FOUR.',
    },
)

q2 = Exercise(
    "m09_gap_index", "gap_index", "32f23ec96c4eb6cbd5ccbded6ba9ff8df1b9690d444a791604ebec18f008d23d",
    hint_text=("For each metric m in GAP_METRICS: `comparison[m] / comparison[m + \"_team\"]`; for the metrics in "
               "LOWER_IS_BETTER turn it round. Put the columns in one DataFrame."),
    shape=_gap_shape,
    mistakes={
        "6a46540e071f137ebd288414a783154c2af66f72885d843e7a64ad8a574389ea": 'for cycle days and discount, lower is better: turn those ratios round (team / rep) so below 1 always means worse.',
        "bb0d6d64e8abd620a739f8ec8b8bfeaaa4aee9e51fc038ef6a0ba54b2c577b1d": "you divided by the team's mean. `comparison` holds the median rep in the `_team` columns: use those.",
        "73fd23110e8f08bb09d19de6cc0942f67c4f1b0afc2407280291c0fd2074353e": "those are differences in each metric's own unit (the `_vs_team` columns). Use the ratio to the team median.",
    },
)

q3 = Classification(
    "m09_diagnosis", "diagnosis", "a67509113830c79899cd2a50bf92653dc62d14b502de0e266ca67071d1977721",
    hint_text=("In this order: hired less than RAMP_DAYS before AS_OF -> \"ramping\"; else lowest index below "
               "GAP_THRESHOLD -> that metric's diagnosis in LINKS; else \"no gap\"."),
    labels=('heavy discounting', 'low activity', 'no gap', 'ramping', 'slow follow-up', 'small deals', 'weak closing', 'weak discovery', 'weak proposals', 'weak qualification'),
    item_hashes={
        "Tara Haddad": '7b06b0e2fa370536dbc01da754c7c7fc35e2abe7f76c1cd7c4dc4cd85056e61c',
        "Theo Kowalski": 'e80b3e78573e2f8b87de9adf8dd85b3c011b83804277e7887ed9b18c4aac1277',
        "Owen Vasquez": 'fb9ba44d1c667ae4d879a1f4bd35a021c93dbb764cd7eeac75f6ca90d99ee858',
        "Nina Lopez": '94caf69904bee3e4979a354c595d74f11bcd0b4b27b05cec550064bc6e3389a7',
        "Rafael Xu": '71ffccdf47aac957ad4b7f5a7a2d9ce4ff75908433c062623d709a1f524793db',
        "Fatima Nakamura": 'da8a01db231a4daf0453bb144ae5b9fd5fe72218e6f7419acc345395090f8bfb',
        "Bianca Yilmaz": '42a1c5f9753d48f2998ade1f1f0b3fce082dd8ecc0aa7576b68e4fe94b4bf0e3',
        "Beatriz Duarte": '3ec752d6469a7f3bf749de04712a46d81f68f9deff0d4097ee6e0a26918a42bc',
    },
    mistakes={
        "8838d687b8c69e32e7653d68259d92ffe3376ccc677a341b9b6f9ed554e66e4a": 'one rep joined this year: a rep hired less than RAMP_DAYS before AS_OF is "ramping", whatever the gap.',
        "7c8be54f61171ac5154c6b86ca48a65a1f2e5eece5831e5a1452be24a200fd9f": 'reps whose worst index is at or above GAP_THRESHOLD have "no gap": everyone is below the median on something.',
        "0f541e3ec5c3dcc6903cd53133b72256b2791a31ef39903c3d3fc966c468362b": 'check that gap_index turns cycle days and discount round (team / rep) before you diagnose.',
    },
)

q4 = Classification(
    "m09_verdict", "verdict", "a575f4888d3b78b22e577c7af20c03fe8cc8346534d0035e46c04f46dc660290",
    hint_text=("Each rep's change = their average quarter in the period / their 2023 average - 1. The gap is that "
               "change minus the median change of all the reps in `created`. Then the rule in the table."),
    labels=("market", "personal", "no drop"),
    item_hashes={
        "Beatriz Duarte": 'd0fbd611384a66db41b51767a21dae79ff81337b3c35cea212662cbda9e95a44',
        "Bianca Yilmaz": 'a64836fea625a358e6d2181d1e66ab906cc548055e5d9895f94d343f81457329',
        "Nina Lopez": '77cb34a9bbefde8958dd2915f8dad44fda709304ba88631b6475340d7be76240',
        "Owen Vasquez": '04653b97d24a81837cb057ec29bcda0d6c9fac0574099293adf93b52deab8df2',
        "Rafael Xu": '5ac05972a0324bc0abf77439a87c3b03da1cba8f3e5bf8814c5605ecd9e41dea',
        "Tara Haddad": '9480ec98ff0e131dd9a30ca895b2be4817b2ad90da043e188cec2df6541e0901',
        "Theo Kowalski": 'affab5d1d615cf3a90a83f5408a4c14e1436d9ba7867a01c961c5b7e545bcc01',
    },
    mistakes={
        "ad49e24f597cfc3f61cd29122b6fb172f518fb4d77c7820155fabf8c58284b7b": 'a drop in the downturn alone is not a verdict: look at the recovery too. Who stayed down when the market came back?',
    },
)

q5 = Exercise(
    "m09_focus", "focus", "d382e9f1d39f22b4ffbee5c1f5fc9bd04344af1065c36ff94ff95b11db1c5569",
    hint_text=("Average each rep's ratings in `period_cards` and subtract the team's median rep. For each rep whose "
               "diagnosis has a focus skill in LINKS, take the skill furthest below the team (`idxmin`)."),
    shape=_focus_shape,
    mistakes={
        "4bddf86a95b534b815d11efd096a32f87977ec57ca5122a7cc1db5e89913af71": 'low activity is a habit (will), not a scorecard skill: leave that rep out of `focus`.',
        "d9ff47d439fc6cb59205e0814f852a3e3a41c46b8320d19b90de3055e4ff42cf": 'a ramping rep gets a ramp plan, not a skill focus: leave them out of `focus`.',
    },
)

q6 = Exercise(
    "m09_nina_did", "nina_did", "fa80a5a0f4be375bf4d49532e393d74fde7761e85c60d43f48758ceda558465d",
    hint_text=("`proposal_rate(AFTER) - proposal_rate(BEFORE)` gives every rep's change. Nina's change minus the "
               "mean change of everyone else (drop Nina; reps with no deals in a window drop out)."),
    shape=_share_change,
    mistakes={
        "36447a462e55fee76d525d494aeb7010cc9b4f5e858ddb2429990d2f06895838": "that is Nina's own change only. Subtract the mean change of the other reps over the same quarters.",
        "d642b3fb75c0ccca126b08bbddacef32d301ca7d2073f03edf8bcceb3c2ff0dc": "you subtracted the peers' median change. Use their mean, as Module 08's difference in differences does.",
        "8e01573636bdf754f5fa11611c5a5ccc76d200eaaeca2c2ee14fd379c8887acb": 'the comparison group includes Nina herself. Take the mean change of the other reps only.',
        "0aee4bbfa14658c944e21b5312e59af1912aaeb76ed0f3002a846c50a442c624": 'your after-window includes the quarter of the coaching sessions. Use AFTER: the two quarters after it.',
        "abdc70b43d55c462fabcc1cf0a69c30d4c4da03c188cb0c6dd812e2936fd2d05": "that compares Nina's level with the team's after coaching. The question is about change: her change minus theirs.",
    },
)

q7 = FittingPlanCheck(
    "m09_plan_first", "plan_first", "-",
    hint_text=("Pick a rep with a controllable gap in your `diagnosis`. Skill gap: focus_skill from `focus`, an "
               "indicator from `plans.SKILL_INDICATORS[focus_skill]`. Activity gap: a weekly_ indicator. Baseline: "
               "`plans.indicator_value(indicator, rep_id, *PLAN_PERIOD)`."),
    as_of=AS_OF,
    fitting={
        "3f42ff9d4430dff5f7e4824b86b3e299e8b7c5067cab32d204ecc036cd45d8e8": 'fc1288e25a95d34adbf8fa3d5613908a4bd106d65707439f905e4d0f1222e84c',
        "1231d49760c87eb6736b2f83b0f3bf61c8893474a9cc1ac48265c7db49fc32cf": 'habit',
        "6ec1ec7a93b550ff3ec35a19d27ba93e601f63bd8bbfa5cc1c206b4a8f1ecd34": 'fcde93fcda5ad8f6e9b92a0674c192008296e4d077663c930e48c1db4fd473f0',
        "0baa0e7c08416a3889c0e239545ca7e4ae97b220f2b4ac6f029002a47b730c10": 'bf49590d7ccfde7d4303975bf5b69013fa429b4bb7cd3f0cbd2f34c0c7f7c927',
    },
)

q8 = FittingPlanCheck(
    "m09_plan_second", "plan_second", "-",
    hint_text=("Another rep with a controllable gap than in `plan_first`; the same rules. "
               "`plans.plan_problems(plan_second, as_of=AS_OF)` lists what is left to fix."),
    as_of=AS_OF,
    fitting={
        "7de7b19b962c4744582dc2122c79d28f62ab555e944921309594ce044868ce79": '95cbe01c06cb1e27fa550b617dddbe28bd6de72fe94efb53a582674628a92ea2',
        "60d591c74190e01502ae850d673751e2759bb79f587823eabbd866fca0657f1b": 'habit',
        "41dc26faea1e853d58b45f5bbc7433c99bd3668f2c096c5270a69d052681eb7b": 'b10d5b3c4c7759d44fbc99f28054e83e8a0780ef9afe1d0287a79f8b7b3079a6',
        "59cb9f70bae5f5d4ecdc5ba1cb4f55b41a815583f3b6f34ace717aa0289ee283": '7cfc3593f2bc49db782e42360422cbbadaa9c4765835c99086eb96e1c079ee22',
    },
    other="plan_first",
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/09-capstone-your-first-90-days.json.
def theo_comeback() -> MultipleChoice:
    """By 2025Q2 Theo was far above quota. What would that have shown about the coaching?"""
    return MultipleChoice(
        'm09_theo_comeback',
        'By 2025Q2 Theo was far above quota. What would that have shown about the coaching?',
        options=[
            'That the coaching worked: he went from under a third of quota to about double it.',
            'Very little: a rep picked right after his worst quarters tends to drift back towards his usual level on his own. Only a comparison with similar uncoached reps over the same quarters, and a leading indicator that moved, could show what the coaching added.',
            'That Theo had a skill gap in 2024 and fixed it by himself, so he needs no more attention.',
            'That the Central market caused both the slump and the comeback, so attainment can never be used.',
        ],
        answer_hash='cbe977ba166004fd62dcb7fafd823ed4e1362e05726088ef2afedbe1b26360f0',
        hint='Look at his calls and his proposal rate, not only his attainment. Were those quarters his usual level?',
        feedback={
            'That the coaching worked: he went from under a third of quota to about double it.':
                'sealed:6gu636JM6m/7XwkWFSShuclCGjjTOEZEcNzRA7dAZGPpk5AMPTTzDqUfNTabaLmvCLGOlwW3j18R6UcLViqvabPELMJtwpKX8mzTdU7FFmYYqYU5wI1a5yYIFx4hc8ShF08pBlxiIfTYhErfX0llOBAtiIzN',
            'Very little: a rep picked right after his worst quarters tends to drift back towards his usual level on his own. Only a comparison with similar uncoached reps over the same quarters, and a leading indicator that moved, could show what the coaching added.':
                'sealed:iAIXRW3hqYSGPgByRItub72TnMIlR3B99N9ve2c6qj9oQ7Jee4kwm7O0WurPzFsibmcquvZyAULzaYByly/+7yeixEwH3Gzj0xhOBD97R2e52gmUi8Y=',
            'That Theo had a skill gap in 2024 and fixed it by himself, so he needs no more attention.':
                'sealed:IC9wEWVMa3KtWrKkS3kE0awVp9ANZij2JFjDar+ecbHM+b/3oTsSumLmEgz/SSeslQ3KY9PmE8g9zY52ecvrQYjW8kYWxUZth1lIk+Qc+TlZ07dXvfTUq+TIbcDWvrKX',
            'That the Central market caused both the slump and the comeback, so attainment can never be used.':
                'sealed:Vr432D/tfxsUt0QmEJmEN4QsyPqqPPaDQYexEqfmvQnNIIRVWNqWDsjysUYbpkyj4hN45d5xbFtriha4pqbpFYJNoojZXKoo4X3zELE09zCFZDT14It3kX/irvFtcqCqNYaVsOcGp2t5NOCns6yHkIOF2AveM8lp8h0pi05qOGRuqCWv8UwPw5g5NoAvq5ZICWIOfdK9CxvTJbUhpiHdLvOttivrPtPCbYK+uuHgpc6FovFGIodmC26sZIzHOuRYd49aJliU76zoIjW3cP0VXzJz9dq47JfcD1QI49vAigfX',
        },
    )
