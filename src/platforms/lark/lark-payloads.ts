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

export const ZLarkMessageEventSchema = z
  .object({
    sender: z.object({ sender_id: z.object({ open_id: z.string().min(1) }).loose(), sender_type: z.string().optional() }).loose(),
    message: z
      .object({
        message_id: z.string().min(1),
        chat_id: z.string().optional(),
        chat_type: z.string().optional(),
        message_type: z.string(),
        content: z.string(),
      })
      .loose(),
  })
  .loose();

export const ZLarkCardActionSchema = z
  .object({
    operator: z.object({ open_id: z.string().min(1) }).loose(),
    action: z.object({ value: z.record(z.string(), z.unknown()).optional(), tag: z.string().optional() }).loose(),
    context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).loose().optional(),
  })
  .loose();

// No length limit here: a command over 4,000 characters is answered "too long" (chat/dispatch.ts).
export const ZLarkTextContentSchema = z.object({ text: z.string() });
