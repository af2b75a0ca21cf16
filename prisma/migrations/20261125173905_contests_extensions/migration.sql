-- AlterTable
ALTER TABLE "Contest" ADD COLUMN "openKey" TEXT;

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "releaseAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ExtensionRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ExtensionRequest_customerId_releaseAt_key" ON "ExtensionRequest"("customerId", "releaseAt");

-- CreateIndex
CREATE UNIQUE INDEX "Contest_openKey_key" ON "Contest"("openKey");
