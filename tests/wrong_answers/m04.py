"""Plausible wrong answers for 04-its-the-economy."""
from wrong_answers import WrongAnswer

MODULE = "04-its-the-economy"
WRONG = [
    WrongAnswer(  # the scoreboard instead of the leading number: closed value lags and swings
        answer_cell="downturn_change_answer",
        code=(
            'closed = team.pivot(index="name", columns="quarter", values="closed_value")\n'
            'downturn_change = closed[DOWNTURN].mean(axis=1) / closed[BASELINE].mean(axis=1) - 1'
        ),
        loses=("downturn_change_vs_own_baseline",),
    ),
    WrongAnswer(  # the bounce from the downturn instead of the level vs. the 2023 baseline
        answer_cell="recovery_change_answer",
        code='recovery_change = opps[RECOVERY].mean(axis=1) / opps[DOWNTURN].mean(axis=1) - 1',
        loses=("recovery_change_vs_own_baseline",),
    ),
    WrongAnswer(  # own past only, no peers: everyone in Central dropped, so half the team is flagged
        answer_cell="verdict_answer",
        code=(
            '_down = opps[DOWNTURN].mean(axis=1) / baseline - 1\n'
            '_rec = opps[RECOVERY].mean(axis=1) / baseline - 1\n'
            'verdict = {name: "no drop" if _down[name] >= -0.20 else ("market" if _rec[name] >= -0.20 else "personal")\n'
            '           for name in opps.index}'
        ),
        loses=("verdict_market_or_personal",),
    ),
    WrongAnswer(  # the downturn alone: every big drop is accepted as the market's
        answer_cell="verdict_answer",
        code=(
            '_down = opps[DOWNTURN].mean(axis=1) / baseline - 1\n'
            'verdict = {name: "no drop" if _down[name] - _down.median() >= -0.20 else "market" for name in opps.index}'
        ),
        loses=("verdict_market_or_personal",),
    ),
    WrongAnswer(  # argues and compares in the first sentence
        widget=("m04_respond_to_excuse",
                "\"That's not true. Most of the team held up fine, so it's not the market.\""),
        loses=("first_reply_acknowledges_then_looks",),
    ),
    WrongAnswer(  # argued, led, then rescued and told
        widget=("m04_economy_conversation", [0, 0, 0, 0, 0]),
        loses=("economy_conversation_coached",),
    ),
    WrongAnswer(  # coached every step but let the commitment slide: no date
        widget=("m04_economy_conversation", [1, 3, 0, 2, 2]),
        loses=("economy_conversation_coached",),
    ),
]
