"""Self-checks for Module 08 · Did the coaching work?"""
import numbers

from course.checks import Exercise
from course.widgets import MultipleChoice


def _one_number(value):
    if hasattr(value, "__len__") and not isinstance(value, str):
        return "give one number, the average over the reps, not one value per rep: take `.mean()` of your changes."
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "give a number, for example `float(...)` of your average."
    if value != value:
        return "that is NaN (not a number): a window or a filter kept no rows. Check one rep at a time."
    return None


def _rating_change(value):
    problem = _one_number(value)
    if problem:
        return problem
    if abs(value) > 4:
        return "ratings run from 1 to 5, so a change in rating points lies between -4 and 4."
    return None


def _points_change(value):
    problem = _one_number(value)
    if problem:
        return problem
    if 0 < abs(value) < 1.5:
        return ("quota attainment is in percent (100 = on quota): give the change in percentage points, "
                "such as 12.5, not 0.125.")
    return None


q1 = Exercise(
    "m08_coached_change", "coached_change",
    "5971ce4782379e7a864d3509fa74bf4d8e86dc3f6374729b6de7c6a8ef8fdfe7",
    hint_text=(
        'Loop with `for rep_id, row in planned.iterrows():`, call `before_after([rep_id], '
        'row["focus_skill"], row["start"])`, keep after minus before, then take the mean of the ten '
        'changes.'
    ),
    shape=_rating_change,
    mistakes={
        # all_coached
        "1cdba0bf6ecb943930bc8c9787b6b93227d52c6e9903ff3d6cd9ed9e5c7cfb8e":
            (
                'that includes the reps picked after a bad quarter. This exercise measures the '
                'planned program: use `planned`.'
            ),
        # pooled
        "6ffc7f253b58ccc4ac1bc455b03a8a0276eaa9cccc5688306e3fac81eaa0f9bc":
            (
                'you pooled every rating before and every rating after, so reps with more observed '
                "calls count more. Compute each rep's change first, then average the changes."
            ),
        # all_skills
        "3d185d71ca0f46e080565cff85d035177acaba5a86914cb3e70967304e98b25a":
            (
                'that averages all five skills. Coaching worked on one skill per rep: measure each '
                "rep's own `focus_skill`."
            ),
        # whole_period
        "7c29463fe21b59803ae85f0c10f4b665f9af9db43825c23a6671da0e7c918a22":
            (
                'that compares everything before the start with everything after it. Use the 26-week '
                'windows of `before_after`, the same for every rep.'
            ),
        # q13
        "a928136324bdc32e37dd2eaa1b7eabb7b6ef3d59bafe973abef38cd6f3a86bbc":
            'that uses 13-week windows. Use `before_after` as given: 26 weeks each side.',
        # rounded2
        "cb98b73c28f016c1a8af1e09fc915d8916cb92e671df8dd10b7bfaa3db2ae34c":
            'close: that is rounded. Give the unrounded average.',
        # rounded1
        "847acb9ccf3cdb61a168c58c9f1e4dbe55cb4d9c7bdb48406d4004cb0cf90940":
            'close: that is rounded. Give the unrounded average.',
    },
)


q2 = Exercise(
    "m08_comparison_change", "comparison_change",
    "709f3ec61bd40f318827d2536738610d0ba81d36efc0e8e0ae414978e52b5311",
    hint_text=(
        'Same loop over `planned`, but call `before_after(COMPARISON, row["focus_skill"], '
        'row["start"])`: average the comparison reps\' after minus before for that rep\'s skill and '
        'weeks, then average over the ten planned reps.'
    ),
    shape=_rating_change,
    mistakes={
        # with_new_hires
        "bd355931f84eadf0975cf2b64d7e42ed0af847806754a28f57470e2f912fe05b":
            (
                'that includes the new hires. They were still learning the job, so their scores rise '
                'by themselves: use `COMPARISON`.'
            ),
        # all_others
        "fe0523c6dbc3a349fc98953531901a59e289ef6da3dcdc7a2a285d12c3ced550":
            (
                'that compares with every rep who was not in the planned program, including the '
                'reps coached after a bad quarter and the new hires. Use `COMPARISON`.'
            ),
        # all_skills
        "d75288c652f6aa0db1f229f5786ca85d01b2189938ddbe14ee9f5d4d72d92835":
            (
                'that averages all five skills. Compare the same skill the coached rep worked on, '
                'over the same weeks.'
            ),
        # whole_period
        "aaa9df2db75dc2ad63f6a3d9f907e419202f65073f178261920130e1c34d752e":
            'use the 26-week windows of `before_after`, the same as for the coached reps.',
        # coached
        "575071c08bf1389c59b0f82be2827f00bae0f81e280ed65c6070a3ce71f0894f":
            (
                "that is the coached reps' own change. Now measure the uncoached reps in "
                '`COMPARISON`.'
            ),
        # rounded3
        "2fc2836c779bde2f453269157caa6b276fab359125d061b12793c032700e54df":
            'close: that is rounded. Give the unrounded average.',
    },
)


