"""Import and export pages of the ledger (Excel templates, preview, official tables)."""

urlpatterns: list = []
