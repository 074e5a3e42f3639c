// credential.used: which runs used which credentials, for the audit log. Once per (execution, credential), however
// many steps and items use it: one Set per run, one audit row the first time.
import type { PrismaClient } from '../db/generated/client'
import type { CredentialData } from '../engine/types'
import { recordAudit } from '../audit'

export function auditedCredentialUse(
  prisma: Pick<PrismaClient, 'auditLog'>,
  run: { tenantId: string; executionId: string; workflowId?: string },
  get: (id: string) => Promise<CredentialData>,
): (id: string) => Promise<CredentialData> {
  const seen = new Set<string>()
  return async (id) => {
    const credential = await get(id)
    if (!seen.has(id)) {
      seen.add(id)
      await recordAudit(prisma, {
        tenantId: run.tenantId,
        actor: { type: 'run', id: run.executionId, label: `run ${run.executionId}` },
        action: 'credential.used',
        target: `credential:${id}`,
        data: { name: credential.name ?? null, workflowId: run.workflowId ?? null },
      })
    }
    return credential
  }
}
