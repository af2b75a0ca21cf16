// The shell front end (Hubot's idea): try every command in a terminal as any person from
// the org file, with no chat workspace. Typed lines go through the same grammar and
// dispatcher as Slack and Lark; replies are rendered as text; notifications that would
// go to someone's chat are printed here; files (an export) are written to a folder and
// their path printed. Works with piped input too (one command a line).
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { deliverAttachment, writeAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchForm, dispatchText, formSpecFor, type Inbound } from '../../chat/dispatch.ts';
import type { FormRequest } from '../../chat/form.ts';
import { renderText } from '../../chat/render-text.ts';
import { writeReplyImages } from '../../chat/reply-images.ts';
import type { Reply } from '../../chat/reply.ts';
import type { Person } from '../../core/org/org.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { inboundFor, type FrontEndDeps } from '../back-office.ts';
import { ShellForm, type FillStep } from './shell-form.ts';

export interface ShellOptions {
  input: Readable;
  output: Writable;
  /** Person id to start as; otherwise the shell asks. */
  as?: string;
  /** Where queued notifications land (see createShellInbox). */
  inbox: ShellInbox;
  /** Delivers what is due before the shell exits, so piped sessions see their notifications. */
  drainJobs?: () => Promise<void>;
  /** Where files from replies are written (default ./data/exports, beside the database). */
  exportDir?: string;
}

export const DEFAULT_EXPORT_DIR = join('data', 'exports');

type Button = { action: string; value: Record<string, string> };

export interface ShellInbox {
  sender: ChatSender;
  /** The buttons of the last notification each person got: `:as` them and type the number. */
  buttonsOf(personId: string): Button[];
  /** Called with the recipient whenever a notification is printed. */
  onDelivery?: (personId: string, buttons: Button[]) => void;
}

const HELP = `Shell commands: :as <person-id> switch person · :people list people · :quit leave (in a form: :back, :cancel).
Everything else is a kehu command, exactly as in Slack or Lark (e.g. "help", "/kehu whoami", "帮助").`;

