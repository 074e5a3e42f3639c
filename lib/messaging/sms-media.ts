// Media for an MMS: files from item fields (each becomes a signed public URL that Twilio fetches from the studio's
// /api/hooks/media/… hook) and plain URLs, checked against Twilio's limits before anything is sent. File sizes come
// from the file store's record (opening a file reads no byte), so a 20 MB file is refused without being loaded.
// Server only.
import { NodeError } from '../engine/types'
import { findFileRefs, formatBytes } from '../files/ref'
import type { RunFiles } from '../files/types'
import { MAX_MMS_BYTES } from './sms-send'
import type { RunMessaging } from './types'

/** A media field's value as the item holds it: a file reference, a list of them, or a file id. */
export interface MediaFieldValue {
  field: string
  value: unknown
}

/** Public media URLs as a user writes them: one per line or comma-separated; each must be http(s). */
export function parseMediaUrls(text: string, item?: number): string[] {
  const urls = text.split(/[\s,]+/).filter(Boolean)
  for (const url of urls) {
    let ok = false
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol)
    } catch {
      ok = false
    }
    if (!ok) {
      const where = item === undefined ? '' : `Item ${item}: `
      throw new NodeError(`${where}mediaUrls has ${JSON.stringify(url)}, which is not an http(s) URL Twilio can fetch`, { code: 'INVALID_MEDIA_URL', field: 'mediaUrls', details: item === undefined ? undefined : { item } })
    }
  }
  return urls
}

/** Signed URLs for the files in `fields` (sizes checked: 5 MB together at most), followed by `urls`. */
export async function smsMediaUrls(files: RunFiles, run: RunMessaging, fields: MediaFieldValue[], urls: string[], item: number): Promise<string[]> {
  const out: string[] = []
  let total = 0
  for (const { field, value } of fields) {
    if (value === undefined || value === null) {
      throw new NodeError(`Item ${item}: "${field}" is missing: it should hold a file to send as media`, { code: 'NOT_A_FILE', field: 'media', details: { item, path: field } })
    }
    const refs = findFileRefs(value)
    for (const ref of refs.length ? refs : [value]) {
      const file = await files.open(ref, 'media').catch((err: unknown) => {
        if (!(err instanceof NodeError)) throw err
        throw new NodeError(`Item ${item}: ${err.message}`, { code: err.code, field: 'media', details: { item, path: field }, cause: err })
      })
      total += file.ref.size
      if (total > MAX_MMS_BYTES) {
        throw new NodeError(
          `Item ${item}: media "${file.ref.name}" brings the message's media to ${formatBytes(total)}; Twilio takes at most ${formatBytes(MAX_MMS_BYTES)} per MMS`,
          { code: 'MEDIA_TOO_LARGE', field: 'media', details: { item, path: field, bytes: total, max: MAX_MMS_BYTES } },
        )
      }
      out.push(run.mediaUrl(file.ref))
    }
  }
  return [...out, ...urls]
}
