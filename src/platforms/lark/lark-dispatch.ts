// The Lark work behind kehu's front end: the SDK client, the event dispatcher with its
// handlers (DM and @mention commands, text or rich text; card button callbacks), files
// sent to the person, and queued notifications. The dispatcher runs in the work thread
// (chat-thread.ts), on the inbox rows the main thread wrote as it answered Lark (over HTTP
// or the long connection). Each handler finishes its work before it returns: the row is
// done only once the reply went out, and a failure fails the row, which is retried.
import { createReadStream } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkSettings } from '../../config/env.ts';
import { deliverAttachment, withTempFile, type ReplyAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchForm, dispatchText, dispatchThreadReply, formSpecFor, type Inbound } from '../../chat/dispatch.ts';
import { openSeal, sealForm } from '../../chat/form-seal.ts';
import { t } from '../../chat/i18n.ts';
import { renderLark } from '../../chat/render-lark.ts';
import { LARK_CUSTOMER_CHOICES, LARK_FORM_TOKEN, readLarkFormValue, renderLarkForm } from '../../chat/render-lark-form.ts';
import { customerChoices } from '../../chat/form-flow.ts';
import type { Reply } from '../../chat/reply.ts';
import { inboundFor, type FrontEndDeps } from '../back-office.ts';
import { createLarkClient, larkSdkLogger } from './lark-client.ts';
import { answerInResponse } from '../inbox.ts';
import { IdentityResolver } from '../identity.ts';
import { larkSend, larkSender, uploadLarkImages } from './lark-sender.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { ZLarkBotMenuSchema, ZLarkCardActionSchema, ZLarkMessageEventSchema, ZLarkMessageReadSchema } from './lark-payloads.ts';
import { messagesRead } from '../../chat/read-receipts.ts';
import { sentMessageKeys } from '../../db/repositories/sent-message.repository.ts';
import { larkMessageText, mentionsBot, resolveMentions, type LarkMention } from './lark-text.ts';

/** Lark's upload limit for im files. */
const LARK_MAX_FILE_BYTES = 30 * 1024 * 1024;

export interface LarkDispatch {
  client: lark.Client;
  dispatcher: lark.EventDispatcher;
  /** Queued notifications, as messages to the person. */
  sender: ChatSender;
}


