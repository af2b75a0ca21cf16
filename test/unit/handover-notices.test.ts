// How the handover notices read (chat/notices/handover.notices.ts): the notice that someone
// gone still holds work says how they left once — removed from the org file, or their `left:`
// day — never "Tom Reed (owner left) has left".
import { describe, expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { renderNotice } from '../../src/chat/notices.ts';

const directory = parseOrgText(
  `company: T
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: mei }
people:
  - { id: mei, name: Mei Lin, email: mei@t.test, department: sales, roles: [manager] }
  - { id: ann, name: Ann Wu, email: ann@t.test, department: sales, manager: mei, roles: [rep], left: 2026-12-01 }
`,
  'org.yaml',
);
directory.knowFormer(new Map([['tom', { id: 'tom', name: 'Tom Reed', managerId: 'mei', departmentId: 'sales' }]]));

const ownerLeft = (leaverId: string) => ({ type: 'handover.ownerLeft' as const, leaverId, count: 2, visits: 0, contests: 0, duty: 0, requests: 1 });

describe('the notice that someone gone still holds work', () => {
  it('names someone removed from the org file once, by the name it last gave them', () => {
    expect(renderNotice(directory, 'en', ownerLeft('tom')).summary).toBe(
      'Tom Reed was removed from the org file and still holds 2 customers (protected from the pool until handed over), 1 open request assigned. See the plan: `handover tom`.',
    );
    expect(renderNotice(directory, 'zh-CN', ownerLeft('tom')).summary).toBe('Tom Reed 已从组织文件中移除，仍有 2 个客户（交接前不会进入公海）、1 个待处理的服务请求。查看交接计划：`交接 tom`。');
  });

  it('names someone past their left: day with the day, once', () => {
    expect(renderNotice(directory, 'en', ownerLeft('ann')).summary).toBe(
      'Ann Wu left on 2026-12-01 and still holds 2 customers (protected from the pool until handed over), 1 open request assigned. See the plan: `handover ann`.',
    );
    expect(renderNotice(directory, 'zh-CN', ownerLeft('ann')).summary).toBe('Ann Wu 已于 2026-12-01 离职，仍有 2 个客户（交接前不会进入公海）、1 个待处理的服务请求。查看交接计划：`交接 ann`。');
  });
});
