"""Staff search of a consultation's comments by Chinese words, for the work view and the staff API.

It lives under ``feedback`` because staff read comments there (the work view and its API, ``answer_services``);
``consultations`` owns taking comments in, which the index must never slow down.

- ``words``: which words a comment is found by (jieba's search mode) and which a query asks for (precise mode);
- ``index``: the index itself, FTS5 on SQLite and a GIN-indexed tsvector on PostgreSQL, written and searched;
- ``jobs``: new comments are indexed on the job queue a moment after their commit, and swept up every minute;
- ``cli``: ``flask comments reindex``.
"""
