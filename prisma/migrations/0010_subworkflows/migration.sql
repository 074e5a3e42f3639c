-- CreateTable
CREATE TABLE "SubWorkflowRun" (
    "executionId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "parentExecutionId" TEXT NOT NULL,
    "parentNodeId" TEXT,
    "depth" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubWorkflowRun_pkey" PRIMARY KEY ("executionId")
);

-- CreateIndex
CREATE INDEX "SubWorkflowRun_parentExecutionId_createdAt_idx" ON "SubWorkflowRun"("parentExecutionId", "createdAt");

-- CreateIndex
CREATE INDEX "SubWorkflowRun_tenantId_idx" ON "SubWorkflowRun"("tenantId");

-- The link goes with the child run (written by hand: core.prisma keeps no relation field for it).
ALTER TABLE "SubWorkflowRun" ADD CONSTRAINT "SubWorkflowRun_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
