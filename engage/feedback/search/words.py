"""Which words a comment is found by, and which words a staff member's query asks for. Pure functions.

A comment is indexed with jieba's search mode, which adds the shorter words inside long ones, so that a query
for 分类 finds 垃圾分类; a query is segmented with the precise mode, so that 垃圾分类 asks for that word, not for
each of its parts. Words of one character are left out on both sides: they are particles (的, 在) or parts of
words the segmenter cut differently in another sentence, and would match almost every comment.
"""

from flask_babel import lazy_gettext as _l

from engage.core.errors import ValidationFailed
from engage.feedback.segmenting import tokens

#: words a query may ask for at once (each narrows the result; more only costs time)
MAX_QUERY_WORDS = 10
#: longer "words" (a pasted link, a run of letters) are left out: nobody searches for them, and PostgreSQL refuses a
#: lexeme over 2,047 bytes, which would stop the indexing of every comment in its batch
MAX_WORD_LENGTH = 60
TOO_SHORT = _l("Search for at least one word of two characters or more, for example 垃圾 or 物业.")


def _kept(word: str) -> str | None:
    word = word.strip().lower()
    if not 2 <= len(word) <= MAX_WORD_LENGTH or not any(ch.isalnum() for ch in word):
        return None
    return word


def index_words(text: str) -> list[str]:
    """The distinct words ``text`` is found by, in their first order."""
    seen: dict[str, None] = {}
    for token in tokens(text, for_search=True):
        if (word := _kept(token)) is not None:
            seen.setdefault(word, None)
    return list(seen)


def query_words(query: str, *, field: str = "q") -> list[str]:
    """The words all of which a comment must hold to match ``query``.

    :raises ValidationFailed: the query has no word of two characters or more (under ``field``)
    """
    seen: dict[str, None] = {}
    for token in tokens(" ".join((query or "").split()))[:200]:
        if (word := _kept(token)) is not None:
            seen.setdefault(word, None)
    if not seen:
        raise ValidationFailed({field: [TOO_SHORT]})
    return list(seen)[:MAX_QUERY_WORDS]
