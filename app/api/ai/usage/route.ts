// AI usage for the usage page: cost by day, model and workflow; per-deployment performance; budgets left.
import { z } from 'zod'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseQuery, route } from '@/lib/http/route'
import { usageReport } from '@/lib/models/performance'
import { listBudgets } from '@/lib/models/registry'

const query = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) })

export const GET = route(async (req) => {
  const auth = await requireAuth(req, 'viewer')
  const { days } = parseQuery(req, query)
  const prisma = getPrisma()
  const [report, budgets] = await Promise.all([usageReport(prisma, auth.tenantId, days), listBudgets(prisma, auth.tenantId)])
  return Response.json({ ...report, budgets })
})