export function createLarkDispatch(settings: LarkSettings, deps: FrontEndDeps): LarkDispatch {
  const log = deps.logger.child({ platform: 'lark' });
  const client = createLarkClient(settings, log);
  const identities = larkIdentities(client, deps);
  const inbound = async (openId: string): Promise<Inbound> => inboundFor(deps, 'lark', await identities.personFor(openId));

  // A file goes to the person directly (a group @mention is no place for a customer
  // book): upload, then a `file` message. The SDK streams the file into its multipart
  // body. Lark takes files up to 30 MB ('stream' is its type for anything not a
  // document, audio or video: CSV included).
  const sendFile = async (openId: string, file: ReplyAttachment) => {
    const fileKey = await withTempFile(file, async (path, bytes) => {
      if (bytes > LARK_MAX_FILE_BYTES) throw new Error(`file of ${bytes} bytes is over Lark's 30 MB`);
      const uploaded = await client.im.v1.file.create({ data: { file_type: 'stream', file_name: file.filename, file: createReadStream(path) } });
      // The SDK answers the body's `data` only: no file_key means Lark refused the upload.
      if (!uploaded?.file_key) throw new Error('lark file upload returned no file_key');
      return uploaded.file_key;
    });
    await larkSend(() =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: openId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) },
      }),
    );
  };

  // The bot's own open_id (bot/v3/info), asked when first needed and kept once Lark has
  // answered; a failure fails the row (it is retried) and is asked again next time.
  let bot: Promise<string> | undefined;
  const botIdentity = () =>
    (bot ??= client
      .request<{ code?: number; bot?: { open_id?: string } }>({ url: '/open-apis/bot/v3/info', method: 'GET' })
      .then((r) => {
        if (!r.bot?.open_id) throw new Error(`lark bot/v3/info answered no open_id (code ${r.code})`);
        return r.bot.open_id;
      })
      .catch((e: unknown) => {
        bot = undefined;
        throw e;
      }));

  // Other people's mentions read as their names: the org's name when the open_id is a
  // person in the org (explicit id, or matched by email), else the name Lark gave.
  const mentionedNames = async (mentions: readonly LarkMention[], botOpenId: string | undefined) => {
    const names = new Map<string, string>();
    for (const m of mentions) {
      if (!m.id.open_id || m.id.open_id === botOpenId) continue;
      const { person } = await identities.personFor(m.id.open_id);
      if (person) names.set(m.key, person.name);
    }
    return names;
  };

  // Forms: a card with a `form` container; the submit button carries the sealed request,
  // signed with the app secret.
  const clock = deps.services.clock;
  const formSecret = settings.appSecret;
  /** The reply as a card: its form when it has one (sealed for this person), else the reply. */
  const cardFor = async (ib: Inbound, reply: Reply, errors?: Record<string, string>, token?: string): Promise<string> => {
    const view = reply.form && ib.person ? formSpecFor(ib, reply.form) : undefined;
    if (!view || !reply.form || !ib.person) return card(reply, reply.images?.length ? await uploadLarkImages(client, reply) : {});
    const users = new Map<string, string>();
    for (const f of view.spec.fields) {
      const id = reply.form.values[f.name];
      const person = f.kind === 'person' && typeof id === 'string' ? ib.directory.person(id) : undefined;
      const openId = person && (await identities.userIdFor(person));
      if (openId) users.set(id as string, openId);
    }
    const choices: Record<string, string[]> = {};
    for (const f of view.spec.fields) {
      const typed = reply.form.values[f.name];
      if (f.kind === 'customer') choices[f.name] = await customerChoices(deps.services, ib.person.id, typeof typed === 'string' ? typed : undefined, LARK_CUSTOMER_CHOICES);
    }
    const sealed = token ?? sealForm(formSecret, { request: reply.form, openedFor: ib.person.id, issuedAt: clock().getTime() });
    return JSON.stringify(renderLarkForm(view.spec, { locale: view.locale, values: reply.form.values, token: sealed, errors, larkUserOf: (id) => users.get(id), customerChoices: choices }));
  };
  const sendTo = (openId: string, content: string) =>
    larkSend(() => client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: openId, msg_type: 'interactive', content } }));

  /**
   * A submitted card form: refused with a toast (forged, stale, someone else's, no longer
   * allowed), wrong fields answered with a toast and the card redrawn with the errors and
   * the input kept, right ones with the card redrawn as the result — in the callback's
   * answer, or patched when the answer could not wait.
   */
  const submitCardForm = async (openId: string, messageId: string | undefined, token: unknown, formValue: Record<string, unknown>) => {
    const ib = await inbound(openId);
    const locale = ib.directory.localeOf(ib.person);
    const toast = (type: 'error' | 'success', content: string) => ({ type, content });
    const seal = openSeal(formSecret, token, clock());
    if (!seal.ok) return void (await answerInResponse({ toast: toast('error', t(locale, seal.reason === 'stale' ? 'form.stale' : 'form.forged')) }));
    const request = { ...seal.form.request, values: {} };
    const view = formSpecFor(ib, request);
    if (!view) return void (await answerInResponse({ toast: toast('error', ib.person ? t(locale, 'form.forged') : t(locale, 'err.notInOrg', { who: ib.who })) }));
    const raw = readLarkFormValue(view.spec, formValue);
    for (const f of view.spec.fields) {
      const user = raw[f.name];
      if (f.kind === 'person' && typeof user === 'string') raw[f.name] = (await identities.personFor(user)).person?.id ?? user;
    }
    const answer = await dispatchForm(ib, { request, openedFor: seal.form.openedFor }, raw);
    if (answer.kind === 'refused') return void (await answerInResponse({ toast: toast('error', answer.reply.summary) }));
    const content =
      answer.kind === 'invalid'
        ? await cardFor(ib, { summary: t(locale, 'form.fix'), tone: 'error', blocks: [], form: { ...request, values: raw } }, answer.errors, token as string)
        : card(answer.reply);
    const shownToast = answer.kind === 'invalid' ? toast('error', Object.values(answer.errors)[0]!) : toast(answer.reply.tone === 'error' ? 'error' : 'success', answer.reply.summary);
    const inAnswer = await answerInResponse({ toast: shownToast, card: { type: 'raw', data: JSON.parse(content) as unknown } });
    if (!inAnswer && messageId) await larkSend(() => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content } }));
  };

  const dispatcher = new lark.EventDispatcher({ logger: larkSdkLogger(log) }).register({
    'im.message.receive_v1': async (data: unknown) => {
      const parsed = ZLarkMessageEventSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed message event');
      const { sender, message } = parsed.data;
      if (sender.sender_type === 'app') return;
      const mentions = message.mentions ?? [];
      const group = message.chat_type === 'group';
      // Who the bot is matters only where somebody is mentioned.
      const botOpenId = group || mentions.length ? await botIdentity() : undefined;
      const typed = async () => {
        const raw = larkMessageText(message.message_type, message.content, mentions);
        return raw === undefined ? undefined : resolveMentions(raw, mentions, botOpenId, await mentionedNames(mentions, botOpenId));
      };
      // A reply in the thread of one of kehu's messages (a request's card, in a DM or the
      // department's group, @kehu or not) is what that message's capability makes of it (a
      // comment), answered in the thread.
      const thread = [message.root_id, message.parent_id].filter((id): id is string => Boolean(id));
      const keys = thread.length ? await sentMessageKeys(deps.db, 'lark', thread) : [];
      if (keys.length) {
        const text = await typed();
        const ib = await inbound(sender.sender_id.open_id);
        const answered = text === undefined ? undefined : await dispatchThreadReply(ib, keys, text);
        if (answered) {
          const content = card(answered);
          return void (await larkSend(() => client.im.v1.message.reply({ path: { message_id: message.message_id }, data: { msg_type: 'interactive', content, reply_in_thread: true } })));
        }
      }
      // In a group, only what is addressed to the bot is a command (not @everyone, not chatter).
      if (group && !mentionsBot(mentions, botOpenId!)) return;
      const text = await typed();
      const ib = await inbound(sender.sender_id.open_id);
      const answer = await dispatchText(ib, text ?? 'help');
      const reply = await deliverAttachment(ib, answer, (file) => sendFile(sender.sender_id.open_id, file));
      const content = await cardFor(ib, reply);
      await larkSend(() => client.im.v1.message.reply({ path: { message_id: message.message_id }, data: { msg_type: 'interactive', content } }));
    },
    'card.action.trigger': async (data: unknown) => {
      const parsed = ZLarkCardActionSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed card action');
      const openId = parsed.data.operator.open_id;
      const messageId = parsed.data.context?.open_message_id;
      const { form_value: formValue } = parsed.data.action;
      if (formValue || parsed.data.action.value?.[LARK_FORM_TOKEN] !== undefined) {
        return submitCardForm(openId, messageId, parsed.data.action.value?.[LARK_FORM_TOKEN], formValue ?? {});
      }
      const { kehu_action: name, ...rest } = parsed.data.action.value ?? {};
      const value = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      if (typeof name !== 'string') return log.warn('card action without kehu_action');
      const ib = await inbound(openId);
      const result = await dispatchAction(ib, name, value);
      if (result.open) await sendTo(openId, await cardFor(ib, result.open));
      // The updated card rides in the callback's answer when it is still awaited (Lark shows
      // it at once); past the bound the card is patched instead.
      const inAnswer = result.update ? await answerInResponse({ card: { type: 'raw', data: renderLark(result.update) } }) : false;
      if (result.update && messageId && !inAnswer) {
        await larkSend(() => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: card(result.update!) } }));
      }
      if (result.notice) await sendTo(openId, card(result.notice));
    },
    // Read receipts (one-to-one chats): which of kehu's messages were read, by whom, when.
    'im.message.message_read_v1': async (data: unknown) => {
      const parsed = ZLarkMessageReadSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed message read event');
      const keys = await sentMessageKeys(deps.db, 'lark', parsed.data.message_id_list);
      if (keys.length === 0) return;
      await messagesRead(await inbound(parsed.data.reader.reader_id.open_id), keys, new Date(Number(parsed.data.reader.read_time)));
    },
    // The bot's menu (manifests/lark.json): each item opens a form, as App Home's buttons do on Slack.
    'application.bot.menu_v6': async (data: unknown) => {
      const parsed = ZLarkBotMenuSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed bot menu event');
      const openId = parsed.data.operator.operator_id.open_id;
      const ib = await inbound(openId);
      // An item's event_key is the form it opens (`customer.claim`); one kehu does not know is refused in words.
      const result = await dispatchAction(ib, 'form.open', { form: parsed.data.event_key });
      if (result.open) await sendTo(openId, await cardFor(ib, result.open));
      if (result.notice) await sendTo(openId, card(result.notice));
    },
  } as never);

  return { client, dispatcher, sender: larkSender(client, identities, { logger: log }) };
}


const card = (reply: Reply, imageKeys?: Record<string, string>) => JSON.stringify(renderLark(reply, imageKeys));

/** Who a Lark user is in the org, and the reverse (explicit open_id, else email via the contact API). */
export function larkIdentities(client: lark.Client, deps: FrontEndDeps): IdentityResolver {
  const lookup = {
    async emailOf(openId: string) {
      const r = await client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } });
      if (r.code !== 0) return undefined;
      return r.data?.user?.email || r.data?.user?.enterprise_email || undefined;
    },
    async userIdOf(email: string) {
      const r = await client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { emails: [email] } });
      if (r.code !== 0) return undefined;
      return r.data?.user_list?.find((u) => u.user_id)?.user_id ?? undefined;
    },
  };
  return new IdentityResolver('lark', deps.db, lookup, deps.directory);
}
