-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "sourceExecutionId" TEXT,
    "sourceWorkflowId" TEXT,
    "dedupeKey" TEXT,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "retryDelayMs" INTEGER NOT NULL,
    "replays" INTEGER NOT NULL DEFAULT 0,
    "lastError" JSONB,
    "executionIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "currentExecutionId" TEXT,
    "claimedAt" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Event_tenantId_publishedAt_idx" ON "Event"("tenantId", "publishedAt");

-- CreateIndex
CREATE INDEX "Event_tenantId_name_publishedAt_idx" ON "Event"("tenantId", "name", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Event_tenantId_dedupeKey_key" ON "Event"("tenantId", "dedupeKey");

-- CreateIndex
CREATE INDEX "EventDelivery_eventId_idx" ON "EventDelivery"("eventId");

-- CreateIndex
CREATE INDEX "EventDelivery_tenantId_status_updatedAt_idx" ON "EventDelivery"("tenantId", "status", "updatedAt");

-- CreateIndex
CREATE INDEX "EventDelivery_status_nextAttemptAt_idx" ON "EventDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "EventDelivery_currentExecutionId_idx" ON "EventDelivery"("currentExecutionId");

-- AddForeignKey
ALTER TABLE "EventDelivery" ADD CONSTRAINT "EventDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
