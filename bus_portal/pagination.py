"""Paging through long, growing lists without counting them.

Django's Paginator counts every matching row to know the number of pages; over millions of audit
rows that count costs more than the page itself. An open-ended page reads one row past its end to
know whether a next page exists, and shows "Page n" instead of "Page n of m".
"""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import Http404
from django.utils.translation import gettext as _


class OpenEndedPage:
    def __init__(self, rows: list, number: int, per_page: int):
        self.object_list = rows[:per_page]
        self.number = number
        self._has_next = len(rows) > per_page
        # Templates ask page_obj.paginator.num_pages; None means "not counted".
        self.paginator = self
        self.num_pages = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        if not self._has_next:
            raise InvalidPage(_("That page contains no results"))
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise InvalidPage(_("That page number is less than 1"))
        return self.number - 1


def open_ended_page(request, queryset, per_page: int) -> OpenEndedPage:
    """The page named by ``?page=`` of an ordered queryset, read with LIMIT per_page + 1."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(_("That page number is not an integer")) from None
    if number < 1:
        raise Http404(_("That page number is less than 1"))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        raise Http404(_("That page contains no results"))
    return OpenEndedPage(rows, number, per_page)
