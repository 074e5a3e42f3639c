-- CreateTable
CREATE TABLE "File" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "executionId" TEXT,
    "name" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "File_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "File_executionId_idx" ON "File"("executionId");

-- CreateIndex
CREATE INDEX "File_tenantId_createdAt_idx" ON "File"("tenantId", "createdAt");

-- AddForeignKey
ALTER TABLE "File" ADD CONSTRAINT "File_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The sweep looks only at files without an execution (written by hand: Prisma's schema has no partial indexes).
CREATE INDEX "File_unattached_expiresAt_idx" ON "File"("expiresAt") WHERE "executionId" IS NULL;
