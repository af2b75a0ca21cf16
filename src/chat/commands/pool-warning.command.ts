// The buttons on a pool warning — Log a follow-up (says exactly what to type), Release
// now, Ask for an extension — and the approver's Approve / Deny on the request.
import { z } from 'zod';
import { decideExtension } from '../../core/customers/decide-extension.ts';
import { getCustomer } from '../../core/customers/find-customer.ts';
import { releaseCustomer } from '../../core/customers/release-customer.ts';
import { requestExtension } from '../../core/customers/request-extension.ts';
import type { ChatAction, CommandContext } from '../command.ts';
import { dateText, personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { parseWith } from '../validation.ts';

const ZCustomerValueSchema = z.object({ customerId: z.string().min(1).max(64) });
const ZExtensionValueSchema = z.object({ requestId: z.string().min(1).max(64), decision: z.enum(['approve', 'deny']) });

function customerIdOf(ctx: CommandContext, value: Record<string, string>): string {
  return parseWith(ZCustomerValueSchema, value, ctx.locale, '').customerId;
}

export const logHintAction: ChatAction = {
  async run(ctx, value) {
    const customer = await getCustomer({ store: ctx.services.customers, customerId: customerIdOf(ctx, value) });
    return { notice: reply(t(ctx.locale, 'pool.logHint', { name: customer.name })) };
  },
};

export const releaseNowAction: ChatAction = {
  async run(ctx, value) {
    const customer = await releaseCustomer({ store: ctx.services.customers, extensions: ctx.services.extensions, directory: ctx.directory, actor: ctx.person, customerId: customerIdOf(ctx, value), now: ctx.services.clock() });
    return { update: reply(t(ctx.locale, 'release.done', { name: customer.name }), [], 'success') };
  },
};

export const askExtensionAction: ChatAction = {
  async run(ctx, value) {
    const r = await requestExtension({ store: ctx.services.customers, extensions: ctx.services.extensions, directory: ctx.directory, owner: ctx.person, customerId: customerIdOf(ctx, value), now: ctx.services.clock() });
    const key = r.kind === 'requested' ? 'extension.requested' : 'extension.alreadyRequested';
    return { notice: reply(t(ctx.locale, key, { name: r.customer.name, approver: r.approver.name }), [], r.kind === 'requested' ? 'success' : 'info') };
  },
};

export const decideExtensionAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZExtensionValueSchema, value, ctx.locale, '');
    const { request, customer } = await decideExtension({
      store: ctx.services.customers,
      extensions: ctx.services.extensions,
      directory: ctx.directory,
      approver: ctx.person,
      requestId: v.requestId,
      approve: v.decision === 'approve',
      now: ctx.services.clock(),
    });
    const owner = personName(ctx.directory, request.ownerId, ctx.locale);
    const text =
      request.status === 'approved'
        ? t(ctx.locale, 'extension.approved', { name: customer.name, owner, date: dateText(ctx.directory, customer.releaseAt, ctx.locale) })
        : t(ctx.locale, 'extension.denied', { name: customer.name, owner });
    return { update: reply(text, [], 'success') };
  },
};
