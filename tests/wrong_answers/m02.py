"""Plausible wrong answers for 02-managers-dashboard."""
from wrong_answers import WrongAnswer

MODULE = "02-managers-dashboard"
WRONG = [
    WrongAnswer(  # every opportunity's amount, won and lost included
        answer_cell="pipeline_value_answer",
        code='pipeline_value = int(team_opps["amount"].sum())',
        loses=("pipeline_value_counts_open_only",),
    ),
    WrongAnswer(  # won deals picked by the quarter they were created
        answer_cell="closed_value_answer",
        code=(
            'won_created = team_opps[(team_opps["outcome"] == "won") & (team_opps["created_quarter"] == QUARTER)]\n'
            'closed_value = int(won_created["amount"].sum())'
        ),
        loses=("closed_value_counts_by_closed_date",),
    ),
    WrongAnswer(  # open deals counted as lost: won / all
        answer_cell="win_rate_answer",
        code='win_rate = float((recent["outcome"] == "won").mean())',
        loses=("win_rate_leaves_out_open_deals",),
    ),
    WrongAnswer(  # averaged over every closed deal, lost ones included
        answer_cell="avg_deal_size_answer",
        code='avg_deal_size = float(team_opps.loc[team_opps["closed_quarter"].isin(LAST_FOUR), "amount"].mean())',
        loses=("avg_deal_size_over_won_deals",),
    ),
    WrongAnswer(  # the discount question put on the dashboard
        widget=("m02_numbers_or_why", {**{'How much open pipeline the team carries into next quarter': 'the dashboard shows it', 'Which rep won the most value over the year': 'the dashboard shows it', "What share of the team's decided deals it won": 'the dashboard shows it', "Whether the team's closed value rose or fell from quarter to quarter": 'the dashboard shows it', "Why a rep's deals stall before the proposal": 'ask the rep', 'Which questions a rep asks in the first ten minutes of a discovery call': 'ask the rep', 'What the buyer heard when a rep offered a big discount': 'ask the rep', "Whether a rep's lost deals were lost on price or on fit": 'ask the rep'}, "What the buyer heard when a rep offered a big discount": "the dashboard shows it"}),
        loses=("numbers_or_why_sorted",),
    ),
]
