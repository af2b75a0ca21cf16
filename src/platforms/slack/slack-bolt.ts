// The Bolt app behind kehu's Slack front end: the /kehu command, DMs to the bot, button
// actions, App Home, files sent to the person's DM, and queued notifications sent as DMs.
// It runs in the work thread (chat-thread.ts), where the inbox rows that the main thread
// wrote on each ack (over HTTP or Socket Mode) are handed to app.processEvent one by one.
// Each listener finishes its work before it returns, so the row is done only once the
// reply went out, and a failure (Slack or the database down) fails the row, which is
// retried.
import { createReadStream } from 'node:fs';
import { App, webApi, type Authorize, type Receiver } from '@slack/bolt';
import type { SlackSettings } from '../../config/env.ts';
import { FencedOut } from '../../core/errors.ts';
import { deliverAttachment, withTempFile, type ReplyAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchForm, dispatchText, dispatchThreadReply, formSpecFor, type Inbound } from '../../chat/dispatch.ts';
import { openSeal, sealForm } from '../../chat/form-seal.ts';
import { suggestCustomers, withOpenButton } from '../../chat/form-flow.ts';
import type { FormSpec, TRawFormValues } from '../../chat/form.ts';
import { t } from '../../chat/i18n.ts';
import { errorReply, type Reply } from '../../chat/reply.ts';
import { readSlackState, renderSlackModal, SLACK_VIEW_LIMITS, type SlackElementState } from '../../chat/render-slack-form.ts';
import { renderSlackPages, slackActionName } from '../../chat/render-slack.ts';
import { inboundFor, type FrontEndDeps } from '../back-office.ts';
import { safeJson } from '../front-end.ts';
import { slackClientOptions, toBoltLogger } from './slack-client.ts';
import { answerInResponse } from '../inbox.ts';
import { IdentityResolver } from '../identity.ts';
import { postJson } from '../post-json.ts';
import { homeView } from './home-view.ts';
import { slackSender, uploadWithBlocks } from './slack-sender.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { ZButtonValueSchema } from './slack-payloads.ts';
import { directCommand, threadReplyOf } from './slack-text.ts';
import { sentMessageKeys } from '../../db/repositories/sent-message.repository.ts';
import { formOpenTrigger, placeholderId } from './modal-placeholder.ts';
import type { Locale } from '../../core/org/org.ts';

export interface SlackBolt {
  app: App;
  /** Runs one inbox row's payload through Bolt's listeners; rejects when they fail. */
  process(delivery: SlackDelivery): Promise<void>;
  /** Queued notifications, as DMs. */
  sender: ChatSender;
}

