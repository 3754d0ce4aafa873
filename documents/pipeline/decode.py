"""Stage 1 — bytes → text.

Reads the raw bytes of a scraped notice and produces a ``Decoded`` (text and
the encoding that was used). Strategy:

1. byte-order marks (UTF-8, UTF-16 LE/BE);
2. UTF-16 without BOM (many NUL bytes in even or odd positions);
3. strict UTF-8;
4. the legacy Chinese encodings (gb18030, big5) plus charset-normalizer's
   best guess among gb18030/big5/utf_16, each decoded strictly and scored by a
   sanity check (share of common CJK characters / punctuation, no control
   characters) so that short Chinese texts are not mis-detected.

DOCX and PDF files are turned into text first (``binary.convert``; their encoding is
then "docx" or "pdf").

Anything that does not yield sane text (binary files, empty input, text full
of control characters) raises ``IngestError`` naming the file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from .binary import convert
from .errors import IngestError
from .textutil import CJK_RE, converter

# Frequent Chinese characters and punctuation (Simplified); the Traditional
# forms are added at first use with OpenCC. A correctly decoded Chinese text
# has most of its CJK characters in this set; a text decoded with the wrong
# legacy codec has mostly rare characters.
COMMON_ZH = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下"
    "自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些"
    "主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业"
    "外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代"
    "内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题"
    "活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克"
    "许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记"
    "南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱"
    "击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视"
    "消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医"
    "局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律"
    "足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群"
    "项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船"
    "脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血"
    "惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲"
    "射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审"
    "沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚"
    "概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽"
    "良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚"
    "毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡"
    "附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒"
    "烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴"
    "馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄"
    "稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹"
    "尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛"
    "怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪"
    "汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹"
    "乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘"
    "播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰"
    "隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑"
    "邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡"
    "旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏"
    "液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁"
    "插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递"
    "邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲"
    "佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷"
    "澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾"
    "锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒"
    "遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹"
    "昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履"
    "涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱"
    "俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬"
    "屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲"
    "肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩"
    "卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霞驳"
    "裕顽於摘矮秒卿畜咽披辅勾盆疆赌塑畏吵囊嗯泊肺骤缠冈羞瞪吊贾漏斑涛悠鹿俘锡卑葬铭滩嫁催璇翅"
    "盒蛮矣潘歧赐鲍锅廊拆灌勉盲宰佐啥胀扯禧辽抹筒棋裤唉朴咐孕誓喉妄拘链驰栏逝窃艳臭纤玑棵趁匠"
    "盈翁愁瞬婴孝颈倘浙谅蔽畅赠妮莎尉冻跪闯葡後厨鸭颠遮谊圳吁仑辟瘤嫂陀框谭亨钦庸歉芝吼甫衫摊"
    "宴嘱衷娇陕矩浦讶耸裸碧摧薪淋耻胶屠鹅饥盼脖虹翠崩账萍逢赚撑翔倡绵猴枯巫昭怔渊凑溪蠢禅阐旺"
    "寓藤匪伞碑挪琼脂谎慨菩萄狮掘抄岭晕逮砍挫仅倦惹伪剪翘拓喻"
    "，。、；：？！“”‘’（）《》【】〔〕—…·"
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the name of the codec that produced it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # must precede UTF-16 LE (same prefix)
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
LEGACY_CODECS: tuple[str, ...] = ("gb18030", "big5")
NORMALIZER_CODECS: list[str] = ["gb18030", "big5", "utf_16"]
MIN_CJK_QUALITY = 0.35  # share of common characters among non-ASCII characters
MAX_CONTROL_SHARE = 0.002
ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    trad = converter("s2t").convert(COMMON_ZH)
    return frozenset(COMMON_ZH) | frozenset(trad)


CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
NON_ASCII_RE = re.compile(r"[^\x00-\x7f\s]")
QUALITY_SAMPLE = 20000  # characters scored for CJK sanity


def _control_count(text: str) -> int:
    return len(CONTROL_RE.findall(text))


_WORDLIKE_RE = re.compile(r"[A-Za-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")


def _has_words(sample: str) -> bool:
    """A notice is made of words (ASCII letters, digits, CJK), not runs of one symbol."""
    visible = _SPACE_RE.sub("", sample)
    wordlike = len(_WORDLIKE_RE.findall(visible))
    return wordlike >= 0.3 * len(visible) and len(set(visible)) >= min(5, len(visible))


def quality(text: str, *, cjk_check: bool = True) -> float:
    """Sanity score in [0, 1]; 0 means "this is not text"."""
    if not text.strip() or "\ufffd" in text or "\x00" in text:
        return 0.0
    if _control_count(text) > max(0, int(len(text) * MAX_CONTROL_SHARE)):
        return 0.0
    if not _has_words(text[:QUALITY_SAMPLE]):
        return 0.0
    if not cjk_check:
        return 1.0
    non_ascii = NON_ASCII_RE.findall(text[:QUALITY_SAMPLE])
    if not non_ascii:
        return 1.0
    common = _common_chars()
    good = sum(1 for ch in non_ascii if ch in common)
    # Latin letters with accents / typographic punctuation are acceptable too.
    good += sum(1 for ch in non_ascii if 0x2010 <= ord(ch) <= 0x206F or 0xC0 <= ord(ch) <= 0x24F)
    return good / len(non_ascii)


# Files that are not notices but are often handed in by mistake; named in the error so
# the person knows what to do (a compressed file is never expanded: no bomb can go off).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document other than .docx)"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"(\xb5/\xfd", "a zstd-compressed file"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


def _kind_of_binary(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def _utf8_cut_short(data: bytes) -> str | None:
    """UTF-8 whose only fault is a character cut off at the very end (a truncated file)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8", errors="strict")
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 LE/BE from the position of NUL bytes (mostly-ASCII text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0)
    odd_nul = data[1::2].count(0)
    half = len(data) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return None
    best = from_bytes(data[:20000], cp_isolation=NORMALIZER_CODECS).best()
    return best.encoding if best is not None else None


