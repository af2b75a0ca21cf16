// Evidence of the identity rule: realistic pairs of company names in three classes, each
// claimed through claimCustomer on SQLite and PostgreSQL, in both orders, on a fresh book:
//  - same: the second claim is refused as taken (or, for a region on one side, asked);
//  - near: the second claim is asked "Did you mean …?" or refused — never a silent second record;
//  - different: the second claim is never refused (claimed, or at most asked).
import { describe, expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { describeEachDatabase } from './databases.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const now = new Date('2026-12-01T02:00:00Z');

type Class = 'same' | 'near' | 'different';

const SAME: [string, string][] = [
  ['华为技术有限公司', '華為技術有限公司'],
  ['华为技术有限公司', '华为\u200b技术有限公司'],
  ['华为技术有限公司', '华为\u200d技术有限公司'],
  ['华为技术有限公司', '华为\u202e技术有限公司'],
  ['华为技术有限公司', '\ufeff华为技术有限公司'],
  ['华为技术有限公司', '华为技术有限公司。'],
  ['华为技术有限公司', '华为技术股份有限公司'],
  ['华为技术有限公司', '华为技术'],
  ['深圳市大疆创新科技有限公司', '广东省深圳市大疆创新科技有限公司'],
  ['深圳市大疆创新科技有限公司', '大疆创新科技（深圳）有限公司'],
  ['深圳市大疆创新科技有限公司', '大疆创新科技(深圳市)有限公司'],
  ['深圳市大疆创新科技有限公司', '大疆创新科技【深圳】有限公司'],
  ['深圳市大疆创新科技有限公司', '广东大疆创新科技有限公司'],
  ['深圳市大疆创新科技有限公司', '大疆创新科技有限公司深圳分公司'],
  ['北京字节跳动科技有限公司', '字节跳动科技（北京）有限公司'],
  ['北京字节跳动科技有限公司', '北京市字节跳动科技有限公司'],
  ['北京字节跳动科技有限公司', '中国北京字节跳动科技有限公司'],
  ['阿里巴巴集团控股有限公司', '阿里巴巴集团'],
  ['阿里巴巴集团控股有限公司', '阿里巴巴（集团）有限公司'],
  ['腾讯控股有限公司', '腾讯控股'],
  ['“小米”科技有限责任公司', '小米科技有限责任公司'],
  ['小米科技有限责任公司', '小米科技股份有限公司'],
  ['ＨＵＡＷＥＩ　Technologies Co., Ltd.', 'Huawei Technologies Co.,Ltd'],
  ['Huawei Technologies Co., Ltd.', 'HUAWEI TECHNOLOGIES INC.'],
  ['Acme (Shanghai) Trading LLC', 'Acme Trading Shanghai Co., Ltd.'],
  ['Acme (Shanghai) Trading LLC', 'Acme Trading (Shanghai) Limited'],
  ['Siemens (China) GmbH', 'Siemens China Co., Ltd.'],
  ['Siemens Germany GmbH', 'Siemens (Germany) AG'],
  ['Samsung Electronics (Korea)', 'Samsung Electronics Korea Co., Ltd.'],
  ['北京银行股份有限公司', '北京银行'],
  ['上海大学', '上海大学。'],
  ['比亚迪股份有限公司', '比亚迪'],
  ['美的集团股份有限公司', '美的集团'],
  ['京东世纪贸易有限公司', '京东世纪贸易'],
  ['浙江吉利控股集团有限公司', '浙江省吉利控股集团有限公司'],
  ['杭州海康威视数字技术股份有限公司', '海康威视数字技术（杭州）有限公司'],
  ['杭州海康威视数字技术股份有限公司', '浙江杭州海康威视数字技术股份有限公司'],
  ['宁德时代新能源科技股份有限公司', '宁德时代新能源科技股份有限公司'],
  ['中国平安保险（集团）股份有限公司', '中国平安保险集团'],
  ['Tencent Holdings Ltd.', 'Tencent Holdings Limited'],
  ['Microsoft Corporation', 'Microsoft Corp.'],
  ['Alibaba Group Holding Limited', 'Alibaba Group'],
  ['深圳市南山区华为技术有限公司', '深圳市华为技术有限公司'],
  ['三星电子（韩国）有限公司', '三星电子（韩国）'],
  ['贵州茅台酒股份有限公司', '贵州省茅台酒股份有限公司'],
  ['内蒙古伊利实业集团股份有限公司', '伊利实业（内蒙古）集团股份有限公司'],
  ['Hong Kong Telecom Ltd.', 'Telecom (Hong Kong) Limited'],
  ['Xi\'an Jiaotong University', 'Xian Jiaotong University'],
  ['Bank of Beijing', 'Bank of Beijing Co., Ltd.'],
  ['上海浦东发展银行股份有限公司', '上海浦东发展银行'],
];

const NEAR: [string, string][] = [
  ['上海农村商业银行股份有限公司', '北京农村商业银行股份有限公司'],
  ['北京航空航天大学', '南京航空航天大学'],
  ['上海交通大学', '西安交通大学'],
  ['深圳市大疆创新科技有限公司', '大疆创新科技有限公司'],
  ['浙江吉利控股集团有限公司', '吉利控股集团有限公司'],
  ['深圳市华为技术有限公司', '华为技术有限公司'],
  ['深圳市大疆创新科技有限公司', '广州市大疆创新科技有限公司'],
  ['比亚迪', '比亚笛'],
  ['美的', '美得'],
  ['京东世纪贸易有限公司', '京东世纪纪贸易有限公司'],
  ['京东世纪贸易有限公司', '京东世贸易有限公司'],
  ['京东世纪贸易有限公司', '京东纪世贸易有限公司'],
  ['京东世纪贸易有限公司', '京东世纪贸意有限公司'],
  ['Microsoft Corporation', 'Microsofft Corporation'],
  ['Microsoft Corporation', 'Micrsoft Corporation'],
  ['Microsoft Corporation', 'Mircosoft Corporation'],
  ['Microsoft Corporation', 'Microsaft Corporation'],
  ['字节跳动科技有限公司', '字节跳到科技有限公司'],
  ['字节跳动科技有限公司', '字节跳动有限公司'],
  ['华为技术有限公司', '华为有限公司'],
  ['华为技术有限公司', '华为技术服务有限公司'],
  ['华为技术有限公司', 'Huawei'],
  ['华为技术有限公司', '华伪技术有限公司'],
  ['华为技术有限公司', '华为枝术有限公司'],
  ['腾讯科技', '腾迅科技'],
  ['阿里巴巴', '阿里吧吧'],
  ['阿里巴巴', '阿里巴'],
  ['网易', '网亿'],
  ['百度在线网络技术有限公司', '百渡在线网络技术有限公司'],
  ['小米科技', '小米科枝'],
  ['海尔集团', '海耳集团'],
  ['格力电器', '格力电气'],
  ['格力电器', '格丽电器'],
  ['联想集团', '连想集团'],
  ['蔚来汽车', '未来汽车'],
  ['理想汽车', '理想汽车科技'],
  ['Siemens (China) GmbH', 'Siemens GmbH'],
  ['Siemens (China) GmbH', 'Siemens Germany GmbH'],
  ['Shenzhen Kalomi Robotics Co., Ltd.', 'Guangzhou Kalomi Robotics Co., Ltd.'],
  ['Acme Trading LLC', 'Acme Tradng LLC'],
  ['Acme Trading LLC', 'Acme Trdaing LLC'],
  ['Kalomi Robotics Inc.', 'Kalomi Robotic Inc.'],
  ['Oracle', 'Orcale'],
  ['IBM', 'IMB'],
  ['三星电子（韩国）有限公司', '三星电子有限公司'],
  ['大连万达集团股份有限公司', '万达集团股份有限公司'],
  ['中国平安保险（集团）股份有限公司', '平安保险集团'],
  ['宁德时代新能源科技股份有限公司', '宁德时代新能原科技股份有限公司'],
  ['海康威视', '海康威视数字技术'],
  ['农夫山泉股份有限公司', '农夫山全股份有限公司'],
];

const DIFFERENT: [string, string][] = [
  ['北京银行', '上海银行'],
  ['上海大学', '北京大学'],
  ['中山大学', '中南大学'],
  ['深圳航空有限责任公司', '厦门航空有限公司'],
  ['腾讯科技', '阿里巴巴'],
  ['华为技术有限公司', '中兴通讯股份有限公司'],
  ['腾讯音乐', '网易音乐'],
  ['京东世纪贸易有限公司', '苏宁易购集团'],
  ['小米科技', '华米科技股份'],
  ['比亚迪', '长城汽车'],
  ['美团点评', '饿了么'],
  ['海尔集团', '海信集团'],
  ['格力电器', '美的集团'],
  ['百度', '搜狐'],
  ['中国银行', '中国建设银行'],
  ['招商银行', '浦发银行'],
  ['长安汽车', '长城汽车'],
  ['东方航空', '南方航空'],
  ['海南航空', '四川航空'],
  ['Tencent Holdings', 'Alibaba Group'],
  ['Microsoft Corporation', 'Apple Inc.'],
  ['Oracle', 'SAP'],
  ['Bank of Beijing', 'Bank of Shanghai'],
  ['Shenzhen Airlines Co., Ltd.', 'Xiamen Airlines Co., Ltd.'],
  ['Siemens AG', 'Bosch GmbH'],
  ['Kalomi Robotics Inc.', 'Zorbaltek Systems Inc.'],
  ['Acme Trading LLC', 'Globex Trading LLC'],
  ['大疆创新科技', '极飞科技'],
  ['字节跳动科技', '快手科技'],
  ['宁德时代', '比亚迪'],
  ['农夫山泉', '娃哈哈'],
  ['蔚来汽车', '小鹏汽车'],
  ['理想汽车', '零跑汽车'],
  ['上海浦东发展银行', '上海农商银行'],
  ['华润置地', '万科企业'],
  ['中国移动通信集团', '中国联合网络通信集团'],
  ['中国石油天然气集团', '中国石油化工集团'],
  ['顺丰速运', '圆通速递'],
  ['申通快递', '中通快递'],
  ['三一重工', '中联重科'],
  ['海康威视', '大华股份'],
  ['科大讯飞', '商汤科技'],
  ['立讯精密', '歌尔股份'],
  ['携程旅行', '同程旅行'],
  ['拼多多', '唯品会'],
  ['安踏体育', '李宁体育'],
  ['伊利实业', '蒙牛乳业'],
  ['青岛啤酒', '燕京啤酒'],
  ['贵州茅台', '五粮液'],
  ['恒瑞医药', '复星医药'],
];

const PAIRS: [Class, string, string][] = [
  ...SAME.map(([a, b]) => ['same', a, b] as [Class, string, string]),
  ...NEAR.map(([a, b]) => ['near', a, b] as [Class, string, string]),
  ...DIFFERENT.map(([a, b]) => ['different', a, b] as [Class, string, string]),
];

/** What the second claim may answer, by class. */
const ALLOWED: Record<Class, string[]> = {
  same: ['taken'],
  near: ['near', 'taken'],
  different: ['claimed', 'near'],
};

describe('the evidence table', () => {
  it('has at least 150 pairs, 50 in each class', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(150);
    for (const c of ['same', 'near', 'different'] as const) expect(PAIRS.filter((p) => p[0] === c).length).toBeGreaterThanOrEqual(50);
  });
});

