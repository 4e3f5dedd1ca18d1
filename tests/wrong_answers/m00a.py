"""Plausible wrong answers for 00a-just-enough-pandas."""
from wrong_answers import WrongAnswer

MODULE = "00a-just-enough-pandas"
WRONG = [
    WrongAnswer(  # the average rep's quota, not the total
        answer_cell="company_quota_answer", code='company_quota = int(reps["quarterly_quota"].mean())',
        loses=("company_quota_adds_up_every_rep",),
    ),
    WrongAnswer(  # the blank filled with the wrong outcome
        answer_cell="open_count_answer",
        code='open_deals = opps[opps["outcome"] == "won"]\nopen_count = len(open_deals)',
        loses=("open_count_counts_open_deals",),
    ),
    WrongAnswer(  # the second condition left out: every deal of Paula's
        answer_cell="paula_won_value_answer",
        code='paula_won = opps[opps["rep_id"] == "R001"]\npaula_won_value = int(paula_won["amount"].sum())',
        loses=("paula_won_value_adds_up_her_wins",),
    ),
    WrongAnswer(  # every deal of $100,000 or more, whatever its outcome
        answer_cell="big_losses_answer", code='big_losses = len(opps[opps["amount"] >= 100000])',
        loses=("big_losses_counts_large_lost_deals",),
    ),
    WrongAnswer(  # reps per team instead of quota per team
        answer_cell="team_quota_answer",
        code='team_quota = reps.groupby("team", observed=True)["rep_id"].count().to_dict()',
        loses=("team_quota_adds_up_each_team",),
    ),
    WrongAnswer(  # the longest-serving rep instead of the newest
        answer_cell="newest_rep_answer",
        code='beacon = reps[reps["team"] == "Beacon"]\nnewest_rep = beacon.loc[beacon["hire_date"].idxmin(), "name"]',
        loses=("newest_rep_is_latest_hire",),
    ),
    WrongAnswer(  # open deals counted as lost
        answer_cell="outcome_summary_answer",
        code='outcome_summary = {"won": int((opps["outcome"] == "won").sum()), "lost": int((opps["outcome"] != "won").sum())}',
        loses=("outcome_summary_counts_won_and_lost",),
    ),
    WrongAnswer(  # the team with the most reps
        answer_cell="tallest_bar_answer",
        code='tallest_bar = reps["team"].value_counts().idxmax()',
        loses=("tallest_bar_is_largest_team_quota",),
    ),
]
