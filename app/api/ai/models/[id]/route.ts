import { catalogChanged } from '@/lib/ai/service'
import { requireAuth } from '@/lib/auth/context'
import { getPrisma } from '@/lib/db/client'
import { parseJson, route } from '@/lib/http/route'
import { modelUpdateSchema, updateModel } from '@/lib/models/registry'

export const PUT = route(async (req, { params }) => {
  const auth = await requireAuth(req, 'admin')
  const body = await parseJson(req, modelUpdateSchema.partial())
  const { id } = await params
  const { inputPriceMicros, outputPriceMicros, ...m } = await updateModel(getPrisma(), auth.tenantId, id, body, catalogChanged)
  return Response.json({ ...m, inputPricePerM: Number(inputPriceMicros) / 1e6, outputPricePerM: Number(outputPriceMicros) / 1e6 })
})
