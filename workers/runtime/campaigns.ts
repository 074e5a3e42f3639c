// The worker's side of scheduled campaigns (lib/messaging/campaigns.ts): consumes the campaign queue
// (lib/queue/campaigns.ts), claims the row at its time (scheduled → running, a conditional update: a cancelled
// campaign never sends; a redelivery after a worker died mid-send takes its running row over), sends through Twilio
// at the campaign's rate, and records the outcome. A recovery pass on start and every `recoverEveryMs` gives every
// scheduled campaign a job (adding one that exists does nothing): a Redis that lost its jobs loses no campaign.
import type { PrismaClient } from '../../lib/db/generated/client'
import { forTenant } from '../../lib/db/scope'
import type { CredentialData } from '../../lib/engine/types'
import { sendBulk } from '../../lib/messaging/sms-bulk'
import { twilioClient, type TwilioCredential } from '../../lib/messaging/twilio'
import type { MessagingHost } from '../../lib/messaging/types'
import type { TcpGuard } from '../../lib/net/tcp-guard'
import type { QueueConfig } from '../../lib/queue'
import { createCampaignQueue, createCampaignWorker, type CampaignJob } from '../../lib/queue/campaigns'
import { log } from '../../lib/log'

const logger = log.child({ component: 'campaigns' })

export interface CampaignsConfig {
  /** Campaigns sent at once by this process (default 4). */
  concurrency?: number
  /** How often scheduled campaigns are checked for a lost job (default 60 s). */
  recoverEveryMs?: number
}

export interface CampaignsDeps {
  prisma: PrismaClient
  messaging: MessagingHost
  network: TcpGuard
  getCredential(tenantId: string, id: string): Promise<CredentialData>
}

/** One campaign: claim, send to every recipient not yet sent to, record. Returns whether this delivery sent it. */
export async function processCampaign(deps: CampaignsDeps, job: CampaignJob, firstDelivery = true, signal = new AbortController().signal): Promise<boolean> {
  const db = forTenant(deps.prisma, job.tenantId)
  const claimable = firstDelivery ? 'scheduled' : { in: ['scheduled', 'running'] }
  const claimed = await db.messagingCampaign.updateMany({ where: { id: job.campaignId, status: claimable }, data: { status: 'running', startedAt: new Date() } })
  if (claimed.count === 0) return false
  const campaign = await db.messagingCampaign.findFirstOrThrow({ where: { id: job.campaignId } })
  const finish = (data: { status: string; error?: string | null }) => db.messagingCampaign.updateMany({ where: { id: campaign.id }, data: { ...data, finishedAt: new Date() } })
  try {
    const credential = await deps.getCredential(job.tenantId, campaign.credentialId)
    const client = await twilioClient(credential.data as unknown as TwilioCredential, deps.network)
    // A redelivered job sends under the same keys (campaign + number): what an earlier delivery sent, skipped or saw
    // refused is found and neither sent again nor given a rate slot.
    const outcome = await sendBulk(client, deps.messaging.forRun({ tenantId: job.tenantId, executionId: null }), {
      from: campaign.from, body: campaign.body, mediaUrls: campaign.mediaUrls as string[], recipients: campaign.recipients as string[],
      ratePerSecond: campaign.ratePerSecond, keyPrefix: `campaign:${campaign.id}`, campaignId: campaign.id, credentialId: campaign.credentialId, signal,
    })
    const error = outcome.failed > 0 ? `${outcome.failed} of ${outcome.total} recipients failed` : null
    await finish({ status: 'done', error })
  } catch (err) {
    // This worker is stopping: the row stays running and the job's redelivery takes it over where it stopped.
    if (signal.aborted) throw err
    await finish({ status: 'failed', error: err instanceof Error ? err.message : String(err) })
  }
  return true
}

/** Gives every scheduled campaign its job (jobs that exist are left as they are). Returns how many were looked at. */
export async function recoverCampaigns(prisma: PrismaClient, schedule: (job: CampaignJob, sendAt: Date) => Promise<void>): Promise<number> {
  const rows = await prisma.messagingCampaign.findMany({ where: { status: 'scheduled' }, select: { id: true, tenantId: true, sendAt: true }, orderBy: { sendAt: 'asc' }, take: 1000 })
  for (const r of rows) await schedule({ campaignId: r.id, tenantId: r.tenantId }, r.sendAt)
  return rows.length
}

export interface CampaignsHandle {
  /** One recovery pass now (tests). */
  recover(): Promise<number>
  close(): Promise<void>
}

export async function startCampaigns(cfg: QueueConfig, deps: CampaignsDeps, config: CampaignsConfig = {}): Promise<CampaignsHandle> {
  const stop = new AbortController()
  const worker = createCampaignWorker({ ...cfg, concurrency: config.concurrency }, async (job, delivery) => {
    await processCampaign(deps, job, delivery.firstDelivery, stop.signal)
  })
  await worker.waitUntilReady()
  const queue = createCampaignQueue(cfg)
  const recover = () => recoverCampaigns(deps.prisma, (job, sendAt) => queue.schedule(job, sendAt))
  const pass = () => recover().catch((err) => logger.error({ err }, 'campaign recovery pass failed'))
  await pass()
  const timer = setInterval(pass, config.recoverEveryMs ?? 60_000)
  timer.unref()
  return {
    recover,
    async close() {
      clearInterval(timer)
      stop.abort()
      await worker.close()
      await queue.close()
    },
  }
}
