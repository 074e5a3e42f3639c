-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "folderId" TEXT,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "WorkflowFolder" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkflowFolder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowFolder_tenantId_name_key" ON "WorkflowFolder"("tenantId", "name");

-- CreateIndex
CREATE INDEX "Workflow_tenantId_folderId_idx" ON "Workflow"("tenantId", "folderId");

-- CreateIndex
CREATE INDEX "Workflow_tags_idx" ON "Workflow" USING GIN ("tags");

-- AddForeignKey
ALTER TABLE "Workflow" ADD CONSTRAINT "Workflow_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "WorkflowFolder"("id") ON DELETE SET NULL ON UPDATE CASCADE;
