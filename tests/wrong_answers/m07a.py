"""Plausible wrong answers for 07a-challenge-and-morale."""
from wrong_answers import WrongAnswer

MODULE = "07a-challenge-and-morale"
WRONG = [
    WrongAnswer(  # low will read as low skill: the treadmill rep directed instead of excited
        widget=("m07a_skill_will", {
            'Four months in, keen, books more first meetings than anyone, but freezes when a buyer asks about integrations.': 'guide',
            'Joined last month from retail banking, full of questions, has never run a discovery call.': 'guide',
            'Ten years of solid calls and good scores when observed, but her calls are down a third and she says the job feels like a treadmill.': 'direct',
            'Can run a pricing negotiation in her sleep; has stopped volunteering for anything since her biggest account was reassigned.': 'excite',
            'Top of the scoreboard, rated highest on every observed skill, asks you for harder accounts.': 'delegate',
            'Mentors the new hires without being asked; his forecast is right every quarter.': 'delegate',
            'Six months in, still cannot demo the product, skips the training sessions and says sales may not be for him.': 'direct',
            'Moved onto a product line she did not ask for: she does not know it yet, and says openly she would rather sell the old one.': 'direct',
        }),
        loses=("skill_will_style_chosen",),
    ),
    WrongAnswer(  # rescuing: the manager takes the problem back
        widget=("m07a_missed_commitment", '"No problem. Send me the three deals and I\'ll draft the action plans for you this week."'),
        loses=("missed_commitment_stays_with_the_rep",),
    ),
    WrongAnswer(  # the why-interrogation
        widget=("m07a_missed_commitment", '"Why didn\'t you do it? We agreed on this two weeks ago."'),
        loses=("missed_commitment_stays_with_the_rep",),
    ),
    WrongAnswer(  # three months of broken commitments sent back to coaching
        widget=("m07a_coach_or_manage", {
            "A capable rep's discovery has slipped since she took on a second territory; she has asked for help.": 'coaching',
            'A keen new hire who still fumbles pricing questions.': 'coaching',
            "After three months of plans he agreed to, a rep has kept none of his commitments and his activity is still half the team's.": 'coaching',
            'A rep has logged meetings in the CRM that never took place.': 'performance management',
            'A former analyst in her second year of sales: works hard, takes coaching well, dreads every cold call, and lights up when she builds a business case.': 'a question of fit',
            'A rep who loves winning new logos, moved to renewing the same ten accounts, loses energy every quarter.': 'a question of fit',
        }),
        loses=("coach_or_manage_sorted",),
    ),
    WrongAnswer(  # the raise: guessing the cause
        widget=("m07a_morale_response", 'Ask your director to approve a raise for her before she asks for one.'),
        loses=("morale_response_is_a_stay_conversation",),
    ),
    WrongAnswer(  # the lowest stay_intent, not the lowest energy
        answer_cell="low_will_rep_answer",
        code='low_will_rep = recent.groupby("rep_id")["stay_intent"].mean().idxmin()',
        loses=("low_will_rep_has_lowest_energy",),
    ),
    WrongAnswer(  # the lowest observed skill: a skill problem taken for a will problem
        answer_cell="low_will_rep_answer",
        code='low_will_rep = observed.groupby("rep_id")[skills].mean().mean(axis=1).idxmin()',
        loses=("low_will_rep_has_lowest_energy",),
    ),
    WrongAnswer(  # subtracted the wrong way round: the largest rise
        answer_cell="flight_risk_answer",
        code=('earlier = pulse[pulse["month"].between(*EARLIER)].groupby("rep_id")["stay_intent"].mean()\n'
              'latest = pulse[pulse["month"].between(*LATEST)].groupby("rep_id")["stay_intent"].mean()\n'
              'flight_risk = (earlier - latest).idxmin()'),
        loses=("flight_risk_has_largest_fall_in_stay_intent",),
    ),
    WrongAnswer(  # the largest fall in energy, not in stay_intent
        answer_cell="flight_risk_answer",
        code=('earlier = pulse[pulse["month"].between(*EARLIER)].groupby("rep_id")["energy"].mean()\n'
              'latest = pulse[pulse["month"].between(*LATEST)].groupby("rep_id")["energy"].mean()\n'
              'flight_risk = (latest - earlier).idxmin()'),
        loses=("flight_risk_has_largest_fall_in_stay_intent",),
    ),
    WrongAnswer(  # lets the missed blocks slide, argues, pressures: no challenge with support
        widget=("m07a_will_conversation", [1, 0, 1, 0, 0, 2]),
        loses=("will_conversation_coached",),
    ),
    WrongAnswer(  # coaches all the way, then ends on pressure: no commitment of Jordan's own
        widget=("m07a_will_conversation", [0, 3, 0, 1, 2, 1]),
        loses=("will_conversation_coached",),
    ),
]
