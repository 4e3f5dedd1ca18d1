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
        "720af9bb2ed96fd0bd50a92bcc89cda1bd2e3214ed80346d2ca05dfdf717886a":
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
    "51c030723ba6133ee6eb605697226f34a4a50b9624c62b80aaa65d831e66fa62",
    hint_text=(
        'Same loop over `planned`, but call `before_after(COMPARISON, row["focus_skill"], '
        'row["start"])`: average the comparison reps\' after minus before for that rep\'s skill and '
        'weeks, then average over the ten planned reps.'
    ),
    shape=_rating_change,
    mistakes={
        # with_new_hires
        "3f785fc508b881449a311c2bc660221e9c5f1479160c6810d2260d6f01ef6ee6":
            (
                'that includes the new hires. They were still learning the job, so their scores rise '
                'by themselves: use `COMPARISON`.'
            ),
        # all_others
        "cd4135f64571178f13a4eb8088d991a9b7b356d9fbb84a380c2cdcf7c9baa6f8":
            (
                'that compares with every rep who was not in the planned program, including the '
                'reps coached after a bad quarter and the new hires. Use `COMPARISON`.'
            ),
        # all_skills
        "17f2289a7a69028456e61b22ebd3acfd706c9f250a4ec36dcc65b072ead70320":
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
        "322e046b0a3c4b088643320d8393111fac2cf71baf8e1406aca17f2da46a494c":
            'close: that is rounded. Give the unrounded average.',
    },
)


q3 = Exercise(
    "m08_did", "did",
    "b0aadf5845547a637dd7af627a23d595f815d5e77f18f9e5bd8f5aaa58819d74",
    hint_text="The coached reps' change minus the comparison group's change over the same weeks.",
    shape=_rating_change,
    mistakes={
        # reversed
        "6596d1462cde7ee25416268d7a837c8383bb9f74a687d2ec370e2e44f169f086":
            'the sign is reversed: take the coached change minus the comparison change.',
        # coached
        "5bd5af67081f35171b990d52d0a286aa12eb4c596bc4eea5874a6b1e4ca9c05a":
            "that is the before/after change alone. Subtract the comparison group's change.",
        # rounded2
        "bf6c0dc9fad7a9c9d263a6294f43d007521b266eff339890427124bc6d48f08f":
            'close: that is rounded. Give the unrounded difference.',
        # rounded1
        "eb640c44478a03b40355ed72b871ca29df02412b0b028b2a4f247344714d3960":
            'close: that is rounded. Give the unrounded difference.',
    },
)


q4 = Exercise(
    "m08_naive_gain", "naive_gain",
    "48f115c4f5421c5257a430c5ca6a7c538b396fc8bac19d4376c88ba099f08c9e",
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
        "b699657cc43ff4228f34c6f102094b2c61ff05a443f54837706b88578ef9a542":
            "that uses every coached rep. The slide's claim is about the reps in `picked`.",
        # closed_value
        "70a494ff4e3e763be41060725635825329667e2bf060b772b5359c2e637770ae":
            'that is in dollars of closed value. Use quota attainment (`attainment`), in points.',
        # one_later
        "54979ccb573945967cb286219a791ae1ae3091a1dd191b695d315cd907390e5e":
            (
                'that starts from the coaching quarter. The slide compares the bad quarter '
                '(`quarter_before`) with the coaching quarter.'
            ),
        # vs_usual
        "c92b1ceb42ce0b147891c3c9914d2d3317cc529fc39ae3ba7ff5634c5ba79bb7":
            (
                "that compares the coaching quarter with the rep's usual level. The slide's claim "
                'starts from the bad quarter (`quarter_before`).'
            ),
        # rounded1
        "468fd9d944fd96f37fb96a31a10064dbec1cc2be0bd9d82cb7245dec2902fe67":
            'close: that is rounded. Give the unrounded average.',
        # rounded0
        "186b5f0818fe3e875aba32b4891caecd00961db047aded05350f94220a70907e":
            'close: that is rounded. Give the unrounded average.',
    },
)


q5 = Exercise(
    "m08_same_rule_bounce", "same_rule_bounce",
    "a277957b4832607576127eb12caf3fd39da9fd509f81491f60c23d699d1bed58",
    hint_text=(
        'For each `bad_quarter, how_many` in `ROUNDS.items()`: `attainment.loc[COMPARISON, bad_quarter] '
        '- usual[COMPARISON]`, then `.nsmallest(how_many).index` are the reps the rule picks; their bounce '
        'is the next column of `attainment` minus the bad quarter. Average over every rep you picked.'
    ),
    shape=_points_change,
    mistakes={
        # worst_of_nine
        "31e44f0aa80e0da3060851910f3ffb394865fa8d3a345af7587cba86d288c116":
            (
                "that is each rep's bounce after their worst quarter of all. The control must be picked "
                "the way the coached reps were: by the slide's rule, in the same quarters (`ROUNDS`)."
            ),
        # with_new_hires
        "3831faa4fee3f9a1c583c7c2596d922bb4d81ba98f7c9ead3153e165a2eb4242":
            (
                'that includes the new hires, whose first quarters are ramp-up, not bad luck. Use '
                '`COMPARISON`.'
            ),
        # lowest_attainment
        "d418005a3a0f87d04ef467840e67b9b33cb08d018aa7eeec54d7bfc2f334fd10":
            (
                "that picks the lowest attainment. The rule picks the quarters that fell furthest below "
                "the rep's own `usual`."
            ),
        # rounded1
        "2a3b2436065df39a49302a0c7eecb9daf0d589946b29da6ced2ac338299bcb12":
            'close: that is rounded. Give the unrounded average.',
        # rounded0
        "f371aabb82ae397817237fdf15d5ff08df1094d1844000e23823e6b5d5e3d906":
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
