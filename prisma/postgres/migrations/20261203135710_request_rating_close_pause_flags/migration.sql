-- AlterTable
ALTER TABLE "ServiceRequest" ADD COLUMN     "ratingClosedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RequestPauseFlag" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,
    "flag" TEXT NOT NULL,
    "pausedAt" TIMESTAMP(3) NOT NULL,
    "flaggedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequestPauseFlag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RequestPauseFlag_departmentId_flaggedAt_idx" ON "RequestPauseFlag"("departmentId", "flaggedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RequestPauseFlag_requestId_pausedAt_flag_key" ON "RequestPauseFlag"("requestId", "pausedAt", "flag");
