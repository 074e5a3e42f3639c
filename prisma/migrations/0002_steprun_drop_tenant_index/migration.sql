-- DropIndex
DROP INDEX "StepRun_tenantId_idx";
