"""Self-checks for Module 00a · Just enough pandas."""
from collections.abc import Mapping

from course.checks import Exercise, text, whole_number


def _dict_of_counts(keys: set[str]):
    def shape(value):
        if not isinstance(value, Mapping):
            return "give a dict, like {" + ", ".join(f"'{k}': ..." for k in sorted(keys)) + "}."
        if set(value) != keys:
            return f"use exactly the keys {sorted(keys)}."
        return None
    return shape


def _team_dict(value):
    return None if isinstance(value, Mapping) else "give a dict from each team to a number, like {'Atlas': ..., ...}."


q1 = Exercise(
    "m00a_company_quota", "company_quota", "abdf20460fb69ee7afe49cac1c4e085035000aa58091fc6cbb965719718c2562",
    hint_text="Pick the `quarterly_quota` column of `reps` with square brackets, then `.sum()`, wrapped in `int(...)`.",
    shape=whole_number,
    mistakes={
        "1bd6bb3bf15d511400bd769c320a9ef23b4709ee0e0df9d78dfc14987d192848": "that is the average rep's quota. The company's quota is the total: `.sum()`.",
        "17afd8273a3a2e8a90b52969bee1cb34235bf692da507c7c39a6b5c87a91e38c": "that is the number of reps, not their quotas added up.",
    },
)

q2 = Exercise(
    "m00a_open_count", "open_count", "33d16a24b203b577b8bee76c29b5a56ae67172c7d29b0e546dc840c0b25d456a",
    hint_text='The blank is the outcome you want to keep, in quotes, like "won" in the example above.',
    shape=whole_number,
    mistakes={
        "9e34816289dc240ae90828d8e57f96f6f3d9ce745564822ea40117057df05d89": "those are the won deals. Keep the deals whose outcome is \"open\".",
        "53648afaf7fab041f97a2d6b284e51d2a885b2baf52e5552f25cd17ba78b97de": "those are the lost deals. Keep the deals whose outcome is \"open\".",
        "03cc8ab324d79f18847c792ee4e5a49df9fa58713020ccb2cc5048a795bcc4fb": "that is every deal. Keep only the open ones.",
    },
)

q3 = Exercise(
    "m00a_paula_won_value", "paula_won_value", "63761910e007dc567ff688fc410de25cbb827851a84605bdbb891b5c253785e5",
    hint_text='The second condition keeps won deals: the blank is the outcome, in quotes.',
    shape=whole_number,
    mistakes={
        "fb4c6f0fcba9438eaffe954e9b800fe002db9900496c081148f76f974030883f": "that adds up all of Paula's deals, lost and open too. Keep her won deals only.",
        "842981f552711cb7df0a8d225636f39d225d8a2648f5fa240771b8ee3d354cd7": "that is every rep's won value. Keep Paula's deals (rep R001) too.",
    },
)

q4 = Exercise(
    "m00a_big_losses", "big_losses", "6e4503e33976b64096d03bd8358d36f3ccddcca7dea5809af8ebc89d73d0374f",
    hint_text=("Two conditions, each in parentheses, joined with `&`: the outcome is \"lost\", and the amount "
               "is at least 100000 (`>=`). `len(...)` counts the rows you kept."),
    shape=whole_number,
    mistakes={
        "257fade11d59cac14d5206841a9ecc612e2771f8acf4de07fb7e0130a04a06a1": "that counts every deal of $100,000 or more, won and open too. Keep the lost ones only.",
        "cb2dde73b417868153555a00d51ef0e6dba5600ee591b0404404bf29dd110886": "that counts every lost deal, whatever its amount. Add the second condition on `amount`.",
    },
)

q5 = Exercise(
    "m00a_team_quota", "team_quota", "88ed5164485583426ab9a965f8222208dd7478b98710545d799c10e97c47fe9c",
    hint_text=('Group `reps` by "team" (with `observed=True`), pick the `quarterly_quota` column, `.sum()`, '
               "then `.to_dict()`."),
    shape=_team_dict,
    mistakes={
        "fc0f27108616350f1cf43e05151f4270c58ce8df58284c8a620f536ce83eea4e": "that counts the reps on each team. Add up their quotas instead.",
        "04c3c3ed04024db0bc92b43e29a9a431d895cef33f4aef11aedc9d3fa8d5d678": "those are average quotas. The team's quota is the total of its reps' quotas.",
    },
)

q6 = Exercise(
    "m00a_newest_rep", "newest_rep", "5f5dd11e04af5724c80dcbf0e118649f749f6de1bf8267ce2a4e109fcd23e54d",
    hint_text=('Keep the rows whose team is "Beacon", then `.idxmax()` on their `hire_date` gives the row of '
               'the latest hire; `.loc[that_row, "name"]` reads the name.'),
    shape=text,
    mistakes={
        "8d40682e7a6dbc45e582758a68d4d58b46f6bfc4517fb2133d5a0f00ba8ac4b1": "that is the rep who has been on the team longest. The newest has the latest date: `.idxmax()`.",
        "8844553d436ea4809e3d44378e750c6448ff5a3f0e578fc35325f7b48c16a4a2": "that is the newest rep in the whole company. Keep team Beacon's rows first.",
    },
)

q7 = Exercise(
    "m00a_outcome_summary", "outcome_summary", "61306033a0d3a5d071096b0a89542dbee7371864898842b36a1a452d2d18af59",
    hint_text=('A dict in curly brackets: {"won": ..., "lost": ...}. Each value counts the Trues of a '
               'comparison on `outcome`, wrapped in `int(...)`.'),
    shape=_dict_of_counts({"won", "lost"}),
    mistakes={
        "08c9e75a71609ac91761d52c2c07f9ca480aecfad2357a7d84e4b4ffdd0ebd76": "your \"lost\" counts open deals too. Open is not lost: compare with \"lost\".",
    },
)

q8 = Exercise(
    "m00a_tallest_bar", "tallest_bar", "d9d5a907e5c3a65c22baa49392b8ef3dac636c07e438cddedede2a2a90c1824b",
    hint_text=("`sns.barplot(data=team_quota_table, x=\"team\", y=\"quarterly_quota\")` draws it. The tallest bar "
               "is the row with the largest quota: `.idxmax()` and `.loc[row, \"team\"]`."),
    shape=text,
    mistakes={
        "3bd697364cec6e6fb0c7214847bd0829152263889fb12ec4cc90f747155c4463": "that team has the most reps, not the largest quota.",
    },
)
