import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError, OrgStore, parseOrgText } from '../../src/config/org-file.ts';

const base = `company: Acme
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
  - { id: desk, name: Desk, kind: front-desk, members: [amy] }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales, roles: [manager] }
  - { id: rep1, name: Rep One, email: rep1@acme.test, department: sales, manager: boss, roles: [rep], slack: U0REP1 }
  - { id: amy, name: Amy, email: amy@acme.test, roles: [front-desk], locale: en }
`;

function problems(text: string): string[] {
  try {
    parseOrgText(text, 'org.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(OrgFileError);
    return (e as OrgFileError).problems;
  }
  throw new Error('expected the org file to be refused');
}

describe('org file', () => {
  it('loads the bundled example', () => {
    const d = loadOrgFile(EXAMPLE_ORG_FILE);
    expect(d.people.length).toBeGreaterThan(3);
    expect(d.org.timezone).toBe('Asia/Shanghai');
  });

  it('builds the directory: members listed on a department, managers, effective roles, defaults', () => {
    const d = parseOrgText(base, 'org.yaml');
    expect(d.person('amy')?.departmentId).toBe('desk');
    expect(d.personByChatId('slack', 'U0REP1')?.id).toBe('rep1');
    expect(d.personByEmail('REP1@acme.test')?.id).toBe('rep1');
    expect(d.manager(d.person('rep1')!)?.id).toBe('boss');
    expect(d.isAbove(d.person('boss')!, d.person('rep1')!)).toBe(true);
    expect([...d.effectiveRoles(d.person('boss')!)]).toContain('manager');
    expect(d.localeOf(d.person('amy'))).toBe('en');
    expect(d.localeOf(d.person('rep1'))).toBe('zh-CN');
    expect(d.org.workingHours).toEqual({ start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
  });

  it('names the path and line of a manager who is not a person', () => {
    const p = problems(base.replace('manager: boss', 'manager: ghost'));
    expect(p).toEqual(['people[1].manager (line 7): "ghost" is not a person in this file']);
  });

  it('finds a cycle in the management chain', () => {
    const p = problems(base.replace('roles: [manager] }', 'roles: [manager], manager: rep1 }'));
    expect(p.join('\n')).toMatch(/management chain is a cycle: (boss → rep1 → boss|rep1 → boss → rep1)/);
  });

  it('refuses duplicate emails (case-insensitive) and ids', () => {
    const p = problems(base.replace('amy@acme.test', 'BOSS@acme.test').replace('id: rep1,', 'id: boss,'));
    expect(p.join('\n')).toMatch(/people\[2\]\.email \(line 8\): duplicate email "boss@acme.test"/);
    expect(p.join('\n')).toMatch(/duplicate person id "boss"/);
  });

  it('refuses unknown keys, bad values and YAML syntax errors with their place', () => {
    expect(problems(base.replace('company: Acme', 'company: Acme\ncolour: red'))[0]).toMatch(/\(top level\).*colour/);
    expect(problems(base.replace('kind: sales,', 'kind: marketing,'))[0]).toMatch(/^departments\[0\]\.kind \(line 3\)/);
    expect(problems(base.replace('email: rep1@acme.test', 'email: not-an-email'))[0]).toMatch(/^people\[1\]\.email/);
    expect(problems(`${base}timezone: Mars/Olympus\n`)[0]).toMatch(/timezone.*IANA/);
    expect(problems('company: [unclosed\n')[0]).toMatch(/^line \d+:/);
    expect(problems(base.replace(', members: [amy]', ''))[0]).toMatch(/people\[2\].*has no department/);
  });

  it('reloads a valid edit and keeps the running org when an edit is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-org-'));
    const file = join(dir, 'org.yaml');
    writeFileSync(file, base);
    const log = { info: vi.fn(), error: vi.fn() };
    const store = new OrgStore(file, log);
    writeFileSync(file, base.replace('Rep One', 'Rep Uno'));
    expect(store.reload()).toBe(true);
    expect(store.current().person('rep1')?.name).toBe('Rep Uno');
    writeFileSync(file, base.replace('manager: boss', 'manager: ghost'));
    expect(store.reload()).toBe(false);
    expect(store.current().person('rep1')?.name).toBe('Rep Uno');
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ file }), expect.stringContaining('refused'));
  });

  it('picks up a saved edit by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-org-'));
    const file = join(dir, 'org.yaml');
    writeFileSync(file, base);
    const store = new OrgStore(file, { info: () => {}, error: () => {} });
    const stop = store.watch();
    try {
      writeFileSync(file, base.replace('company: Acme', 'company: Acme Two'));
      await vi.waitFor(() => expect(store.current().org.company).toBe('Acme Two'), { timeout: 3000 });
    } finally {
      stop();
    }
  });
});
