-- CreateTable
CREATE TABLE "SentMessage" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL DEFAULT '',
    "personId" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT '',
    "ref" TEXT NOT NULL DEFAULT '',
    "wanted" INTEGER NOT NULL DEFAULT 0,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "content" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SentMessage_pkey" PRIMARY KEY ("key")
);
