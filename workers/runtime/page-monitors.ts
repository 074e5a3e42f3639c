// The worker's side of Page Changed triggers (kind 'monitor'). Every worker looks at the monitor registrations every
// `pollMs` (and at once on a "triggers changed" message); a registration is due when its Redis key is free: the
// worker that sets it (NX, expiring after the monitor's interval) checks the page, the others leave it. The key only
// spreads the work: lib/services/page-monitors.ts makes each change start exactly one run however many workers check
// at once (a compare-and-swap on the monitor's version in the transaction that records the run).
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../../lib/db/generated/client'
import type { BrowserHost } from '../../lib/browser/types'
import type { FileHost } from '../../lib/files/types'
import { createRedis } from '../../lib/redis'
import { monitorIntervalMs, pageMonitorParams } from '../../lib/nodes/browser/page-monitor/definition'
import type { ExecutionDeps } from '../../lib/services/executions'
import { PageMonitorChecker, type CheckOutcome } from '../../lib/services/page-monitors'
import { onTriggersChanged } from '../../lib/services/trigger-kinds'
import { log } from '../../lib/log'

const logger = log.child({ component: 'page-monitors' })

export interface PageMonitorsConfig {
  /** How often this worker looks for due monitors (lib/env `browser.monitorPollMs`); 0: only when `pass()` is called. */
  pollMs: number
  /** Checks this worker runs at once (each holds a page of the browser pool while it runs). */
  concurrency?: number
  /** Each check's outcome (tests watch them). */
  onCheck?(registrationId: string, outcome: CheckOutcome): void
  log?(line: string): void
}

export interface PageMonitorsDeps {
  prisma: PrismaClient
  starts: ExecutionDeps
  browser: BrowserHost
  files: FileHost
  redisUrl: string
  keyPrefix: string
}

/** Monitors whose workflow was deleted are dropped this often (their screenshots expire with them). */
const ORPHAN_PASS_MS = 10 * 60_000

export class PageMonitors {
  private readonly checker: PageMonitorChecker
  private readonly stop = new AbortController()
  private readonly inFlight = new Map<string, Promise<CheckOutcome>>()
  private sub?: Redis
  private unsubscribe?: () => Promise<void>
  private timer?: NodeJS.Timeout
  private passing?: Promise<void>
  private lastOrphanPass = 0
  private readonly log: (line: string) => void

  constructor(
    private readonly deps: PageMonitorsDeps,
    private readonly config: PageMonitorsConfig,
  ) {
    this.checker = new PageMonitorChecker({ prisma: deps.prisma, starts: deps.starts, browser: deps.browser, files: deps.files, signal: this.stop.signal })
    this.log = config.log ?? ((line) => logger.info(line))
  }

  async start(): Promise<void> {
    if (this.config.pollMs <= 0) return
    this.sub = createRedis(this.deps.redisUrl)
    this.unsubscribe = await onTriggersChanged(this.sub, () => void this.pass())
    this.timer = setInterval(() => void this.pass(), this.config.pollMs)
    this.timer.unref()
    void this.pass()
  }

  /** One look for due monitors (a call during a pass waits for it). Checks run in the background. */
  pass(): Promise<void> {
    if (this.stop.signal.aborted) return Promise.resolve()
    this.passing ??= this.due()
      .catch((err) => this.log(`[page-monitors] pass failed: ${(err as Error).message}`))
      .finally(() => (this.passing = undefined))
    return this.passing
  }

  private async due(): Promise<void> {
    const regs = await this.deps.prisma.triggerRegistration.findMany({ where: { kind: 'monitor' }, select: { id: true, config: true }, orderBy: { createdAt: 'asc' } })
    const max = this.config.concurrency ?? 4
    for (const reg of regs) {
      if (this.inFlight.size >= max || this.stop.signal.aborted) break
      if (this.inFlight.has(reg.id)) continue
      const parsed = pageMonitorParams.safeParse(reg.config)
      if (!parsed.success) continue
      const key = `${this.deps.keyPrefix}:page-monitor:${reg.id}`
      if ((await this.deps.starts.redis.set(key, '1', 'PX', monitorIntervalMs(parsed.data), 'NX')) !== 'OK') continue
      void this.checkNow(reg.id).catch(() => undefined)
    }
    if (Date.now() - this.lastOrphanPass > ORPHAN_PASS_MS) {
      this.lastOrphanPass = Date.now()
      await this.deps.prisma.$executeRaw`DELETE FROM "PageMonitor" m WHERE NOT EXISTS (SELECT 1 FROM "Workflow" w WHERE w."id" = m."workflowId")`
    }
  }

  /** Checks the registration's page now (whether due or not); one check per registration at a time on this worker. */
  checkNow(registrationId: string): Promise<CheckOutcome> {
    const running = this.inFlight.get(registrationId)
    if (running) return running
    const p = this.checker
      .check(registrationId)
      .then((outcome) => {
        if (outcome.outcome === 'failed') this.log(`[page-monitors] check of registration ${registrationId} failed: ${outcome.error}`)
        this.config.onCheck?.(registrationId, outcome)
        return outcome
      })
      .catch((err: Error) => {
        this.log(`[page-monitors] check of registration ${registrationId} could not be recorded: ${err.message}`)
        throw err
      })
      .finally(() => this.inFlight.delete(registrationId))
    this.inFlight.set(registrationId, p)
    return p
  }

  /** Resolves once the checks running now have ended (tests). */
  async idle(): Promise<void> {
    await this.passing
    await Promise.allSettled([...this.inFlight.values()])
  }

  async close(): Promise<void> {
    this.stop.abort()
    if (this.timer) clearInterval(this.timer)
    await this.passing
    await Promise.allSettled([...this.inFlight.values()])
    await this.unsubscribe?.()
    await this.sub?.quit().catch(() => undefined)
  }
}

export async function startPageMonitors(deps: PageMonitorsDeps, config: PageMonitorsConfig): Promise<PageMonitors> {
  const monitors = new PageMonitors(deps, config)
  await monitors.start()
  return monitors
}
