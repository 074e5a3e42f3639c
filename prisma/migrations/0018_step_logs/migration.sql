-- AlterTable
ALTER TABLE "StepRun" ADD COLUMN     "logs" JSONB;
