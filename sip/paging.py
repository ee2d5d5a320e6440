"""A paginator that reads the total from the page's own query."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window


class SingleQueryPaginator(Paginator):
    """Counts with ``COUNT(*) OVER ()`` on the page's rows: one query per page instead of two.

    The plan list must stay within its query budget with everything consent coverage needs,
    and the separate ``COUNT(*)`` would repeat the visibility query. Orphans are not supported.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        if orphans:
            raise ValueError("SingleQueryPaginator does not support orphans")
        super().__init__(object_list, per_page, 0, allow_empty_first_page)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(page_total=Window(Count("pk")))[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.count = rows[0].page_total  # fills the cached property: no COUNT query
        elif number == 1 and self.allow_empty_first_page:
            self.count = 0
        else:
            return super().page(number)  # past the end: the usual COUNT and EmptyPage
        return self._get_page(rows, number, self)
