"""Plausible wrong answers for 06-the-coaching-conversation."""
from wrong_answers import WrongAnswer

MODULE = "06-the-coaching-conversation"
WRONG = [
    WrongAnswer(  # turns, not words: manager and rep alternate, so always about a half
        answer_cell="talk_ratio_answer",
        code=(
            'manager_turns = turns[turns["speaker"] == "manager"].groupby("transcript_id").size()\n'
            'talk_ratio = manager_turns / turns.groupby("transcript_id").size()'
        ),
        loses=("talk_ratio_manager_share_of_words", "medians_by_session_type"),
    ),
    WrongAnswer(  # every manager turn counted as a question
        answer_cell="questions_asked_answer",
        code='questions_asked = turns[turns["speaker"] == "manager"].groupby("transcript_id").size()',
        loses=("questions_asked_per_transcript", "medians_by_session_type"),
    ),
    WrongAnswer(  # open questions over all the manager's turns, not over the questions
        answer_cell="open_share_answer",
        code=(
            'mine = turns[turns["speaker"] == "manager"].copy()\n'
            'mine["open"] = mine["text"].str.endswith("?") & mine["text"].map(last_sentence).str.lower().str.startswith(OPEN_WORDS)\n'
            'open_share = mine.groupby("transcript_id")["open"].mean()'
        ),
        loses=("open_share_of_questions", "medians_by_session_type"),
    ),
    WrongAnswer(  # case-sensitive: "What" does not start with "what", so nothing is open
        answer_cell="open_share_answer",
        code=(
            'asked = turns[(turns["speaker"] == "manager") & turns["text"].str.endswith("?")].copy()\n'
            'asked["open"] = asked["text"].map(last_sentence).str.startswith(OPEN_WORDS)\n'
            'open_share = asked.groupby("transcript_id")["open"].mean()'
        ),
        loses=("open_share_of_questions", "medians_by_session_type"),
    ),
    WrongAnswer(  # means instead of medians
        answer_cell="by_type_answer",
        code=(
            'per_transcript = recorded.assign(talk_ratio=talk_ratio, questions_asked=questions_asked, open_share=open_share)\n'
            'by_type = per_transcript.groupby("session_type")[["talk_ratio", "questions_asked", "open_share"]].mean()'
        ),
        loses=("medians_by_session_type",),
    ),
    WrongAnswer(  # sessions counted, not minutes
        answer_cell="coaching_minutes_share_answer",
        code=(
            'counts = sessions.groupby(["manager", "session_type"]).size().unstack()\n'
            'coaching_minutes_share = counts["coaching"] / counts.sum(axis=1)'
        ),
        loses=("coaching_share_of_one_on_one_minutes",),
    ),
    WrongAnswer(  # the number of questions taken for the difference
        widget=("m06_what_separates", 'How many questions the manager asks.'),
        loses=("what_separates_coaching_from_status",),
    ),
    WrongAnswer(  # sorted by punctuation: a question mark taken for asking
        widget=("m06_ask_or_tell", {
            "Walk me through the last lead you called, from the moment they picked up.": "telling",
            "Wouldn't it be better to call them back within the hour?": "asking",
            "What would a good lead look like, for you?": "asking",
            "The leads are the same for the whole team, so that can't be it.": "telling",
            "Help me understand what makes a lead bad.": "telling",
            "Have you tried sending the case study before the demo?": "asking",
            "If the leads stayed exactly as they are, what could you still change?": "asking",
            "Next time, ask them why they downloaded the white paper.": "telling",
        }),
        loses=("ask_or_tell_sorted",),
    ),
    WrongAnswer(  # argued with the excuse, advised, led, rescued, told
        widget=("m06_leads_are_bad", [0, 1, 2, 3, 0]),
        loses=("leads_conversation_coached",),
    ),
    WrongAnswer(  # coached the goal and the first facts, then told, advised and pressed
        widget=("m06_leads_are_bad", [2, 0, 0, 0, 1]),
        loses=("leads_conversation_coached",),
    ),
]
WRONG += [
    WrongAnswer(  # a conversation that tells: no goal asked, no options, the manager's order at the end
        answer_cell="my_conversation_answer",
        code=(
            'my_conversation = """\n'
            'Manager: Your proposals keep coming back with discount requests. That has to stop.\n'
            'Rep: Okay.\n'
            'Manager: Did you ask Larkspur about their budget before you sent it?\n'
            'Rep: No.\n'
            'Manager: Wouldn\'t it be better to ask about budget before the proposal goes out?\n'
            'Rep: Yes, I suppose.\n'
            'Manager: Why did you give them twelve percent without asking me?\n'
            'Rep: They were going to walk.\n'
            'Manager: From now on, ask about budget on every first call, and no discounts without me.\n'
            'Rep: Sure.\n'
            '"""'
        ),
        loses=("own_conversation_has_coaching_structure",),
    ),
    WrongAnswer(  # a recorded coaching session pasted in as the learner's own
        answer_cell="my_conversation_answer",
        code=(
            'my_conversation = "\\n".join(f"{s.capitalize()}: {t}" for s, t in '
            'turns.loc[turns["transcript_id"] == "T003", ["speaker", "text"]].itertuples(index=False))'
        ),
        loses=("own_conversation_has_coaching_structure",),
    ),
    WrongAnswer(  # free text, not one turn per line
        answer_cell="my_conversation_answer",
        code='my_conversation = "I would ask Priya what she wants, then what happened, then agree a next step."',
        loses=("own_conversation_has_coaching_structure",),
    ),
]
