// zod shapes of what Lark sends to /lark/events (after decryption): event v2 envelopes
// for messages and card callbacks, and the URL challenge. Only the fields kehu uses.
import { z } from 'zod';

export const ZLarkChallengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string(),
  token: z.string().optional(),
});

export const ZLarkEnvelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: z
    .object({
      event_id: z.string().min(1),
      event_type: z.string().min(1),
      token: z.string().optional(),
      create_time: z.string().optional(),
      app_id: z.string().optional(),
      tenant_key: z.string().optional(),
    })
    .loose(),
  event: z.object({}).loose(),
});

export const ZLarkMentionSchema = z
  .object({ key: z.string().min(1), id: z.object({ open_id: z.string().optional() }).loose().default({}), name: z.string().default('') })
  .loose();

export const ZLarkMessageEventSchema = z
  .object({
    sender: z.object({ sender_id: z.object({ open_id: z.string().min(1) }).loose(), sender_type: z.string().optional() }).loose(),
    message: z
      .object({
        message_id: z.string().min(1),
        /** A reply: the thread's first message, and the message it answers. */
        root_id: z.string().optional(),
        parent_id: z.string().optional(),
        chat_id: z.string().optional(),
        chat_type: z.string().optional(),
        message_type: z.string(),
        content: z.string(),
        /** Who the message @mentions: `key` is the placeholder in the content (`@_user_1`, `@_all`). */
        mentions: z.array(ZLarkMentionSchema).optional(),
      })
      .loose(),
  })
  .loose();

export const ZLarkCardActionSchema = z
  .object({
    operator: z.object({ open_id: z.string().min(1) }).loose(),
    action: z
      .object({
        value: z.record(z.string(), z.unknown()).optional(),
        tag: z.string().optional(),
        /** The button's name; a form's submit button sends the form's inputs in form_value. */
        name: z.string().optional(),
        form_value: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
    context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).loose().optional(),
  })
  .loose();

// No length limit here: a command over 4,000 characters is answered "too long" (chat/dispatch.ts).
export const ZLarkTextContentSchema = z.object({ text: z.string() });

/** One element of a rich-text paragraph (text, a link, an @mention, an image, …). */
const ZLarkPostElementSchema = z
  .object({ tag: z.string(), text: z.string().optional(), href: z.string().optional(), user_id: z.string().optional(), user_name: z.string().optional() })
  .loose();

/** A rich-text (`post`) message's content: paragraphs of elements (received messages carry no language key). */
export const ZLarkPostBodySchema = z.object({ title: z.string().optional(), content: z.array(z.array(ZLarkPostElementSchema)) }).loose();

/** As sent (and as some clients deliver it): the body under a language key (`zh_cn`, `en_us`, …). */
export const ZLarkPostContentSchema = z.union([ZLarkPostBodySchema, z.record(z.string(), ZLarkPostBodySchema)]);

/** The bot's menu (application.bot.menu_v6): who pressed which item. */
export const ZLarkBotMenuSchema = z
  .object({
    operator: z.object({ operator_id: z.object({ open_id: z.string().min(1) }).loose() }).loose(),
    event_key: z.string().min(1).max(200),
  })
  .loose();

/**
 * im.message.message_read_v1 (the SDK's event types): a person read messages the bot sent
 * them in a one-to-one chat. `read_time` is milliseconds, as a string.
 */
export const ZLarkMessageReadSchema = z
  .object({
    reader: z.object({ reader_id: z.object({ open_id: z.string().min(1) }).loose(), read_time: z.string().regex(/^\d{1,16}$/) }).loose(),
    message_id_list: z.array(z.string().min(1)).max(1000),
  })
  .loose();
