"""The search index of comments' words, on each database's own full-text machinery.

- PostgreSQL: ``comments.search_words``, a ``tsvector`` with a GIN index. Its lexemes are the jieba words
  themselves (``array_to_tsvector``: what the 'simple' configuration would keep, lower-cased and unstemmed, but
  without passing the text through PostgreSQL's parser, whose idea of a letter follows the server's locale: under
  ``C`` it drops Chinese characters). A query is the cast ``'词' & '词'`` of the same words.
- SQLite: the FTS5 table ``comment_words`` (rowid = the comment's id) holding the words separated by spaces; a
  query is ``"词" "词"`` (every phrase must match). Results are read in the FTS table's rowid order, which FTS5
  gives straight from its index, so a page of a word in 400,000 comments costs what a page of a rare word does.

Neither the column nor the virtual table is in the models (SQLite has no such column, an ORM model cannot be a
virtual table): the migration creates them and ``OUTSIDE_THE_MODELS`` keeps Alembic's comparison off them.
``comments.words_indexed`` says which comments the index holds; a comment's text never changes once taken in,
and its status is filtered on ``comments``, so each comment is indexed once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import sqlalchemy as sa

from engage.consultations.models import Comment
from engage.extensions import db
from engage.feedback.search.words import index_words

FTS_TABLE = "comment_words"
TSVECTOR_COLUMN = "search_words"
GIN_INDEX = "ix_comments_search_words"
#: what the migration made outside the models (FTS5 keeps its index in the shadow tables)
OUTSIDE_THE_MODELS = {
    "table": {FTS_TABLE, *(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config"))},
    "column": {TSVECTOR_COLUMN},
    "index": {GIN_INDEX},
}
#: comments segmented and written per transaction: small enough that a web worker's comment waits little for the
#: SQLite write lock, large enough that a transaction serves many
BATCH = 500

_fts = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer), sa.column("words", sa.Text))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: leave the search index's own objects out of the model comparison."""
    return name not in OUTSIDE_THE_MODELS.get(type_, ())


def _is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


# ---- writing -----------------------------------------------------------------------------------------------


def write(rows: Iterable[tuple[int, str]]) -> int:
    """Segment and store the words of the given (id, body) comments, marking them indexed; returns how many.

    Safe to run twice on a comment: its entry is replaced."""
    entries = [(comment_id, index_words(body)) for comment_id, body in rows]
    if not entries:
        return 0
    if _is_postgres():
        db.session.execute(
            sa.text(f"UPDATE comments SET {TSVECTOR_COLUMN} = array_to_tsvector(CAST(:words AS text[])), "
                    "words_indexed = true WHERE id = :id"),
            [{"id": comment_id, "words": words} for comment_id, words in entries],
        )
    else:
        ids = [{"id": comment_id} for comment_id, _words in entries]
        db.session.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), ids)
        db.session.execute(sa.text(f"INSERT INTO {FTS_TABLE} (rowid, words) VALUES (:id, :words)"),
                           [{"id": comment_id, "words": " ".join(words)} for comment_id, words in entries])
        db.session.execute(sa.text("UPDATE comments SET words_indexed = 1 WHERE id = :id"), ids)
    return len(entries)


def _not_indexed():
    # Written as the partial index's own condition, so that both databases read only the index of those rows.
    return Comment.words_indexed == sa.false()


def _pending(limit: int):
    statement = sa.select(Comment.id, Comment.body).where(_not_indexed()).order_by(Comment.id).limit(limit)
    # Two consumers never segment the same comments: each takes the rows the other has not locked.
    return statement.with_for_update(skip_locked=True) if _is_postgres() else statement


def index_pending(*, batch: int = BATCH, budget_seconds: float = 20.0, clock=time.monotonic) -> tuple[int, bool]:
    """Index comments not yet in the index, a batch per transaction, until none is left or the budget is spent.

    Returns how many were indexed and whether some are left (the caller then asks for another run)."""
    done, started = 0, clock()
    while True:
        rows = db.session.execute(_pending(batch)).all()
        done += write(rows)
        db.session.commit()
        if len(rows) < batch:
            return done, False
        if clock() - started >= budget_seconds:
            return done, True


def pending_count(consultation_id: int | None = None) -> int:
    """Comments the index does not hold yet (counted on the partial index of those alone)."""
    statement = sa.select(sa.func.count()).select_from(Comment).where(_not_indexed())
    if consultation_id is not None:
        statement = statement.where(Comment.consultation_id == consultation_id)
    return db.session.scalar(statement)


def reindex_all(*, batch: int = 2000, progress=None) -> int:
    """Index every comment again, in id order (after a change of dictionary or of what a word is, or to repair
    the index); each keeps its old entry until its batch is rewritten. Returns how many were indexed."""
    done, last = 0, 0
    while True:
        rows = db.session.execute(sa.select(Comment.id, Comment.body).where(Comment.id > last)
                                  .order_by(Comment.id).limit(batch)).all()
        if not rows:
            return done
        done += write(rows)
        db.session.commit()
        last = rows[-1].id
        if progress:
            progress(done)


# ---- searching ---------------------------------------------------------------------------------------------


def _tsquery(words: list[str]) -> str:
    # A quoted lexeme is taken as it is: a quote is doubled and a backslash escaped, so no word is read as syntax.
    return " & ".join("'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words)


def _fts_query(words: list[str]) -> str:
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def matching(statement, words: list[str]):
    """``statement`` (a select of comments) narrowed to the comments holding every one of ``words``, and the
    column to page it by (the comment's id, or on SQLite the FTS rowid that equals it)."""
    if _is_postgres():
        condition = sa.text(f"comments.{TSVECTOR_COLUMN} @@ CAST(:search_query AS tsquery)")
        return statement.where(condition.bindparams(search_query=_tsquery(words))), Comment.id
    # An id SQLite gave again after a deletion may still have the old comment's words until it is indexed: only
    # indexed comments are matched.
    statement = (statement.join(_fts, _fts.c.rowid == Comment.id)
                 .where(sa.text(f"{FTS_TABLE} MATCH :search_query").bindparams(search_query=_fts_query(words)),
                        Comment.words_indexed == sa.true()))
    return statement, _fts.c.rowid
