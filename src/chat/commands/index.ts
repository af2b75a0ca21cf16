// The registry of chat commands and button actions. A capability adds its
// <name>.command.ts files and one line here per command or action; a button names its
// action by a key of ACTIONS (ReplyButton.action), so a name nobody handles does not compile;
// a form (chat/form.ts) by a key of FORMS.
import type { ChatAction, ChatCommand, ChatForm, ChatThreadReply } from '../command.ts';
import { helpCommand, helpTopics } from './help.command.ts';
import { whoamiCommand } from './whoami.command.ts';
import { aliasCommand } from './alias.command.ts';
import { claimAnywayAction, claimCommand, claimForm } from './claim.command.ts';
import { contestAction, decideAction, decideCommand } from './contest.command.ts';
import { digestCommand, digestPageAction } from './digest.command.ts';
import { exportCommand } from './export.command.ts';
import { assignRequestAction, assignRequestForm, confirmHandoverAction, showPlanHandoverAction, extendHandoverAction, handoverCommand, handoversCommand, planHandoverForm, reassignHandoverAction, reassignHandoverForm, startHandoverAction, transferNowHandoverAction, visitDayHandoverAction, visitDayHandoverForm } from './handover.command.ts';
import { logCommand, logForm } from './log.command.ts';
import { mineCommand, poolCommand } from './mine.command.ts';
import { askExtensionAction, decideExtensionAction, logHintAction, releaseNowAction } from './pool-warning.command.ts';
import { releaseCommand } from './release.command.ts';
import { stageCommand, stageForm } from './stage.command.ts';
import { openFormAction } from './form.command.ts';
import { whoCommand } from './who.command.ts';
import { expectCommand, visitorActAction, visitorClaimAction, visitorCommand, visitorForm, visitorHandAction, visitorHandForm, visitorsCommand } from './visitor.command.ts';
import { awayCommand, commentCommand, pickServiceAction, rateCommand, requestRateAction, requestWaitAction, requestWaitForm, queueCommand, requestActAction, requestCommand, requestForm, requestReassignAction, requestReassignForm, requestsCommand, requestThreadReply } from './request.command.ts';
import { promiseCommand } from './promise.command.ts';

export const COMMANDS: readonly ChatCommand[] = [
  helpCommand,
  whoamiCommand,
  claimCommand,
  whoCommand,
  stageCommand,
  logCommand,
  mineCommand,
  releaseCommand,
  aliasCommand,
  poolCommand,
  decideCommand,
  exportCommand,
  digestCommand,
  visitorCommand,
  visitorsCommand,
  expectCommand,
  requestCommand,
  promiseCommand,
  requestsCommand,
  queueCommand,
  awayCommand,
  commentCommand,
  rateCommand,
  handoverCommand,
  handoversCommand,
];
helpTopics.push(...COMMANDS);

export const ACTIONS = {
  'customer.claimAnyway': claimAnywayAction,
  'customer.contest': contestAction,
  'contest.decide': decideAction,
  'pool.logHint': logHintAction,
  'pool.releaseNow': releaseNowAction,
  'pool.askExtension': askExtensionAction,
  'pool.decideExtension': decideExtensionAction,
  'form.open': openFormAction,
  'digest.page': digestPageAction,
  'visitor.act': visitorActAction,
  'visitor.hand': visitorHandAction,
  'visitor.claim': visitorClaimAction,
  'request.pick': pickServiceAction,
  'request.act': requestActAction,
  'request.reassign': requestReassignAction,
  'request.rate': requestRateAction,
  'request.wait': requestWaitAction,
  'handover.start': startHandoverAction,
  'handover.confirm': confirmHandoverAction,
  'handover.extend': extendHandoverAction,
  'handover.transferNow': transferNowHandoverAction,
  'handover.reassign': reassignHandoverAction,
  'handover.visitDay': visitDayHandoverAction,
  'handover.assignRequest': assignRequestAction,
  'handover.showPlan': showPlanHandoverAction,
} satisfies Record<string, ChatAction>;

export type ActionName = keyof typeof ACTIONS;

/** What a reply in the thread of one of kehu's messages is, by the message it answers (chat/dispatch.ts dispatchThreadReply). */
export const THREAD_REPLIES: readonly ChatThreadReply[] = [requestThreadReply];

export function actionNamed(name: string): ChatAction | undefined {
  return Object.hasOwn(ACTIONS, name) ? ACTIONS[name as ActionName] : undefined;
}

/** Forms behind commands (chat/form.ts), by name: a reply's form and a sealed submission name one of these. */
export const FORMS = {
  'customer.claim': claimForm,
  'customer.stage': stageForm,
  'customer.log': logForm,
  'visitor.report': visitorForm,
  'visitor.hand': visitorHandForm,
  'handover.plan': planHandoverForm,
  'handover.reassign': reassignHandoverForm,
  'handover.visitDay': visitDayHandoverForm,
  'handover.assignRequest': assignRequestForm,
  'request.submit': requestForm,
  'request.reassign': requestReassignForm,
  'request.wait': requestWaitForm,
} satisfies Record<string, ChatForm>;

export type FormName = keyof typeof FORMS;
