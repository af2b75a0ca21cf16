-- AlterTable
ALTER TABLE "Job" ADD COLUMN "effectAttempt" INTEGER;
