// The "open the form" button (App Home, a reply that could not open its form at once, the
// Lark bot menu): opens a registered form for the person who pressed it, if they may use
// its command.
import { z } from 'zod';
import type { ChatAction } from '../command.ts';
import { mayUse } from '../command.ts';
import { formNamed, formReply } from '../form-flow.ts';
import { safeParseJson } from '../json.ts';
import { t } from '../i18n.ts';
import { errorReply } from '../reply.ts';
import { COMMANDS, type FormName } from './index.ts';

const ZOpenFormSchema = z.object({
  form: z.string().min(1).max(60),
  context: z.string().max(2000).optional(),
  values: z.string().max(2000).optional(),
});
const ZStringMapSchema = z.record(z.string(), z.string().max(2000));
const ZValuesSchema = z.record(z.string(), z.union([z.string().max(2000), z.array(z.string().max(200)).max(100), z.boolean()]));

export const openFormAction: ChatAction = {
  async run(ctx, value) {
    const parsed = ZOpenFormSchema.safeParse(value);
    const form = parsed.success ? formNamed(parsed.data.form) : undefined;
    const context = ZStringMapSchema.safeParse(safeParseJson(parsed.data?.context ?? '{}'));
    const values = ZValuesSchema.safeParse(safeParseJson(parsed.data?.values ?? '{}'));
    if (!parsed.success || !form || !context.success || !values.success) return { notice: errorReply(t(ctx.locale, 'err.unknownAction')) };
    const command = COMMANDS.find((c) => c.name === form.command)!;
    if (!mayUse(command, ctx.directory.effectiveRoles(ctx.person))) {
      return { notice: errorReply(t(ctx.locale, 'err.forbidden', { action: `/kehu ${command.usage[ctx.locale]}` })) };
    }
    return { open: formReply(ctx, { name: parsed.data.form as FormName, context: context.data, values: values.data }) };
  },
};
