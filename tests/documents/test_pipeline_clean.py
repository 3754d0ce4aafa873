"""Unit tests for the clean stage."""

from __future__ import annotations

from documents.pipeline import clean


def test_normalises_characters_but_keeps_chinese_punctuation():
    text = "１．支持企业\u200b发展，\u00a0力争（２０２３年）“达标”。\r\n\u3000\u3000第二段"
    out = clean(text).text
    assert out.startswith("1.支持企业发展，")
    assert "（2023年）“达标”。" in out
    assert "\r" not in out and "\u3000" not in out
    assert out.split("\n")[-1] == "第二段"


def test_collapses_blank_lines():
    assert clean("甲\n\n\n\n乙\n\n\n").text == "甲\n\n乙"


def test_removes_pinyin_annotations():
    result = clean("中小企業(yè)發(fā)展(zhǎn)，半島網(wǎng)（wǎng）報道(a)。")
    assert result.text == "中小企業發展，半島網報道(a)。"
    assert "(yè)" in result.removed


def test_drops_spam_title_line():
    result = clean("國產在線精品免費看-久久香蕉觀看\n正文標題\n正文內容。")
    assert result.text == "正文標題\n正文內容。"


def test_single_spam_word_is_not_enough():
    assert "国产设备" in clean("支持国产设备更新。").text


def test_drops_copyright_editor_share_and_widgets():
    text = "\n".join(
        [
            "标题行在这里",
            "正文第一段。",
            "[编辑: 张三]",
            "責任編輯：李四",
            "Editor: John Smith",
            "版权所有 示例网站",
            "Copyright © 2011 EXAMPLE",
            "扫一扫在手机打开当前页",
            "手机看新闻",
            "分享到：",
            "小字体大字体",
            "热门推荐",
            "房产 | 旅游 | 教育 | 汽车",
            "• Detail",
            "?",
            "2022-06-28 0 By",
            "2017-06-27 10:15   来源: 示例日报",
            "China Construction machinery information",
        ]
    )
    result = clean(text)
    assert result.text == "标题行在这里\n正文第一段。"
    assert len(result.removed) == 16


def test_glued_editor_is_removed():
    result = clean("The plan helps enterprises.Editor: CAI Xiaoyu")
    assert result.text == "The plan helps enterprises."
    assert "Editor: CAI Xiaoyu" in result.removed


def test_repeated_and_cut_off_title():
    text = "Ministry issues new measures for small firm\n\nMinistry issues new measures for small firms to recover\n\nministry issues new measures for small firms to recover\n\nBody."
    result = clean(text)
    assert result.text == "Ministry issues new measures for small firms to recover\n\nBody."


def test_spliced_spam_clause_removed():
    result = clean(
        "Coordinate talents and technology, and help enterprises overcome difficulties with 2.4 lubricating oil analysis method\n"
        "Strengthen docking of the back door and tail support pressure testing machine, and tap potential."
    )
    assert result.text.split("\n") == [
        "Coordinate talents and technology, and help enterprises overcome difficulties",
        "Strengthen docking, and tap potential.",
    ]
    assert len(result.removed) == 2


def test_pipe_in_sentence_is_kept():
    text = "指标 A | 指标 B 的比较说明了一个相当长的问题，需要认真分析。"
    assert clean(text).text == text
