// The app manifests say what kehu does today: the events it handles, the scopes its calls
// need, and no capability that has no command yet (visitors, requests, handovers and
// digests are announced only once their command exists).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, FORMS } from '../../src/chat/commands/index.ts';

const read = (name: string) => readFileSync(new URL(`../../manifests/${name}`, import.meta.url), 'utf8');
const slackManifests = ['slack.yaml', 'slack-socket-mode.yaml'].map((name) => ({ name, m: parse(read(name)) as SlackManifest }));
const lark = JSON.parse(read('lark.json')) as { app: { description: string }; scopes: { tenant: { scope: string }[] }; events: { items: { event: string }[] }; callbacks: { items: { callback: string }[] }; bot_menu: { items: { event_key: string }[] } };

interface SlackManifest {
  display_information: { description: string };
  features: { app_home: { messages_tab_enabled: boolean }; slash_commands: { description: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

/** Capabilities still to come, by the words a manifest would use for them, and their command. */
const UPCOMING = [
  { command: 'visitor', words: [/visitor/i, /访客/] },
  { command: 'request', words: [/request/i, /服务请求|请求/] },
  { command: 'handover', words: [/handover/i, /交接/] },
  { command: 'digest', words: [/digest/i, /周报/] },
];
const exists = (command: string) => COMMANDS.some((c) => c.name === command);

describe('manifests', () => {
  it.each(slackManifests)('$name subscribes to DMs (message.im), to channel threads (message.channels, message.groups) with the scopes they need, and to App Home', ({ m }) => {
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'message.channels', 'message.groups', 'message.im']);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['im:history', 'channels:history', 'groups:history']));
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
  });

  it('lark.json lists the scope contact.v3.user.get needs, and the events and callbacks kehu handles', () => {
    expect(lark.scopes.tenant.map((s) => s.scope)).toEqual(expect.arrayContaining(['contact:user.base:readonly', 'contact:user.email:readonly', 'contact:user.id:readonly']));
    expect(lark.events.items.map((e) => e.event)).toEqual(['im.message.receive_v1', 'application.bot.menu_v6', 'im.message.message_read_v1']);
    // The visitor's repeat ping is urgent (加急) with this scope.
    expect(lark.scopes.tenant.map((s) => s.scope)).toContain('im:message.urgent');
    // Every menu item opens a form kehu has, as App Home's buttons do.
    expect(lark.bot_menu.items.map((i) => i.event_key).every((k) => Object.hasOwn(FORMS, k))).toBe(true);
    expect(lark.callbacks.items.map((c) => c.callback)).toEqual(['card.action.trigger']);
  });

  it('no manifest advertises a capability without a command', () => {
    const texts = [...slackManifests.flatMap(({ m }) => [m.display_information.description, ...m.features.slash_commands.map((c) => c.description)]), lark.app.description];
    for (const { command, words } of UPCOMING) {
      if (exists(command)) continue;
      for (const text of texts) for (const word of words) expect(text, `"${text}" advertises ${command}`).not.toMatch(word);
    }
  });
});
