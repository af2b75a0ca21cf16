-- CreateTable
CREATE TABLE "Visit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reporterId" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "companyKey" TEXT NOT NULL,
    "visitorNames" TEXT,
    "headcount" INTEGER NOT NULL DEFAULT 1,
    "phone" TEXT,
    "askedFor" TEXT,
    "purpose" TEXT,
    "note" TEXT,
    "customerId" TEXT,
    "expectedId" TEXT,
    "status" TEXT NOT NULL,
    "hostId" TEXT,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "step" INTEGER NOT NULL DEFAULT 0,
    "waitMinutes" INTEGER,
    "waitUntil" DATETIME,
    "takenById" TEXT,
    "takenAt" DATETIME,
    "closedAt" DATETIME,
    "duplicateKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "erasedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ExpectedVisit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "companyKey" TEXT NOT NULL,
    "visitorName" TEXT,
    "day" TEXT NOT NULL,
    "expectedAt" DATETIME,
    "visitId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Visit_duplicateKey_key" ON "Visit"("duplicateKey");

-- CreateIndex
CREATE INDEX "Visit_createdAt_idx" ON "Visit"("createdAt");

-- CreateIndex
CREATE INDEX "Visit_erasedAt_createdAt_idx" ON "Visit"("erasedAt", "createdAt");

-- CreateIndex
CREATE INDEX "ExpectedVisit_day_companyKey_idx" ON "ExpectedVisit"("day", "companyKey");
