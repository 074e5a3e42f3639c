-- AlterTable
ALTER TABLE "StepRun" ADD COLUMN     "iteration" INTEGER;
