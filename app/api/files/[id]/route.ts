// A file of the caller's workspace as a download (lib/http/file-download.ts says how it is kept from rendering).
import { requireAuth } from '@/lib/auth/context'
import { route } from '@/lib/http/route'
import { fileDownload } from '@/lib/http/file-download'
import { webServices } from '@/lib/composition/web-services'

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, ctx) => {
  const auth = await requireAuth(req, 'viewer')
  const { id } = await ctx.params
  return fileDownload(webServices().files, auth.tenantId, id, req)
})

export const HEAD = GET
