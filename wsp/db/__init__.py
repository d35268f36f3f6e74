"""The project's PostgreSQL backend (ENGINE "wsp.db"): Django's, with every date-time sent in UTC (wsp.db.base)."""
