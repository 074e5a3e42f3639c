// Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Garage…), for several machines sharing work.
// Writes stream as multipart uploads (lib-storage's Upload: a few parts in memory at a time, never the whole file).
// The AWS SDK (tens of MB) is imported when a store is made for an s3:// URL, never by a process that stores files
// on disk.
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3'
import { Readable } from 'node:stream'
import { lazy } from '../lazy'
import { assertKey, type BlobStore, type ByteRange } from './blob-store'

const loadAwsSdk = lazy(async () => {
  const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')])
  return { ...s3, Upload: storage.Upload }
})
type AwsSdk = Awaited<ReturnType<typeof loadAwsSdk>>

export interface S3BlobStoreOptions {
  bucket: string
  /** Key prefix inside the bucket, without slashes at either end ('' for none). */
  prefix: string
  /** An S3-compatible server's URL; unset: AWS. */
  endpoint?: string
  region?: string
  forcePathStyle?: boolean
  /** Unset: the AWS SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** Bytes per multipart part (S3's minimum is 5 MiB); memory per upload is about two parts. */
  partSize?: number
}

/** `s3://bucket/some/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true` */
export function parseS3Url(raw: string, field = 'AUTERITY_FILES_URL'): S3BlobStoreOptions {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`${field} must be a URL such as s3://bucket/prefix?endpoint=http://127.0.0.1:9000, got "${raw}"`)
  }
  if (url.protocol !== 's3:' || !url.hostname) throw new Error(`${field}: an S3 URL starts with s3://<bucket>, got "${raw}"`)
  const endpoint = url.searchParams.get('endpoint') ?? undefined
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new Error(`${field}: endpoint must be an http(s) URL, got "${endpoint}"`)
  const style = url.searchParams.get('forcePathStyle')
  return {
    bucket: url.hostname,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ''),
    endpoint,
    region: url.searchParams.get('region') ?? 'us-east-1',
    // Path-style addressing is what self-hosted servers expect; AWS itself takes virtual-hosted style.
    forcePathStyle: style === null ? endpoint !== undefined : /^(1|true|yes)$/i.test(style),
  }
}

export class S3BlobStore implements BlobStore {
  readonly description: string
  /** The SDK and the client, from the import started by the constructor. */
  private readonly ready: Promise<{ sdk: AwsSdk; client: S3Client }>
  constructor(private readonly opts: S3BlobStoreOptions) {
    const config: S3ClientConfig = {
      region: opts.region ?? 'us-east-1',
      forcePathStyle: opts.forcePathStyle ?? false,
      ...(opts.endpoint && { endpoint: opts.endpoint }),
      ...(opts.credentials && { credentials: opts.credentials }),
    }
    this.ready = loadAwsSdk().then((sdk) => ({ sdk, client: new sdk.S3Client(config) }))
    // A failed import is reported by the first operation that awaits it, not as an unhandled rejection.
    this.ready.catch(() => {})
    this.description = `s3 ${opts.bucket}/${opts.prefix}`
  }

  private key(key: string): string {
    assertKey(key)
    return this.opts.prefix ? `${this.opts.prefix}/${key}` : key
  }

  async put(key: string, body: Readable, opts: { contentType: string; signal?: AbortSignal }): Promise<void> {
    // A failing source (too big, the client went away) must fail the upload, not leave it waiting for more parts;
    // listened to before the first await, so an error meanwhile is not an unhandled stream error.
    const failed = new Promise<never>((_, reject) => body.once('error', reject))
    failed.catch(() => {})
    const { sdk, client } = await this.ready
    const upload = new sdk.Upload({
      client,
      params: { Bucket: this.opts.bucket, Key: this.key(key), Body: body, ContentType: opts.contentType },
      partSize: this.opts.partSize ?? 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    })
    const onAbort = () => void upload.abort().catch(() => undefined)
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      await Promise.race([upload.done(), failed])
    } catch (err) {
      await upload.abort().catch(() => undefined)
      throw err
    } finally {
      opts.signal?.removeEventListener('abort', onAbort)
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const { sdk, client } = await this.ready
    const res = await client.send(
      new sdk.GetObjectCommand({
        Bucket: this.opts.bucket,
        Key: this.key(key),
        ...(range && { Range: `bytes=${range.start}-${range.end ?? ''}` }),
      }),
    )
    if (!(res.Body instanceof Readable)) throw new Error('S3 answered without a body stream')
    return res.Body
  }

  async delete(keys: string[]): Promise<void> {
    const { sdk, client } = await this.ready
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000)
      await client.send(
        new sdk.DeleteObjectsCommand({ Bucket: this.opts.bucket, Delete: { Objects: chunk.map((k) => ({ Key: this.key(k) })), Quiet: true } }),
      )
    }
  }

  async close(): Promise<void> {
    const made = await this.ready.catch(() => undefined)
    made?.client.destroy()
  }
}
