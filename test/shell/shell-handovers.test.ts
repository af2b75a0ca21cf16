// A departure handover in the shell, end to end: a manager sees the plan (nothing moves),
// starts it (0% moves at once), the leaver and the successor each press "Call done", the
// leaver writes the note, and the customer is the successor's.
import { describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

describe('shell front end: handovers', () => {
  it('plans, starts, walks a call over and says where it stands, in both languages', async () => {
    const out = await converse(
      [
        'claim 零点科技',
        'claim 通话科技',
        'stage 通话科技 25 contact:王先生 phone:13800000000',
        ':as chen.jie',
        'handover zhang.wei',
        ':as li.na',
        'handover zhang.wei to zhang.wei',
        'handover zhang.wei last-day 2000-01-01',
        // The handover form, field by field: who leaves, to whom, the last day.
        'handover',
        'zhang.wei',
        'chen.jie',
        '2099-01-05',
        '1',
        'handovers',
        'handover change zhang.wei last-day 2099-02-01',
        ':as zhang.wei',
        'handover status',
        '1',
        'handover note 通话科技 王先生拍板；答应一月演示',
        ':as chen.jie',
        'handover status',
        '1',
        'who 通话科技',
        ':as li.na',
        'handover cancel zhang.wei',
      ],
      'zhang.wei',
    );
    // The plan, before anything moves; the Start button; refusals in words.
    expect(out).toContain('Only their manager line or an admin may hand someone over.');
    expect(out).toContain('请填写表单：离职交接');
    expect(out).toContain('张伟 的交接计划：2 个客户，最后工作日 2099-01-05。尚未移交任何客户。');
    expect(out).toContain('通话科技（25%）：电话交接 → Chen Jie，需交接备注');
    expect(out).toContain('零点科技（0%）：立即移交 → Chen Jie');
    expect(out).toContain('张伟 正是离职人，请指定其他接手人。');
    expect(out).toContain('最后工作日已过');
    expect(out).toContain('张伟 的交接已开始：1 个已立即移交，1 个须在 2099-01-05 前逐个交接。');
    expect(out).toContain('张伟：已完成 1/2，逾期 0 项，最后工作日 2099-01-05');
    // The leaver's press, the note, then the successor's press completes it.
    expect(out).toContain('已记录：通话科技。');
    expect(out).toContain('通话科技 is now Chen Jie');
    expect(out).toContain('通话科技 — Chen Jie · 25%');
    // Changed by the manager line; the note kept on the customer, shown in who to its owner; nothing left to cancel.
    expect(out).toContain('张伟 的交接最后工作日改为 2099-02-01，步骤截止 2099-01-29。');
    expect(out).toContain('Handover note from 张伟: 王先生拍板；答应一月演示');
    expect(out).toContain('张伟 没有进行中的交接。');
  }, 60_000);
});
