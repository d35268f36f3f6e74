"""A list that is the union of a few querysets ("arms"), each cheap on its own index, where one query with `OR` would
be slow: `candidates visible to a user` (R-40) is the own organisation's caseload OR the candidates referred to the
user's vacancies, and as one `WHERE ... OR id IN (...)` PostgreSQL gathers every referred candidate (44,000 from a
million referrals) to return a page of 25.

`Arms` behaves as the queryset of a list endpoint needs: filters, annotations and orderings go into every arm (a
view's filter backends through `map`, a model's own queryset methods such as `stale()` directly), and a slice, which is
how cursor pagination reads a page, orders and limits every arm to the slice's end before their union is ordered and
sliced. A page therefore reads at most (offset + page) rows from each arm, whatever the size of the data:

    (SELECT ... WHERE organisation_id = 1 AND id < 5000 ORDER BY id DESC LIMIT 26)
    UNION
    (SELECT ... WHERE id IN (referred to the user) AND id < 5000 ORDER BY id DESC LIMIT 26)
    ORDER BY id DESC LIMIT 26

The union removes a row that both arms hold. Anything else that would evaluate it (iteration, `count()`, `exists()`,
`first()`) reads the union of the whole arms, correct but not limited.
"""

from django.db.models import QuerySet


class Arms:
    """The union of `arms` (querysets of one model) as a queryset for lists: see the module's description."""

    def __init__(self, arms: list[QuerySet], ordering: tuple[str, ...] = ()):
        if not arms:
            raise ValueError("a union needs at least one arm")
        self.arms = list(arms)
        self.model = self.arms[0].model
        self.ordering = ordering or ("-pk",)

    def __repr__(self) -> str:
        return f"<Arms of {self.model.__name__}: {len(self.arms)}>"

    def _each(self, name: str, *args, **kwargs) -> "Arms":
        return Arms([getattr(arm, name)(*args, **kwargs) for arm in self.arms], self.ordering)

    def __getattr__(self, name: str):
        """Any other queryset method (`filter`, `exclude`, `annotate`, the model's own such as `stale`) goes into
        every arm; one that does not give a queryset back has no meaning for the union and is refused."""
        if name.startswith("_"):
            raise AttributeError(name)
        attributes = [getattr(arm, name) for arm in self.arms]
        if not callable(attributes[0]):
            return attributes[0]

        def each(*args, **kwargs):
            results = [attribute(*args, **kwargs) for attribute in attributes]
            if not all(isinstance(result, QuerySet) for result in results):
                raise TypeError(f"{name}() of a union of querysets: use the union (`union()`) instead")
            return Arms(results, self.ordering)

        return each

    def map(self, function) -> "Arms":
        """`function` (queryset -> queryset) applied to every arm: e.g. a view's filter backends, which want a real
        queryset (django-filter checks that it is one)."""
        return Arms([function(arm) for arm in self.arms], self.ordering)

    def order_by(self, *fields: str) -> "Arms":
        return Arms([arm.order_by(*fields) for arm in self.arms], tuple(fields))

    def all(self) -> "Arms":
        return self._each("all")

    def union(self, *, limit: int | None = None) -> QuerySet:
        """The one queryset of the arms' union, in `ordering`; each arm first limited to `limit` rows when given."""
        arms = [arm.order_by(*self.ordering) for arm in self.arms]
        if limit is not None:
            arms = [arm[:limit] for arm in arms]
        first, *rest = arms
        if not rest:  # one arm (an organisation token: its own caseload) is the union itself
            return first
        return first.union(*rest).order_by(*(self._column(field) for field in self.ordering))

    def _column(self, field: str) -> str:
        """A union is ordered by its columns' names: `pk` is the primary key's column."""
        name = field.lstrip("-")
        return field.replace(name, self.model._meta.pk.attname) if name == "pk" else field

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1) or index.stop is None:
            raise TypeError("a union of querysets is read by a slice with an end, such as [0:26]")
        start = index.start or 0
        return list(self.union(limit=index.stop)[start : index.stop])

    def __iter__(self):
        return iter(self.union())

    def __len__(self) -> int:
        return len(list(self.union()))

    def count(self) -> int:
        return self.union().count()

    def exists(self) -> bool:
        return any(arm.exists() for arm in self.arms)

    def first(self):
        page = self[0:1]
        return page[0] if page else None
