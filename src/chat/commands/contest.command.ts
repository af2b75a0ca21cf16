// Claim contests: the Contest button (after a refusal, or "same company → contest" on a
// near-duplicate), and the arbiter's decision, by button (Keep / Transfer with a preset
// reason) or typed with any reason: `decide <contest> keep|transfer <reason>` / 裁决.
import { z } from 'zod';
import { contestCustomer, type ContestOutcome } from '../../core/customers/contest-customer.ts';
import { decideContest, type Decision } from '../../core/customers/decide-contest.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { ChatAction, ChatCommand, CommandContext } from '../command.ts';
import { dateTimeText, personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { TRANSFER_PRESETS } from '../notices/customer.notices.ts';
import { tokenize } from '../grammar.ts';
import { errorReply, reply, type Reply, type ReplyBlock } from '../reply.ts';
import { InputError, parseWith, ZPlainTextSchema } from '../validation.ts';

const DECISION_WORDS: Record<string, Decision> = {
  keep: 'keep', kept: 'keep', 维持: 'keep', 保留: 'keep',
  transfer: 'transfer', transferred: 'transfer', 转移: 'transfer', 转给: 'transfer', 转让: 'transfer',
};

const ZContestValueSchema = z.object({ customerId: z.string().min(1).max(64) });
const ZDecideValueSchema = z.object({
  contestId: z.string().min(1).max(16),
  decision: z.enum(['keep', 'transfer']),
  preset: z.enum(TRANSFER_PRESETS).optional(),
});

export const contestAction: ChatAction = {
  async run(ctx, value) {
    const { customerId } = parseWith(ZContestValueSchema, value, ctx.locale, '');
    const outcome = await contestCustomer({ store: ctx.services.customers, contests: ctx.services.contests, directory: ctx.directory, challenger: ctx.person, customerId, now: ctx.services.clock() });
    return { update: contestReply(ctx.directory, ctx.locale, outcome) };
  },
};

export const decideCommand: ChatCommand = {
  name: 'decide',
  aliases: ['裁决', '仲裁'],
  usage: { en: 'decide <contest> keep|transfer <reason>', 'zh-CN': '裁决 <申诉编号> 维持|转移 <理由>' },
  summary: 'cmd.decide',
  async run(ctx, args) {
    const usage = this.usage[ctx.locale];
    const [id, word, ...rest] = tokenize(args);
    const decision = word === undefined ? undefined : DECISION_WORDS[word.toLowerCase()];
    if (!id || !decision) throw new InputError(t(ctx.locale, 'err.invalid', { problem: t(ctx.locale, 'reason.badDecision'), usage }));
    const reason = parseWith(ZPlainTextSchema(500), rest.join(' '), ctx.locale, usage);
    return decide(ctx, id, decision, reason);
  },
};

export const decideAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZDecideValueSchema, value, ctx.locale, decideCommand.usage[ctx.locale]);
    // A preset reason is written in the arbiter's language, as a typed one would be.
    const reason = v.preset ? t(ctx.locale, `preset.${v.preset}`) : undefined;
    return { update: await decide(ctx, v.contestId, v.decision, reason) };
  },
};

async function decide(ctx: CommandContext, contestId: string, decision: Decision, reason: string | undefined): Promise<Reply> {
  const { contest, customer } = await decideContest({
    store: ctx.services.customers,
    contests: ctx.services.contests,
    directory: ctx.directory,
    arbiter: ctx.person,
    contestId,
    decision,
    reason,
    now: ctx.services.clock(),
  });
  const { locale } = ctx;
  const decided = contest.status === 'transferred' ? 'transferred' : 'kept';
  const text = t(locale, 'contest.decided', { name: customer.name, decision: t(locale, `decision.${decided}`), owner: personName(ctx.directory, customer.ownerId, locale) });
  const blocks: ReplyBlock[] = [{ kind: 'text', text }];
  if (contest.reason) blocks.push({ kind: 'text', text: t(locale, 'contest.reason', { reason: contest.reason }) });
  return reply(text, blocks, 'success');
}

export function contestReply(directory: OrgDirectory, locale: Locale, outcome: ContestOutcome): Reply {
  const c = outcome.customer;
  const owner = personName(directory, c.ownerId, locale);
  switch (outcome.kind) {
    case 'opened':
      return reply(t(locale, 'contest.opened', { name: c.name, owner, arbiter: outcome.arbiter.name }), [], 'success');
    case 'alreadyOpen':
      return reply(t(locale, 'contest.alreadyOpen', { name: c.name, arbiter: outcome.arbiter.name, since: dateTimeText(directory, outcome.contest.createdAt, locale) }));
    case 'yours':
      return reply(t(locale, 'claim.yours', { name: c.name }));
    case 'noArbiter':
      return errorReply(t(locale, 'contest.noArbiter', { name: c.name, owner }));
  }
}
