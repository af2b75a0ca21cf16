-- DropIndex
DROP INDEX "Customer_ownerId_stage_idx";

-- CreateIndex
CREATE INDEX "Customer_ownerId_stage_lostAt_idx" ON "Customer"("ownerId", "stage", "lostAt");
