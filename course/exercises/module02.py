"""Self-checks for Module 02 · The manager's dashboard."""
from course.checks import Exercise, dollars, share
from course.widgets import Sorter


q1 = Exercise(
    "m02_pipeline_value", "pipeline_value", "a999dadd825dffb3f0993006374dbb9e1c0694a960163f9fdec503765f0afb7e",
    hint_text=("Keep the rows of `team_opps` whose `outcome` is \"open\", then add up their `amount`. "
               "Won deals are already revenue and lost deals will never be."),
    shape=dollars,
    mistakes={
        "68ca6803f516079a350dcd4c4f123020d1f1dd6ca50c6ff136edb9cfff68da74": "that adds up every opportunity the team ever had, won and lost included. Pipeline is what is still open.",
        "0975e2ca93da87556a00ebf86684fd43d109157c8ba6d0d2d5be641299b198cf": "that is how many deals are open, not what they are worth. Pipeline value is in dollars.",
        "b67e2fcf2eb3071b5e873f1d03342ab2de70dd8b420b789d3af4117f6da3e6a8": "that is what the team created this quarter, including deals already won or lost. Pick deals by their outcome, not their created date.",
        "c000033e3cff07b195dcdbbcbea8e43127cb60684cc288d18ad5b1bae52f1958": "won deals are closed business, not pipeline. Keep only open deals.",
    },
)

q2 = Exercise(
    "m02_closed_value", "closed_value", "accfb37a49d210961583a6cdc5b4718ecd40d24737a0fb2845c83e9038da86b0",
    hint_text=("Two conditions, joined with `&`: the deal was won, and its `closed_quarter` is `QUARTER`. "
               "Then add up `amount`."),
    shape=dollars,
    mistakes={
        "8a8353929b3f63a132d0c8a7ecdb6bb194822a679da13497e7cf4c6461203869": "you picked deals by the quarter they were created. A deal counts in the quarter it closes.",
        "d012698efea8a7dc33a7af91de36398bf249305758c0cf72ece582210af20b3f": "that includes lost deals closed in the quarter. Closed value is won business only.",
        "09abafd496babdcbe9396120f15bc79480814f89d5be58dc287f54ec65ca2e0b": "that is the number of deals won, not their value. Add up `amount`.",
    },
)

q3 = Exercise(
    "m02_win_rate", "win_rate", "6ff0f7256594d5a9f00fa07f480b34a859714a9cf1206bd4ef3f2407b13a76da",
    hint_text=("Among `recent`, count the won deals and the lost deals. Win rate = won / (won + lost): "
               "open deals have no outcome yet, so they are in neither."),
    shape=share,
    mistakes={
        "5793aea3c9a408cea82c24393b6adf6121ac574b5a77384fc621d459148c5673": "you divided by every opportunity, open ones included. Open deals are not lost deals: leave them out.",
        "e221f8d35a38b70d9eb1533242d197870fc1bd75e324c531dd1dd1b6b9a54895": "you picked deals by the quarter they closed. This question is about the deals created in `LAST_FOUR`.",
        "5d7820c337ec9e63f7d6a960c7e78e2a160385ce67af2ac8fb44ec22910c5b3e": "that is won divided by lost. Divide by every deal with an outcome: won plus lost.",
    },
)

q4 = Exercise(
    "m02_avg_deal_size", "avg_deal_size", "e6ec21c4b050986b6b4a9584e928c3b333397318760b47a8d439063d25a9faee",
    hint_text=("Keep the won deals whose `closed_quarter` is in `LAST_FOUR`; their mean `amount` is the average "
               "deal size (closed value divided by deals won)."),
    shape=dollars,
    mistakes={
        "19b2dc5ed14a578bffe1a49aa6c0fff7c4f6cc0ff8a86cf784b8e5f8ec97d78a": "that averages lost deals too. A deal size is the value of a deal you won.",
        "7892d7654834fa369a9580bd0f8d710f82ce4e202d973b2bae77ab46557ee74f": "that averages every opportunity created in the period, whatever happened to it. Use won deals, by closed quarter.",
        "e54bf0e99648a23852781a34db1a7af5ae2f20dc57635024c1b53b40b3d0ff0f": "that is closed value per rep, not per deal. Divide by the number of deals won.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/02-managers-dashboard.json.
def numbers_or_why() -> Sorter:
    """Put each question where its answer can be found."""
    return Sorter(
        'm02_numbers_or_why',
        items=[
            'How much open pipeline the team carries into next quarter',
            'Which rep won the most value over the year',
            "What share of the team's decided deals it won",
            "Whether the team's closed value rose or fell from quarter to quarter",
            "Why a rep's deals stall before the proposal",
            'Which questions a rep asks in the first ten minutes of a discovery call',
            'What the buyer heard when a rep offered a big discount',
            "Whether a rep's lost deals were lost on price or on fit",
        ],
        bins=['the dashboard shows it', 'ask the rep'],
        answer_hash='914da220ab867f1d516144a17f6f58540c03406eb6ff6b8c401ef42b1c872a70',
        hint='Could you read the answer off one of the panels or tables above? If it is about how or why someone sells, it is not there.',
        prompt='Put each question where its answer can be found.',
    )
