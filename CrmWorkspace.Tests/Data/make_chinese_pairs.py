#!/usr/bin/env python3
"""Writes chinese-pairs.csv: the team's labelled Chinese matching set (issue 19), invented records and public facts only.
Deterministic (fixed seed): rerun to regenerate after editing. One row = one labelled pair of records A and B.
Columns: class, kind (company/person), same (1 = duplicates, 0 = two customers), note, then name, phone, city, address, email
and entity of A and of B (records of one entity are duplicates, also across pairs)."""
import csv, random

rnd = random.Random(19)
rows = []
used_trades = set()
phone_seq = [0]

def landline(area="28"):
    """A landline of the right length for its area code."""
    phone_seq[0] += 1
    seven = area in ("831", "830", "816", "825", "771")  # prefecture cities: 7-digit local numbers; capitals and big cities: 8
    local = f"{rnd.choice('2356')}{phone_seq[0]:03d}{rnd.randint(100, 999)}" if seven else f"8{phone_seq[0]:03d}{rnd.randint(1000, 9999)}"
    return f"0{area}-{local}"

def mobile():
    phone_seq[0] += 1
    return f"{rnd.choice(['139', '138', '137', '136', '135', '150', '151', '158', '159', '186', '187', '188', '189', '133', '180'])}{phone_seq[0]:04d}{rnd.randint(1000, 9999)}"

FIRST = "金鑫恒盛泰华鼎蜀宏兴隆源丰瑞祥福康宝德永安通达辉佳美天新锦嘉益润汇正和信诚昌荣旺富贵吉利民众联创"
SECOND = "源盛泰华丰瑞祥康德安达辉美新锦嘉益润汇和诚昌荣旺富吉利联创岳峰川江河海林森宇宸翔逸骏豪"

def trade():
    while True:
        t = rnd.choice(FIRST) + rnd.choice(SECOND)
        if t[0] != t[1] and t not in used_trades:
            used_trades.add(t)
            return t

def trade_variant(t):
    """The trade name with its second character changed to one unused elsewhere."""
    while True:
        v = t[0] + rnd.choice(SECOND)
        if v != t and v[0] != v[1] and v not in used_trades:
            used_trades.add(v)
            return v

CITIES = [("四川", "成都", "28"), ("四川", "宜宾", "831"), ("四川", "泸州", "830"), ("四川", "绵阳", "816"), ("贵州", "贵阳", "851"),
          ("贵州", "遵义", "851"), ("云南", "昆明", "871"), ("广西", "南宁", "771"), ("广东", "广州", "20"), ("江苏", "南京", "25"),
          ("浙江", "杭州", "571"), ("安徽", "合肥", "551"), ("山东", "济南", "531"), ("河南", "郑州", "371"), ("湖北", "武汉", "27"),
          ("湖南", "长沙", "731"), ("陕西", "西安", "29"), ("福建", "福州", "591")]