/** Notifications that would go to someone's chat are printed, with their buttons numbered. */
export function createShellInbox(output: Writable): ShellInbox {
  const last = new Map<string, Button[]>();
  /** Message number → whom it went to: an update in place reprints it under its number. */
  const sent = new Map<string, string>();
  /**
   * Prints a message in one write, its number (when it is a new one) under it: deliveries
   * run side by side, and a message's lines must not part from its number.
   */
  const print = async (personId: string, heading: string, reply: Reply, fresh = false) => {
    const rendered = renderText(reply, await writeReplyImages(reply));
    last.set(personId, rendered.buttons);
    let number: string | undefined;
    if (fresh) sent.set((number = String(sent.size + 1)), personId);
    const press = rendered.buttons.length ? `   (:as ${personId}, then type a number to press)\n` : '';
    output.write(`\n${heading}\n${indent(rendered.text)}\n${press}${number ? `   (message #${number})\n` : ''}`);
    inbox.onDelivery?.(personId, rendered.buttons);
    return number ?? '';
  };
  const inbox: ShellInbox = {
    sender: {
      platform: 'shell',
      async sendToPerson(person, reply, context) {
        const heading = context.thread ? `↳ to ${person.name} (${person.id}), in reply to message #${context.thread.ref}:` : `📨 to ${person.name} (${person.id}):`;
        const number = await print(person.id, heading, reply, true);
        await context.onSent?.({ platform: 'shell', channel: '', ref: number });
        return true;
      },
      async sendToChannel(channel, reply, context) {
        const heading = context.thread ? `↳ in #${channel}, in reply to message #${context.thread.ref}:` : `📢 in #${channel}:`;
        const number = await print(`#${channel}`, heading, reply, true);
        await context.onSent?.({ platform: 'shell', channel, ref: number });
        return true;
      },
      async updateMessage(place, reply) {
        const personId = sent.get(place.ref);
        if (!personId) return 'gone';
        await print(personId, `📝 message #${place.ref} to ${personId} now reads:`, reply);
        return 'updated';
      },
    },
    buttonsOf: (personId) => last.get(personId) ?? [],
  };
  return inbox;
}

export async function runShell(options: ShellOptions, deps: FrontEndDeps): Promise<void> {
  const { output } = options;
  const write = (s: string) => output.write(`${s}\n`);
  const interactive = (options.input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  let person: Person | undefined;
  let buttons: Button[] = [];
  /** A form being filled in: lines answer its questions until it is done or cancelled. */
  let filling: { form: ShellForm; request: FormRequest } | undefined;
  // A notification for whoever is typing makes its buttons the ones a number presses.
  options.inbox.onDelivery = (personId, delivered) => {
    // A channel's card (#…) is pressed by whoever is typing, as in a channel (a card without buttons leaves theirs).
    if (personId === person?.id || (personId.startsWith('#') && delivered.length > 0)) buttons = delivered;
  };

  const listPeople = () => {
    const directory = deps.directory();
    directory.people.forEach((p, i) => {
      const roles = [...directory.effectiveRoles(p)].join(', ');
      write(`  ${String(i + 1).padStart(2)}) ${p.id.padEnd(16)} ${p.name}${roles ? ` — ${roles}` : ''}`);
    });
  };
  const choose = (answer: string): Person | undefined => {
    const directory = deps.directory();
    const n = Number(answer);
    return Number.isInteger(n) && n >= 1 ? directory.people[n - 1] : directory.person(answer) ?? directory.personByEmail(answer);
  };
  const prompt = () => {
    if (interactive) {
      rl.setPrompt(filling ? '> ' : person ? `${person.name}> ` : 'who are you? ');
      rl.prompt();
    }
  };
  const inbound = (): Inbound => inboundFor(deps, 'shell', { person, who: 'shell' });
  const show = async (reply: Reply) => {
    const rendered = renderText(reply, await writeReplyImages(reply));
    buttons = rendered.buttons;
    write(rendered.text);
    if (reply.form) {
      const view = formSpecFor(inbound(), reply.form);
      if (!view) return;
      filling = { form: new ShellForm(view.spec, view.locale, deps.directory(), reply.form.values), request: reply.form };
      void step(filling.form.start());
    }
  };
  const step = async (s: FillStep) => {
    if (s.kind === 'ask') return write(s.text);
    const { request, form } = filling!;
    filling = undefined;
    if (s.kind === 'cancelled') return write(s.text);
    const answer = await dispatchForm(inbound(), { request, openedFor: person!.id }, s.values);
    if (answer.kind === 'invalid') {
      // Refused: the fields it names are asked again, every other answer kept.
      filling = { form, request };
      return step(form.reask(answer.errors, answer.refused));
    }
    show(answer.reply);
  };

  write(`kehu shell — ${deps.directory().org.company}`);
  write(HELP);
  if (options.as) {
    person = choose(options.as);
    if (!person) write(`No person "${options.as}" in the org file.`);
  }
  if (!person) {
    write('Pick who you are (number or id):');
    listPeople();
  } else write(`You are ${person.name} (${person.id}).`);
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    if (filling) {
      if (!interactive) write(`${person ? person.name : '?'}> ${line}`);
      await step(filling.form.answer(line));
      if (!interactive) await options.drainJobs?.();
      prompt();
      continue;
    }
    if (line === '') {
      prompt();
      continue;
    }
    if (!interactive) write(`${person ? person.name : '?'}> ${line}`);
    if (line === ':quit' || line === ':q' || line === 'exit') break;
    if (line === ':people') listPeople();
    else if (line.startsWith(':as')) {
      const next = choose(line.slice(3).trim());
      if (next) {
        person = next;
        buttons = options.inbox.buttonsOf(person.id);
        write(`You are now ${person.name} (${person.id}).`);
      } else write('No such person; :people lists them.');
    } else if (line.startsWith(':')) write(HELP);
    else if (!person) {
      person = choose(line);
      write(person ? `You are ${person.name} (${person.id}). Type "help".` : 'No such person; type a number from the list.');
    } else if (/^\d+$/.test(line) && buttons[Number(line) - 1]) {
      const b = buttons[Number(line) - 1]!;
      const result = await dispatchAction(inbound(), b.action, b.value);
      if (result.update) await show(result.update);
      if (result.notice) await show(result.notice);
      if (result.open) await show(result.open);
    } else if (/^\d+$/.test(line)) write(buttons.length ? `There is no button [${line}] (1–${buttons.length}).` : 'There is no button to press here.');
    else {
      const ib = inbound();
      const exportDir = resolve(options.exportDir ?? DEFAULT_EXPORT_DIR);
      const reply = await deliverAttachment(ib, await dispatchText(ib, line), async (file) => {
        const path = join(exportDir, file.filename);
        const bytes = await writeAttachment(file, path);
        write(`📎 ${path} (${bytes.toLocaleString('en')} bytes)`);
      });
      await show(reply);
    }
    // Piped sessions read like a transcript: what a command queued is delivered before the next line.
    if (!interactive) await options.drainJobs?.();
    prompt();
  }
  rl.close();
  await options.drainJobs?.();
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
