// Renders a core Notice (core/notices.ts) for its recipient, in their language, when the
// job that carries it is delivered.
import type { Notice } from '../core/notices.ts';
import type { Locale, OrgDirectory } from '../core/org/org.ts';
import { dateText, personName } from './customer-format.ts';
import { hasMessage, messageFor, t, type MessageKey } from './i18n.ts';
import { reply, type Reply } from './reply.ts';

export function renderNotice(directory: OrgDirectory, locale: Locale, notice: Notice): Reply {
  const name = (id: string | undefined) => personName(directory, id, locale);
  switch (notice.type) {
    case 'customer.followUpLogged':
      return reply(t(locale, 'notice.followUp', { by: name(notice.byPersonId), name: notice.customerName, kind: hasMessage(`kind.${notice.kind}`) ? messageFor(locale, `kind.${notice.kind}` as MessageKey, {}) : notice.kind, note: notice.note }));
    case 'customer.nearDuplicateClaimed':
      return reply(t(locale, 'notice.nearDuplicate', { by: name(notice.byPersonId), name: notice.customerName, other: notice.similarTo }), [], 'warning');
    case 'customer.contested':
      return reply(t(locale, 'notice.contested', { challenger: name(notice.challengerId), name: notice.customerName, owner: name(notice.ownerId) }), [], 'warning');
    case 'customer.contestDecided':
      return reply(
        t(locale, 'notice.contestDecided', { name: notice.customerName, decision: t(locale, `decision.${notice.decision}`), owner: name(notice.ownerId) }),
      );
    case 'customer.releaseWarning':
      return reply(t(locale, 'notice.releaseWarning', { name: notice.customerName, date: dateText(directory, new Date(notice.releaseAt), locale) }), [], 'warning');
    case 'customer.released':
      return reply(t(locale, 'notice.released', { name: notice.customerName }), [], 'warning');
  }
}