INDUSTRIES = ["酒业", "商贸", "食品", "糖业", "饮料", "酒类经营", "包装", "贸易"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
STREETS = ["人民南路", "建设路", "解放大道", "中山路", "滨江路", "长江路", "和平街", "新华路"]

def addr(prov, city):
    return f"{prov}省{city}市{rnd.choice(STREETS)}{rnd.randint(1, 399)}号"

def add(cls, kind, same, note, a, b):
    """A labelled pair; each record gets an entity (the same for a duplicate pair) unless it names one already ("entity")."""
    n = len(rows)
    ea = a.get("entity") or f"{n}a"
    eb = b.get("entity") or (ea if same else f"{n}b")
    rows.append([cls, kind, same, note] + [a.get(k, "") for k in ("name", "phone", "city", "address", "email")] + [ea]
                + [b.get(k, "") for k in ("name", "phone", "city", "address", "email")] + [eb])

def company(t=None, ind=None, form=None):
    prov, city, area = rnd.choice(CITIES)
    return (t or trade()), (ind or rnd.choice(INDUSTRIES)), (form or rnd.choice(FORMS)), prov, city, area

# 1. Head office and branch.
BRANCHES = ["{c}分公司", "{c}办事处", "{c}营销中心", "经营部", "{c}分公司", "{t2}酒厂", "{c}销售中心"]
OTHER_CITY = {c: [o for _, o, _ in CITIES if o != c] for _, c, _ in CITIES}
for i in range(36):
    t, ind, form, prov, city, area = company()
    head = f"{prov}{city}{t}{ind}{form}" if i % 2 else f"{city}{t}{ind}{form}"
    bcity = rnd.choice(OTHER_CITY[city] + [city])
    part = BRANCHES[i % len(BRANCHES)].format(c=bcity, t2=trade())
    phone = landline(area)
    add("1-branch", "company", 0, "head office vs its branch" + (", same landline" if i % 3 == 0 else ""),
        {"name": head, "phone": phone, "city": city}, {"name": f"{city}{t}{ind}{form}{part}", "phone": phone if i % 3 == 0 else landline(area), "city": bcity})
for i in range(12):
    t, ind, form, prov, city, area = company()
    c1, c2 = rnd.sample(OTHER_CITY[city], 2)
    add("1-branch", "company", 0, "two branches in other cities",
        {"name": f"{city}{t}{ind}{form}{c1}分公司", "phone": landline()}, {"name": f"{city}{t}{ind}{form}{c2}分公司", "phone": landline()})
for i in range(14):
    t, ind, form, prov, city, area = company()
    bcity = rnd.choice(OTHER_CITY[city])
    p = landline()
    add("1-branch", "company", 1, "one branch written twice",
        {"name": f"{city}{t}{ind}{form}{bcity}分公司", "phone": p, "city": bcity},
        {"name": f"{city}{t}{ind}{bcity}分公司", "phone": p if i % 2 else "", "city": bcity})

# 2. The trade name decides.
for i in range(16):
    t, ind, form, prov, city, area = company()
    v = trade_variant(t)
    add("2-trade-name", "company", 0, "one character changed in the trade name",
        {"name": f"{city}{t}{ind}{form}", "phone": landline(area), "city": city}, {"name": f"{city}{v}{ind}{form}", "phone": landline(area), "city": city})
for i in range(12):
    t, ind, form, prov, city, area = company()
    v = trade_variant(t)
    p = landline(area)
    add("2-trade-name", "company", 1, "one character mistyped, same phone",
        {"name": f"{city}{t}{ind}{form}", "phone": p, "city": city}, {"name": f"{city}{v}{ind}{form}", "phone": p.replace("-", ""), "city": city})
OTHER_IND = {"酒业": "纸业", "商贸": "药业", "食品": "包装", "糖业": "物流", "饮料": "科技", "酒类经营": "汽车销售", "包装": "餐饮", "贸易": "传媒"}
for i in range(14):
    t, ind, form, prov, city, area = company()
    add("2-trade-name", "company", 0, "same trade name, other industry",
        {"name": f"{city}{t}{ind}{form}", "phone": landline(area), "city": city}, {"name": f"{city}{t}{OTHER_IND[ind]}{form}", "phone": landline(area), "city": city})
COUNTIES = [("射洪县", "蓬溪县"), ("宜宾市", "宜宾县"), ("古蔺县", "叙永县"), ("江安县", "长宁县"), ("蒲江县", "大邑县"), ("金堂县", "新津县"),
            ("四川省绵竹市", "四川省什邡市"), ("仁怀市", "习水县")]
for i in range(12):
    t, ind, form, _, _, _ = company()
    c1, c2 = COUNTIES[i % len(COUNTIES)]
    add("2-trade-name", "company", 0, "same name in another county",
        {"name": f"{c1}{t}{ind}{form}", "phone": landline("825")}, {"name": f"{c2}{t}{ind}{form}", "phone": landline("825")})
for i in range(16):
    t, ind, form, prov, city, area = company()
    variants = [f"{t}{ind}", f"{city}{t}{ind}", f"{t}{ind}（{city}）{form}", f"{prov}省{city}市{t}{ind}{form}"]
    add("2-trade-name", "company", 1, "place or form missing on one side",
        {"name": f"{city}{t}{ind}{form}", "phone": landline(area), "city": city}, {"name": variants[i % 4], "city": city if i % 2 else ""})
EXTRA = ["美凯龙", "源泰", "国际物流", "恒通", "天成", "金象", "长青", "华夏"]
for i in range(12):
    t, ind, form, prov, city, area = company()
    add("2-trade-name", "company", 0, "short name inside a longer one",
        {"name": f"{city}{t}"}, {"name": f"{city}{t}{EXTRA[i % len(EXTRA)]}{ind}{form}", "phone": landline(area)})

# 3. A bare brand is weak.
for i in range(16):
    t, ind, form, prov, city, area = company()
    add("3-bare-brand", "company", 0, "brand alone vs a company with that brand",
        {"name": t}, {"name": f"{city}{t}{rnd.choice(['汽车', '机场', '酒业', '房地产', '食品'])}{form}", "phone": landline(area), "city": city})
for i in range(14):
    t, ind, form, prov, city, area = company()
    p = landline(area)
    add("3-bare-brand", "company", 1, "brand alone with the company's phone",
        {"name": t, "phone": p}, {"name": f"{city}{t}{ind}{form}", "phone": p, "city": city})

# 4. Known short names (the shipped alias list).
ALIASES = [("中粮", "中国粮油食品（集团）有限公司", "010-85006666"), ("广药", "广州医药集团有限公司", "020-66281111"),
           ("中石化", "中国石油化工集团有限公司", "010-59960114"), ("中石油", "中国石油天然气集团有限公司", "010-59981234"),
           ("洋河", "江苏洋河酒厂股份有限公司", "0527-84938888"), ("古井", "安徽古井贡酒股份有限公司", "0558-5710001"),
           ("汾酒", "山西杏花村汾酒厂股份有限公司", "0358-7329000"), ("国窖", "泸州老窖股份有限公司", "0830-2398000"),
           ("伊利", "内蒙古伊利实业集团股份有限公司", "0471-3350000"), ("蒙牛", "内蒙古蒙牛乳业（集团）股份有限公司", "0471-7390000")]
# Every record of one group is one entity: records of two pairs that match are duplicates too.
for short, full, phone in ALIASES:
    e = "alias-" + short
    add("4-short-name", "company", 1, "known short name", {"name": short, "entity": e}, {"name": full, "phone": phone, "entity": e})
    add("4-short-name", "company", 1, "known short name with its group form", {"name": short + "集团", "entity": e}, {"name": full, "entity": e})
for short, full, phone in ALIASES[:8]:
    add("4-short-name", "company", 0, "short name vs another company with the short name inside",
        {"name": short, "entity": "alias-" + short}, {"name": f"{short}{trade()}{rnd.choice(['包装', '物流', '广告'])}有限公司", "phone": landline()})

# 5. Traditional and simplified.
T2S = {"瀘": "泸", "陳": "陈", "華": "华", "劉": "刘", "鳳": "凤", "興": "兴", "盛": "盛", "業": "业", "貿": "贸", "東": "东",
       "廣": "广", "飲": "饮", "料": "料", "糧": "粮", "酒": "酒", "經": "经", "營": "营", "類": "类", "匯": "汇", "嘉": "嘉", "豐": "丰",
       "順": "顺", "達": "达", "輝": "辉", "寶": "宝", "龍": "龙", "瑞": "瑞", "祥": "祥", "鑫": "鑫", "錦": "锦", "聯": "联", "創": "创",
       "裝": "装", "品": "品", "限": "限", "責": "责", "任": "任", "份": "份", "書": "书", "國": "国", "偉": "伟", "紅": "红", "麗": "丽",
       "軍": "军", "義": "义", "藝": "艺", "傑": "杰", "濤": "涛", "馬": "马", "張": "张", "楊": "杨", "黃": "黄", "趙": "赵", "吳": "吴",
       "鄭": "郑", "謝": "谢", "韓": "韩", "馮": "冯", "鄧": "邓", "曉": "晓", "潔": "洁", "蘭": "兰", "雲": "云", "長": "长", "寧": "宁",
       "實": "实", "貴": "贵", "陽": "阳", "蘇": "苏", "門": "门", "號": "号", "路": "路", "區": "区", "縣": "县", "島": "岛", "灣": "湾",
       "廠": "厂", "員": "员", "會": "会", "產": "产", "為": "为", "漢": "汉", "愛": "爱", "葉": "叶", "萬": "万", "樂": "乐"}
S2T = {s: t for t, s in T2S.items() if s != t}
def trad(s):
    return "".join(S2T.get(c, c) for c in s)
for i in range(16):
    t, ind, form, prov, city, area = company()
    name = f"{city}{t}{ind}{form}"
    add("5-traditional", "company", 1, "company in traditional characters",
        {"name": name, "phone": landline(area), "city": city, "address": addr(prov, city)}, {"name": trad(name), "city": trad(city)})
for i in range(8):
    t, ind, form, prov, city, area = company()
    v = trade_variant(t)
    add("5-traditional", "company", 0, "another company, one written in traditional characters",
        {"name": f"{city}{t}{ind}{form}", "phone": landline(area)}, {"name": trad(f"{city}{v}{OTHER_IND[ind]}{form}"), "phone": landline(area)})
SURNAMES = "陈刘张杨黄赵吴郑谢韩冯邓马"
GIVEN = ["建华", "凤英", "伟东", "红梅", "丽华", "军义", "晓洁", "兰芳", "云龙", "长宁", "国强", "书杰", "涛", "汉", "爱民", "叶青", "万里", "乐天"]
used_people = set()
def person():
    while True:
        n = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        if n not in used_people:
            used_people.add(n)
            return n
for i in range(14):
    n = person()
    both = i % 2 == 0
    add("5-traditional", "person", 1, "person in traditional characters",
        {"name": n, "phone": mobile() if both else ""}, {"name": trad(n)})

# 6. People: titles, mobile vs landline, common Latin names.
TITLES = ["经理", "总", "先生", "女士", "总经理", "主任"]
for i in range(18):
    n = person()
    m = mobile()
    title = TITLES[i % len(TITLES)]
    written = n[0] + title if title in ("总", "先生", "女士") else n + title
    add("6-people", "person", 1, f"title {title}, same mobile", {"name": written, "phone": m}, {"name": n, "phone": m})
for i in range(8):
    n = person()
    m = mobile()
    add("6-people", "person", 1, "老/小 + surname, same mobile", {"name": ("老" if i % 2 else "小") + n[0], "phone": m}, {"name": n, "phone": m})
for i in range(12):
    a, b = person(), person()
    p = landline()
    add("6-people", "person", 0, "colleagues sharing the office landline", {"name": a, "phone": p}, {"name": b, "phone": p})
LATIN = ["John Smith", "David Wang", "Michael Chen", "Peter Zhang", "Mary Li", "Linda Liu", "James Brown", "Robert Lee", "Jennifer Wu", "William Zhao"]
for i, n in enumerate(LATIN):
    add("6-people", "person", 0, "same common Latin name, other phone and e-mail",
        {"name": n, "phone": mobile(), "email": f"{n.split()[0].lower()}{i}@alpha-trade.cn"},
        {"name": n, "phone": mobile(), "email": f"{n.split()[1].lower()}.{i}@beta-wine.com"})
LATIN_SAME = ["Susan Huang", "Kevin Xu", "Helen Zhou", "Tony Ma", "Grace Lin", "Jack Sun", "Lucy Guo", "Frank He"]
for i, n in enumerate(LATIN_SAME):
    e = f"{n.replace(' ', '.').lower()}{i}@gamma-sugar.cn"
    add("6-people", "person", 1, "same Latin name, same e-mail", {"name": n.upper(), "email": e}, {"name": " ".join(reversed(n.split())), "email": e, "phone": mobile()})
for i in range(8):
    n = person()
    add("6-people", "person", 0, "same Chinese name, other mobiles", {"name": n, "phone": mobile()}, {"name": n, "phone": mobile()})

# 7. Same name, other city, other phone.
for i in range(16):
    t, ind, form, prov, city, area = company()
    other = rnd.choice([c for c in CITIES if c[1] != city])
    in_name = i % 2 == 0
    add("7-other-city", "company", 0, "same name in another city" + (" (in the name)" if in_name else " (city field)"),
        {"name": f"{city}{t}{ind}{form}" if in_name else f"{t}{ind}{form}", "phone": landline(area), "city": city},
        {"name": f"{other[1]}{t}{ind}{form}" if in_name else f"{t}{ind}{form}", "phone": landline(other[2]), "city": other[1]})
for i in range(14):
    t, ind, form, prov, city, area = company()
    p = landline(area)
    a = addr(prov, city)
    add("7-other-city", "company", 1, "same name, same city" + (", same phone" if i % 2 else ", same address"),
        {"name": f"{t}{ind}{form}", "phone": p, "city": city, "address": a},
        {"name": f"{city}{t}{ind}", "phone": p if i % 2 else "", "city": city, "address": a if i % 2 == 0 else ""})

with open("chinese-pairs.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["class", "kind", "same", "note", "a_name", "a_phone", "a_city", "a_address", "a_email", "a_entity",
                "b_name", "b_phone", "b_city", "b_address", "b_email", "b_entity"])
    w.writerows(rows)
from collections import Counter
print(len(rows), Counter((r[0], r[2]) for r in rows))
