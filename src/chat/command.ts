// What a chat command and a button action look like to the dispatcher, and the context
// every front end hands in. Each command lives in chat/commands/<name>.command.ts, parses
// and validates its own arguments (zod), calls one use case and builds a Reply.
import type { ContestStore } from '../core/customers/contest.ts';
import type { CustomerStore } from '../core/customers/customer.ts';
import type { ExtensionStore } from '../core/customers/extension.ts';
import type { ExportSource } from '../core/customers/export-customers.ts';
import type { DigestSettingsStore, DigestSource } from '../core/digests/digest.ts';
import type { HandoverStore } from '../core/handovers/handover.ts';
import type { Locale, OrgDirectory, Person, Role } from '../core/org/org.ts';
import type { VisitStore } from '../core/visitors/visit.ts';
import type { Catalog } from '../core/requests/catalog.ts';
import type { RequestStore } from '../core/requests/request.ts';
import type { Logger } from '../observability/logger.ts';
import type { ChartRenderer } from './digests/charts.ts';
import type { MessageKey } from './i18n.ts';
import type { FormSpec, TFormValues } from './form.ts';
import type { Reply } from './reply.ts';

export type Platform = 'slack' | 'lark' | 'shell';

/** What the commands may use (use cases' stores and the clock; never the database itself); grows as capabilities are added. */
export interface Services {
  clock: () => Date;
  customers: CustomerStore;
  contests: ContestStore;
  extensions: ExtensionStore;
  /** A team's customers in bulk, paged (the export). */
  customerBook: ExportSource;
  /** The digests' figures (aggregates) and each person's digest frequency. */
  digests: DigestSource;
  digestSettings: DigestSettingsStore;
  /** Draws the digest's charts (in a short-lived process: nothing is loaded until a digest is built). */
  charts: ChartRenderer;
  /** Walk-in visitors and expected visits. */
  visits: VisitStore;
  /** The running service catalog (config/catalog-file.ts; reloaded on change). */
  catalog: () => Catalog;
  /** Departure handovers (core/handovers/). */
  handovers: HandoverStore;
  /** Internal service requests (core/requests/). */
  requests: RequestStore;
}

export interface CommandContext {
  directory: OrgDirectory;
  person: Person;
  locale: Locale;
  platform: Platform;
  services: Services;
  requestId: string;
  logger: Logger;
}

export interface ChatCommand {
  name: string;
  aliases: readonly string[];
  usage: Record<Locale, string>;
  summary: MessageKey;
  /** Who may use it (effective roles); absent = everyone in the org. */
  roles?: readonly Role[];
  /** Listed first in help and on App Home for people with one of these roles (front desk: visitor). */
  firstFor?: readonly Role[];
  run(ctx: CommandContext, args: string): Promise<Reply>;
}

export interface ActionResult {
  /** Replaces the message that carried the button. */
  update?: Reply;
  /** A reply with a form to open (a button that needs input). */
  open?: Reply;
  /** Shown to the person who pressed it (ephemeral on Slack, a toast or DM on Lark). */
  notice?: Reply;
}

/** A button's handler, registered under its name in commands/index.ts ACTIONS. */
export interface ChatAction {
  run(ctx: CommandContext, value: Record<string, string>): Promise<ActionResult>;
}

export function mayUse(command: Pick<ChatCommand, 'roles'>, roles: ReadonlySet<Role>): boolean {
  return !command.roles || command.roles.some((r) => roles.has(r));
}

/** The commands a person may use, those marked first for one of their roles first (help, App Home). */
export function commandsFor<C extends Pick<ChatCommand, 'roles' | 'firstFor'>>(commands: readonly C[], roles: ReadonlySet<Role>): C[] {
  const allowed = commands.filter((c) => mayUse(c, roles));
  const first = (c: C) => (c.firstFor?.some((r) => roles.has(r)) ? 0 : 1);
  return allowed.map((c, i) => [c, i] as const).sort((a, b) => first(a[0]) - first(b[0]) || a[1] - b[1]).map(([c]) => c);
}

/**
 * What a reply typed in the thread of a message kehu sent means (a comment on the request
 * that message is about), registered in commands/index.ts THREAD_REPLIES: `about` reads the
 * message's key (undefined: not this capability's message), `run` acts as the person who typed.
 */
export interface ChatThreadReply {
  about(messageKey: string): string | undefined;
  run(ctx: CommandContext, about: string, text: string): Promise<Reply>;
}

/**
 * A form behind a command (claim, stage, …), registered under its name in commands/index.ts
 * FORMS: its fields (which may depend on what it is about: the stage a customer moves to),
 * and what a valid submission does. Its command's roles apply at submission too.
 */
export interface ChatForm {
  command: string;
  spec(ctx: CommandContext, context: Record<string, string>): FormSpec;
  submit(ctx: CommandContext, values: TFormValues, context: Record<string, string>): Promise<Reply>;
}
