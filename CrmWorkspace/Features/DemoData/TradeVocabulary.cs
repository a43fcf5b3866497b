using CrmWorkspace.Domain;

namespace CrmWorkspace.Features.DemoData;

/// <summary>Words of the sugar &amp; liquor trade used to build believable company and person names.</summary>
internal static class TradeVocabulary
{
    /// <summary>Province, city, landline area code.</summary>
    public static readonly (string Province, string City, string AreaCode)[] Places =
    [
        ("四川", "成都", "028"), ("四川", "宜宾", "0831"), ("四川", "泸州", "0830"), ("四川", "绵阳", "0816"),
        ("贵州", "贵阳", "0851"), ("贵州", "遵义", "0851"), ("山东", "济南", "0531"), ("山东", "青岛", "0532"),
        ("山东", "烟台", "0535"), ("江苏", "南京", "025"), ("江苏", "宿迁", "0527"), ("江苏", "苏州", "0512"),
        ("广东", "广州", "020"), ("广东", "深圳", "0755"), ("广西", "南宁", "0771"), ("广西", "崇左", "0771"),
        ("云南", "昆明", "0871"), ("河南", "郑州", "0371"), ("河北", "石家庄", "0311"), ("湖北", "武汉", "027"),
        ("湖南", "长沙", "0731"), ("安徽", "合肥", "0551"), ("安徽", "亳州", "0558"), ("浙江", "杭州", "0571"),
        ("福建", "厦门", "0592"), ("山西", "太原", "0351"), ("山西", "汾阳", "0358"), ("陕西", "西安", "029"),
        ("新疆", "乌鲁木齐", "0991"), ("宁夏", "银川", "0951"), ("内蒙古", "呼和浩特", "0471"), ("黑龙江", "哈尔滨", "0451"),
        ("北京", "北京", "010"), ("上海", "上海", "021"), ("天津", "天津", "022"), ("重庆", "重庆", "023"),
    ];

    public static readonly string[] Brands =
    [
        "金樽", "玉液", "华泰", "鑫源", "红星", "古窖", "长城", "瑞丰", "汇通", "泰和", "福满", "兴隆", "宏达", "嘉禾", "天成",
        "永盛", "恒昌", "盛世", "龙腾", "凤鸣", "山河", "百年", "老窖", "醇香", "糖源", "甘泉", "蜜之源", "众诚", "联华", "佳酿",
        "御品", "东方", "西部", "南国", "北方", "中天", "金龙", "银河", "云岭", "雪峰", "清泉", "绿洲", "金穗", "丰年", "如意",
    ];

