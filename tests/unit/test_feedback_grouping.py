"""Near-duplicate grouping: form letters with small edits come out as one group each; unrelated texts do not."""

import random

from engage.feedback import grouping

LETTER = "强烈建议在每个小区设置不少于两个厨余垃圾投放点，并配备洗手设施和除臭设备，方便居民分类投放，也减少异味扰民。"
OTHER_LETTER = "反对将垃圾分类违规行为纳入个人信用记录，处罚应当以教育为主，先宣传后执法，给居民留出适应的时间。"


def test_normalise_drops_layout_punctuation_and_width():
    assert grouping.normalise("建议，增加 投放点！") == grouping.normalise("建议,增加投放点!") == "建议增加投放点"
    assert grouping.normalise("ＡＢＣ abc") == "abcabc"


def test_identical_after_normalising_are_one_group():
    groups = grouping.propose_groups([(1, LETTER), (2, LETTER.replace("，", ", ")), (3, OTHER_LETTER)])
    assert [group.comment_ids for group in groups] == [[1, 2]]


def test_copies_with_small_edits_are_grouped():
    copies = [
        (1, LETTER),
        (2, "您好！" + LETTER + "请予采纳。"),
        (3, LETTER.replace("两个", "三个")),
        (4, LETTER.replace("洗手设施和", "")),
    ]
    groups = grouping.propose_groups(copies)
    assert len(groups) == 1 and groups[0].comment_ids == [1, 2, 3, 4]


def test_representative_is_the_commonest_text():
    comments = [(1, LETTER + "谢谢"), (2, LETTER), (3, LETTER), (4, LETTER.replace("两个", "三个"))]
    assert grouping.propose_groups(comments)[0].representative_id == 2


def test_two_form_letters_make_two_groups():
    comments = [(i, LETTER + "！" * (i % 3)) for i in range(1, 6)] + [(i, OTHER_LETTER + "。" * (i % 2))
                                                                     for i in range(6, 9)]
    groups = grouping.propose_groups(comments)
    assert [group.comment_ids for group in groups] == [[1, 2, 3, 4, 5], [6, 7, 8]]


def test_unrelated_comments_stay_single():
    rng = random.Random(7)
    pool = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道"
            "也时年得就那要下以生会自之着去过家学对可她里后小么心多天")
    comments = [(i, "".join(rng.choice(pool) for _ in range(rng.randint(5, 120)))) for i in range(500)]
    assert grouping.propose_groups(comments) == []


def test_short_comments_only_group_when_the_same():
    groups = grouping.propose_groups([(1, "同意"), (2, "同意！"), (3, "反对"), (4, "好")])
    assert [group.comment_ids for group in groups] == [[1, 2]]


def test_sketches_of_different_texts_rarely_agree():
    first, second = grouping.sketch(grouping.normalise(LETTER)), grouping.sketch(grouping.normalise(OTHER_LETTER))
    assert grouping.similarity(first, second) < 0.2
    assert grouping.similarity(first, first) == 1.0
