// App Home: the person's own summary (who they are in the org, and the commands they may
// use), built from the same replies as `whoami` and `help` so the three never disagree.
import type { Inbound } from '../../chat/dispatch.ts';
import { commandsFor } from '../../chat/command.ts';
import { COMMANDS, FORMS, type FormName } from '../../chat/commands/index.ts';
import { personFields } from '../../chat/commands/whoami.command.ts';
import { t } from '../../chat/i18n.ts';
import { SLACK_LIMITS } from '../../chat/fit.ts';
import { renderSlackPages } from '../../chat/render-slack.ts';
import { reply, type Reply } from '../../chat/reply.ts';
import { describePerson } from '../../core/org/describe-person.ts';

/** The forms App Home (and Lark's bot menu) offers, with their button labels. */
export const HOME_FORMS: readonly { form: FormName; label: 'home.claimForm' | 'home.logForm' | 'home.visitorForm' }[] = [
  { form: 'customer.claim', label: 'home.claimForm' },
  { form: 'customer.log', label: 'home.logForm' },
  { form: 'visitor.report', label: 'home.visitorForm' },
];

export function homeReply(ib: Inbound): Reply {
  const locale = ib.directory.localeOf(ib.person);
  if (!ib.person) return reply(t(locale, 'err.notInOrg', { who: ib.who }));
  const roles = ib.directory.effectiveRoles(ib.person);
  // Buttons that open the forms this person may use (form.open: a modal, with the click's trigger_id).
  const usable = commandsFor(COMMANDS, roles);
  // In the order of the person's commands: the front desk sees the visitor form first.
  const forms = HOME_FORMS.filter((f) => usable.some((c) => c.name === FORMS[f.form].command)).sort((a, b) => usable.findIndex((c) => c.name === FORMS[a.form].command) - usable.findIndex((c) => c.name === FORMS[b.form].command));
  return reply(t(locale, 'home.title', { name: ib.person.name }), [
    { kind: 'header', text: t(locale, 'home.title', { name: ib.person.name }) },
    ...(forms.length ? [{ kind: 'actions' as const, buttons: forms.map((f) => ({ label: t(locale, f.label), action: 'form.open' as const, value: { form: f.form }, style: 'primary' as const })) }] : []),
    personFields(locale, describePerson({ directory: ib.directory, person: ib.person })),
    { kind: 'divider' },
    { kind: 'text', text: t(locale, 'home.commands') },
    { kind: 'list', items: usable.map((c) => `/kehu ${c.usage[locale]} — ${t(locale, c.summary)}`) },
  ]);
}

export function homeView(ib: Inbound): { type: 'home'; blocks: Record<string, unknown>[] } {
  // A view holds 100 blocks, twice a message: the home summary is far below either.
  return { type: 'home', blocks: renderSlackPages(homeReply(ib)).flatMap((p) => p.blocks).slice(0, SLACK_LIMITS.blocksPerView) };
}
