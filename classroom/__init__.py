"""The live class: what a class records (``questions``) and where (``store``).

This package holds the classroom's data: the registry of questions a class
records, and the SQLAlchemy Core store behind it (SQLite by default,
PostgreSQL when ``WHY_EMBEDDINGS_DATABASE_URL`` is set). It never imports
streamlit; the pages reach it through ``ui.live_class``. ``embedcore`` stays
pure maths and knows nothing of it.
"""
