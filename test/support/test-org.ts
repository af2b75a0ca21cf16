// The test org (fixtures/test-org.yaml) and the chat accounts the fakes know for it:
// who has explicit ids, who is found by email, and a chat user the org does not know.
import { fileURLToPath } from 'node:url';
import type { LarkUser } from '../fakes/fake-lark.ts';
import type { SlackUser } from '../fakes/fake-slack.ts';

export const TEST_ORG_FILE = fileURLToPath(new URL('./fixtures/test-org.yaml', import.meta.url));

/** Slack user ids the tests use. */
export const SLACK = {
  /** 林梅, explicit id in the org file, zh-CN */
  meiLin: 'U0MEILIN',
  /** Tom Reed, explicit id, en */
  tomReed: 'U0TOMREED',
  /** 吴昊, matched by email through users.info (org has Wu.Hao@..., Slack lower case) */
  wuHao: 'U0WUHAO',
  /** Sara Ng, matched by email, en */
  saraNg: 'U0SARANG',
  /** Somebody in the workspace but not in the org file */
  stranger: 'U0STRANGER',
  /** Not even in the workspace (users.info answers user_not_found) */
  nobody: 'U0NOBODY',
} as const;

export const LARK = {
  meiLin: 'ou_meilin',
  tomReed: 'ou_tomreed',
  wuHao: 'ou_wuhao',
  saraNg: 'ou_sarang',
  stranger: 'ou_stranger',
  nobody: 'ou_nobody',
} as const;

export const STRANGER_EMAIL = 'stranger@elsewhere.test';

export function testSlackUsers(): Record<string, SlackUser> {
  return {
    [SLACK.meiLin]: { email: 'mei.lin@kehu.test', name: 'mei' },
    [SLACK.tomReed]: { email: 'tom.reed@kehu.test', name: 'tom' },
    [SLACK.wuHao]: { email: 'wu.hao@kehu.test', name: 'wuhao' },
    [SLACK.saraNg]: { email: 'sara.ng@kehu.test', name: 'sara' },
    [SLACK.stranger]: { email: STRANGER_EMAIL, name: 'stranger' },
  };
}

export function testLarkUsers(): Record<string, LarkUser> {
  return {
    [LARK.meiLin]: { email: 'mei.lin@kehu.test', name: '林梅' },
    [LARK.tomReed]: { email: 'tom.reed@kehu.test', name: 'Tom Reed' },
    [LARK.wuHao]: { email: 'wu.hao@kehu.test', name: '吴昊' },
    [LARK.saraNg]: { email: 'sara.ng@kehu.test', name: 'Sara Ng' },
    [LARK.stranger]: { email: STRANGER_EMAIL, name: 'Stranger' },
  };
}
