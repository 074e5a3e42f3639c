import { NodeError, type ExecuteContext, type Item } from '../../engine/types'
import { findFileRefs, formatBytes } from '../../files/ref'
import type { OpenFile, RunFiles } from '../../files/types'
import type { Executor } from '../define'
import type { HostServices } from '../host-services'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath, setPath } from '../paths'
import type { CompressionParams } from './definition'
import { checkEntryPath } from './entry-path'
import { gunzipFile, gzipFile } from './gzip'
import { MB, invalidFile, tooLarge, type ArchiveLimits, type Source } from './limits'
import { extractEntry, listEntries, openZip } from './zip-read'
import { writeZip, type ZipInput } from './zip-write'

type Ctx = ExecuteContext<CompressionParams, Pick<HostServices, 'files'>>

/** Items written per ctx.write: a zip of 10,000 files never sits in memory as 10,000 items. */
const PAGE = 1000

class Pages {
  private items: Item[] = []
  constructor(private readonly ctx: Ctx) {}
  async push(item: Item): Promise<void> {
    this.items.push(item)
    if (this.items.length < PAGE) return
    await this.ctx.write({ main: this.items })
    this.items = []
  }
  rest(): Item[] {
    return this.items
  }
}

interface Found {
  field: string
  value: unknown
}

/** The file references in the item's `fields` (a field may hold one or a list); a field without one is kept as is,
 * so the store's open() refuses it with NOT_A_FILE (or takes a bare file id). */
function filesIn(item: Item, p: CompressionParams, index: number): Found[] {
  const found: Found[] = []
  p.fields.forEach((field, i) => {
    const value = getPath(item, field, `fields.${i}`)
    if (value === undefined || value === null) {
      throw new NodeError(`"${field}" is missing on item ${index}: it should hold a file (a file reference such as a file-making node outputs)`, {
        code: 'NOT_A_FILE',
        field,
        details: { item: index },
      })
    }
    const refs = findFileRefs(value, p.maxEntries + 1)
    if (refs.length === 0) found.push({ field, value })
    for (const ref of refs) found.push({ field, value: ref })
  })
  return found
}

const limitsOf = (p: CompressionParams, files: { maxFileBytes: number }): ArchiveLimits => {
  const maxTotalBytes = Math.floor(p.maxTotalMb * MB)
  return { maxEntries: p.maxEntries, maxTotalBytes, maxFileBytes: Math.min(files.maxFileBytes, maxTotalBytes), maxRatio: p.maxRatio }
}

/** The item with `value` at `path`; a nested path writes into a clone so the input item's objects stay untouched. */
function withField(item: Item, path: string, value: unknown): Item {
  const copy = parsePath(path, 'outputField').length > 1 ? structuredClone(item) : { ...item }
  setPath(copy, path, value, 'outputField')
  return copy
}

// ---------------------------------------------------------------------------------------------
// decompress

async function decompressFile(ctx: Ctx, run: RunFiles, file: OpenFile, src: Source, p: CompressionParams, out: Pages): Promise<void> {
  const limits = limitsOf(p, ctx.services.files)
  const emit = (ref: unknown, path: string) => out.push(withField({ path }, p.outputField, ref))
  if (file.ref.size === 0) throw invalidFile(src, 'is empty, not a zip or gzip archive')
  if (await isGzip(file)) {
    const ref = await gunzipFile(run, file, src, limits, ctx.signal)
    await emit(ref, ref.name)
    return
  }
  const zip = await openZip(file, src)
  try {
    for (const entry of await listEntries(zip, src, limits)) await emit(await extractEntry(zip, entry, run, src, ctx.signal), entry.path)
  } finally {
    zip.close()
  }
}

async function isGzip(file: OpenFile): Promise<boolean> {
  const chunks: Buffer[] = []
  for await (const chunk of await file.stream({ start: 0, end: 1 })) chunks.push(chunk as Buffer)
  const head = Buffer.concat(chunks)
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b
}

// ---------------------------------------------------------------------------------------------
// compress

/** Entry paths already used in one archive, compared without case (two names differing only in case collide when
 * the archive is unpacked on Windows or macOS). */
