// A button that opens a form gets its modal at once: the front door (main thread) opens a
// placeholder modal with the press's trigger_id right after the ack, and the work thread
// draws the form into it (views.update by external_id) when it has read the press. A
// trigger_id is good for 3 seconds only, so the modal no longer waits for the work thread,
// which runs behind the acks at nice 19 and may be busy (Slack's own advice for forms that
// need data first: open at once, then views.update). Only `form.open` buttons are known to
// open a form before any domain code runs; other presses that may open one (a host's "Hand
// to a colleague") keep the work thread's views.open. No domain code here: the main thread
// loads none.
import type { webApi } from '@slack/bolt';

/** The action behind "open this form" buttons (App Home, "Open the form"): `kehu:form.open:<i>` (render-slack.ts). */
const FORM_OPEN_ACTION_ID = /^kehu:form\.open:\d+$/;

/** The external_id of the modal opened for a press: derived from its trigger_id, so both threads name it alike. */
export const placeholderId = (triggerId: string) => `kehu-form:${triggerId}`.slice(0, 255);

/** The trigger of a press that opens a form, if the body is one (a block_actions on a form.open button). */
export function formOpenTrigger(body: Record<string, unknown>): string | undefined {
  if (body.type !== 'block_actions' || typeof body.trigger_id !== 'string' || !body.trigger_id) return undefined;
  const actions = body.actions as { action_id?: unknown }[] | undefined;
  const first = actions?.[0]?.action_id;
  return typeof first === 'string' && FORM_OPEN_ACTION_ID.test(first) ? body.trigger_id : undefined;
}

/** The modal shown until the form is drawn into it (a few milliseconds on an idle machine). */
export function placeholderView(triggerId: string): Record<string, unknown> {
  return {
    type: 'modal',
    external_id: placeholderId(triggerId),
    title: { type: 'plain_text', text: 'kehu' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '⏳ …' } }],
  };
}

/** Opens the placeholder; a refused trigger (expired, used) is only logged: the work thread falls back to a button. */
export async function openPlaceholder(client: webApi.WebClient, triggerId: string, warn: (o: object, msg: string) => void): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view: placeholderView(triggerId) as never });
  } catch (e) {
    warn({ error: (e as { data?: { error?: string } }).data?.error ?? (e as Error).message }, 'could not open a modal at once; the form comes as a button');
  }
}
