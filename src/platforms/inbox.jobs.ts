// The inbox's two job kinds as definitions (jobs/job-definition.ts): a Slack row goes through
// Bolt's listeners, a Lark row through the SDK's dispatcher. Both were verified before they
// were written; the schema only makes sure the row is the shape the front door stores, so
// that a row of another shape is dead at once with the reason instead of retried for half
// an hour. The back office registers them when the platform is configured.
import { z } from 'zod';
import { defineJob } from '../jobs/job-definition.ts';
import { INBOX_KINDS } from './inbox.ts';
import type { LarkDispatch } from './lark/lark-dispatch.ts';
import type { SlackBolt } from './slack/slack-bolt.ts';

/** JSON has no undefined: an absent value may come back as null. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const inboxSlackJob = defineJob({
  kind: INBOX_KINDS.slack,
  schema: z.object({ body: z.record(z.string(), z.unknown()), retryNum: optional(z.number()), retryReason: optional(z.string()) }),
  handler: (delivery, _job, deps: { slack: SlackBolt }) => deps.slack.process(delivery),
});

export const inboxLarkJob = defineJob({
  kind: INBOX_KINDS.lark,
  schema: z.record(z.string(), z.unknown()),
  handler: (envelope, _job, deps: { lark: LarkDispatch }) => deps.lark.dispatcher.invoke(envelope, { needCheck: false }),
});
