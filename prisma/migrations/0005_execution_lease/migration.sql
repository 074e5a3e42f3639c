-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseToken" TEXT;

-- CreateIndex
CREATE INDEX "Execution_createdAt_idx" ON "Execution" USING BRIN ("createdAt");
