using CrmWorkspace.Domain.Normalization;
using CrmWorkspace.Features.Duplicates.Matching;

namespace CrmWorkspace.Tests.Features.Duplicates;

/// <summary>
/// A hand-made set of Chinese (and a few Korean and Latin) customers with the variants people really type:
/// legal form added or dropped, place prefix added or dropped or put in brackets, full-width letters, one wrong character,
/// phone numbers in several formats. The first column is the true entity; records of one entity are duplicates.
/// It also holds look-alikes that are different customers (another brewery in the same city, a branch in another city,
/// the same common name with another phone). A short brand with one wrong character ("老窖", "老窑") cannot be told from
/// another brand ("五粮液", "五粮春") by the name alone, so such typo variants carry a second clue (the phone).
/// </summary>
public static class CjkTestSet
{
    /// <summary>entity | company name | phone as typed | city.</summary>
    public const string AccountLines = """
        wly  | 四川宜宾五粮液股份有限公司          | 0831-3567000     | 宜宾
        wly  | 宜宾五粮液集团                    | +86 831 356 7000 |
        wly  | 五粮液（宜宾）有限公司              |                  | 宜宾市
        mt   | 贵州茅台酒股份有限公司              | 0851-22386002    | 仁怀
        mt   | 茅台酒股份公司                    |                  |
        mt   | 贵州省茅台酒有限公司                | (0851)22386002   |
        lzlj | 泸州老窖股份有限公司                | 0830-2398000     | 泸州
        lzlj | 四川泸州老窖有限责任公司             |                  |
        lzlj | 泸州老窑股份有限公司                | 0830 239 8000    | 泸州市
        jnc  | 四川剑南春（集团）有限责任公司        | 0838-6202001     | 绵竹
        jnc  | 剑南春集团                        | 0838 620 2001    |
        lj   | 四川古蔺郎酒厂有限公司              | 0830-7222222     |
        lj   | 郎酒厂                           | 08307222222      | 古蔺
        fj   | 山西杏花村汾酒厂股份有限公司          | 0358-7329011     |
        fj   | 杏花村汾酒厂                      |                  |
        xj   | 贵州习酒股份有限公司                | 0851-22561111    |
        xj   | 习酒（贵州）有限公司                |                  |
        hlm  | 宜宾红楼梦酒业有限公司              | 0831-8201234     | 宜宾
        hlm  | 红楼梦酒业                        |                  |
        gt   | 茅台镇国台酒业有限公司              | 0851-22528888    |
        gt   | 国台酒业                          | 0851-2252-8888   |
        qd   | 青岛啤酒股份有限公司                | 0532-85713831    | 青岛
        qd   | 青岛啤酒                          |                  |
        hrb  | 哈尔滨啤酒有限公司                 | 0451-88001234    | 哈尔滨
        hrb  | 哈尔滨啤酒                        |                  |
        dy   | 广西南宁东亚糖业集团               | 0771-5556000     | 南宁
        dy   | 东亚糖业有限公司                   | 0771 5556000     |
        dy   | 广西东亚唐业集团                   |                  |
        nk   | 广西农垦糖业集团股份有限公司          | 0771-2619000     |
        nk   | 农垦糖业                          |                  | 南宁
        zlt  | 中粮糖业控股股份有限公司             | 010-85006688     | 北京
        zlt  | 中粮糖业                          | 01085006688      |
        zlj  | 中粮酒业有限公司                   | 010-85017777     | 北京
        zlj  | 中粮酒业（北京）有限公司             |                  |
        bsh  | 上海百事和贸易有限公司              | 021-62781234     | 上海
        bsh  | 百事和贸易                        | 021 6278 1234    |
        crsh | 华润万家（上海）超市有限公司          | 021-64001111     | 上海
        crsh | 华润万家上海超市                   |                  | 上海
        crbj | 华润万家（北京）超市有限公司          | 010-64002222     | 北京
        crbj | 北京华润万家超市                   |                  |
        yh   | 永辉超市股份有限公司                | 0591-83762200    | 福州
        yh   | 永辉超市                          | +86 591 8376 2200 |
        cdjt | 成都糖酒集团有限公司                | 028-86661234     | 成都
        cdjt | 成都糖酒                          |                  |
        sjt  | 上海市糖业烟酒（集团）有限公司        | 021-63231234     | 上海
        sjt  | 糖业烟酒（上海）公司                |                  |
        yhx  | 宜宾市叙州区宏兴酒类经营部           | 13908311234      | 宜宾
        yhx  | 宏兴酒类经营部                     | 139-0831-1234    |
        jx   | 成都金鑫商贸有限公司                | 028-85123456     | 成都
        jx   | 成都金鑫商贸                      |                  |
        jx   | 金鑫商贸（成都）有限公司             |                  | 成都
        xs   | 成都鑫盛商贸有限公司                | 028-85129999     | 成都
        abc  | ＡＢＣ Co., Ltd.                  | 021-50001111     | 上海
        abc  | ABC                              | 021 5000 1111    |
        abc  | A.B.C. Limited                   |                  |
        dg   | Diageo China Limited             | 021-61002000     | 上海
        dg   | DIAGEO (Shanghai) Co., Ltd.      |                  |
        pr   | Pernod Ricard (China) Trading Co., Ltd. | 021-23012000 | 上海
        pr   | Pernod Ricard Trading            |                  |
        ss   | (주)삼성전자                       | +82 2 2255 0114  |
        ss   | 삼성전자 주식회사                   |                  |
        lg   | ＬＧ电子（中国）有限公司             | 010-65611234     | 北京
        lg   | LG电子                           |                  |
        sdl  | 舍得酒业股份有限公司                | 0825-6618269     | 射洪
        sdl  | 四川沱牌舍得酒业                   |                  |
        sf   | 西凤酒股份有限公司                 | 0917-7610011     | 宝鸡
        sf   | 陕西西凤酒厂                      | 0917 7610011     |
        ys   | 洋河股份有限公司                   | 0527-84938888    | 宿迁
        ys   | 江苏洋河酒厂股份有限公司             | 052784938888     |
        gjg  | 古井贡酒股份有限公司                | 0558-5710001     | 亳州
        gjg  | 安徽古井贡酒股份有限公司             |                  |
        jgj  | 劲牌有限公司                      | 0714-6661234     |
        jgj  | 劲牌公司                          |                  |
        jsy  | 金沙酒业有限公司                   | 0857-7221234     |
        wsj  | 武陵酒有限公司                    | 0736-7331234     | 常德
        ts   | 太粮米业有限公司                   | 0769-22331234    |
        kkl  | 可口可乐（中国）饮料有限公司          | 021-38761234     | 上海
        kkl  | 可口可乐饮料有限公司                 |                  | 上海市
        bbj  | 宝丰酒业有限公司                   | 0375-6131234     |
        nb   | 宁波酒业贸易有限公司                | 0574-87001234    | 宁波
        hz   | 杭州酒业贸易有限公司                | 0571-87001234    | 杭州
        wlc  | 宜宾五粮春酒业有限公司              | 0831-3568888     | 宜宾
        szjx | 深圳市金鑫商贸有限公司              | 0755-26001234    | 深圳
        hqcd | 成都红旗连锁股份有限公司             | 028-87001234     | 成都
        hqcd | 红旗连锁（成都）                   |                  |
        hqmy | 红旗连锁（绵阳）有限公司             | 0816-2221234     | 绵阳
        """;

