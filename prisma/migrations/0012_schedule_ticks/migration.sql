-- CreateTable
CREATE TABLE "ScheduleTick" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "tickAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "executionId" TEXT,
    "lateMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleTick_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScheduleTick_createdAt_idx" ON "ScheduleTick"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduleTick_workflowId_nodeId_tickAt_key" ON "ScheduleTick"("workflowId", "nodeId", "tickAt");
