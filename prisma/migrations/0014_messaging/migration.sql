-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerId" TEXT,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "body" TEXT,
    "content" JSONB,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "statusHistory" JSONB NOT NULL DEFAULT '[]',
    "credentialId" TEXT,
    "executionId" TEXT,
    "nodeId" TEXT,
    "campaignId" TEXT,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessagingOptOut" (
    "tenantId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'keyword',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessagingOptOut_pkey" PRIMARY KEY ("tenantId","channel","address")
);

-- CreateTable
CREATE TABLE "MessagingCampaign" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "mediaUrls" JSONB NOT NULL DEFAULT '[]',
    "recipients" JSONB NOT NULL,
    "ratePerSecond" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "localTime" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "error" TEXT,
    "executionId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "MessagingCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoiceCall" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "credentialId" TEXT,
    "callSid" TEXT,
    "executionId" TEXT,
    "direction" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "pendingTwiml" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "inputs" JSONB NOT NULL DEFAULT '[]',
    "ended" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VoiceCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WhatsAppContact" (
    "tenantId" TEXT NOT NULL,
    "phoneNumberId" TEXT NOT NULL,
    "waId" TEXT NOT NULL,
    "name" TEXT,
    "lastInboundAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WhatsAppContact_pkey" PRIMARY KEY ("tenantId","phoneNumberId","waId")
);

-- CreateIndex
CREATE INDEX "Message_tenantId_createdAt_idx" ON "Message"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_tenantId_channel_createdAt_idx" ON "Message"("tenantId", "channel", "createdAt");

-- CreateIndex
CREATE INDEX "Message_executionId_createdAt_idx" ON "Message"("executionId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_campaignId_idx" ON "Message"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_tenantId_provider_providerId_key" ON "Message"("tenantId", "provider", "providerId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_tenantId_idempotencyKey_key" ON "Message"("tenantId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "MessagingCampaign_tenantId_sendAt_idx" ON "MessagingCampaign"("tenantId", "sendAt");

-- CreateIndex
CREATE INDEX "VoiceCall_executionId_idx" ON "VoiceCall"("executionId");

-- CreateIndex
CREATE UNIQUE INDEX "VoiceCall_tenantId_callSid_key" ON "VoiceCall"("tenantId", "callSid");

-- A workspace's messages, opt-outs, campaigns, calls and contacts go with it (written by hand: core.prisma keeps no
-- relation field for them).
ALTER TABLE "Message" ADD CONSTRAINT "Message_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MessagingOptOut" ADD CONSTRAINT "MessagingOptOut_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MessagingCampaign" ADD CONSTRAINT "MessagingCampaign_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VoiceCall" ADD CONSTRAINT "VoiceCall_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WhatsAppContact" ADD CONSTRAINT "WhatsAppContact_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
