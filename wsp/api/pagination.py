from rest_framework.pagination import CursorPagination as BaseCursorPagination


class CursorPagination(BaseCursorPagination):
    """Cursor pagination (API.md): a page costs the same at row 10 and at row 1,000,000.

    Orders by `-id` unless the view allows `?ordering=` on one of its indexed fields.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
