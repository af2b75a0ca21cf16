-- DropForeignKey
ALTER TABLE "CustomerNameVariant" DROP CONSTRAINT "CustomerNameVariant_customerId_fkey";

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "seq" INTEGER;

-- DropTable
DROP TABLE "CustomerNameVariant";

-- CreateTable
CREATE TABLE "CustomerNamePattern" (
    "hash" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,

    CONSTRAINT "CustomerNamePattern_pkey" PRIMARY KEY ("hash","seq")
);

-- CreateTable
CREATE TABLE "CustomerAlias" (
    "key" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "byPersonId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerAlias_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ClaimLock" (
    "id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ClaimLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataVersion" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "DataVersion_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "CustomerAlias_customerId_idx" ON "CustomerAlias"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_seq_key" ON "Customer"("seq");

-- AddForeignKey
ALTER TABLE "CustomerAlias" ADD CONSTRAINT "CustomerAlias_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The one claim-lock row (see ClaimLock in schema.prisma). Customers written before this
-- migration are re-keyed at start-up (src/db/rekey-customers.ts), which fills their seq and patterns.
INSERT INTO "ClaimLock" ("id", "n") VALUES (1, 0);
