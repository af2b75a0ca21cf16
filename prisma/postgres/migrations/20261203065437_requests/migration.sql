-- CreateTable
CREATE TABLE "ServiceRequest" (
    "id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "serviceKey" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "status" TEXT NOT NULL,
    "fields" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "customerId" TEXT,
    "customerName" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "clockStart" TIMESTAMP(3) NOT NULL,
    "firstResponseDue" TIMESTAMP(3) NOT NULL,
    "resolutionDue" TIMESTAMP(3) NOT NULL,
    "pausedMs" INTEGER NOT NULL DEFAULT 0,
    "pausedAt" TIMESTAMP(3),
    "respondedAt" TIMESTAMP(3),
    "extendedMs" INTEGER NOT NULL DEFAULT 0,
    "nextAlertAt" TIMESTAMP(3),
    "alertsSentUpTo" TIMESTAMP(3),
    "lastRequesterCommentAt" TIMESTAMP(3),
    "rating" INTEGER,
    "ratingComment" TEXT,
    "ratedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "duplicateKey" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerPromise" (
    "id" TEXT NOT NULL,
    "customerId" TEXT,
    "company" TEXT NOT NULL,
    "serviceKey" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "requestId" TEXT,
    "outcome" TEXT,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "CustomerPromise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestComment" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequestComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestAway" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequestAway_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRequest_number_key" ON "ServiceRequest"("number");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRequest_duplicateKey_key" ON "ServiceRequest"("duplicateKey");

-- CreateIndex
CREATE INDEX "ServiceRequest_requesterId_submittedAt_idx" ON "ServiceRequest"("requesterId", "submittedAt");

-- CreateIndex
CREATE INDEX "ServiceRequest_departmentId_status_resolutionDue_idx" ON "ServiceRequest"("departmentId", "status", "resolutionDue");

-- CreateIndex
CREATE INDEX "ServiceRequest_serviceKey_submittedAt_idx" ON "ServiceRequest"("serviceKey", "submittedAt");

-- CreateIndex
CREATE INDEX "ServiceRequest_assigneeId_status_idx" ON "ServiceRequest"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "ServiceRequest_nextAlertAt_idx" ON "ServiceRequest"("nextAlertAt");

-- CreateIndex
CREATE INDEX "ServiceRequest_departmentId_ratedAt_idx" ON "ServiceRequest"("departmentId", "ratedAt");

-- CreateIndex
CREATE INDEX "CustomerPromise_customerId_serviceKey_outcome_idx" ON "CustomerPromise"("customerId", "serviceKey", "outcome");

-- CreateIndex
CREATE INDEX "CustomerPromise_personId_createdAt_idx" ON "CustomerPromise"("personId", "createdAt");

-- CreateIndex
CREATE INDEX "RequestComment_requestId_at_idx" ON "RequestComment"("requestId", "at");

-- CreateIndex
CREATE INDEX "RequestAway_personId_toDay_idx" ON "RequestAway"("personId", "toDay");
