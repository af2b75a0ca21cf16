// App Home: the person's own summary (who they are in the org, and the commands they may
// use), built from the same replies as `whoami` and `help` so the three never disagree.
import type { Inbound } from '../../chat/dispatch.ts';
import { mayUse } from '../../chat/command.ts';
import { COMMANDS } from '../../chat/commands/index.ts';
import { personFields } from '../../chat/commands/whoami.command.ts';
import { t } from '../../chat/i18n.ts';
import { SLACK_LIMITS } from '../../chat/fit.ts';
import { renderSlackPages } from '../../chat/render-slack.ts';
import { reply, type Reply } from '../../chat/reply.ts';
import { describePerson } from '../../core/org/describe-person.ts';

export function homeReply(ib: Inbound): Reply {
  const locale = ib.directory.localeOf(ib.person);
  if (!ib.person) return reply(t(locale, 'err.notInOrg', { who: ib.who }));
  const roles = ib.directory.effectiveRoles(ib.person);
  return reply(t(locale, 'home.title', { name: ib.person.name }), [
    { kind: 'header', text: t(locale, 'home.title', { name: ib.person.name }) },
    personFields(locale, describePerson({ directory: ib.directory, person: ib.person })),
    { kind: 'divider' },
    { kind: 'text', text: t(locale, 'home.commands') },
    { kind: 'list', items: COMMANDS.filter((c) => mayUse(c, roles)).map((c) => `/kehu ${c.usage[locale]} — ${t(locale, c.summary)}`) },
  ]);
}

export function homeView(ib: Inbound): { type: 'home'; blocks: Record<string, unknown>[] } {
  // A view holds 100 blocks, twice a message: the home summary is far below either.
  return { type: 'home', blocks: renderSlackPages(homeReply(ib)).flatMap((p) => p.blocks).slice(0, SLACK_LIMITS.blocksPerView) };
}
