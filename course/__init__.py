"""Coaching Lab: data loaders, metrics, self-checks and tools for the course notebooks.

Importing the package reads no file; data arrives through `course.load(name)`.
"""
from __future__ import annotations

__version__ = "0.1.0"

SEED = 2024


def setup() -> None:
    """One call at the top of every notebook: seeds, tidy tables, a consistent plot style, and
    errors explained in plain words under the traceback (not while nbgrader grades)."""
    import random

    import matplotlib
    import numpy as np
    import pandas as pd
    import seaborn as sns

    random.seed(SEED)
    np.random.seed(SEED)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", "{:,.2f}".format)
    sns.set_theme(style="whitegrid", context="notebook")
    matplotlib.rcParams["figure.figsize"] = (8, 4)

    from course import errors

    errors.install()


def load(name: str, **options):
    """Load a sample table by name (see `course.data.TABLES`)."""
    from course.data import load as load_table

    return load_table(name, **options)


def self_assess(grade_id: str | None = None) -> None:
    """Questions your trainer grades: once you have written an answer, its rubric as a checklist and
    a model answer (self-paced courses only; see `course.solutions`)."""
    from course.solutions import self_assess as assess

    assess(grade_id)
