"""Chinese word segmentation with jieba, shared by the themes (``themes``) and the comment search (``search``).

jieba's dictionary ships inside the package (nothing is downloaded); loading it takes a process about 1-2 s on
its first use, which is why comments are indexed by the job consumers, not by the web worker taking them in.
"""

import logging


def tokens(text: str, *, for_search: bool = False) -> list[str]:
    """jieba's segmentation of ``text``: its precise mode, or with ``for_search`` its search mode, which also
    gives the shorter words inside long ones (垃圾分类 → 垃圾, 分类, 垃圾分类)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on every process's first use
    return jieba.lcut_for_search(text) if for_search else jieba.lcut(text)