/** What the main thread stored for one Slack delivery (HTTP body or Socket Mode payload). */
export interface SlackDelivery {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

/** How long to wait before asking again for a modal the front door is still opening (about 2.5 s in all). */
const PLACEHOLDER_WAITS_MS = [5, 10, 20, 40, 80, 160, 320, 640, 1200];

/** A receiver that receives nothing: events come in through app.processEvent. */
export const NO_RECEIVER: Receiver = { init: () => undefined, start: async () => undefined, stop: async () => undefined };


/**
 * Who the bot is (auth.test), asked on the first delivery and kept once Slack has answered;
 * a failure is asked again next time. So start-up never waits on Slack, and a Slack that is
 * down only fails the rows that arrive meanwhile (they are retried).
 */
function lazyAuthorize(client: webApi.WebClient, botToken: string): Authorize<boolean> {
  let known: Promise<{ botToken: string; botId?: string; botUserId?: string }> | undefined;
  return () =>
    (known ??= client.auth.test({ token: botToken }).then(
      (r) => ({ botToken, botId: r.bot_id, botUserId: r.user_id }),
      (e: unknown) => {
        known = undefined;
        throw e;
      },
    ));
}

export function createSlackBolt(settings: SlackSettings, deps: FrontEndDeps): SlackBolt {
  const { logger } = deps;
  const log = logger.child({ platform: 'slack' });
  const client = new webApi.WebClient(settings.botToken, { ...slackClientOptions(settings), logger: toBoltLogger(log) });
  const app = new App({
    authorize: lazyAuthorize(client, settings.botToken),
    receiver: NO_RECEIVER,
    logger: toBoltLogger(log),
    clientOptions: slackClientOptions(settings),
    // No listener keeps state between messages of a conversation: no per-event store work.
    convoStore: false,
  });
  const identities = slackIdentities(client, deps);

  const inbound = async (userId: string): Promise<Inbound> => inboundFor(deps, 'slack', await identities.personFor(userId));

  // Replies go to the response_url Slack gives with each command or click (Bolt's
  // respond() would post to the same URL, only through fetch and with more CPU).
  const answer = async (responseUrl: string | undefined, message: Record<string, unknown>) => {
    if (responseUrl) await postJson(responseUrl, message);
    else log.warn('no response_url to answer on');
  };

  // A reply of several pages (over 50 blocks) is several ephemeral messages, in order; a
  // replaced message takes the first page (a response_url takes five posts in 30 minutes).
  const answerPages = async (responseUrl: string | undefined, reply: Reply, replace = false) => {
    for (const [i, page] of renderSlackPages(reply).entries()) {
      await answer(responseUrl, replace && i === 0 ? { replace_original: true, ...page } : { response_type: 'ephemeral', replace_original: false, ...page });
    }
  };

  // Forms: a modal opened with the interaction's trigger_id (valid once, for 3 s). What it is
  // travels sealed in private_metadata, signed with the signing secret.
  const clock = deps.services.clock;
  const formSecret = settings.signingSecret;
  const slackUsers = async (spec: FormSpec, values: TRawFormValues) => {
    const users = new Map<string, string>();
    for (const f of spec.fields) {
      const id = values[f.name];
      const person = f.kind === 'person' && typeof id === 'string' ? deps.directory().person(id) : undefined;
      const user = person && (await identities.userIdFor(person));
      if (user) users.set(id as string, user);
    }
    return users;
  };
  /**
   * Draws `view` into the modal the front door opened at once for this press
   * (modal-placeholder.ts). Its views.open may land a moment after this thread is ready:
   * Slack's not_found is asked again, briefly. False when it never came (the trigger had
   * expired: the caller falls back).
   */
  const intoPlaceholder = async (externalId: string, view: Record<string, unknown>): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.views.update({ external_id: externalId, view: view as never });
        return true;
      } catch (e) {
        if ((e as { data?: { error?: string } }).data?.error !== 'not_found') throw e;
        const wait = PLACEHOLDER_WAITS_MS[attempt];
        if (wait === undefined) return false;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  /** A reply as a modal's content (a refusal, a sentence), with a Close button. */
  const messageModal = (locale: Locale, reply: Reply) => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'kehu' },
    close: { type: 'plain_text', text: t(locale, 'form.close') },
    blocks: renderSlackPages(reply)[0]!.blocks,
  });
  /**
   * Opens the reply's form as a modal (or draws it into the one opened at once, `placeholder`);
   * false when there is no trigger or Slack refused it as too old or used.
   */
  const openModal = async (triggerId: string | undefined, ib: Inbound, reply: Reply, placeholder?: string): Promise<boolean> => {
    if (!triggerId || !reply.form || !ib.person) return false;
    const view = formSpecFor(ib, reply.form);
    if (!view) return false;
    const users = await slackUsers(view.spec, reply.form.values);
    const privateMetadata = sealForm(formSecret, { request: reply.form, openedFor: ib.person.id, issuedAt: clock().getTime() });
    const modal = renderSlackModal(view.spec, { locale: view.locale, values: reply.form.values, privateMetadata, timezone: ib.directory.org.timezone, slackUserOf: (id) => users.get(id) });
    if (placeholder && (await intoPlaceholder(placeholder, modal as Record<string, unknown>))) return true;
    try {
      await client.views.open({ trigger_id: triggerId, view: modal as never });
      return true;
    } catch (e) {
      const error = (e as { data?: { error?: string } }).data?.error;
      if (error === 'expired_trigger_id' || error === 'exchanged_trigger_id' || error === 'invalid_trigger_id') {
        log.warn({ error }, 'could not open a modal: the trigger is spent; answering with a button instead');
        return false;
      }
      throw e;
    }
  };
  /** A reply with a form: the modal when it opens, else the reply with an "Open the form" button. */
  const formOrButton = async (triggerId: string | undefined, ib: Inbound, reply: Reply, placeholder?: string): Promise<Reply | undefined> => {
    if (!reply.form) return reply;
    if (await openModal(triggerId, ib, reply, placeholder)) return undefined;
    return withOpenButton(ib.directory.localeOf(ib.person), reply);
  };

  app.command(/^\/kehu/, async ({ command, ack }) => {
    await ack();
    const ib = await inbound(command.user_id);
    const reply = await deliverAttachment(ib, await dispatchText(ib, command.text ?? ''), (file, r) => uploadToDm(command.user_id, file, r));
    if (reply.images?.length) {
      // A response_url takes no files: a reply with pictures (a digest) goes to the DM, and
      // the channel is told where it is.
      await uploadWithBlocks(client, await dmOf(command.user_id), reply);
      await answerPages(command.response_url, { summary: t(ib.directory.localeOf(ib.person), 'digest.sentToDm'), tone: 'info', blocks: [{ kind: 'text', text: t(ib.directory.localeOf(ib.person), 'digest.sentToDm') }] });
      return;
    }
    const shown = await formOrButton(command.trigger_id, ib, reply);
    if (shown) await answerPages(command.response_url, shown);
  });

  // A submitted modal: refused (forged, stale, someone else's, no longer allowed) with the
  // modal showing why; wrong fields answered with `errors` in the HTTP response (the modal
  // stays open with the input); right ones close it, and the result arrives in the DM.
  // Every callback_id: a view kehu did not send is refused in words too.
  // Answers go straight to the waiting HTTP response (answerInResponse rather than Bolt's ack,
  // to learn whether it was still awaited): past the bound Slack has closed the modal, and
  // what it would have shown goes to the DM instead.
  app.view({ callback_id: /.*/, type: 'view_submission' }, async ({ body, view }) => {
    const ib = await inbound(body.user.id);
    const locale = ib.directory.localeOf(ib.person);
    const respond = async (answer: Record<string, unknown>, otherwise: string) => {
      if (!(await answerInResponse(answer))) await postToDm(body.user.id, errorReply(otherwise));
    };
    const refuse = (text: string) => respond({ response_action: 'update', view: messageModal(locale, errorReply(text)) }, text);
    const seal = openSeal(formSecret, view.private_metadata, clock());
    if (!seal.ok) return refuse(t(locale, seal.reason === 'stale' ? 'form.stale' : 'form.forged'));
    const shown = formSpecFor(ib, { ...seal.form.request, values: {} });
    if (!shown) return refuse(ib.person ? t(locale, 'form.forged') : t(locale, 'err.notInOrg', { who: ib.who }));
    const raw = readSlackState(shown.spec, view.state.values as Record<string, Record<string, SlackElementState>>, ib.directory.org.timezone);
    for (const f of shown.spec.fields) {
      const user = raw[f.name];
      if (f.kind === 'person' && typeof user === 'string') raw[f.name] = (await identities.personFor(user)).person?.id ?? user;
    }
    const answer = await dispatchForm(ib, { request: { ...seal.form.request, values: {} }, openedFor: seal.form.openedFor }, raw);
    if (answer.kind === 'invalid') return respond({ response_action: 'errors', errors: answer.errors }, Object.values(answer.errors).join('\n'));
    if (answer.kind === 'refused') return refuse(answer.reply.summary);
    await answerInResponse({ response_action: 'clear' });
    await postToDm(body.user.id, answer.reply);
  });

  // The options of a customer field (external_select), searched like `who`.
  app.options({ type: 'block_suggestion' } as never, async ({ ack, body }) => {
    const b = body as { value?: string; action_id?: string; view?: { private_metadata?: string } };
    const seal = openSeal(formSecret, b.view?.private_metadata, clock());
    const ib = seal.ok ? await inbound(body.user.id) : undefined;
    const shown = ib && seal.ok ? formSpecFor(ib, { ...seal.form.request, values: {} }) : undefined;
    const field = shown?.spec.fields.find((f) => f.name === b.action_id && f.kind === 'customer');
    if (!field || !seal.ok || ib?.person?.id !== seal.form.openedFor) return ack({ options: [] });
    const names = await suggestCustomers(deps.services, String(b.value ?? '').slice(0, 200));
    await ack({ options: names.map((n) => ({ text: { type: 'plain_text', text: n.slice(0, SLACK_VIEW_LIMITS.optionText) }, value: n.slice(0, SLACK_VIEW_LIMITS.optionValue) })) });
  });

  /** A reply in the person's DM with the bot (chat.postMessage to a user id posts there). */
  const postToDm = async (userId: string, reply: Reply) => {
    if (reply.images?.length) return void (await uploadWithBlocks(client, await dmOf(userId), reply));
    for (const page of renderSlackPages(reply)) await client.chat.postMessage({ channel: userId, ...page });
  };

  const dmOf = async (userId: string): Promise<string> => {
    const dm = await client.conversations.open({ users: userId });
    if (!dm.channel?.id) throw new Error('conversations.open returned no channel');
    return dm.channel.id;
  };

  // Files go to the person's DM with the bot, never to the channel the command was typed
  // in (a customer book is not for the room). files.uploadV2 needs a conversation id.
  // The SDK reads the file into one Buffer before its upload (about 10 MB for 100,000
  // rows): the rows themselves are streamed from the database to a temporary file.
  const uploadToDm = async (userId: string, file: ReplyAttachment, reply: Reply) => {
    const dm = await client.conversations.open({ users: userId });
    const channelId = dm.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    await withTempFile(file, (path) =>
      client.files.uploadV2({ channel_id: channelId, file: createReadStream(path), filename: file.filename, title: file.title, initial_comment: reply.summary }),
    );
  };

  app.action(/^kehu:/, async ({ ack, body, action }) => {
    await ack();
    const a = action as { action_id: string; value?: string };
    const name = slackActionName(a.action_id);
    const value = ZButtonValueSchema.safeParse(safeJson(a.value ?? '{}'));
    if (!name || !value.success) {
      log.warn({ actionId: a.action_id }, 'malformed button value');
      return;
    }
    const responseUrl = (body as { response_url?: string }).response_url;
    const ib = await inbound(body.user.id);
    const result = await dispatchAction(ib, name, value.data);
    // App Home buttons come without a response_url: their answers go to the DM.
    const say = (reply: Reply, replace = false) => (responseUrl ? answerPages(responseUrl, reply, replace) : postToDm(body.user.id, reply));
    // A form.open press had its modal opened at once by the front door: the form goes into it,
    // or, when the press opens no form (no longer allowed, unknown), what it answers instead.
    const trigger = formOpenTrigger(body as unknown as Record<string, unknown>);
    const placeholder = trigger ? placeholderId(trigger) : undefined;
    if (placeholder && !result.open) {
      const answer = result.notice ?? result.update;
      if (answer && (await intoPlaceholder(placeholder, messageModal(ib.directory.localeOf(ib.person), answer)))) return;
    }
    if (result.open) {
      const shown = await formOrButton((body as { trigger_id?: string }).trigger_id, ib, result.open, placeholder);
      if (shown) await say(shown);
    }
    if (result.update) await say(result.update, true);
    if (result.notice) await say(result.notice);
  });

  // A reply in the thread of one of kehu's messages (a request's status, DM or channel card)
  // is what that message's capability makes of it (a comment), answered in the thread. A DM
  // to the bot is a command without /kehu (message.im); the answer is posted in that DM.
  app.event('message', async ({ event, context }) => {
    const threaded = threadReplyOf(event, context.botUserId);
    if (threaded) {
      const keys = await sentMessageKeys(deps.db, 'slack', [threaded.threadTs], threaded.channel);
      const ib = keys.length ? await inbound(threaded.userId) : undefined;
      const answered = ib && (await dispatchThreadReply(ib, keys, threaded.text));
      if (answered) {
        for (const page of renderSlackPages(answered)) await client.chat.postMessage({ channel: threaded.channel, thread_ts: threaded.threadTs, ...page });
        return;
      }
    }
    const dm = directCommand(event, context.botUserId);
    if (!dm) return;
    const ib = await inbound(dm.userId);
    const reply = await deliverAttachment(ib, await dispatchText(ib, dm.text), (file, r) => uploadToDm(dm.userId, file, r));
    // A message has no trigger_id: a form is offered behind a button (which has one).
    const shown = reply.form ? withOpenButton(ib.directory.localeOf(ib.person), reply) : reply;
    if (shown.images?.length) return void (await uploadWithBlocks(client, dm.channel, shown));
    for (const page of renderSlackPages(shown)) await client.chat.postMessage({ channel: dm.channel, ...page });
  });

  app.event('app_home_opened', async ({ event, client: c }) => {
    if (event.tab !== 'home') return;
    const ib = await inbound(event.user);
    await c.views.publish({ user_id: event.user, view: homeView(ib) as never });
  });

  // No app.error: Bolt's default handler rethrows, so processEvent rejects and the row is retried.
  const process = (d: SlackDelivery) =>
    app
      .processEvent({
        body: d.body,
        // The main thread acked already; an ack with a body (modal errors) is the synchronous answer.
        ack: async (response?: unknown) => void (response !== undefined ? await answerInResponse(response) : undefined),
        retryNum: d.retryNum,
        retryReason: d.retryReason,
        customProperties: {},
      })
      .catch((e: unknown) => {
        throw fencedOutIn(e) ?? e;
      });
  return { app, process, sender: slackSender(client, identities, { logger: log }) };
}

/** Who a Slack user is in the org, and the reverse (explicit id, else email via the Web API). */
export function slackIdentities(client: webApi.WebClient, deps: FrontEndDeps): IdentityResolver {
  const notFound = (e: unknown) => ['users_not_found', 'user_not_found'].includes((e as { data?: { error?: string } }).data?.error ?? '');
  const lookup = {
    async emailOf(userId: string) {
      try {
        const r = await client.users.info({ user: userId });
        return r.user?.profile?.email ?? undefined;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
    async userIdOf(email: string) {
      try {
        const r = await client.users.lookupByEmail({ email });
        return r.user?.id ?? undefined;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
  };
  return new IdentityResolver('slack', deps.db, lookup, deps.directory);
}

/** Bolt wraps a listener's error (UnknownError's `original`, MultipleListenerError's `originals`): the fence's, unwrapped for the worker. */
function fencedOutIn(e: unknown): FencedOut | undefined {
  const { original, originals } = (e ?? {}) as { original?: unknown; originals?: unknown[] };
  return [e, original, ...(originals ?? [])].find((x): x is FencedOut => x instanceof FencedOut);
}
