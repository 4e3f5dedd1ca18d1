"""Plausible wrong answers for 01-managing-vs-coaching."""
from wrong_answers import WrongAnswer

MODULE = "01-managing-vs-coaching"
WRONG = [
    WrongAnswer(  # "one-on-one means coaching": the status review A16 labelled coaching
        answer_cell="classify_remarks_answer",
        code=(
            'labels = {f"A{i:02d}": "managing" if i % 2 else "coaching" for i in range(1, 17)}\n'
            'labels["A16"] = "coaching"'
        ),
        loses=("classify_remarks_managing_or_coaching",),
    ),
    WrongAnswer(  # averages per rep instead of team totals
        answer_cell="team_review_answer",
        code='team_review = quarter[["pipeline_created", "proposals_presented", "deals_closed", "closed_value"]].mean().to_dict()',
        loses=("team_review_totals",),
    ),
    WrongAnswer(  # counts instead of rates: the rep with the fewest deals closed
        answer_cell="coach_first_answer",
        code='coach_first = year.loc[year["deals_closed"].idxmin(), "name"]',
        loses=("coach_first_lowest_close_rate",),
    ),
    WrongAnswer(
        widget=("m01_ask_or_tell", {
            "What would you try differently on the next call?": "asking",
            "Send the proposal by Friday.": "telling",
            "Don't you think you should call them today?": "asking",  # the leading-question trap
            "How did the buyer react when you mentioned price?": "asking",
            "Next time, open with the customer's goals, not our features.": "telling",
            "What's one skill you'd like to get better at this month?": "asking",
        }),
        loses=("ask_or_tell_sorted",),
    ),
    WrongAnswer(  # the cheerleader's question read as the facilitator's
        widget=("m01_five_roles", {
            'Before you send it, let me walk you through how I build a pricing page, line by line.': 'teacher',
            "You've sounded flat since the Acme loss. What's weighing on you?": 'counselor',
            'At hospitals the IT security review adds a month. Start it at the first meeting, not the last.': 'guide',
            "What would a good outcome of Thursday's meeting look like for you?": 'facilitator',
            "Your last three demos all ended with a date for the next meeting. That's new. What changed?": 'facilitator',
            'Watch me run the first ten minutes of this call; you take the next ten.': 'teacher',
            'Here the regional VP signs every deal over the threshold, so her chief of staff is worth knowing early.': 'guide',
            "You've listed three ways to reach the CFO. Which would you try first?": 'facilitator',
            "You said you're worried this quarter makes you look like a bad hire. Tell me more about that.": 'counselor',
            'Two months ago price questions threw you; today you handled three in a row. Keep that going.': 'cheerleader',
        }),
        loses=("five_roles_recognized",),
    ),
    WrongAnswer(  # praise before listening
        widget=("m01_role_for_situation", "Cheerleader: remind her she has been the team's steadiest closer for eight years."),
        loses=("role_for_situation_chosen",),
    ),
]
