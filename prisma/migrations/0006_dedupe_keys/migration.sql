-- CreateTable
CREATE TABLE "DedupeKey" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DedupeKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DedupeKey_tenantId_scope_id_idx" ON "DedupeKey"("tenantId", "scope", "id");

-- CreateIndex
CREATE UNIQUE INDEX "DedupeKey_tenantId_scope_hash_key" ON "DedupeKey"("tenantId", "scope", "hash");
