// Forms in the shell, end to end: field by field, :back and :cancel, one-line forms that
// ask for the rest, piped input line by line (as `npm run shell` reads it).
import { describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

// Each test starts a shell on a fresh database (migrations included): room for a busy machine.
describe('shell forms', { timeout: 15_000 }, () => {
  it('asks the claim form field by field, with :back, a default in brackets and checks as it goes', async () => {
    const out = await converse(['claim', '', '华为技术有限公司', ':back', '', 'x'.repeat(41), '', '深圳', '王芳', 'mine'], 'zhang.wei');
    expect(out).toContain('请填写表单：认领客户');
    expect(out).toContain('每行回答一项');
    expect(out).toContain('✗ 公司：必填');
    // :back returns to the company, which shows what was typed as the default.
    expect(out).toContain('公司 (注册全称) [华为技术有限公司]: ');
    expect(out).toContain('✗ 信用代码：最多 40 个字符');
    expect(out).toContain('✓ 华为技术有限公司 已登记为你的客户');
    expect(out).toMatch(/城市\s+深圳/);
  });

  it('asks only for what a one-line form left out, and :cancel saves nothing', async () => {
    const out = await converse(['claim city:北京 contact:"Li Lei"', ':cancel', 'claim "Acme Trading" city:"San Francisco"', 'mine'], 'zhang.wei');
    expect(out).toContain('请填写表单：认领客户');
    expect(out).not.toContain('城市 (选填) [北京]');
    expect(out).toContain('已取消，没有保存任何内容。');
    expect(out).toMatch(/城市\s+San Francisco/);
  });

  it('opens the next stage’s evidence form for `stage <company>`, and one-line stages with evidence missing ask the rest', async () => {
    const out = await converse(['claim 阿里巴巴', 'stage 阿里巴巴', '张三', '', '', ':cancel', 'stage 阿里巴巴 50 keyperson:马总', '要一套 ERP'], 'zhang.wei');
    expect(out).toContain('请填写表单：阶段 25%');
    expect(out).toContain('把 阿里巴巴 推进到 25%');
    expect(out).toContain('✗ 25% 需要已核实的联系人');
    expect(out).toContain('请填写表单：阶段 50%');
    expect(out).toContain('需求: ');
    expect(out).not.toContain('关键人 [');
    expect(out).toContain('✓ 阿里巴巴：0% → 50%');
  });

  it('asks again after a refusal, showing why, with every answer kept as the default', async () => {
    const out = await converse(['claim 京东', 'stage 京东', '张三', '', '', '', '13800138000', '', 'who 京东'], 'zhang.wei');
    // The rules refuse the whole answer (no phone nor email): every field again, from the first, each answer kept.
    const refused = out.indexOf('✗ 25% 需要已核实的联系人');
    expect(refused, out).toBeGreaterThan(0);
    expect(out.slice(refused)).toMatch(/✗ 25% 需要已核实的联系人[^\n]*\n联系人 \[张三\]: /);
    expect(out).toContain('✓ 京东：0% → 25%');
    expect(out).toContain('13800138000');
  });

  it('reprints a message that changed under its number: the arbiter’s contest, once decided', async () => {
    const out = await converse(['claim 华为技术有限公司', ':as chen.jie', 'claim 华为技术', '1', ':as li.na', '1'], 'zhang.wei');
    const number = /📨 to 李娜 \(li\.na\):[\s\S]*?\(message #(\d+)\)/.exec(out)?.[1];
    expect(number, out).toBeDefined();
    expect(out).toContain(`📝 message #${number} to li.na now reads:`);
    expect(out.slice(out.indexOf('📝'))).not.toContain('[1] 维持原负责人');
  });
});
