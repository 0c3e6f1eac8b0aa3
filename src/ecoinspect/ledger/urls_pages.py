"""Pages of the ledger: lists, problem pages, forms, notices, the district dashboard."""

urlpatterns: list = []