    /// <summary>Trade word, what it makes, and where in the chain it sits.</summary>
    public static readonly (string Word, ProductLines Line, SupplyChainStage Stage, BusinessType Type)[] Trades =
    [
        ("酒业", ProductLines.Baijiu, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("酒厂", ProductLines.Baijiu, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("酿酒", ProductLines.Baijiu, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("葡萄酒", ProductLines.Wine, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("啤酒", ProductLines.Beer, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("糖业", ProductLines.Sugar, SupplyChainStage.RawMaterials, BusinessType.Producer),
        ("制糖", ProductLines.Sugar, SupplyChainStage.RawMaterials, BusinessType.Producer),
        ("饮料", ProductLines.Beverages, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("食品", ProductLines.Food, SupplyChainStage.FinishedGoods, BusinessType.Producer),
        ("包装", ProductLines.Packaging, SupplyChainStage.PeripheralProducts, BusinessType.Producer),
        ("玻璃制品", ProductLines.Packaging, SupplyChainStage.PeripheralProducts, BusinessType.Producer),
        ("酿造设备", ProductLines.Equipment, SupplyChainStage.PeripheralProducts, BusinessType.Producer),
        ("酒类贸易", ProductLines.Baijiu | ProductLines.Wine, SupplyChainStage.FinishedGoods, BusinessType.Distributor),
        ("糖酒", ProductLines.Sugar | ProductLines.Baijiu, SupplyChainStage.FinishedGoods, BusinessType.Distributor),
        ("商贸", ProductLines.Beverages | ProductLines.Food, SupplyChainStage.FinishedGoods, BusinessType.Distributor),
        ("供应链", ProductLines.Baijiu | ProductLines.Beer | ProductLines.Beverages, SupplyChainStage.FinishedGoods, BusinessType.Distributor),
        ("物流", ProductLines.None, SupplyChainStage.PeripheralProducts, BusinessType.ServiceOrganisation),
        ("广告传媒", ProductLines.None, SupplyChainStage.PeripheralProducts, BusinessType.ServiceOrganisation),
        ("检测技术", ProductLines.None, SupplyChainStage.PeripheralProducts, BusinessType.ServiceOrganisation),
    ];

    public static readonly string[] LegalForms = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "有限公司", "有限公司"];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
        "欧阳", "司马", "诸葛",
    ];

    public static readonly string[] GivenChars =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
        "刚", "桂", "英", "华", "建", "国", "文", "辉", "玲", "红", "鹏", "宇", "浩", "凯", "婷", "雪", "琳", "晨", "思", "佳",
    ];

    public static readonly string[] Titles = ["总经理", "副总经理", "销售总监", "市场部经理", "采购经理", "办公室主任", "品牌经理", "董事长", "区域经理", "业务员"];
    public static readonly string[] Departments = ["总经办", "市场部", "销售部", "采购部", "品牌部", "行政部", "财务部"];
    public static readonly string[] MobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158", "159", "177", "180", "181", "183", "186", "187", "188", "189", "199"];
    public static readonly string[] Streets = ["人民路", "解放路", "中山路", "建设路", "科技大道", "滨江路", "酒城大道", "工业园区", "商贸城", "糖酒大道"];

    /// <summary>Foreign-invested customers that go by English names: name, short name, lines, type, stage, city.</summary>
    public static readonly (string Name, string Short, ProductLines Lines, BusinessType Type, SupplyChainStage Stage, string City)[] ForeignCompanies =
    [
        ("Golden Harvest Wine Imports Co., Ltd.", "Golden Harvest", ProductLines.Wine, BusinessType.Distributor, SupplyChainStage.FinishedGoods, "上海"),
        ("Pacific Crown Glass Packaging Ltd.", "Pacific Crown", ProductLines.Packaging, BusinessType.Producer, SupplyChainStage.PeripheralProducts, "广州"),
        ("Highland Spirits Trading (Shanghai) Co., Ltd.", "Highland Spirits", ProductLines.Wine | ProductLines.Baijiu, BusinessType.Distributor, SupplyChainStage.FinishedGoods, "上海"),
        ("BlueRiver Beverage Group", "BlueRiver", ProductLines.Beverages, BusinessType.Producer, SupplyChainStage.FinishedGoods, "深圳"),
        ("Sunvalley Sugar Trading Ltd.", "Sunvalley Sugar", ProductLines.Sugar, BusinessType.Distributor, SupplyChainStage.RawMaterials, "南宁"),
        ("Northstar Brewing Equipment Co., Ltd.", "Northstar Brewing", ProductLines.Equipment, BusinessType.Producer, SupplyChainStage.PeripheralProducts, "青岛"),
        ("Oakbridge Cellars China Ltd.", "Oakbridge Cellars", ProductLines.Wine, BusinessType.Distributor, SupplyChainStage.FinishedGoods, "北京"),
        ("Silk Road Fine Foods Ltd.", "Silk Road Foods", ProductLines.Food, BusinessType.Distributor, SupplyChainStage.FinishedGoods, "乌鲁木齐"),
    ];

    public static readonly string[] EnglishGivenNames = ["David", "Emma", "Michael", "Sophie", "James", "Olivia", "Peter", "Grace", "Thomas", "Linda"];
    public static readonly string[] EnglishSurnames = ["Miller", "Chen", "Wong", "Baker", "Li", "Turner", "Zhang", "Hughes"];
}
