"""Plausible wrong answers for 08-did-the-coaching-work."""
from wrong_answers import WrongAnswer

MODULE = "08-did-the-coaching-work"
WRONG = [
    WrongAnswer(  # every coached rep, the bad-quarter picks included
        answer_cell='coached_change_answer',
        code='coached_change = float(pd.Series({rep_id: before_after([rep_id], row["focus_skill"], row["start"]).diff(axis=1)["after"].iloc[0]\n                                  for rep_id, row in program.iterrows()}).mean())',
        loses=('coached_skill_change_before_after', 'did_is_coached_minus_comparison'),
    ),
    WrongAnswer(  # all five skills instead of the coached one
        answer_cell='coached_change_answer',
        code='scored = cards.assign(all_skills=cards[SKILLS].mean(axis=1))\n_changes = []\nfor rep_id, row in planned.iterrows():\n    _t = before_after([rep_id], "all_skills", row["start"], scorecards=scored)\n    _changes.append(_t["after"].iloc[0] - _t["before"].iloc[0])\ncoached_change = float(np.mean(_changes))',
        loses=('coached_skill_change_before_after', 'did_is_coached_minus_comparison'),
    ),
    WrongAnswer(  # new hires kept in the comparison group
        answer_cell='comparison_change_answer',
        code='everyone_uncoached = list(uncoached["rep_id"])\n_changes = []\nfor rep_id, row in planned.iterrows():\n    _t = before_after(everyone_uncoached, row["focus_skill"], row["start"])\n    _changes.append((_t["after"] - _t["before"]).mean())\ncomparison_change = float(np.mean(_changes))',
        loses=('comparison_change_same_weeks', 'did_is_coached_minus_comparison'),
    ),
    WrongAnswer(  # the sign reversed
        answer_cell='did_answer',
        code='did = comparison_change - coached_change',
        loses=('did_is_coached_minus_comparison',),
    ),
    WrongAnswer(  # the planned reps instead of the picked ones
        answer_cell='naive_gain_answer',
        code='naive_gain = float(np.mean([attainment.loc[r, row["coaching_quarter"]] - attainment.loc[r, row["quarter_before"]]\n                            for r, row in planned.iterrows()]))',
        loses=('naive_gain_picked_reps_next_quarter',),
    ),
    WrongAnswer(  # closed value in dollars, not attainment
        answer_cell='naive_gain_answer',
        code='value = results.pivot(index="rep_id", columns="quarter", values="closed_value")\nnaive_gain = float(np.mean([value.loc[r, row["coaching_quarter"]] - value.loc[r, row["quarter_before"]]\n                            for r, row in picked.iterrows()]))',
        loses=('naive_gain_picked_reps_next_quarter',),
    ),
    WrongAnswer(  # the old control: each uncoached rep's bounce after their worst quarter of all
        answer_cell='same_rule_bounce_answer',
        code='_gains = []\nfor rep_id in COMPARISON:\n    _row = attainment.loc[rep_id, attainment.columns[:-1]]\n    _worst = _row.idxmin()\n    _next = attainment.columns[list(attainment.columns).index(_worst) + 1]\n    _gains.append(attainment.loc[rep_id, _next] - _row[_worst])\nsame_rule_bounce = float(np.mean(_gains))',
        loses=('uncoached_bounce_same_rule_same_quarters',),
    ),
    WrongAnswer(  # new hires' ramp-up counted as a bad quarter
        answer_cell='same_rule_bounce_answer',
        code='_everyone = list(uncoached["rep_id"])\n_gains = []\nfor _bad, _count in ROUNDS.items():\n    _fall = attainment.loc[_everyone, _bad] / usual[_everyone]\n    _next = attainment.columns[attainment.columns.get_loc(_bad) + 1]\n    for _rep in _fall.nsmallest(_count).index:\n        _gains.append(attainment.loc[_rep, _next] - attainment.loc[_rep, _bad])\nsame_rule_bounce = float(np.mean(_gains))',
        loses=('uncoached_bounce_same_rule_same_quarters',),
    ),
    WrongAnswer(  # picks a claim the data supports
        widget=('m08_unsupported_claim', 'Most uncoached reps also had a better quarter right after their worst one, with no coaching at all.'),
        loses=('unsupported_claim_is_bad_quarter_coaching',),
    ),
]
