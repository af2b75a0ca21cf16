-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "initials" TEXT NOT NULL,
    "creditCode" TEXT,
    "city" TEXT,
    "contact" TEXT,
    "ownerId" TEXT,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "lostAt" DATETIME,
    "claimedAt" DATETIME,
    "lastTouchAt" DATETIME NOT NULL,
    "lastFollowUpAt" DATETIME,
    "releaseAt" DATETIME,
    "extendedUntil" DATETIME,
    "releasedAt" DATETIME,
    "previousOwnerId" TEXT,
    "nearDuplicateOfId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerNameVariant" (
    "variant" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,

    PRIMARY KEY ("variant", "customerId"),
    CONSTRAINT "CustomerNameVariant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OwnershipEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromPersonId" TEXT,
    "toPersonId" TEXT,
    "byPersonId" TEXT,
    "reason" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "OwnershipEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StageChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "fromStage" INTEGER NOT NULL,
    "toStage" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    "byPersonId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "StageChange_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "FollowUp_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "challengerId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "arbiterId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reason" TEXT,
    "decidedById" TEXT,
    "createdAt" DATETIME NOT NULL,
    "decidedAt" DATETIME,
    CONSTRAINT "Contest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_nameKey_key" ON "Customer"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_creditCode_key" ON "Customer"("creditCode");

-- CreateIndex
CREATE INDEX "Customer_ownerId_stage_idx" ON "Customer"("ownerId", "stage");

-- CreateIndex
CREATE INDEX "Customer_pinyin_idx" ON "Customer"("pinyin");

-- CreateIndex
CREATE INDEX "Customer_initials_idx" ON "Customer"("initials");

-- CreateIndex
CREATE INDEX "Customer_releaseAt_idx" ON "Customer"("releaseAt");

-- CreateIndex
CREATE INDEX "Customer_releasedAt_idx" ON "Customer"("releasedAt");

-- CreateIndex
CREATE INDEX "CustomerNameVariant_customerId_idx" ON "CustomerNameVariant"("customerId");

-- CreateIndex
CREATE INDEX "OwnershipEvent_customerId_at_idx" ON "OwnershipEvent"("customerId", "at");

-- CreateIndex
CREATE INDEX "OwnershipEvent_toPersonId_at_idx" ON "OwnershipEvent"("toPersonId", "at");

-- CreateIndex
CREATE INDEX "StageChange_customerId_at_idx" ON "StageChange"("customerId", "at");

-- CreateIndex
CREATE INDEX "FollowUp_customerId_at_idx" ON "FollowUp"("customerId", "at");

-- CreateIndex
CREATE INDEX "Contest_customerId_status_idx" ON "Contest"("customerId", "status");
