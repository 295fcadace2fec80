"""Query helpers shared by every domain."""

from sqlalchemy import or_


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_text(columns, query: str):
    """A filter that finds ``query`` anywhere in any of ``columns``.

    Substring matching, not word-based full-text search: Chinese has no spaces, so a tokenizer that splits
    on spaces cannot find the two-character word 垃圾 inside 生活垃圾分类管理办法.
    """
    pattern = f"%{escape_like(query.strip())}%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
