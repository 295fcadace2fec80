"""Parts every domain shares: time, errors, audit history, database helpers, language."""
