"""The words the load benchmark's visitors search for, per script (bench/load_mix.py)."""

QUERIES = {
    "zh-hans": ["融资担保", "中小企业", "专精特新", "技术改造", "人才", "数字化转型", "税收"],
    "zh-hant": ["融資擔保", "中小企業", "專精特新", "數字化轉型", "稅收"],
    "en": ["financing guarantee", "small and medium enterprises", "innovation", "tax"],
}
