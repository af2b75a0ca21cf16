-- CreateTable
CREATE TABLE "DigestSetting" (
    "personId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestSetting_pkey" PRIMARY KEY ("personId")
);

-- CreateIndex
CREATE INDEX "Customer_ownerId_releaseAt_idx" ON "Customer"("ownerId", "releaseAt");

-- CreateIndex
CREATE INDEX "FollowUp_personId_at_kind_idx" ON "FollowUp"("personId", "at", "kind");

-- CreateIndex
CREATE INDEX "OwnershipEvent_fromPersonId_at_idx" ON "OwnershipEvent"("fromPersonId", "at");

-- CreateIndex
CREATE INDEX "StageChange_byPersonId_at_idx" ON "StageChange"("byPersonId", "at");
