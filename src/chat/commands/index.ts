// The registry of chat commands and button actions. Adding a capability = adding its
// command/action modules here.
import type { ChatAction, ChatCommand } from '../command.ts';
import { helpCommand, helpTopics } from './help.command.ts';
import { whoamiCommand } from './whoami.command.ts';

export const COMMANDS: readonly ChatCommand[] = [helpCommand, whoamiCommand];
helpTopics.push(...COMMANDS);

export const ACTIONS: readonly ChatAction[] = [];
