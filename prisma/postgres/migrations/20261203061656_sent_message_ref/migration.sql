-- CreateIndex
CREATE INDEX "SentMessage_platform_ref_idx" ON "SentMessage"("platform", "ref");
