"""Checks on the curated reference data (agencies, tags, glossary, jieba user dictionary).

Pure tests: no Django. Run with
    .venv/bin/python -m pytest -p no:django -q tests/measures/test_reference_data.py
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
AGENCIES_PATH = FIXTURES / "agencies.json"
TAGS_PATH = FIXTURES / "tags.json"
GLOSSARY_PATH = FIXTURES / "glossary.json"
USERDICT_PATH = ROOT / "measures" / "data" / "userdict.txt"

CJK = re.compile(r"[\u4e00-\u9fff]")


def _load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def agency_data():
    return _load(AGENCIES_PATH)


@pytest.fixture(scope="module")
def tag_data():
    return _load(TAGS_PATH)


@pytest.fixture(scope="module")
def glossary_data():
    return _load(GLOSSARY_PATH)


@pytest.fixture(scope="module")
def agency_data_by_key(agency_data):
    return {a["key"]: a for a in agency_data}


# --------------------------------------------------------------------------- glossary


def test_glossary_has_at_least_150_unique_zh_terms(glossary_data):
    zh = [entry["zh"] for entry in glossary_data]
    assert len(set(zh)) >= 150
    assert len(zh) == len(set(zh)), "duplicate zh entries in glossary"


def test_every_glossary_entry_has_an_english_rendering_and_a_note(glossary_data):
    for entry in glossary_data:
        assert set(entry) >= {"zh", "en", "notes"}, entry
        assert isinstance(entry["en"], list) and entry["en"], entry["zh"]
        assert all(isinstance(e, str) and e.strip() for e in entry["en"]), entry["zh"]
        assert entry["notes"].strip(), entry["zh"]


def test_glossary_english_is_lowercase_and_zh_is_chinese(glossary_data):
    for entry in glossary_data:
        assert CJK.search(entry["zh"]), entry["zh"]
        for en in entry["en"]:
            assert en == en.lower(), (entry["zh"], en)


@pytest.mark.parametrize(
    "term",
    ["融资担保", "专精特新", "小巨人", "瞪羚企业", "复工复产", "清欠", "免申即享", "转贷", "纾困"],
)
def test_key_seed_terms_are_in_glossary(glossary_data, term):
    assert term in {entry["zh"] for entry in glossary_data}


@pytest.mark.parametrize(
    "zh, english",
    [
        ("专精特新", "specialized and special new"),
        ("小巨人", "little giant"),
        ("纾困", "bailout"),
        ("复工复产", "resumption of work and production"),
        ("融资担保", "financing guarantee"),
    ],
)
def test_seed_translations_are_known_renderings(glossary_data, zh, english):
    by_zh = {entry["zh"]: entry for entry in glossary_data}
    assert english in by_zh[zh]["en"]


# --------------------------------------------------------------------------- agencies


def test_agencies_shape_and_unique_keys(agency_data):
    assert 40 <= len(agency_data) <= 60
    keys = [a["key"] for a in agency_data]
    assert len(keys) == len(set(keys))
    for a in agency_data:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a["key"]), a["key"]
        assert a["level"] in {"national", "provincial", "municipal"}
        assert CJK.search(a["name_zh"]) and a["name_en"]
        assert a["region"] and a["region_zh"]
        assert isinstance(a["aliases"], list)


def test_agency_parents_exist(agency_data_by_key):
    for a in agency_data_by_key.values():
        if a["parent"] is not None:
            assert a["parent"] in agency_data_by_key, (a["key"], a["parent"])
            assert a["parent"] != a["key"]


def _names(agency):
    return {agency["name_zh"], agency["name_en"], *agency["aliases"]}


def _find(agency_data, name_zh):
    found = [a for a in agency_data if a["name_zh"] == name_zh]
    assert len(found) == 1, name_zh
    return found[0]


def test_miit_with_seed_english_forms(agency_data):
    miit = _find(agency_data, "工业和信息化部")
    assert miit["level"] == "national" and miit["region"] == "China"
    names = _names(miit)
    assert "工信部" in names and "MIIT" in names
    lowered = {n.lower() for n in names}
    assert "ministry of industry and information technology" in lowered
    # the scraped title of seed 001 is cut off inside the name
    assert "ministry of industry and information technolog" in lowered


def test_qingdao_private_economy_bureau_with_seed_english_forms(agency_data):
    bureau = _find(agency_data, "青岛市民营经济发展局")
    assert bureau["level"] == "municipal" and bureau["region"] == "Qingdao"
    assert bureau["region_zh"] == "青岛市"
    names = _names(bureau)
    for alias in [
        "Qingdao Private Economic Bureau",
        "Qingdao Bureau of Private Economic Affairs",
        "Qingdao Private Economic Development Bureau",
        "Municipal Bureau of Private Economy",
        "Qingdao Bureau of Private Economy",
        "市民营经济局",
        "市民营经济发展局",
    ]:
        assert alias in names, alias


def test_qingdao_economic_commission_with_seed_forms(agency_data):
    commission = _find(agency_data, "青岛市经济和信息化委员会")
    assert commission["region"] == "Qingdao"
    names = _names(commission)
    assert "市经信委" in names and "青岛市经信委" in names


def test_henan_department_with_seed_english_forms(agency_data):
    dept = _find(agency_data, "河南省工业和信息化厅")
    assert dept["level"] == "provincial" and dept["region"] == "Henan"
    assert dept["region_zh"] == "河南省"
    names = _names(dept)
    assert "河南省工信厅" in names
    assert "Henan Provincial Department of Industry and Information Technology" in names
    assert "Provincial Department of Industry and Information Technology" in names


@pytest.mark.parametrize(
    "name_zh",
    [
        "国务院",
        "国务院办公厅",
        "国家发展和改革委员会",
        "财政部",
        "中国人民银行",
        "国家税务总局",
        "国家金融监督管理总局",
        "中国银行保险监督管理委员会",
        "国务院促进中小企业发展工作领导小组办公室",
        "青岛市人民政府",
        "青岛市工业和信息化局",
        "国家税务总局青岛市税务局",
        "河南省人民政府",
        "山东省人民政府",
    ],
)
def test_other_policy_bodies_present(agency_data, name_zh):
    _find(agency_data, name_zh)


def test_seed_agency_aliases_match_the_seed_texts(agency_data):
    """Every seed names its issuer in a form that one of the aliases finds."""
    seeds = FIXTURES / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed notices not present")
    expected = {
        "000": "qingdao-private-economy",
        "001": "miit",
        "003": "henan-miit-dept",
    }
    by_key = {a["key"]: a for a in agency_data}
    for prefix, key in expected.items():
        files = sorted(seeds.glob(prefix + "_*.txt"))
        if not files:
            continue
        text = files[0].read_text(encoding="utf-8").lower()
        assert any(n.lower() in text for n in _names(by_key[key])), (prefix, key)


# --------------------------------------------------------------------------- tags


def test_every_tag_kind_has_entries_and_slugs_are_unique(tag_data):
    kinds = {"target_group", "topic", "support_type"}
    assert {t["kind"] for t in tag_data} == kinds | {"size_class"}
    for kind in kinds:
        assert sum(1 for t in tag_data if t["kind"] == kind) >= 10, kind
    # size classes are set by a rule on the text (measures.sizeclass), one tag per class
    sizes = {t["slug"] for t in tag_data if t["kind"] == "size_class"}
    assert sizes == {"size-medium", "size-small", "size-micro"}
    slugs = [t["slug"] for t in tag_data]
    assert len(slugs) == len(set(slugs))


def test_tags_shape_and_keywords(tag_data):
    for t in tag_data:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t["slug"]), t["slug"]
        assert t["name_en"] and CJK.search(t["name_zh"])
        if t["kind"] == "size_class":  # tagged by rule, never by keyword
            assert not t["keywords_zh"] and not t["keywords_en"], t["slug"]
            continue
        assert t["keywords_zh"] and t["keywords_en"], t["slug"]
        for k in t["keywords_zh"]:
            assert CJK.search(k), (t["slug"], k)
        for k in t["keywords_en"]:
            assert k == k.lower() and k.strip(), (t["slug"], k)


@pytest.mark.parametrize(
    "slug",
    [
        "sme",
        "micro-small",
        "private-enterprise",
        "specialised-sme",
        "little-giant",
        "gazelle",
        "unicorn",
        "fledgling",
        "hidden-champion",
        "individual-business",
        "finance",
        "tax-fees",
        "digital-transformation",
        "arrears-clearance",
        "epidemic-resumption",
        "subsidy",
        "guarantee",
        "rent-relief",
        "deferred-payment",
        "policy-access",
    ],
)
def test_expected_tags_present(tag_data, slug):
    assert slug in {t["slug"] for t in tag_data}


def test_tag_keywords_find_the_seed_vocabulary(tag_data):
    by_slug = {t["slug"]: t for t in tag_data}

    def zh_hit(slug, text):
        return any(k in text for k in by_slug[slug]["keywords_zh"])

    def en_hit(slug, text):
        return any(k in text.lower() for k in by_slug[slug]["keywords_en"])

    assert zh_hit("specialised-sme", "实施“专精特新”梯度发展行动")
    assert zh_hit("policy-access", "逐步推开惠企政策“免申即享”")
    assert zh_hit("guarantee", "进一步引导担保机构降低担保费率")
    assert zh_hit("gazelle", "新培育认定雏鹰企业300家、瞪羚企业50家")
    assert en_hit("specialised-sme", 'the municipal "specialized and special new" enterprises')
    assert en_hit("little-giant", "key “little Giant” enterprises")
    assert en_hit("epidemic-resumption", "the resumption of work and production")
    assert en_hit("deferred-payment", "phased deferred payment of electricity, water and gas")


# --------------------------------------------------------------------------- user dictionary


def _userdict_words():
    words = []
    for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        parts = line.split()
        assert 1 <= len(parts) <= 3, line
        if len(parts) >= 2:
            assert parts[1].isdigit(), line
        words.append(parts[0])
    return words


def test_userdict_is_large_and_simplified_terms_are_unique():
    words = _userdict_words()
    assert len(words) >= 150
    assert len(words) == len(set(words))
    for required in [
        "专精特新",
        "免申即享",
        "瞪羚企业",
        "小巨人",
        "雏鹰企业",
        "独角兽企业",
        "隐形冠军",
        "转贷",
        "政策通",
        "131工程",
    ]:
        assert required in words, required


def test_userdict_covers_glossary_terms(glossary_data):
    words = set(_userdict_words())
    missing = [e["zh"] for e in glossary_data if e["zh"] not in words]
    assert not missing, missing


@pytest.fixture(scope="module")
def tokenizer():
    jieba = pytest.importorskip("jieba")
    tk = jieba.Tokenizer()
    tk.load_userdict(str(USERDICT_PATH))
    return tk


def test_userdict_keeps_policy_terms_whole(tokenizer):
    tokens = tokenizer.lcut("专精特新小巨人企业免申即享")
    for word in ["专精特新", "小巨人", "免申即享"]:
        assert word in tokens, tokens


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("新培育认定雏鹰企业300家、瞪羚企业50家、独角兽企业1家", "瞪羚企业"),
        ("设立了总规模10亿元的小微企业转贷引导基金", "小微企业"),
        ("进一步引导担保机构降低担保费率", "担保费率"),
        ("运营好青岛政策通平台", "青岛政策通"),
        ("实施中小企业创新转型131工程", "131工程"),
        ("市经信委相关负责人介绍", "市经信委"),
    ],
)
def test_userdict_segments_seed_sentences(tokenizer, sentence, word):
    assert word in tokenizer.lcut(sentence)
