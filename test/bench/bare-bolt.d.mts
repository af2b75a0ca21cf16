// Types of bare-bolt.mjs (plain JavaScript on purpose: see there).
export function startBareBolt(o: { signingSecret: string; slackApiUrl?: string; respond?: boolean; modal?: boolean; visitor?: { hostUserId: string } }): Promise<{ url: string; stop(): Promise<void> }>;