q3 = Exercise(
    "m08_did", "did",
    "12a92e695b461344f51daf9a30b5e5a8b5805b8a6239868dc326abb188d32887",
    hint_text="The coached reps' change minus the comparison group's change over the same weeks.",
    shape=_rating_change,
    mistakes={
        # reversed
        "c5090878b12bb69475475cc45ce964f84e40d4ae1f94f5c0ac66e3a7a1e19a22":
            'the sign is reversed: take the coached change minus the comparison change.',
        # coached
        "5bd5af67081f35171b990d52d0a286aa12eb4c596bc4eea5874a6b1e4ca9c05a":
            "that is the before/after change alone. Subtract the comparison group's change.",
        # rounded2, rounded1 (0.70 and 0.7)
        "eb640c44478a03b40355ed72b871ca29df02412b0b028b2a4f247344714d3960":
            'close: that is rounded. Give the unrounded difference.',
    },
)


q4 = Exercise(
    "m08_naive_gain", "naive_gain",
    "dfc802bdadda9b343ed204ae7102e2bbc7d60aa145475a6b3afd2344971926d9",
    hint_text=(
        'For each rep in `picked`: `attainment.loc[rep_id, row["coaching_quarter"]]` minus '
        '`attainment.loc[rep_id, row["quarter_before"]]`; then the mean over the five reps.'
    ),
    shape=_points_change,
    mistakes={
        # planned
        "4bf5a779dfbd3d10b5c24dac97dd7530aafa2652ff08e63b30a973e4b4b966c0":
            "that uses the planned reps. The slide's claim is about the reps in `picked`.",
        # all_coached
        "e1aeb33801b9be1ff968f60c6285c3db3f8b8e0819ddd3b653b89b0a6fb703a5":
            "that uses every coached rep. The slide's claim is about the reps in `picked`.",
        # closed_value
        "ef84661ae60a0997fe99a80bbafe339f19a0c7e1efe6eea5e2d08b9c0d385a0c":
            'that is in dollars of closed value. Use quota attainment (`attainment`), in points.',
        # one_later
        "6a3ae3d54c4753e7aa1f7865ef9e054c3be13cd6377f00939a392b31ef3f8534":
            (
                'that starts from the coaching quarter. The slide compares the bad quarter '
                '(`quarter_before`) with the coaching quarter.'
            ),
        # vs_usual
        "80a0f269b75654b1106df606543db0da7ff8569569608d573a31e36103bfff84":
            (
                "that compares the coaching quarter with the rep's usual level. The slide's claim "
                'starts from the bad quarter (`quarter_before`).'
            ),
        # rounded1, rounded0 (70.0 and 70)
        "d4d3abe32ef74b6689fa4b0124c8d65f9c5ea467b699368852247820029dac71":
            'close: that is rounded. Give the unrounded average.',
    },
)