class EntryNames {
  private readonly taken = new Set<string>()
  unique(path: string): string {
    const slash = path.lastIndexOf('/') + 1
    const dot = path.lastIndexOf('.')
    const [stem, ext] = dot > slash ? [path.slice(0, dot), path.slice(dot)] : [path, '']
    let candidate = path
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`
    this.taken.add(candidate.toLowerCase())
    return candidate
  }
}

/** An archive being filled: files opened (and so checked: another workspace's file fails here) before any is written. */
class ZipPlan {
  readonly inputs: ZipInput[] = []
  private readonly names = new EntryNames()
  private total = 0
  constructor(private readonly limits: ArchiveLimits) {}

  add(file: OpenFile, path: string, src: Omit<Source, 'name'>): void {
    const where = { ...src, name: file.ref.name }
    if (this.inputs.length >= this.limits.maxEntries) throw tooLarge(where, `would take the archive past maxEntries (${this.limits.maxEntries} files)`, { limit: 'maxEntries' })
    this.total += file.ref.size
    if (this.total > this.limits.maxTotalBytes) {
      throw tooLarge(where, `would take the archive past ${formatBytes(this.limits.maxTotalBytes)} (maxTotalMb)`, { limit: 'maxTotalMb' })
    }
    this.inputs.push({ path: this.names.unique(path), file })
  }
}

/** Where the item's file goes in the archive: `pathField` when set on the item (a trailing `/` makes it a folder), else its name. */
function entryPath(item: Item, p: CompressionParams, file: OpenFile, count: number, index: number): string {
  const value = p.pathField ? getPath(item, p.pathField, 'pathField') : undefined
  if (value === undefined || value === null || value === '') return file.ref.name
  const fail = (code: string, why: string) => new NodeError(`"${p.pathField}" on item ${index} ${why}`, { code, field: 'pathField', details: { item: index } })
  if (typeof value !== 'string') throw fail('INVALID_VALUE', 'is not text (expected a path inside the archive such as "docs/a.txt")')
  const checked = checkEntryPath(value)
  if ('reason' in checked) throw fail('UNSAFE_ARCHIVE_PATH', `is ${JSON.stringify(value)}, which ${checked.reason}`)
  if (checked.directory) return checked.path ? `${checked.path}/${file.ref.name}` : file.ref.name
  if (count > 1) throw fail('INVALID_VALUE', `names one path, but the item holds ${count} files (end it with "/" to make it their folder)`)
  return checked.path
}

async function addItemFiles(run: RunFiles, plan: ZipPlan, item: Item, p: CompressionParams, index: number): Promise<void> {
  const found = filesIn(item, p, index)
  for (const { field, value } of found) {
    const file = await run.open(value, field)
    plan.add(file, entryPath(item, p, file, found.length, index), { field, item: index })
  }
}

async function compressEach(ctx: Ctx, run: RunFiles, out: Pages): Promise<void> {
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    const item = ctx.items[i]
    if (p.format === 'gzip') {
      for (const { field, value } of filesIn(item, p, index)) {
        const gz = await gzipFile(run, await run.open(value, field), ctx.signal)
        await out.push(withField(item, p.outputField, gz))
      }
      continue
    }
    const plan = new ZipPlan(limitsOf(p, ctx.services.files))
    await addItemFiles(run, plan, item, p, index)
    await out.push(withField(item, p.outputField, await writeZip(run, p.fileName, plan.inputs, ctx.signal)))
  }
}

/** combine allItems: the files of every page are opened and checked as they come; the archive is written on the last. */
async function compressAll(ctx: Ctx, run: RunFiles, out: Pages): Promise<void> {
  const state = pageDigest(ctx, 'compression.zip', () => ({ plan: new ZipPlan(limitsOf(ctx.params, ctx.services.files)), fileName: ctx.params.fileName }))
  for (let i = 0; i < ctx.items.length; i++) await addItemFiles(run, state.plan, ctx.items[i], await ctx.paramsFor(i), ctx.inputOffset + i)
  if (!isLastPage(ctx) || state.plan.inputs.length === 0) return
  await out.push(withField({}, ctx.params.outputField, await writeZip(run, state.fileName, state.plan.inputs, ctx.signal)))
}

export const execute: Executor<CompressionParams, 'files'> = async (ctx) => {
  const p = ctx.params
  p.fields.forEach((field, i) => parsePath(field, `fields.${i}`))
  parsePath(p.outputField, 'outputField')
  if (p.pathField) parsePath(p.pathField, 'pathField')
  const run = ctx.services.files.forRun(ctx)
  const out = new Pages(ctx)
  if (p.operation === 'compress') {
    await (p.format === 'zip' && p.combine === 'allItems' ? compressAll(ctx, run, out) : compressEach(ctx, run, out))
    return { main: out.rest() }
  }
  for (let i = 0; i < ctx.items.length; i++) {
    const ip = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    for (const { field, value } of filesIn(ctx.items[i], ip, index)) {
      const file = await run.open(value, field)
      await decompressFile(ctx, run, file, { field, item: index, name: file.ref.name }, ip, out)
    }
  }
  return { main: out.rest() }
}
