// Which presses the front door opens a modal for at once (modal-placeholder.ts): form.open
// buttons only, named as the chat layer names them, with an external_id both threads derive.
import { describe, expect, it } from 'vitest';
import { slackActionName } from '../../src/chat/render-slack.ts';
import { formOpenTrigger, placeholderId, placeholderView } from '../../src/platforms/slack/modal-placeholder.ts';

const press = (actionId: string, extra: Record<string, unknown> = {}) => ({ type: 'block_actions', trigger_id: '1733180000000.1.abc', actions: [{ action_id: actionId }], ...extra });

describe('formOpenTrigger', () => {
  it('is the trigger of a press on a form.open button, the action the chat layer calls form.open', () => {
    expect(slackActionName('kehu:form.open:2')).toBe('form.open');
    expect(formOpenTrigger(press('kehu:form.open:2'))).toBe('1733180000000.1.abc');
  });

  it('is nothing for other buttons, other payloads, or a press without a trigger', () => {
    expect(formOpenTrigger(press('kehu:visitor.hand:4'))).toBeUndefined();
    expect(formOpenTrigger(press('kehu:form.openx:0'))).toBeUndefined();
    expect(formOpenTrigger(press('kehu:form.open:0', { trigger_id: undefined }))).toBeUndefined();
    expect(formOpenTrigger({ type: 'view_submission', trigger_id: 't', actions: [{ action_id: 'kehu:form.open:0' }] })).toBeUndefined();
    expect(formOpenTrigger({ type: 'block_actions', trigger_id: 't' })).toBeUndefined();
  });

  it('opens a modal within Slack’s limits, named so the work thread can draw the form into it', () => {
    const view = placeholderView('1733180000000.1.abc');
    expect(view.external_id).toBe(placeholderId('1733180000000.1.abc'));
    expect(placeholderId('x'.repeat(400))).toHaveLength(255);
    expect((view.title as { text: string }).text.length).toBeLessThanOrEqual(24);
  });
});