describeEachDatabase('identity evidence: every pair, both orders, through claimCustomer', (getDb) => {
  it(`answers each class as the rule says (${PAIRS.length} pairs × 2 orders)`, async () => {
    const db = getDb();
    const store = createCustomerStore(db);
    const [first, second] = [directory.person('tom.reed')!, directory.person('wu.hao')!];
    const wrong: string[] = [];
    const counts: Record<string, number> = {};
    for (const [cls, a, b] of PAIRS) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        // A fresh book for each pair and order: nothing else in it to match.
        await db.prisma.customer.deleteMany();
        await db.prisma.customerNamePattern.deleteMany();
        const one = await claimCustomer({ store, directory, claimant: first, input: { name: x }, now });
        if (one.kind !== 'claimed') wrong.push(`${cls}: first claim of ${x} → ${one.kind}`);
        const two = await claimCustomer({ store, directory, claimant: second, input: { name: y }, now });
        counts[`${cls}:${two.kind}`] = (counts[`${cls}:${two.kind}`] ?? 0) + 1;
        if (!ALLOWED[cls].includes(two.kind)) wrong.push(`${cls}: ${x} then ${y} → ${two.kind}`);
      }
    }
    console.info(`[identity evidence] ${PAIRS.length} pairs × 2 orders: ${JSON.stringify(counts)}`);
    expect(wrong).toEqual([]);
  }, 240_000);
});
