namespace CrmWorkspace.Features.DemoData;

/// <summary>What each team writes on a customer's timeline in a normal year: subjects, outcomes, follow-ups, in the trade's own words.</summary>
internal static class DemoPhrases
{
    // ---------- Marketing Center: ad sales ----------
    public static readonly string[] VisitSubjects =
    [
        "拜访：洽谈{year}年《糖酒快讯》广告投放", "拜访：介绍春季糖酒会特刊广告位", "拜访：{title}{contact}，了解新品上市计划", "拜访：商谈网站首页横幅广告",
        "拜访：回访上期整版广告效果", "拜访：洽谈户外广告（糖酒会主通道）", "拜访：送《中国酒业观察》年度百强专辑样刊", "拜访：商谈全年广告框架合同",
    ];
    public static readonly string[] CallSubjects =
    [
        "电话：确认封二广告排期", "电话：跟进广告报价", "电话：预约{title}{contact}下周面谈", "电话：询问秋季新品推广预算",
        "电话：提醒广告稿截稿日期", "电话：核对广告发票信息", "电话：介绍供求信息栏目",
    ];
    public static readonly string[] EmailSubjects = ["邮件：发送{year}年广告刊例", "邮件：发送整版广告设计初稿", "邮件：发送网站广告数据报告", "邮件：发送糖酒会特刊版面计划"];
    public static readonly string[] MeetingSubjects = ["会议：与市场部讨论全年品牌推广方案", "会议：广告合同条款确认", "会议：新品发布会媒体合作"];
    public static readonly string[] MarketingOutcomes =
    [
        "客户有意向，待报价", "已签约半版彩色广告两期", "已签约封二广告一期", "暂无预算，明年一季度再联系", "需要总经理审批", "要求价格优惠 10%",
        "已确认广告稿", "客户满意上期效果，考虑续投", "转给区域经理决定", "已签全年框架合同",
    ];
    public static readonly string[] MarketingFollowUps = ["发送报价单", "再次拜访总经理", "确认广告稿", "催回签合同", "寄送样刊", "跟进付款"];
    public static readonly string[] VisitBodies =
    [
        "**需求**：春季糖酒会前集中投放\n- 整版彩色 × 2 期\n- 网站首页横幅 1 个月\n\n预算约 {amount} 万元，下周给报价。",
        "对方{title}{contact}接待。今年主推中高端产品，渠道下沉到县级市场，希望**在糖酒会期间加大曝光**。",
        "上期广告带来 {n} 个经销商询盘，客户认可效果。\n\n> 注意：对方对版面位置很在意，优先给封底或封三。",
        "介绍了刊例和发行量，客户关心读者构成（经销商占比）。已留下资料。",
    ];

    // ---------- Circulation: subscriptions ----------
    public static readonly string[] SubscriptionPitchSubjects = ["征订电话：推荐《{periodical}》", "征订电话：介绍{year}年度订阅优惠", "征订电话：赠阅试读跟进"];
    public static readonly string[] SubscriptionPitchOutcomes = ["同意订阅 1 份", "考虑中，下周回复", "已有同类刊物，暂不订阅", "要求寄样刊"];
    public static readonly string[] DeclineReasons = ["预算削减", "已改订电子版", "公司搬迁，暂停订阅", "负责人离职，无人决定", "同类刊物太多"];

    // ---------- Trade-Fair Office ----------
    public static readonly string[] FairTalkSubjects = ["糖酒会洽谈：{fair}展位", "糖酒会洽谈：特装展位方案", "糖酒会洽谈：展位位置调整", "糖酒会洽谈：参展意向"];
    public static readonly string[] FairProspectOutcomes = ["有参展意向，等展位图", "考虑与经销商联合参展", "预算待批", "今年只参加春季展"];
    public static readonly string[] FairFollowUps = ["发送展位图和报价", "催缴定金", "确认楣板文字", "确认搭建方案", "催缴尾款"];
    public static readonly string[] FairAfterSubjects = ["展后回访：{fair}", "展后回访：了解参展效果"];
    public static readonly string[] FairAfterOutcomes = ["对展位位置满意，有意预订下届", "客流一般，希望下届换到主通道", "签到 {n} 家意向经销商，效果好"];

    // ---------- News Center ----------
    public static readonly string[] InterviewTopics =
    [
        "白酒行业调整期的渠道变革", "酱香热之后的品类机会", "县级市场的深度分销", "糖价波动下的采购策略", "年轻消费者与低度酒", "包装升级与品牌溢价",
        "数字化营销与经销商赋能", "糖酒会上的新品策略",
    ];
    public static readonly string[] InterviewOutcomes = ["稿件已刊发于《糖酒快讯》第 {n} 期", "稿件待审", "已刊发于《华糖商情》", "视频访谈已上线网站"];
    public static readonly string[] InterviewFollowUps = ["稿件送审", "补充图片素材", "确认引语"];
    public const string InterviewBody = "**采访提纲**\n1. 今年的销售和渠道情况\n2. 对{topic}的看法\n3. 糖酒会的参展计划\n\n受访人：{title}{contact}";

    // ---------- Service ----------
    public static readonly string[] SubscriptionComplaints = ["投诉：《{periodical}》连续两期未收到", "投诉：杂志送错地址", "投诉：订阅份数不对"];
    public static readonly string[] AdComplaints = ["投诉：广告版面颜色偏差", "投诉：广告刊登期数与合同不符", "投诉：网站广告位被挤到第二屏"];
    public static readonly string[] FairComplaints = ["投诉：糖酒会展位位置与合同不符", "投诉：展位楣板文字有误", "投诉：展位电源迟迟未接通"];
    public static readonly string[] GeneralComplaints = ["投诉：业务员多次重复来电", "投诉：发票抬头错误", "投诉：收到重复的邮寄资料"];
    public static readonly string[] Resolutions =
    [
        "已补寄并致歉，客户确认收到", "已更正并重新开具发票", "已协调营销中心减少来电频次", "已在下期补登并赠送一期", "已调整展位并书面确认",
        "已合并重复客户记录，今后只寄一份",
    ];
    public static readonly string[] InquirySubjects = ["咨询：如何开具增值税专用发票", "咨询：电子版订阅方式", "咨询：糖酒会报到流程", "咨询：广告刊例价格"];

    // ---------- Notes (Markdown) ----------
    public const string ProfileNote =
        "## 客户概况\n- 主营：{trade}\n- 年销售额约 **{amount} 亿元**\n- 决策人：{title}{contact}\n- 合作：{deal}\n\n> 注意：{warning}";
    public static readonly string[] Deals = ["期刊订阅 + 糖酒会参展", "全年广告框架合同", "仅订阅期刊", "糖酒会参展代理", "网站广告"];
    public static readonly string[] Warnings =
    [
        "节假日前联系为宜，春节前一个月忙于备货。", "付款周期较长，签约前确认预算。", "对价格敏感，报价留出余地。", "董事长亲自决定广告投放。",
        "多个部门都在联系该客户，约访前先看时间线。",
    ];
    public const string RestrictedNote =
        "## 限制服务\n该客户**多次索要同行客户名单和报价**，疑似收集商业信息。\n\n- 不提供其他客户资料\n- 报价只发正式文件\n- 新的合作需经理批准";
}
