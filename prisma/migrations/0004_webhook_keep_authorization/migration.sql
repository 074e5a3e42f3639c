-- AlterTable
ALTER TABLE "WebhookTrigger" ADD COLUMN     "keepAuthorizationHeader" BOOLEAN NOT NULL DEFAULT false;
