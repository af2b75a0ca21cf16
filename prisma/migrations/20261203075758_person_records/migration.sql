-- CreateTable
CREATE TABLE "PersonRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "managerId" TEXT,
    "departmentId" TEXT,
    "seenAt" DATETIME NOT NULL
);
