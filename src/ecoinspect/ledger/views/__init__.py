"""Pages of the rectification ledger, one module per area (lists, problem, work, review, notices, …)."""
