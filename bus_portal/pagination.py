"""The portal's one paginator: pages of a growing list, without counting it.

Django's Paginator counts every matching row to know the number of pages; over millions of audit
rows or plans that count costs more than the page itself. ``OpenEndedPaginator`` reads one row past
the page to know whether a next one exists, and the page shows "Page n" instead of "Page n of m".
List views set ``paginator_class = OpenEndedPaginator``; other views call ``open_ended_page``.
Where a page also wants a total, it shows the length of a list it already holds.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

#: No list is this long; a larger number is a typo or a probe, and would overflow an SQL OFFSET.
MAX_PAGE = 1_000_000


class OpenEndedPage(Page):
    def __init__(self, rows: list, number: int, paginator: OpenEndedPaginator):
        super().__init__(rows[: paginator.per_page], number, paginator)
        self._has_next = len(rows) > paginator.per_page

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage(_("That page contains no results"))
        return self.number + 1

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class OpenEndedPaginator(Paginator):
    """A ``Paginator`` that never counts: ``num_pages`` and ``count`` are ``None``."""

    def __init__(self, object_list: Any, per_page: int, orphans: int = 0, **kwargs: Any):
        if orphans:
            raise ValueError("OpenEndedPaginator does not support orphans")
        super().__init__(object_list, per_page, 0, **kwargs)

    @property
    def count(self) -> None:  # type: ignore[override]
        return None

    @property
    def num_pages(self) -> None:  # type: ignore[override]
        return None

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        if number > MAX_PAGE:
            raise EmptyPage(_("That page contains no results"))
        return number

    def page(self, number: Any) -> OpenEndedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return OpenEndedPage(rows, number, self)


def open_ended_page(request: HttpRequest, queryset: Any, per_page: int) -> OpenEndedPage:
    """The page named by ``?page=`` of an ordered queryset; 404 for a page that does not exist."""
    try:
        return OpenEndedPaginator(queryset, per_page).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
