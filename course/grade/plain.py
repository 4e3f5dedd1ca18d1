"""A learner's answers as plain data: what leaves the learner's kernel and enters the clean one.

`publish(namespace, names)` runs in the learner's kernel: it encodes each answer as tagged JSON
and publishes it as display data of type `MIME`. Anything it sends is untrusted: `decode` (in the
grader and in the clean kernel) rebuilds only plain values — None, bool, int, float, str, lists,
tuples, dicts, sets, numpy scalars and arrays of plain dtypes, pandas Timestamps, Series and
DataFrames — with exact types, so an object whose `__eq__` always says yes, a subclass of int,
a function or a module never reaches a hidden test. No pickle, no `eval`.

Encoding: JSON null/bool/int/str/list stay as they are; every other value is an object with a
`"$"` tag: {"$": "float", "v": "nan"}, {"$": "tuple", "items": [...]}, {"$": "dict", "items":
[[key, value], ...]}, {"$": "numpy", "dtype": "int64", "v": 3}, {"$": "series", ...},
{"$": "refused", "type": "AlwaysEqual"} (not plain data), {"$": "missing"}, {"$": "ellipsis"}.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

MIME = "application/vnd.coaching-lab.answers+json"
MAX_BYTES = 16 * 1024 * 1024     # a whole submission's answers
MAX_DEPTH = 40
MAX_ITEMS = 2_000_000
# dtypes a table or array may have: numbers, booleans, text, dates
PLAIN_DTYPE = re.compile(r"^(bool|u?int(8|16|32|64)|float(16|32|64)|object|str|string|category|"
                         r"datetime64\[(ns|us|ms|s)\]|timedelta64\[(ns|us|ms|s)\]|<U\d{1,6}|boolean|Int64|Float64)$")


class NotPlainData(ValueError):
    """An answer that is not plain data: the reason names its type."""


# --------------------------------------------------------------------------- the learner's side
def encode(value: Any, depth: int = 0) -> Any:
    """Tagged JSON for `value`; raises NotPlainData for anything that is not plain data."""
    if depth > MAX_DEPTH:
        raise NotPlainData(f"nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if value is Ellipsis:
        return {"$": "ellipsis"}
    if kind is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if kind is list:
        return [encode(v, depth + 1) for v in value]
    if kind in (tuple, set, frozenset):
        items = sorted(value, key=repr) if kind is not tuple else value
        return {"$": kind.__name__, "items": [encode(v, depth + 1) for v in items]}
    if kind is dict:
        return {"$": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    module = getattr(kind, "__module__", "") or ""
    if module.startswith("numpy"):
        return _encode_numpy(value, depth)
    if module.startswith("pandas"):
        return _encode_pandas(value, depth)
    raise NotPlainData(f"a {_type_name(kind)} is not plain data (use a number, text, list, dict or table)")


def _type_name(kind: type) -> str:
    return f"{getattr(kind, '__module__', '?')}.{kind.__qualname__}".removeprefix("builtins.").removeprefix("__main__.")


def _encode_numpy(value, depth):
    import numpy as np

    if isinstance(value, np.generic) and type(value).__module__ == "numpy" and PLAIN_DTYPE.match(str(value.dtype)):
        item = value.item()
        if isinstance(value, np.datetime64 | np.timedelta64):
            return {"$": "numpy", "dtype": str(value.dtype), "v": str(value)}
        return {"$": "numpy", "dtype": str(value.dtype), "v": encode(item, depth + 1)}
    if type(value) is np.ndarray and PLAIN_DTYPE.match(str(value.dtype)) and value.dtype != object:
        return {"$": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape),
                "items": [encode(v, depth + 1) for v in value.ravel().tolist()]}
    raise NotPlainData(f"a numpy {type(value).__name__} of dtype {getattr(value, 'dtype', '?')} is not plain data")


def _encode_index(index, depth):
    import pandas as pd

    if type(index) is pd.MultiIndex:
        return {"$": "multiindex", "names": [encode(n, depth + 1) for n in index.names],
                "items": [encode(tuple(v), depth + 1) for v in index]}
    return {"$": "index", "name": encode(index.name, depth + 1), "dtype": _dtype(index.dtype),
            "items": [encode(_scalar(v), depth + 1) for v in index]}


def _dtype(dtype) -> str:
    text = str(dtype)
    if not PLAIN_DTYPE.match(text):
        raise NotPlainData(f"a column of dtype {text} is not plain data")
    return text


def _scalar(value):
    """A table cell as a Python value (numpy scalars to Python, Timestamps kept)."""
    import numpy as np

    return value.item() if isinstance(value, np.generic) and not isinstance(value, np.datetime64 | np.timedelta64) else value


def _encode_pandas(value, depth):
    import pandas as pd

    kind = type(value)
    if kind is pd.Timestamp:
        return {"$": "timestamp", "v": value.isoformat()}
    if kind is pd.Timedelta:
        return {"$": "timedelta", "v": value.value}
    if kind is pd.Series:
        return {"$": "series", "name": encode(value.name, depth + 1), "dtype": _dtype(value.dtype),
                "index": _encode_index(value.index, depth),
                "items": [encode(_scalar(v), depth + 1) for v in value.tolist()]}
    if kind is pd.DataFrame:
        return {"$": "dataframe", "index": _encode_index(value.index, depth),
                "columns": _encode_index(value.columns, depth),
                "data": [{"dtype": _dtype(value.dtypes.iloc[i]),
                          "items": [encode(_scalar(v), depth + 1) for v in value.iloc[:, i].tolist()]}
                         for i in range(value.shape[1])]}
    raise NotPlainData(f"a pandas {kind.__name__} is not plain data")


def encode_answers(namespace: dict, names: list[str]) -> dict:
    """{name: tagged value | {"$": "missing"} | {"$": "refused", "why": ...}} for each name."""
    found = {}
    for name in names:
        if name not in namespace:
            found[name] = {"$": "missing"}
            continue
        try:
            found[name] = encode(namespace[name])
        except NotPlainData as error:
            found[name] = {"$": "refused", "why": str(error)}
        except Exception as error:  # a value whose own methods fail while being read
            found[name] = {"$": "refused", "why": f"reading it failed ({type(error).__name__})"}
    return found


def publish(namespace: dict, names: list[str]) -> None:
    """Send the answers `names` from `namespace` to the grader (run in the learner's kernel)."""
    from IPython.display import publish_display_data

    publish_display_data({MIME: encode_answers(namespace, names)})


def extraction_code(names: list[str]) -> str:
    """The line the grader runs in the learner's kernel before a test cell."""
    return f"__import__('course.grade.plain', fromlist=['publish']).publish(globals(), {names!r})"


# --------------------------------------------------------------------------- the grader's side
class _Budget:
    def __init__(self):
        self.items = 0

    def count(self, n: int = 1) -> None:
        self.items += n
        if self.items > MAX_ITEMS:
            raise NotPlainData(f"more than {MAX_ITEMS:,} values")


def decode(data: Any, depth: int = 0, budget: _Budget | None = None) -> Any:
    """The plain value tagged JSON `data` stands for; raises NotPlainData if it is malformed."""
    budget = budget or _Budget()
    budget.count()
    if depth > MAX_DEPTH:
        raise NotPlainData(f"nested more than {MAX_DEPTH} levels deep")
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is list:
        return [decode(v, depth + 1, budget) for v in data]
    if kind is not dict or not isinstance(data.get("$"), str):
        raise NotPlainData("not in the answers format")
    tag = data["$"]
    sub = lambda v: decode(v, depth + 1, budget)  # noqa: E731
    if tag == "ellipsis":
        return ...
    if tag == "float":
        if data.get("v") not in ("nan", "inf", "-inf"):
            raise NotPlainData("a float tag holds no special value")
        return float(data["v"])
    if tag in ("tuple", "set", "frozenset"):
        items = [sub(v) for v in _list(data, "items")]
        try:
            return {"tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        except TypeError:
            raise NotPlainData(f"a {tag} holds a value that cannot be in one") from None
    if tag == "dict":
        pairs = _list(data, "items")
        if not all(type(p) is list and len(p) == 2 for p in pairs):
            raise NotPlainData("a dict's items are not pairs")
        try:
            return {sub(k): sub(v) for k, v in pairs}
        except TypeError:
            raise NotPlainData("a dict key that cannot be a key") from None
    if tag == "numpy":
        return _decode_numpy_scalar(data, sub)
    if tag == "ndarray":
        import numpy as np

        items = [sub(v) for v in _list(data, "items")]
        shape = _list(data, "shape")
        if _check_dtype(data) == "object":
            raise NotPlainData("an array of objects is not plain data")
        if not all(type(n) is int and n >= 0 for n in shape):
            raise NotPlainData("an array's shape is not whole numbers")
        try:
            return np.array(items, dtype=_check_dtype(data)).reshape(shape)
        except (TypeError, ValueError) as error:
            raise NotPlainData(f"an array that cannot be rebuilt: {error}") from None
    if tag == "timestamp":
        import pandas as pd

        return pd.Timestamp(_text(data, "v"))
    if tag == "timedelta":
        import pandas as pd

        if type(data.get("v")) is not int:
            raise NotPlainData("a timedelta is not a whole number of nanoseconds")
        return pd.Timedelta(data["v"])
    if tag in ("index", "multiindex"):
        return _decode_index(data, sub)
    if tag == "series":
        import pandas as pd

        index = _decode_index(data.get("index"), sub)
        return _typed(pd.Series([sub(v) for v in _list(data, "items")], index=index, name=sub(data.get("name")),
                                dtype=object), _check_dtype(data))
    if tag == "dataframe":
        import pandas as pd

        index, columns = _decode_index(data.get("index"), sub), _decode_index(data.get("columns"), sub)
        cols = _list(data, "data")
        if len(cols) != len(columns) or not all(type(c) is dict for c in cols):
            raise NotPlainData("a table's columns do not match its data")
        frame = pd.DataFrame({i: _typed(pd.Series([sub(v) for v in _list(c, "items")], index=index, dtype=object),
                                        _check_dtype(c)) for i, c in enumerate(cols)}, index=index)
        frame.columns = columns
        return frame
    raise NotPlainData(f"unknown tag {tag!r}")


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if type(value) is not list:
        raise NotPlainData(f"{key!r} should be a list")
    return value


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if type(value) is not str:
        raise NotPlainData(f"{key!r} should be text")
    return value


def _check_dtype(data: dict) -> str:
    dtype = _text(data, "dtype")
    if not PLAIN_DTYPE.match(dtype):
        raise NotPlainData(f"dtype {dtype!r} is not a plain dtype")
    return dtype


def _typed(series, dtype: str):
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series.infer_objects()


def _decode_numpy_scalar(data, sub):
    import numpy as np

    dtype = np.dtype(_check_dtype(data))
    if dtype == object:
        raise NotPlainData("a numpy object is not plain data")
    value = data.get("v")
    if dtype.kind in "mM":
        return np.array(_text(data, "v"), dtype=dtype)[()]
    try:
        return np.array(sub(value), dtype=dtype)[()]
    except (TypeError, ValueError, OverflowError):
        raise NotPlainData(f"a numpy {dtype} holds {type(value).__name__}") from None


def _decode_index(data, sub):
    import pandas as pd

    if type(data) is not dict:
        raise NotPlainData("a table without an index")
    if data.get("$") == "multiindex":
        names = [sub(n) for n in _list(data, "names")]
        tuples = [sub(v) for v in _list(data, "items")]
        return pd.MultiIndex.from_tuples(tuples, names=names) if tuples else pd.MultiIndex.from_arrays(
            [[] for _ in names], names=names)
    if data.get("$") != "index":
        raise NotPlainData("a table's index is not in the answers format")
    items = [sub(v) for v in _list(data, "items")]
    dtype = _check_dtype(data)
    index = pd.Index(items, name=sub(data.get("name")), dtype=object)
    try:
        return index.astype(dtype)
    except (TypeError, ValueError):
        return index


def decode_answers(raw: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """(values by name, reasons by name for answers that are missing or not plain data)."""
    if type(raw) is not dict:
        return {}, {"*": "the answers sent by the learner's kernel are not in the answers format"}
    values, reasons = {}, {}
    for name, data in raw.items():
        if type(name) is not str or not name.isidentifier():
            continue
        if type(data) is dict and data.get("$") == "missing":
            reasons[name] = "not defined"
        elif type(data) is dict and data.get("$") == "refused":
            why = data.get("why") if type(data.get("why")) is str else "not plain data"
            reasons[name] = why[:200]
        else:
            try:
                values[name] = decode(data)
            except (NotPlainData, RecursionError, ValueError, TypeError, OverflowError) as error:
                reasons[name] = f"not plain data ({str(error)[:160]})"
    return values, reasons


def load_json(text: str | bytes) -> Any:
    """Parse untrusted JSON, refusing what is too large or too deep."""
    if len(text) > MAX_BYTES:
        raise NotPlainData(f"more than {MAX_BYTES // 2**20} MB of answers")
    try:
        return json.loads(text)
    except RecursionError:
        raise NotPlainData("nested too deep") from None


def load_injected(path: str) -> dict[str, dict[str, Any]]:
    """In the clean kernel: {answer cell: {name: value}} from the file the grader wrote there."""
    with open(path, encoding="utf-8") as handle:
        raw = load_json(handle.read())
    return {cell: {name: decode(value) for name, value in names.items()} for cell, names in raw.items()}
