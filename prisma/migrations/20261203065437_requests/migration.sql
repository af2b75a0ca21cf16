-- CreateTable
CREATE TABLE "ServiceRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "clockStart" DATETIME NOT NULL,
    "firstResponseDue" DATETIME NOT NULL,
    "resolutionDue" DATETIME NOT NULL,
    "pausedMs" INTEGER NOT NULL DEFAULT 0,
    "pausedAt" DATETIME,
    "respondedAt" DATETIME,
    "extendedMs" INTEGER NOT NULL DEFAULT 0,
    "nextAlertAt" DATETIME,
    "alertsSentUpTo" DATETIME,
    "lastRequesterCommentAt" DATETIME,
    "rating" INTEGER,
    "ratingComment" TEXT,
    "ratedAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "duplicateKey" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerPromise" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT,
    "company" TEXT NOT NULL,
    "serviceKey" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "requestId" TEXT,
    "outcome" TEXT,
    "decidedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RequestComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RequestAway" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
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
