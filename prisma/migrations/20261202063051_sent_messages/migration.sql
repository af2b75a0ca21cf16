-- CreateTable
CREATE TABLE "SentMessage" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL DEFAULT '',
    "personId" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT '',
    "ref" TEXT NOT NULL DEFAULT '',
    "wanted" INTEGER NOT NULL DEFAULT 0,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "content" TEXT,
    "leaseUntil" DATETIME,
    "sentAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
