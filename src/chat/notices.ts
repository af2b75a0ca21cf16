// Renders a core Notice (core/notices.ts) for its recipient, in their language, when the
// job that carries it is delivered. One renderer per notice type, kept beside its
// capability (chat/notices/<capability>.notices.ts) and merged here with one line: a
// notice type without a renderer does not compile.
import type { Notice, NoticeOf, NoticeType } from '../core/notices.ts';
import type { Locale, OrgDirectory } from '../core/org/org.ts';
import { CUSTOMER_NOTICE_RENDERERS } from './notices/customer.notices.ts';
import { VISITOR_NOTICE_RENDERERS } from './notices/visitor.notices.ts';
import { HANDOVER_NOTICE_RENDERERS } from './notices/handover.notices.ts';
import { REQUEST_NOTICE_RENDERERS } from './notices/request.notices.ts';
import type { Reply } from './reply.ts';

/** Whom a notice is rendered for. */
export interface NoticeReader {
  directory: OrgDirectory;
  locale: Locale;
}

export type NoticeRenderer<T extends NoticeType> = (notice: NoticeOf<T>, reader: NoticeReader) => Reply;

/** The renderers of the notice types whose names match `Prefix` (a capability's). */
export type NoticeRenderers<Prefix extends string = string> = { [T in Extract<NoticeType, Prefix>]: NoticeRenderer<T> };

const RENDERERS: NoticeRenderers = {
  ...CUSTOMER_NOTICE_RENDERERS,
  ...VISITOR_NOTICE_RENDERERS,
  ...HANDOVER_NOTICE_RENDERERS,
  ...REQUEST_NOTICE_RENDERERS,
};

export function renderNotice(directory: OrgDirectory, locale: Locale, notice: Notice): Reply {
  return (RENDERERS[notice.type] as NoticeRenderer<NoticeType>)(notice, { directory, locale });
}
