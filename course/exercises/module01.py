"""Self-checks for Module 01 · Managing vs. coaching."""
from collections.abc import Mapping

from course.checks import Classification, Exercise, text

REVIEW_KEYS = {"pipeline_created", "proposals_presented", "deals_closed", "closed_value"}


def _review_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict, for example {'pipeline_created': ..., 'proposals_presented': ..., ...}."
    if set(value) != REVIEW_KEYS:
        return f"use exactly the keys {sorted(REVIEW_KEYS)}."
    return None


q1 = Classification(
    "m01_classify_remarks", "labels", "27c7738d0b205430127f6a94bfafc52542365adc444bd2f1beed724ab79867da",
    hint_text=("Ask of each remark: is it about one rep's skills and behaviors, or about results and rules? "
               "Does it help the rep think, or tell them what to do? Being one-on-one, or being a question, "
               "is not enough on its own."),
    labels=("managing", "coaching"),
    item_hashes={
        "A01": "b3cc52bd5a0074c4485fb4c81e330c19b1eaae7fe68a080306d3ae3512110bc2",
        "A02": "586e7cc84b21fd34e03d8102bc9c96d6576e3ffc5fa1f4655f06df20ba4cb091",
        "A03": "1787390ad89f4cb6586e746b0815f4cdbba92ded0bb00c406a493c9fe04e9025",
        "A04": "aee3da540dc5e5d784c030861b35ccc93f4882e67e04c5492ea45e57d30a48e3",
        "A05": "67c1ce83bba1f4f49c2e7a4a68e80cfcafb4dd2ddc096ff1d2f9a6241e15709d",
        "A06": "5007a2e566b392de7095e204856d1429a730e3e1958ff7dc4d0f23a4e3b80518",
        "A07": "5008c891373f8f29a8d5493a3eac96e296ab41a0e001f2077110efbcf0caa898",
        "A08": "ff78c6b7c596156ce5b24fdb67153aee19c76b8ae7597afa8984e978872affa2",
        "A09": "abe8580435ffb24157e8bd36824aab495b301a1df539dd6b6b4d8fdfa0ae5cd5",
        "A10": "ba3ab4cafdcc88c06bf60481962f221292172180641ca695a97e397e74dbe86e",
        "A11": "6d3c01e1eb89a2d849b4dc498036d058b45023f2e12661e80f15d7a3c1e8a29e",
        "A12": "77936629ce461fd2b382126fd19c9d3537988d7618dd2e63a8b1474953d8b34a",
        "A13": "d9b4ed82f7ab73d9a931d12eb34956988fdfa4ebf4b4ae7a22cb913f16912d79",
        "A14": "3b9695a3c959228c834a44133717e1280b2a233f4df593ca20a7ad78e544b5e6",
        "A15": "54e1ac08faa9faa2324ac167e846148d087dde50e1251513dec9dc634fb05f50",
        "A16": "a24df87117daa9fa7c89cec95d79c9d7bdb9584fd2928c606d2065aa0ceddd62",
    },
)

q2 = Exercise(
    "m01_team_review", "team_review", "01e91209073924bcde57b620513a1432897553433381cac2ba791e44cf7bd5aa",
    hint_text="`quarter[[...four columns...]].sum()` adds up each column; `.to_dict()` turns the result into a dict.",
    shape=_review_shape,
    mistakes={
        "8ccd88de0fab0af0653daaee2ccd7b32d8757e8d1dce4d82915a6318f66294cc": "these are averages per rep. Your director wants the team's totals.",
    },
)

q3 = Exercise(
    "m01_coach_first", "coach_first", "bca7438b0ddc234419f6e60271e6ef0a72fdcd82a8374cb2c62975d90cf535b5",
    hint_text=("Divide the `deals_closed` column of `year` by its `proposals_presented` column, "
               "then `.idxmin()` gives the row with the lowest rate."),
    shape=text,
    mistakes={
        "aef030a7e9aefd414e833da9c706eb75f9303104564490d139d1e55f67a56894": "that rep has the highest proposal win rate: the one a coach might learn from, not start with.",
        "4f9d043db1b92017bd4f65d38e791f846709886cf987920961536cdee254bdeb": "that rep closed the fewest deals, but also presented few proposals. Compare rates, not counts.",
    },
)

