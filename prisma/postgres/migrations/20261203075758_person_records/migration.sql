-- CreateTable
CREATE TABLE "PersonRecord" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "managerId" TEXT,
    "departmentId" TEXT,
    "seenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PersonRecord_pkey" PRIMARY KEY ("id")
);
