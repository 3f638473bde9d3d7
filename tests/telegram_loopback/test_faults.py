from __future__ import annotations

from telegram_loopback.faults import Faults


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_faults_for_the_next_calls_then_gone():
    faults = Faults(FakeClock())
    faults.fail_next(2, status=429, retry_after=5, methods=["sendMessage"])
    assert faults.take("getme") is None
    hit = faults.take("sendmessage")
    assert hit is not None and hit.error() is not None
    assert hit.error().to_json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    assert faults.take("sendmessage") is not None
    assert faults.take("sendmessage") is None
    assert faults.injected == 2


def test_faults_for_a_time_window_spare_long_polling():
    clock = FakeClock()
    faults = Faults(clock)
    faults.fail_for(2.0, status=500)
    assert faults.take("getupdates") is None
    assert faults.take("sendmessage").error().to_json()["description"] == "Internal Server Error"
    clock.now += 2.0
    assert faults.take("sendmessage") is None
    assert faults.active() == []


def test_a_delay_that_does_not_deliver_answers_502_late():
    faults = Faults(FakeClock())
    fault = faults.delay_next(1, seconds=3.0, deliver=False, methods=["sendMessage"])
    assert faults.take("sendmessage") is fault
    assert (fault.delay, fault.error().to_json()["description"]) == (3.0, "Bad Gateway")
    assert faults.take("sendmessage") is None
