-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "draftBaseVersion" INTEGER,
ADD COLUMN     "draftGraph" JSONB,
ADD COLUMN     "draftUpdatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Execution" ADD COLUMN     "graph" JSONB;
