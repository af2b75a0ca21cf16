-- CreateTable
CREATE TABLE "Handover" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "leaverId" TEXT NOT NULL,
    "startedById" TEXT NOT NULL,
    "lastDay" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME
);

-- CreateTable
CREATE TABLE "HandoverItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "handoverId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "customerName" TEXT NOT NULL,
    "successorId" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "needsNote" BOOLEAN NOT NULL,
    "dueDay" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "leaverDoneAt" DATETIME,
    "successorDoneAt" DATETIME,
    "visitDay" TEXT,
    "note" TEXT,
    "noteAt" DATETIME,
    "doneAt" DATETIME,
    CONSTRAINT "HandoverItem_handoverId_fkey" FOREIGN KEY ("handoverId") REFERENCES "Handover" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Handover_openKey_key" ON "Handover"("openKey");

-- CreateIndex
CREATE INDEX "Handover_status_idx" ON "Handover"("status");

-- CreateIndex
CREATE INDEX "HandoverItem_handoverId_status_idx" ON "HandoverItem"("handoverId", "status");

-- CreateIndex
CREATE INDEX "HandoverItem_successorId_status_idx" ON "HandoverItem"("successorId", "status");

-- CreateIndex
CREATE INDEX "HandoverItem_customerId_idx" ON "HandoverItem"("customerId");
