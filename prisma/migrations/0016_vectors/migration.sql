-- AlterTable
ALTER TABLE "AiModel" ADD COLUMN     "dimensions" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'chat';

-- CreateTable
CREATE TABLE "VectorCollection" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "embedding" TEXT NOT NULL,
    "dimension" INTEGER NOT NULL,
    "chunkSize" INTEGER NOT NULL DEFAULT 400,
    "chunkOverlap" INTEGER NOT NULL DEFAULT 60,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "documentCount" INTEGER NOT NULL DEFAULT 0,
    "chunkCount" INTEGER NOT NULL DEFAULT 0,
    "indexedAt" TIMESTAMP(3),
    "indexedChunks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VectorCollection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VectorDocument" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "collectionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "mimeType" TEXT NOT NULL DEFAULT 'text/plain',
    "contentHash" TEXT NOT NULL,
    "chunkCount" INTEGER NOT NULL DEFAULT 0,
    "tokenCount" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VectorDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VectorCollection_tenantId_idx" ON "VectorCollection"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "VectorCollection_tenantId_name_key" ON "VectorCollection"("tenantId", "name");

-- CreateIndex
CREATE INDEX "VectorDocument_tenantId_idx" ON "VectorDocument"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "VectorDocument_collectionId_key_key" ON "VectorDocument"("collectionId", "key");

-- AddForeignKey
ALTER TABLE "VectorDocument" ADD CONSTRAINT "VectorDocument_collectionId_fkey" FOREIGN KEY ("collectionId") REFERENCES "VectorCollection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
