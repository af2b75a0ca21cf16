-- CreateTable
CREATE TABLE "Visit" (
    "id" TEXT NOT NULL,
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
    "waitUntil" TIMESTAMP(3),
    "takenById" TEXT,
    "takenAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "duplicateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "erasedAt" TIMESTAMP(3),

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExpectedVisit" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "companyKey" TEXT NOT NULL,
    "visitorName" TEXT,
    "day" TEXT NOT NULL,
    "expectedAt" TIMESTAMP(3),
    "visitId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExpectedVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Visit_duplicateKey_key" ON "Visit"("duplicateKey");

-- CreateIndex
CREATE INDEX "Visit_createdAt_idx" ON "Visit"("createdAt");

-- CreateIndex
CREATE INDEX "Visit_erasedAt_createdAt_idx" ON "Visit"("erasedAt", "createdAt");

-- CreateIndex
CREATE INDEX "ExpectedVisit_day_companyKey_idx" ON "ExpectedVisit"("day", "companyKey");
