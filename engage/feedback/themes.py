"""Themes (集中意见) beyond form letters: comments that make the same point in different words.

Pure Python and no database, like ``grouping``: ``propose_themes`` takes (id, text) pairs and returns themes, each
with its comments, its top keywords and the comments most typical of it. How:

1. Chinese text is segmented with jieba (its dictionary ships inside the package: nothing is downloaded), and
   words that carry no point (建议, 希望, particles, single characters) are left out. Each word also brings its
   characters and pairs of characters, so that 老人 and 老年人, 罚款 and 处罚 share something.
2. Each comment becomes a TF-IDF vector (sublinear; features in at least two comments and at most a third of
   them when there are many), reduced to at most 100 dimensions (latent semantic analysis) and normalised.
3. Mini-batch k-means cuts the comments into more clusters than there are points (a point made in different
   words falls apart at first); clusters are then merged while all their centres lie close (complete linkage
   on the cosine distance of the centres). A comment far from its theme's centre is left out of it: a theme is a
   proposal for a person to check, and an unrelated comment in it would mislead more than a missing one.

Staff accept, split, merge or rename a theme like any proposed group: nothing is grouped without a person.
How well it finds known points is measured by bench/themes.py (docs/PERFORMANCE.md).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from engage.feedback.segmenting import tokens

#: words that occur in comments on any point and say nothing about which one
STOPWORDS = frozenset((
    "建议", "希望", "应当", "应该", "认为", "觉得", "我们", "你们", "他们", "大家", "这个",
    "那个", "这样", "那样", "一些", "一下", "一点", "问题", "意见", "个人", "看法", "看了",
    "以上", "谢谢", "感谢", "考虑", "采纳", "认真", "尽快", "改进", "心声", "居民", "办法",
    "征求意见稿", "关于", "作为", "可以", "需要", "进行", "没有", "还是", "就是", "因为",
    "所以", "如果", "但是", "而且", "或者", "已经", "非常", "比较", "现在", "目前", "政府",
    "有关", "相关", "一定", "不要", "不能", "不是", "什么", "怎么", "这么", "那么", "强烈",
    "呼吁",
))

MAX_DIMENSIONS = 100
#: k-means first cuts the comments into this many clusters per square root of their number
CLUSTERS_PER_ROOT = 2
MAX_CLUSTERS = 1000
#: clusters are merged while every pair of their centres is closer than this (cosine distance, complete linkage)
MERGE_DISTANCE = 0.93
#: a comment less similar than this to its theme's centre is left out of it
MIN_SIMILARITY = 0.2
KEYWORDS = 5
#: from this many comments on, features in more than ``COMMON_SHARE`` of them are left out
MANY_COMMENTS = 200
COMMON_SHARE = 0.33
REPRESENTATIVES = 3


@dataclass(frozen=True)
class Theme:
    comment_ids: list[int]
    keywords: list[str]
    #: the comments nearest the theme's centre, most typical first
    representative_ids: list[int]


def words(text: str) -> list[str]:
    """The words of ``text`` that may carry its point."""
    return [word for word in tokens(text) if len(word) >= 2 and word not in STOPWORDS
            and any(ch.isalnum() for ch in word)]


def features(text: str) -> list[str]:
    """The words, and (marked with ~) the characters and pairs of characters inside them."""
    found = words(text)
    pairs = [f"~{word[i:i + 2]}" for word in found if len(word) > 2 for i in range(len(word) - 1)]
    characters = [f"~{ch}" for word in found for ch in word if "\u4e00" <= ch <= "\u9fff"]
    return found + pairs + characters


def propose_themes(comments: Iterable[tuple[int, str]], *, min_size: int = 3, seed: int = 0) -> list[Theme]:
    """Themes of at least ``min_size`` comments, largest first; the same input and seed give the same themes."""
    import numpy as np

    ids, texts = [], []
    for comment_id, text in comments:
        ids.append(comment_id)
        texts.append(text)
    if len(ids) < 2 * min_size:
        return []
    tfidf, vocabulary = _tfidf(texts)
    if tfidf is None:
        return []
    points = _reduced(tfidf, seed)
    labels = _merged_clusters(points, min_size, seed)
    themes = []
    for label in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == label)
        centre = points[members].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        kept = members[points[members] @ centre >= MIN_SIMILARITY]
        if len(kept) < min_size:
            continue
        typical = kept[np.argsort(-(points[kept] @ centre), kind="stable")]
        weights = np.asarray(tfidf[kept].mean(axis=0)).ravel()
        ranked = (vocabulary[i] for i in np.argsort(-weights, kind="stable") if weights[i] > 0)
        keywords = [word for word in ranked if not word.startswith("~")][:KEYWORDS]
        themes.append(Theme(comment_ids=sorted(ids[i] for i in kept), keywords=keywords,
                            representative_ids=[ids[i] for i in typical[:REPRESENTATIVES]]))
    themes.sort(key=lambda theme: (-len(theme.comment_ids), theme.comment_ids[0]))
    return themes


def _tfidf(texts: list[str]):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Among many comments a feature in more than a third of them says nothing about the point; among a few, the
    # point's own word may well be in most of them.
    max_df = COMMON_SHARE if len(texts) >= MANY_COMMENTS else 1.0
    vectorizer = TfidfVectorizer(analyzer=features, min_df=2, max_df=max_df, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no feature occurs in two comments: nothing to group by
        return None, []
    return matrix, vectorizer.get_feature_names_out()


def _reduced(tfidf, seed: int):
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dimensions = min(MAX_DIMENSIONS, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dimensions >= 2:
        points = TruncatedSVD(n_components=dimensions, random_state=seed).fit_transform(tfidf)
    else:
        points = tfidf.toarray()
    return normalize(points).astype(np.float32)


def _merged_clusters(points, min_size: int, seed: int):
    """A theme label per comment."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans

    count = len(points)
    clusters = max(2, min(count // min_size, int(CLUSTERS_PER_ROOT * np.sqrt(count)), MAX_CLUSTERS))
    kmeans = MiniBatchKMeans(n_clusters=clusters, random_state=seed, n_init=3, batch_size=4096).fit(points)
    used = np.flatnonzero(np.bincount(kmeans.labels_, minlength=clusters) > 0)
    if len(used) < 2:
        return kmeans.labels_
    # Complete linkage: a theme grows only while all its parts stay near each other, so one chain of
    # neighbours cannot join two points.
    merged = AgglomerativeClustering(n_clusters=None, distance_threshold=MERGE_DISTANCE, metric="cosine",
                                     linkage="complete").fit_predict(kmeans.cluster_centers_[used])
    theme_of_cluster = np.full(clusters, -1)
    theme_of_cluster[used] = merged
    return theme_of_cluster[kmeans.labels_]
