import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { createModel, modelInputSchema } from '@/lib/models/registry'

export const POST = route(async (req) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, modelInputSchema)
  const { inputPriceMicros, outputPriceMicros, ...m } = await createModel(getPrisma(), auth.tenantId, body, catalogChanged)
  return Response.json({ ...m, inputPricePerM: Number(inputPriceMicros) / 1e6, outputPricePerM: Number(outputPriceMicros) / 1e6 }, { status: 201 })
})
