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
import { deliverAttachment, withTempFile, type ReplyAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchText, type Inbound } from '../../chat/dispatch.ts';
import type { Reply } from '../../chat/reply.ts';
import { renderSlackPages, slackActionName } from '../../chat/render-slack.ts';
import { inboundFor, type FrontEndDeps } from '../back-office.ts';
import { safeJson } from '../front-end.ts';
import { slackClientOptions, toBoltLogger } from './slack-client.ts';
import { answerInResponse } from '../inbox.ts';
import { IdentityResolver } from '../identity.ts';
import { postJson } from '../post-json.ts';
import { homeView } from './home-view.ts';
import { slackSender, uploadWithBlocks } from './slack-sender.ts';
import { t } from '../../chat/i18n.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { ZButtonValueSchema } from './slack-payloads.ts';
import { directCommand } from './slack-text.ts';

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
    await answerPages(command.response_url, reply);
  });

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
    const result = await dispatchAction(await inbound(body.user.id), name, value.data);
    if (result.update) await answerPages(responseUrl, result.update, true);
    if (result.notice) await answerPages(responseUrl, result.notice);
  });

  // A DM to the bot is a command without /kehu (message.im); the answer is posted in that DM.
  app.event('message', async ({ event, context }) => {
    const dm = directCommand(event, context.botUserId);
    if (!dm) return;
    const ib = await inbound(dm.userId);
    const reply = await deliverAttachment(ib, await dispatchText(ib, dm.text), (file, r) => uploadToDm(dm.userId, file, r));
    if (reply.images?.length) return void (await uploadWithBlocks(client, dm.channel, reply));
    for (const page of renderSlackPages(reply)) await client.chat.postMessage({ channel: dm.channel, ...page });
  });

  app.event('app_home_opened', async ({ event, client: c }) => {
    if (event.tab !== 'home') return;
    const ib = await inbound(event.user);
    await c.views.publish({ user_id: event.user, view: homeView(ib) as never });
  });

  // No app.error: Bolt's default handler rethrows, so processEvent rejects and the row is retried.
  const process = (d: SlackDelivery) =>
    app.processEvent({
      body: d.body,
      // The main thread acked already; an ack with a body (modal errors) is the synchronous answer.
      ack: async (response?: unknown) => void (response !== undefined ? await answerInResponse(response) : undefined),
      retryNum: d.retryNum,
      retryReason: d.retryReason,
      customProperties: {},
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
