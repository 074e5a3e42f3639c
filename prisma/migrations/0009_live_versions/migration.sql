-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "publishedVersion" INTEGER,
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "TriggerRegistration" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nodeType" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "config" JSONB NOT NULL,
    "versionId" TEXT NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TriggerRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TriggerRegistration_kind_key_idx" ON "TriggerRegistration"("kind", "key");

-- CreateIndex
CREATE INDEX "TriggerRegistration_tenantId_idx" ON "TriggerRegistration"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "TriggerRegistration_workflowId_nodeId_key" ON "TriggerRegistration"("workflowId", "nodeId");

-- AddForeignKey
ALTER TABLE "TriggerRegistration" ADD CONSTRAINT "TriggerRegistration_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Upgrades keep what runs in production: a workflow that answered on a webhook before live versions existed is
-- published at its current version and active (its webhook rows stay); every other workflow starts unpublished.
UPDATE "Workflow" SET "active" = true, "publishedVersion" = "currentVersion"
WHERE "id" IN (SELECT DISTINCT "workflowId" FROM "WebhookTrigger");
UPDATE "Workflow" SET "active" = false WHERE "publishedVersion" IS NULL;