q5 = Exercise(
    "m08_same_rule_bounce", "same_rule_bounce",
    "ce061401e180bc825aa13e18148d71045fe22d3c49d65c6b164d102119c06675",
    hint_text=(
        'For each `bad_quarter, how_many` in `ROUNDS.items()`: `attainment.loc[COMPARISON, bad_quarter] '
        '/ usual[COMPARISON]`, then `.nsmallest(how_many).index` are the reps the rule picks; their bounce '
        'is the next column of `attainment` minus the bad quarter. Average over every rep you picked.'
    ),
    shape=_points_change,
    mistakes={
        # worst_of_nine
        "d2d8ae3e3984a692d0a38d8e4a429b1d6edc9ba928f482ac5a681686328d8724":
            (
                "that is each rep's bounce after their worst quarter of all. The control must be picked "
                "the way the coached reps were: by the slide's rule, in the same quarters (`ROUNDS`)."
            ),
        # with_new_hires
        "19ef3c2a9f4525eb3e1437cc229f14f1e6c1968f4f4e07c2e4687b278faf2bda":
            (
                'that includes the new hires, whose first quarters are ramp-up, not bad luck. Use '
                '`COMPARISON`.'
            ),
        # lowest_attainment
        "8cc0f99a9ee47fb4eff26fdec9cab45e056f1e90fa7b48c60e3375b6823aa097":
            (
                "that picks the lowest attainment. The rule picks the quarters that came in at the "
                "smallest share of the rep's own `usual`."
            ),
        # rounded1
        "d7ef20197a522c5e8c6f803c819eb5a996d878461149ccea4e1a4387e86d00aa":
            'close: that is rounded. Give the unrounded average.',
        # rounded0
        "4d0340a7d590d0fed30cb7433d92084f8b4b6b0fb4ed5aa6f6687af38da0b5b5":
            'close: that is rounded. Give the unrounded average.',
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/08-did-the-coaching-work.json.
def unsupported_claim() -> MultipleChoice:
    """Your predecessor's slide deck makes four claims. Which one does the data NOT support?"""
    return MultipleChoice(
        'm08_unsupported_claim',
        "Your predecessor's slide deck makes four claims. Which one does the data NOT support?",
        options=[
            "On the skill they were coached on, the planned reps' observed calls improved by more than the same skill of similar uncoached reps over the same weeks.",
            'Coaching lifted the quota attainment of the reps who were picked right after a bad quarter.',
            'Most uncoached reps also had a better quarter right after their worst one, with no coaching at all.',
            "The planned reps' gain is not explained by scores rising for everyone over those weeks.",
        ],
        answer_hash='1c5d45abc526c4759b78c96b4234d6a2f37a6c28decf4fbbd69b17d9548d7d5e',
        hint='For each claim, find the number you computed that speaks to it. Which claim is about a cause the comparison group rules out?',
        feedback={
            "On the skill they were coached on, the planned reps' observed calls improved by more than the same skill of similar uncoached reps over the same weeks.":
                'sealed:m+b/uHHAANqTn6tteeQgu+rk3GoQbREPViRMq3AJ7Jdb4WniXtnp9dTxWrVw7QYU/IM7HU9K+/DWrIHQcik+PLGDBV5MXFYimR6tafliJQJPZw==',
            'Coaching lifted the quota attainment of the reps who were picked right after a bad quarter.':
                'sealed:IHzcRrwlRclVeNFyr87AgTzlZ2gHbl0bXe9FQFbQDcRy4hdt9G9Y/3JU/hmcSW+fdj0gAECxs2H/71Gzk5lvi1JHAOtjlwjpIGvYIL7hXXN59c+2WQIaQOXMf7PN6JJDd0tqzcCnO5YEMTvuEJeq0MnU6WEvzTFvV5Ei6lZIL05atzFuIE0+33J8Ma8+QPrFxewBAWZfmBoVlEoXUbMlufoD1oKuyW/imYYyTt/+',
            'Most uncoached reps also had a better quarter right after their worst one, with no coaching at all.':
                'sealed:B0xYs+WJlTooqcvG34MrcDDoD3K77w69500YnYaQtOTRtOCbfQg+uXPcR1B73GczVIWZsXd2LyShkma+tKkKGVBrpkE0HRlIkg2d+qsrUs3DoDmV3AT8u5W7ByJPjMXkB2GL4z4S',
            "The planned reps' gain is not explained by scores rising for everyone over those weeks.":
                'sealed:PB+Otkp4zBRdMO/mdZfTSm5ojpiOEnKOO81cnf4RT8uzXgzyctFhL34YP2tjMvcM57JN/kKq5LK3kwSA9j7AEM/couR44IBl3lnws85RGZPMerbHYpMolQynhQMnXUFF',
        },
    )
