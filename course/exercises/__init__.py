"""The self-checks of each module, bound to the names the notebooks use (`q1`, `q2`, …)."""
