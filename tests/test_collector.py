"""glossary.collector: what a load makes is set aside from the cyclic collector, and a
library caller gets the collector back as it was."""

from __future__ import annotations

import gc

import pytest

from glossary import collector


class Node:  # a gc-tracked object of our own, easy to find
    pass


def _generation_of(obj: object) -> int | None:
    for generation in range(3):
        if any(o is obj for o in gc.get_objects(generation)):
            return generation
    return None


@pytest.fixture(autouse=True)
def _clean_collector():
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.enable()


def test_a_load_goes_to_the_oldest_generation_and_the_collector_comes_back() -> None:
    assert gc.isenabled()
    with collector.loading():
        assert not gc.isenabled()
        made = Node()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # a library caller keeps nothing frozen
    assert _generation_of(made) == 2  # not walked by young collections on the way up


def test_inside_another_pause_a_load_changes_nothing() -> None:
    with collector.paused():
        with collector.loading():
            made = Node()
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
        assert _generation_of(made) == 0
    assert gc.isenabled()


def test_the_program_keeps_what_it_loaded_set_aside(monkeypatch) -> None:
    monkeypatch.setattr(collector, "_WHOLE_PROCESS", False)
    collector.whole_process()
    assert collector._WHOLE_PROCESS
    with collector.loading():
        made = Node()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert _generation_of(made) is None
    monkeypatch.setattr(collector, "_KEPT", [])
    assert collector.kept(made) is made
    assert collector._KEPT[-1] is made  # the program exits without freeing it


def test_a_library_caller_keeps_nothing(monkeypatch) -> None:
    monkeypatch.setattr(collector, "_WHOLE_PROCESS", False)
    monkeypatch.setattr(collector, "_KEPT", [])
    made = Node()
    assert collector.kept(made) is made
    assert collector._KEPT == []


def test_a_paused_block_restores_a_disabled_collector() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()
