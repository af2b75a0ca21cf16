// The service catalog file (config/catalog-file.ts): the documented example loads against
// the example org; every error names the file, the path, the line and what is wrong; a
// reload keeps the running catalog on a bad edit and on one that removes a service with
// open requests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CatalogFileError, CatalogStore, EXAMPLE_CATALOG_FILE, loadCatalogFile, parseCatalogText } from '../../src/config/catalog-file.ts';
import { EXAMPLE_ORG_FILE, loadOrgFile, parseOrgText } from '../../src/config/org-file.ts';
import { serviceByKey } from '../../src/core/requests/catalog.ts';

const org = parseOrgText(
  `company: Acme
departments:
  - { id: legal, name: Legal, kind: function, head: boss }
  - { id: sales, name: Sales, kind: sales }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: legal }
  - { id: clerk, name: Clerk, email: clerk@acme.test, department: legal }
  - { id: rep, name: Rep, email: rep@acme.test, department: sales }
`,
  'org.yaml',
);

const service = (extra = '') => `  - key: contract-review
    name: { en: Contract review, zh-CN: 合同审核 }
    department: legal
    targets: { firstResponse: 4h, resolution: 2d }
    leadTimeDays: 3
${extra}`;

function problems(text: string): string[] {
  try {
    parseCatalogText(text, 'catalog.yaml', org);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogFileError);
    expect((e as Error).message).toContain('catalog.yaml is not a valid service catalog');
    return (e as CatalogFileError).problems;
  }
  throw new Error('expected the catalog to be refused');
}

describe('catalog file', () => {
  it('loads the documented example against the example org', () => {
    const catalog = loadCatalogFile(EXAMPLE_CATALOG_FILE, loadOrgFile(EXAMPLE_ORG_FILE));
    const materials = serviceByKey(catalog, 'materials')!;
    expect(materials).toMatchObject({ departmentId: 'admin', leadTimeDays: 1, targets: { firstResponse: { hours: 2 }, resolution: { days: 1 } }, assign: { rule: 'head' } });
    expect(materials.prerequisites[0]!['zh-CN']).toContain('F-12');
    expect(serviceByKey(catalog, '费用报销')?.managerApproves).toBe(true);
  });

  it('reads working-time targets and fills the defaults', () => {
    const s = parseCatalogText(`services:\n${service('    assign: rotation\n    maxPause: 90m\n')}`, 'catalog.yaml', org).services[0]!;
    expect(s).toMatchObject({ assign: { rule: 'rotation' }, maxPause: { hours: 1.5 }, closeAfter: { days: 3 }, reminders: { at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 } });
  });

  it('reads who is told at each threshold (roles, the channel, a person), today’s recipients where unsaid', () => {
    const s = parseCatalogText(`services:\n${service('    reminders: { to: { before: [assignee, head], breach: [clerk] } }\n')}`, 'catalog.yaml', org).services[0]!;
    expect(s.reminders).toEqual({ at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2, to: { before: ['assignee', 'head'], breach: [{ person: 'clerk' }] } });
    expect(parseCatalogText(`services:\n${service()}`, 'catalog.yaml', org).services[0]!.reminders.to).toBeUndefined();
  });

  it('refuses reminder recipients the org cannot reach, with the line', () => {
    expect(problems(`services:\n${service('    reminders:\n      to:\n        before: [ghost]\n        breach: [channel]\n        escalate: [headManager]\n')}`)).toEqual([
      'services[0].reminders.to.before[0] (line 9): "ghost" is not a person in the org file (nor assignee, head, headManager or channel)',
      'services[0].reminders.to.breach[0] (line 10): legal has no channel in the org file',
      'services[0].reminders.to.escalate[0] (line 11): the head of legal has no manager in the org file',
    ]);
    expect(problems(`services:\n${service('    reminders: { to: { breach: [] } }\n')}`)).toEqual(['services[0].reminders.to.breach (line 7): must name someone: assignee, head, headManager, channel or a person id']);
    expect(problems(`services:\n${service('    reminders: { to: { later: [head] } }\n')}`)[0]).toMatch(/^services\[0\]\.reminders\.to \(line 7\): Unrecognized key/);
  });

  it('refuses a service naming a missing department, a sales department, or a person outside it, with the line', () => {
    expect(problems(`services:\n${service().replace('department: legal', 'department: ghost')}`)).toEqual(['services[0].department (line 4): "ghost" is not a department in the org file']);
    expect(problems(`services:\n${service().replace('department: legal', 'department: sales')}`)).toEqual(['services[0].department (line 4): "sales" is a sales department, not a functional one']);
    expect(problems(`services:\n${service('    assign: { person: rep }\n')}`)).toEqual(['services[0].assign.person (line 7): "rep" is not a member of legal']);
  });

  it('refuses bad durations, unknown keys, duplicate keys and choice fields without choices', () => {
    expect(problems(`services:\n${service().replace('resolution: 2d', 'resolution: 2 weeks')}`)[0]).toMatch(/^services\[0\]\.targets\.resolution \(line 5\): must be a working time like "4h"/);
    expect(problems(`services:\n${service('    colour: red\n')}`)[0]).toMatch(/^services\[0\] \(line 2\): .*colour/);
    expect(problems(`services:\n${service()}${service()}`)).toEqual(['services[1].key (line 7): "contract-review" is the key of an earlier service']);
    expect(problems(`services:\n${service('    fields: [ { name: kind, kind: choice, label: { en: Kind, zh-CN: 类型 } } ]\n')}`)).toEqual(['services[0].fields[0] (line 7): a choice field needs choices']);
  });

  it('reloads a good edit, keeps the running catalog on a bad one and on one removing a service with open requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-catalog-'));
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, `services:\n${service()}`);
    const log = { info: vi.fn(), error: vi.fn() };
    const open = new Set(['contract-review']);
    const store = new CatalogStore(file, () => org, log, async (keys) => keys.filter((k) => open.has(k)));
    writeFileSync(file, `services:\n${service().replace('leadTimeDays: 3', 'leadTimeDays: 4')}`);
    expect(await store.reload()).toBe(true);
    expect(store.current().services[0]!.leadTimeDays).toBe(4);
    writeFileSync(file, `services:\n${service().replace('department: legal', 'department: ghost')}`);
    expect(await store.reload()).toBe(false);
    expect(log.error.mock.calls.at(-1)![0].err).toContain('"ghost" is not a department');
    writeFileSync(file, `services:\n${service().replace('contract-review', 'nda')}`);
    expect(await store.reload()).toBe(false);
    expect(log.error.mock.calls.at(-1)![0].err).toContain('the edit removes "contract-review", which still has open requests');
    expect(store.current().services[0]!.key).toBe('contract-review');
    open.clear();
    expect(await store.reload()).toBe(true);
    expect(store.current().services[0]!.key).toBe('nda');
  });
});
