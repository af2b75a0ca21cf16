-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "seq" INTEGER;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "CustomerNameVariant";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "CustomerNamePattern" (
    "hash" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,

    PRIMARY KEY ("hash", "seq")
-- SQLite: the rows are the primary key's index itself, not a second copy of it (half the size).
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "CustomerAlias" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "byPersonId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomerAlias_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ClaimLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "n" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "DataVersion" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerAlias_customerId_idx" ON "CustomerAlias"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_seq_key" ON "Customer"("seq");

-- The one claim-lock row (see ClaimLock in schema.prisma). Customers written before this
-- migration are re-keyed at start-up (src/db/rekey-customers.ts), which fills their seq and patterns.
INSERT INTO "ClaimLock" ("id", "n") VALUES (1, 0);
