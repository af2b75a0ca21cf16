// Chat accounts matched to org people by email, cached so each is looked up once.
import type { Database } from '../client.ts';

export type ChatPlatform = 'slack' | 'lark';

export async function findEmailByChatUser(db: Database, platform: ChatPlatform, userId: string): Promise<string | undefined> {
  const row = await db.prisma.chatIdentity.findUnique({
    where: { platform_userId: { platform, userId } },
    select: { email: true },
  });
  return row?.email;
}

export async function findChatUserByEmail(db: Database, platform: ChatPlatform, email: string): Promise<string | undefined> {
  const row = await db.prisma.chatIdentity.findFirst({
    where: { platform, email: email.toLowerCase() },
    orderBy: { updatedAt: 'desc' },
    select: { userId: true },
  });
  return row?.userId;
}

export async function saveChatIdentity(db: Database, platform: ChatPlatform, userId: string, email: string): Promise<void> {
  const normalised = email.toLowerCase();
  await db.prisma.chatIdentity.upsert({
    where: { platform_userId: { platform, userId } },
    create: { platform, userId, email: normalised },
    update: { email: normalised },
    select: { userId: true },
  });
}
