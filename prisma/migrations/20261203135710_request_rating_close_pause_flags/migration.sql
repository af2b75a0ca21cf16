-- AlterTable
ALTER TABLE "ServiceRequest" ADD COLUMN "ratingClosedAt" DATETIME;

-- CreateTable
CREATE TABLE "RequestPauseFlag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,
    "flag" TEXT NOT NULL,
    "pausedAt" DATETIME NOT NULL,
    "flaggedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RequestPauseFlag_departmentId_flaggedAt_idx" ON "RequestPauseFlag"("departmentId", "flaggedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RequestPauseFlag_requestId_pausedAt_flag_key" ON "RequestPauseFlag"("requestId", "pausedAt", "flag");
