"""Sections that other apps add to the whole-person record.

Referrals, appointments and continuity, cohorts: each lives in an app above `care` in the
layering, so `care` cannot import them. Instead each app registers a section in its
AppConfig.ready(): a title, a template, and a loader `(person, user) -> dict` that returns the
template's context in a fixed number of queries (the record page's query count must not grow
with the size of the record).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class RecordSection:
    key: str  # the section's id on the page, e.g. "referrals"
    title: str  # its heading and its entry in the contents list
    template: str  # rendered with the loader's dict plus `person`
    load: Callable[..., dict[str, Any]]
    order: int = 100  # lower comes first; the care sections are shown before any of these


_sections: dict[str, RecordSection] = {}


def register_record_section(section: RecordSection) -> None:
    _sections[section.key] = section


def record_sections() -> list[RecordSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


@dataclass(frozen=True)
class RenderedSection:
    section: RecordSection
    html: str


def render_record_sections(request: HttpRequest, person: object) -> list[RenderedSection]:
    # Each section's template escaped what it shows; the record page must not escape the
    # section's own markup a second time.
    return [
        RenderedSection(
            section,
            mark_safe(
                render_to_string(
                    section.template,
                    {"person": person, **section.load(person, request.user)},
                    request=request,
                )
            ),
        )
        for section in record_sections()
    ]
