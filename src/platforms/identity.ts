// Who is this chat user in the org, and which chat user is this person? Explicit ids in
// the org file win; otherwise people are matched by email through the platform's
// directory API, and the answer is cached (memory, then the database).
import type { OrgDirectory, Person } from '../core/org/org.ts';
import type { Database } from '../db/client.ts';
import {
  findChatUserByEmail,
  findEmailByChatUser,
  saveChatIdentity,
  type ChatPlatform,
} from '../db/repositories/chat-identity.repository.ts';

export interface ChatUserLookup {
  /** The work email of a chat user, or undefined (no such user, or no email scope). */
  emailOf(userId: string): Promise<string | undefined>;
  /** The chat user with this email, or undefined. */
  userIdOf(email: string): Promise<string | undefined>;
}

export class IdentityResolver {
  private readonly emails = new Map<string, string>();
  private readonly userIds = new Map<string, string>();

  constructor(
    private readonly platform: ChatPlatform,
    private readonly db: Database,
    private readonly lookup: ChatUserLookup,
    private readonly directory: () => OrgDirectory,
  ) {}

  async personFor(userId: string): Promise<{ person?: Person; who: string }> {
    const directory = this.directory();
    const explicit = directory.personByChatId(this.platform, userId);
    if (explicit) return { person: explicit, who: explicit.email };
    const email = await this.emailOf(userId);
    const person = email ? directory.personByEmail(email) : undefined;
    return { person, who: email ?? userId };
  }

  async userIdFor(person: Person): Promise<string | undefined> {
    const explicit = this.platform === 'slack' ? person.slackId : person.larkId;
    if (explicit) return explicit;
    const email = person.email.toLowerCase();
    const cached = this.userIds.get(email) ?? (await findChatUserByEmail(this.db, this.platform, email));
    if (cached) return this.remember(cached, email);
    const found = await this.lookup.userIdOf(email);
    if (!found) return undefined;
    await saveChatIdentity(this.db, this.platform, found, email);
    return this.remember(found, email);
  }

  private async emailOf(userId: string): Promise<string | undefined> {
    const cached = this.emails.get(userId) ?? (await findEmailByChatUser(this.db, this.platform, userId));
    if (cached) return this.remember(userId, cached) && cached;
    const found = await this.lookup.emailOf(userId);
    if (!found) return undefined;
    await saveChatIdentity(this.db, this.platform, userId, found);
    this.remember(userId, found.toLowerCase());
    return found;
  }

  private remember(userId: string, email: string): string {
    this.emails.set(userId, email);
    this.userIds.set(email, userId);
    return userId;
  }
}