def _accept(text: str | None, codec: str, name: str) -> Decoded:
    """Accept an unambiguous decoding (BOM, UTF-8) unless it is not text."""
    if text is not None and not text.strip():
        raise IngestError(f"{name}: empty file (only white space)")
    if codec == "utf-8" and text is not None and not _has_words(text[:QUALITY_SAMPLE]):
        # Valid UTF-8 (so text, not binary), but a run of one letter or a wall of
        # punctuation is no notice.
        raise IngestError(f"{name}: no words in it ({codec} text of a few repeated symbols)")
    if text is None or quality(text, cjk_check=False) == 0.0:
        raise IngestError(f"{name}: not decodable as {codec} text (binary or control characters)")
    return Decoded(text=text, encoding=codec)


def decode(data: bytes, *, name: str) -> Decoded:
    """Decode raw notice bytes; raise ``IngestError`` if they are not text."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise IngestError(f"{name}: empty file")
    # DOCX and PDF become text first (pipeline.binary); their kind stands as the encoding.
    if (converted := convert(data, name=name)) is not None:
        return Decoded(text=converted.text, encoding=converted.kind, warnings=converted.warnings)
    if kind := _kind_of_binary(data):
        raise IngestError(f"{name}: this is {kind}, not a text or HTML notice")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _accept(_strict(data[len(bom) :], codec), codec, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _accept(_strict(data, utf16), utf16, name)
    if b"\x00" in data:
        # UTF-16 Chinese text has few NULs; anything else with NULs is binary.
        candidates, guess = ["utf-16-le", "utf-16-be"], None
    else:
        text = _strict(data, "utf-8")
        if text is not None:
            return _accept(text, "utf-8", name)
        if (text := _utf8_cut_short(data)) is not None:
            decoded = _accept(text, "utf-8", name)
            warning = "the file ends inside a character (cut short?): its last bytes were dropped"
            return Decoded(decoded.text, decoded.encoding, (warning,))
        candidates = list(LEGACY_CODECS)
        guess = _normalizer_guess(data)
        if guess and guess not in candidates:
            candidates.append(guess)
    scored: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(candidates):
        decoded = _strict(data, codec)
        if decoded is None:
            continue
        score = quality(decoded)
        if score >= MIN_CJK_QUALITY or (
            score > 0 and not CJK_RE.search(decoded) and codec == guess
        ):
            scored.append((score, -rank, codec, decoded))
    if not scored:
        raise IngestError(f"{name}: cannot decode (not UTF-8, GB18030, Big5 or UTF-16 text)")
    _, _, codec, decoded = max(scored)
    return Decoded(text=decoded, encoding=codec)
