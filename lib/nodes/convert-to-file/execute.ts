import { extension as mimeExtension } from 'mime-types'
import { NodeError, type ExecuteContext, type Item, type NodeOutput } from '../../engine/types'
import type { RunFiles } from '../../files/types'
import type { Executor } from '../define'
import type { HostServices } from '../host-services'
import { copyForPaths, deletePath, fileError, kindOf } from '../file-fields'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath, setPath } from '../paths'
import type { ConvertToFileParams } from './definition'
import { StreamedFile } from './sink'
import { wholeFileWriter, type WholeFileWriter } from './writers'

type Ctx = ExecuteContext<ConvertToFileParams, Pick<HostServices, 'files'>>

const DEFAULT_NAMES = { csv: 'data.csv', xlsx: 'data.xlsx', json: 'data.json', text: 'file.txt', base64: 'file' } as const
const MIME = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', json: 'application/json' } as const

/** One file of every input item (csv, xlsx, a JSON list): opened on the first page, finished on the last. */
interface WholeFile {
  sink: StreamedFile
  writer: WholeFileWriter
}

function openWholeFile(ctx: Ctx, files: RunFiles): WholeFile {
  const p = ctx.params
  const op = p.operation as 'csv' | 'xlsx' | 'json'
  const sink = new StreamedFile(files, { name: p.fileName || DEFAULT_NAMES[op], mimeType: MIME[op] }, ctx.signal)
  return { sink, writer: wholeFileWriter(op, sink, p) }
}

async function wholeFile(ctx: Ctx): Promise<NodeOutput> {
  const state = pageDigest(ctx, 'convert-to-file.file', () => openWholeFile(ctx, ctx.services.files.forRun(ctx)))
  try {
    await state.writer.page(ctx.items, ctx.inputOffset)
    if (!isLastPage(ctx)) return { main: [] }
    await state.writer.end()
    const ref = await state.sink.finish()
    const out: Item = {}
    setPath(out, ctx.params.outputField, ref, 'outputField')
    return { main: [out] }
  } catch (err) {
    state.sink.abort(err)
    throw err
  }
}

function textOf(item: Item, p: ConvertToFileParams, index: number): string {
  const value = getPath(item, p.sourceField, 'sourceField')
  if (typeof value !== 'string') {
    throw new NodeError(`"${p.sourceField}" on item ${index} is ${kindOf(value)}, not text`, { code: 'INVALID_VALUE', field: 'sourceField', details: { item: index } })
  }
  return value
}

const DATA_URL = /^data:([^;,]*)(?:;[^,]*)?;base64,/i
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$|^[A-Za-z0-9_-]*$/

function decodeBase64(item: Item, p: ConvertToFileParams, index: number): { bytes: Buffer; mimeType?: string } {
  const text = textOf(item, p, index)
  const dataUrl = DATA_URL.exec(text)
  const body = (dataUrl ? text.slice(dataUrl[0].length) : text).replace(/\s+/g, '')
  if (!BASE64.test(body) || body.length % 4 === 1) {
    throw new NodeError(`"${p.sourceField}" on item ${index} is not base64 text`, { code: 'INVALID_VALUE', field: 'sourceField', details: { item: index } })
  }
  return { bytes: Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64'), mimeType: dataUrl?.[1] || undefined }
}

/** What one item's file holds, its name and type (unset: the store guesses the type from the name). */
function fileOfItem(item: Item, p: ConvertToFileParams, index: number): { data: string | Buffer; name: string; mimeType?: string } {
  if (p.operation === 'json') return { data: JSON.stringify(item, null, p.pretty ? 2 : undefined), name: p.fileName || DEFAULT_NAMES.json, mimeType: MIME.json }
  if (p.operation === 'text') return { data: textOf(item, p, index), name: p.fileName || DEFAULT_NAMES.text, mimeType: p.mimeType || undefined }
  const decoded = decodeBase64(item, p, index)
  const mimeType = p.mimeType || decoded.mimeType
  const ext = mimeType && mimeExtension(mimeType)
  return { data: decoded.bytes, name: p.fileName || (ext ? `file.${ext}` : DEFAULT_NAMES.base64), mimeType }
}

/** One file per item (json eachItem, text, base64): the item comes out with its file reference. */
async function fileOfEachItem(ctx: Ctx): Promise<NodeOutput> {
  const files = ctx.services.files.forRun(ctx)
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    const item = ctx.items[i]
    const file = fileOfItem(item, p, index)
    let ref
    try {
      ref = await files.write({ ...file, signal: ctx.signal })
    } catch (err) {
      throw fileError(err, p.operation === 'json' ? 'operation' : 'sourceField', index)
    }
    const dropSource = p.operation !== 'json' && !p.keepSource
    const paths = [{ path: p.outputField, field: 'outputField' }, ...(dropSource ? [{ path: p.sourceField, field: 'sourceField' }] : [])]
    const copy = copyForPaths(item, paths)
    if (dropSource) deletePath(copy, p.sourceField, 'sourceField')
    setPath(copy, p.outputField, ref, 'outputField')
    out.push(copy)
  }
  return { main: out }
}

export const execute: Executor<ConvertToFileParams, 'files'> = async (ctx) => {
  const p = ctx.params
  // Checked before any file is opened, on every page: a bad path fails even without input.
  parsePath(p.outputField, 'outputField')
  if (p.operation === 'text' || p.operation === 'base64') parsePath(p.sourceField, 'sourceField')
  const whole = p.operation === 'csv' || p.operation === 'xlsx' || (p.operation === 'json' && p.jsonMode === 'allItems')
  return whole ? wholeFile(ctx) : fileOfEachItem(ctx)
}
