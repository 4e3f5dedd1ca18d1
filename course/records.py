"""Tell the cohort's record service about each widget answer and self-check, when on a hub.

On a cohort hub (`course hub up`), every learner's server has `COACHING_LAB_RECORDS_URL` (the
widget-records service, `course.hub_records`) and `JUPYTERHUB_API_TOKEN` (the learner's own
token) in its environment, and so does each kernel. `send` posts one small JSON event there
from a background thread: the learner never waits for it, and a failure (service down, network)
is dropped silently. The answers file beside the notebook stays the learner's own copy; the
service's record, with the hub's timestamps, is what grading trusts in a cohort.

Outside a hub (self-paced, tests, grading) the variables are absent and `send` does nothing.
Importing this module reads no file and starts no thread.
"""
from __future__ import annotations

import json
import os
import queue
import threading
import urllib.request
from typing import Any

URL_VARIABLE = "COACHING_LAB_RECORDS_URL"
TIMEOUT = 3.0  # seconds per event; the learner's cell never waits for it

_events: queue.Queue | None = None
_lock = threading.Lock()


def enabled() -> bool:
    return bool(os.environ.get(URL_VARIABLE) and os.environ.get("JUPYTERHUB_API_TOKEN"))


def send(event: str, module: str, question_id: str, **details: Any) -> None:
    """Queue one event ("answer" or "check") for the record service; no-op outside a hub."""
    if not enabled():
        return
    try:
        body = json.dumps({"event": event, "module": module, "question": question_id, **details},
                          allow_nan=False).encode()
    except (TypeError, ValueError):
        return
    _queue().put((os.environ[URL_VARIABLE], os.environ["JUPYTERHUB_API_TOKEN"], body))


def flush(timeout: float = 10.0) -> None:
    """Wait until queued events have been sent or dropped (for tests and kernel shutdown)."""
    if _events is not None:
        done = threading.Event()
        _events.put(done)
        done.wait(timeout)


def _queue() -> queue.Queue:
    """One sender thread per kernel, so events arrive in the order they happened."""
    global _events
    with _lock:
        if _events is None:
            _events = queue.Queue()
            threading.Thread(target=_sender, args=(_events,), name="coaching-lab-records", daemon=True).start()
    return _events


def _sender(events: queue.Queue) -> None:
    while True:
        item = events.get()
        if isinstance(item, threading.Event):
            item.set()
            continue
        url, token, body = item
        request = urllib.request.Request(url.rstrip("/") + "/api/records", data=body, method="POST", headers={
            "Authorization": f"token {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):
                pass
        except Exception:  # noqa: BLE001 - a lost record never reaches the learner as an error
            pass
