"""Names sort by pinyin as Chinese readers expect, surnames read as surnames."""

from __future__ import annotations

from scheduler.core.names import pinyin_key, sort_text, text_key


def test_people_sort_by_pinyin_not_by_code_point() -> None:
    names = ["朱桂", "罗磊超", "张伟", "王芳", "安然", "李娜", "邓超", "陈静"]
    assert sorted(names, key=pinyin_key) == ["安然", "陈静", "邓超", "李娜", "罗磊超", "王芳", "张伟", "朱桂"]
    assert sorted(names) != sorted(names, key=pinyin_key)  # code-point order would differ


def test_polyphonic_surnames_are_read_as_surnames() -> None:
    # 单 shàn (not dān), 曾 zēng (not céng), 解 xiè (not jiě), 仇 qiú (not chóu), 区 ōu, 查 zhā, 覃 qín.
    assert pinyin_key("单雄信")[0][:2] == ("shan", 4)
    assert pinyin_key("曾国藩")[0][:2] == ("zeng", 1)
    assert pinyin_key("解缙")[0][:2] == ("xie", 4)
    assert pinyin_key("仇英")[0][:2] == ("qiu", 2)
    assert [s[0] for s in pinyin_key("区小明")] == ["ou", "xiao", "ming"]
    # Read dān, 单雄信 would come before 邓超 (dèng); read shàn it comes after, just before 邵华 (shào).
    assert sorted(["邵华", "单雄信", "邓超"], key=pinyin_key) == ["邓超", "单雄信", "邵华"]


def test_compound_surnames_are_read_whole() -> None:
    assert [s[0] for s in pinyin_key("万俟卨")] == ["mo", "qi", "xie"]
    assert [s[0] for s in pinyin_key("尉迟恭")] == ["yu", "chi", "gong"]


def test_a_name_with_latin_letters_still_has_a_key() -> None:
    assert sorted(["Smith", "张伟", "安然"], key=pinyin_key) == ["安然", "Smith", "张伟"]


def test_firms_are_read_without_the_surname_rule() -> None:
    firms = ["兴义市正义律师事务所", "贵州黔西南律师事务所", "北京大成（贵阳）律师事务所", "安顺律师所"]
    assert sorted(firms, key=text_key) == [
        "安顺律师所",
        "北京大成（贵阳）律师事务所",
        "贵州黔西南律师事务所",
        "兴义市正义律师事务所",
    ]


def test_the_database_key_orders_like_the_key() -> None:
    names = ["单雄信", "邵华", "沙僧", "张伟", "安然", "曾国藩", "蔡明"]
    assert sorted(names, key=sort_text) == sorted(names, key=pinyin_key)
    assert sort_text("单雄信") == "shan4xiong2xin4" and sort_text("Li Lei") == "l0i0l0e0i0"
