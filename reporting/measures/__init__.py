"""The region's figures (R-50..R-57): one function per figure ("measure"), built on the apps' selectors, returning
the queryset of the records it counts, so the number, its drill-down list, its export and its API row come from one
queryset and cannot disagree."""
