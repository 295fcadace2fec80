"""Staff accounts, roles, departments and API tokens. Citizens need no account."""
