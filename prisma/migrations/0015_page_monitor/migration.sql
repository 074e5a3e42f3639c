-- CreateTable
CREATE TABLE "PageMonitor" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "hash" TEXT,
    "text" TEXT,
    "screenshotFileId" TEXT,
    "baselineAt" TIMESTAMP(3),
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "checks" INTEGER NOT NULL DEFAULT 0,
    "changes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PageMonitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PageSnapshot" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "monitorId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "screenshotFileId" TEXT,
    "changeRatio" DOUBLE PRECISION,
    "executionId" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PageSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PageMonitor_tenantId_idx" ON "PageMonitor"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "PageMonitor_workflowId_nodeId_key" ON "PageMonitor"("workflowId", "nodeId");

-- CreateIndex
CREATE INDEX "PageSnapshot_tenantId_idx" ON "PageSnapshot"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "PageSnapshot_monitorId_version_key" ON "PageSnapshot"("monitorId", "version");

-- AddForeignKey
ALTER TABLE "PageSnapshot" ADD CONSTRAINT "PageSnapshot_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "PageMonitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