    /// <summary>entity | person name | phone as typed | e-mail.</summary>
    public const string ContactLines = """
        wl1  | 王 磊            | 138-0013-8000      |
        wl1  | 王磊             | 0086 138 0013 8000 |
        zw1  | 张伟             | 0086 138-0013-8001 |
        zw1  | 张伟             | 13800138001        |
        zw2  | 张伟             | 13912345678        |
        zw3  | 张 伟            | +86 137 1234 5678  |
        ln1  | 李娜             | 135 0000 1111      | lina@wly.com.cn
        ln1  | 李 娜            |                    | LiNa@WLY.com.cn
        ln2  | 李娜             | 136 0000 2222      |
        wxm  | 王小明           | 139-0831-0001      |
        wxm  | 王晓明           | 13908310001        |
        cj   | 陈静             | +86 150 2830 0001  | chenjing@163.com
        cj   | 陈静             | 15028300001        |
        oy   | 欧阳娜娜         | 186 8888 0000      |
        oy   | 欧阳 娜娜        | 18688880000        |
        zq   | 赵强             | 131 0000 0001      |
        zq2  | 赵强             | 131 0000 0002      |
        ly   | 刘洋             | 0830 2398001       | liuyang@lzlj.com
        ly   | 刘洋先生         |                    | liuyang@lzlj.com
        hm   | 黄敏             | 177 0000 7777      |
        hm   | 黄敏             | 177-0000-7777      |
        wf   | 王芳             | 188 1111 2222      |
        wf2  | 王芳             | 188 1111 3333      |
        zyl  | 周玉兰           | 133 3333 4444      |
        zyl  | 周玉兰           |                    |
        sw   | 孙伟             | 158 0000 1234      |
        sww  | 孙薇             | 158 0000 4321      |
        js   | John A. Smith    | 021-50001112       | john.smith@abc.com
        js   | Smith, John      |                    | John.Smith@abc.com
        mk   | Mary Kim         | +82 10 1234 5678   |
        mk   | KIM Mary         | +82 10-1234-5678   | mary.kim@samsung.com
        kjh  | 김지훈            | +82 10 9876 5432   |
        kjh  | 김 지훈           | +82 10-9876-5432   |
        dl   | David Li         | 139 1000 2000      |
        dl   | 李大卫 David Li   | 13910002000        |
        """;

    /// <summary>The accounts, with ids 1..n and the true entity of each id.</summary>
    public static (List<AccountRecord> Records, Dictionary<int, string> EntityOf) Accounts()
    {
        var records = new List<AccountRecord>();
        var entityOf = new Dictionary<int, string>();
        foreach (var f in Rows(AccountLines))
        {
            var id = records.Count + 1;
            entityOf[id] = f[0];
            records.Add(new AccountRecord
            {
                Id = id,
                Name = f[1],
                PhoneE164 = PhoneNormalizer.ToE164(f[2]),
                City = f[3].Length > 0 ? f[3] : null,
            });
        }
        return (records, entityOf);
    }

    /// <summary>The contacts, with ids 1..n and the true entity of each id.</summary>
    public static (List<ContactRecord> Records, Dictionary<int, string> EntityOf) Contacts()
    {
        var records = new List<ContactRecord>();
        var entityOf = new Dictionary<int, string>();
        foreach (var f in Rows(ContactLines))
        {
            var id = records.Count + 1;
            entityOf[id] = f[0];
            var phone = PhoneNormalizer.ToE164(f[2]);
            records.Add(new ContactRecord
            {
                Id = id,
                Name = f[1],
                PhonesE164 = phone is null ? [] : [phone],
                Emails = f[3].Length > 0 ? [f[3]] : [],
            });
        }
        return (records, entityOf);
    }

    private static IEnumerable<string[]> Rows(string lines) =>
        lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('|').Select(v => v.Trim()).ToArray());
}
