// The registry of chat commands and button actions. Adding a capability = adding its
// command/action modules here.
import type { ChatAction, ChatCommand } from '../command.ts';
import { helpCommand, helpTopics } from './help.command.ts';
import { whoamiCommand } from './whoami.command.ts';
import { claimAnywayAction, claimCommand } from './claim.command.ts';
import { contestAction, decideAction, decideCommand } from './contest.command.ts';
import { exportCommand } from './export.command.ts';
import { logCommand } from './log.command.ts';
import { mineCommand, poolCommand } from './mine.command.ts';
import { askExtensionAction, decideExtensionAction, logHintAction, releaseNowAction } from './pool-warning.command.ts';
import { releaseCommand } from './release.command.ts';
import { stageCommand } from './stage.command.ts';
import { whoCommand } from './who.command.ts';

export const COMMANDS: readonly ChatCommand[] = [
  helpCommand,
  whoamiCommand,
  claimCommand,
  whoCommand,
  stageCommand,
  logCommand,
  mineCommand,
  releaseCommand,
  poolCommand,
  decideCommand,
  exportCommand,
];
helpTopics.push(...COMMANDS);

export const ACTIONS: readonly ChatAction[] = [
  claimAnywayAction,
  contestAction,
  decideAction,
  logHintAction,
  releaseNowAction,
  askExtensionAction,
  decideExtensionAction,
];
