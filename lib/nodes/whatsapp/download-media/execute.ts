import type { Item } from '../../../engine/types'
import { GraphClient, whatsappCredential } from '../../../messaging/whatsapp-graph'
import type { Executor } from '../../define'
import { parsePath, setPath } from '../../paths'
import type { WhatsAppDownloadMediaParams } from './definition'

export const execute: Executor<WhatsAppDownloadMediaParams, 'files'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  let graph: GraphClient | undefined
  const files = ctx.services.files.forRun(ctx)
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const media = (ctx.items[i] as { media?: { id?: string; kind?: string; filename?: string | null } | null }).media
    const mediaId = p.mediaId.trim() || String(media?.id ?? '')
    if (!mediaId) {
      out.push(ctx.items[i])
      continue
    }
    graph ??= new GraphClient(ctx.services.http, whatsappCredential(await ctx.credential()), ctx.signal)
    const name = p.fileName.trim() || media?.filename || `${media?.kind ?? 'media'}-${mediaId}`
    const item = structuredClone(ctx.items[i])
    setPath(item, p.outputField, await graph.download(files, mediaId, name, ctx.services.files.maxFileBytes, ctx.inputOffset + i), 'outputField')
    out.push(item)
  }
  return { main: out }
}
