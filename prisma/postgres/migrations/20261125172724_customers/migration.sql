-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "initials" TEXT NOT NULL,
    "creditCode" TEXT,
    "city" TEXT,
    "contact" TEXT,
    "ownerId" TEXT,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "lostAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "lastTouchAt" TIMESTAMP(3) NOT NULL,
    "lastFollowUpAt" TIMESTAMP(3),
    "releaseAt" TIMESTAMP(3),
    "extendedUntil" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "previousOwnerId" TEXT,
    "nearDuplicateOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerNameVariant" (
    "variant" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,

    CONSTRAINT "CustomerNameVariant_pkey" PRIMARY KEY ("variant","customerId")
);

-- CreateTable
CREATE TABLE "OwnershipEvent" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromPersonId" TEXT,
    "toPersonId" TEXT,
    "byPersonId" TEXT,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OwnershipEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageChange" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromStage" INTEGER NOT NULL,
    "toStage" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    "byPersonId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contest" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "challengerId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "arbiterId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "reason" TEXT,
    "decidedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "Contest_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "CustomerNameVariant" ADD CONSTRAINT "CustomerNameVariant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnershipEvent" ADD CONSTRAINT "OwnershipEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageChange" ADD CONSTRAINT "StageChange_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contest" ADD CONSTRAINT "Contest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
