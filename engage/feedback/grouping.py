"""Finding identical and near-identical comments (form letters, copies with small edits) among many.

The method, in three steps, each linear in the number of comments:

1. Normalise the text (NFKC, lower case, no spaces or punctuation), so copies that differ only in layout or
   full-width punctuation become identical; identical texts are grouped at once by their normalised form.
2. Sketch every distinct text by its character 3-shingles with one-permutation MinHash (Li, Owen and Zhang,
   2012): each shingle is hashed once and lands in one of ``BINS`` bins, and a bin keeps its smallest hash.
   Two texts agree in a bin with probability close to the Jaccard similarity of their shingle sets.
3. Locality-sensitive hashing: the bins are cut into bands; texts that agree in every bin of some band
   land in the same bucket and become candidates. A candidate joins the bucket's first text when their
   sketches agree in at least ``threshold`` of the bins, and groups are the connected texts (union-find).

Pure Python and no database: ``propose_groups`` takes (id, text) pairs and returns lists of ids.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE = 3
BINS = 32  # a power of two
ROWS_PER_BAND = 4
_MASK = (1 << 61) - 1
#: an odd constant that spreads borrowed values apart (the golden-ratio multiplier of Fibonacci hashing)
_SPREAD = 0x9E3779B97F4A7C15
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """The text with layout, case, full-width forms and punctuation taken out."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text).lower())


def shingles(normalised: str) -> set[str]:
    if len(normalised) <= SHINGLE:
        return {normalised}
    return {normalised[i:i + SHINGLE] for i in range(len(normalised) - SHINGLE + 1)}


def sketch(normalised: str) -> tuple[int, ...]:
    """One-permutation MinHash: the smallest hash per bin of the text's shingles."""
    bins = [_MASK] * BINS
    last_bin = BINS - 1  # BINS is a power of two: the low bits choose the bin
    # Python's string hash is seeded per process; sketches are only compared within one run.
    for value in map(hash, shingles(normalised)):
        value &= _MASK
        index = value & last_bin
        if value < bins[index]:
            bins[index] = value
    return _densified(bins)


def _densified(bins: list[int]) -> tuple[int, ...]:
    """Fill each empty bin from the next filled one to its right, offset by the distance (rotation densification,
    Shrivastava and Li, 2014): short texts leave bins empty, and empty bins must not make unrelated texts agree."""
    if _MASK not in bins:
        return tuple(bins)
    filled = [index for index, value in enumerate(bins) if value != _MASK]
    result = list(bins)
    for index, value in enumerate(bins):
        if value == _MASK:
            source = next((f for f in filled if f > index), filled[0])
            distance = (source - index) % BINS
            result[index] = (bins[source] + distance * _SPREAD) & _MASK
    return tuple(result)


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of two sketches: the share of bins that agree."""
    return sum(a == b for a, b in zip(first, second, strict=True)) / BINS


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        first, second = self.find(first), self.find(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)


@dataclass(frozen=True)
class ProposedGroup:
    comment_ids: list[int]
    #: the comment whose normalised text is most common in the group: the form letter itself
    representative_id: int


def propose_groups(comments: Iterable[tuple[int, str]], *, threshold: float = 0.5, minimum_size: int = 2
                   ) -> list[ProposedGroup]:
    """Groups of identical or near-identical comments, largest first; comments with no near twin are left out."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for comment_id, text in comments:
        by_text[normalise(text)].append(comment_id)
    texts = list(by_text)
    sketches = [sketch(text) for text in texts]
    links = _UnionFind(len(texts))
    for band in range(0, BINS, ROWS_PER_BAND):
        buckets: dict[tuple, int] = {}
        for index, signature in enumerate(sketches):
            key = signature[band:band + ROWS_PER_BAND]
            first = buckets.setdefault(key, index)
            if first == index or links.find(first) == links.find(index):
                continue
            if similarity(sketches[first], signature) >= threshold:
                links.union(first, index)
    return _collect(texts, by_text, links, minimum_size)


def _collect(texts, by_text, links, minimum_size) -> list[ProposedGroup]:
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(texts)):
        members[links.find(index)].append(index)
    groups = []
    for text_indexes in members.values():
        comment_ids = sorted(cid for index in text_indexes for cid in by_text[texts[index]])
        if len(comment_ids) < minimum_size:
            continue
        commonest = max(text_indexes, key=lambda index: (len(by_text[texts[index]]), -min(by_text[texts[index]])))
        groups.append(ProposedGroup(comment_ids, min(by_text[texts[commonest]])))
    groups.sort(key=lambda group: (-len(group.comment_ids), group.comment_ids[0]))
    return groups
