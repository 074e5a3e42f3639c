import { NodeError, type ExecuteContext, type Item } from '../../engine/types'
import type { RunFiles } from '../../files/types'
import type { Executor } from '../define'
import { copyForPaths, fileError } from '../file-fields'
import type { HostServices } from '../host-services'
import { getPath, parsePath, setPath } from '../paths'
import { readCsv } from './csv'
import type { ExtractFromFileParams } from './definition'
import { PageWriter } from './rows'
import { readXlsx } from './xlsx'

type Ctx = ExecuteContext<ExtractFromFileParams, Pick<HostServices, 'files'>>

const MB = 1024 * 1024

const maxFileBytes = (p: ExtractFromFileParams) => Math.floor(p.maxFileMb * MB)

/** The whole file, within maxFileMb; the store's errors name the item and the parameter to change. */
async function readWhole(files: RunFiles, value: unknown, p: ExtractFromFileParams, index: number) {
  try {
    return await files.readBytes(value, { field: p.field, maxBytes: maxFileBytes(p) })
  } catch (err) {
    const tooLarge = err instanceof NodeError && err.code === 'FILE_TOO_LARGE'
    throw fileError(err, 'field', index, tooLarge ? `; raise maxFileMb (now ${p.maxFileMb}) to read it` : '')
  }
}

/** Deeper than `max` levels of lists and objects? Walked without recursion, so any depth is safe to check. */
function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

function parseJson(bytes: Buffer, p: ExtractFromFileParams, where: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch (err) {
    throw new NodeError(`${where} is not valid JSON: ${(err as Error).message}`, { code: 'INVALID_FILE', field: 'field', cause: err })
  }
  if (tooDeep(value, p.maxDepth)) {
    throw new NodeError(`${where} nests lists and objects deeper than ${p.maxDepth} levels (maxDepth)`, { code: 'JSON_TOO_DEEP', field: 'maxDepth' })
  }
  return value
}

const isObject = (v: unknown): v is Item => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Rows, JSON items: new items written page by page. */
async function itemsOfFile(ctx: Ctx, files: RunFiles, item: Item, p: ExtractFromFileParams, index: number, out: PageWriter): Promise<void> {
  const value = getPath(item, p.field, 'field')
  if (p.operation === 'csv') {
    let opened
    try {
      opened = await files.open(value, p.field)
    } catch (err) {
      throw fileError(err, 'field', index)
    }
    const where = `"${p.field}" on item ${index} (${opened.ref.name})`
    await readCsv(await opened.stream(), p, out, where, ctx.signal)
    return
  }
  const { ref, bytes } = await readWhole(files, value, p, index)
  const where = `"${p.field}" on item ${index} (${ref.name})`
  if (p.operation === 'xlsx') return readXlsx(bytes, p, out, where, ctx.signal, maxFileBytes(p))
  const json = parseJson(bytes, p, where)
  const wrap = (v: unknown): Item => (isObject(v) ? v : { [p.destination]: v })
  if (!Array.isArray(json)) return out.push(wrap(json))
  for (const element of json) await out.push(wrap(element))
}

/** text, base64: the input item with the file's content in `destination`. */
async function withContent(files: RunFiles, item: Item, p: ExtractFromFileParams, index: number): Promise<Item> {
  const { bytes } = await readWhole(files, getPath(item, p.field, 'field'), p, index)
  const copy = copyForPaths(item, [{ path: p.destination, field: 'destination' }])
  setPath(copy, p.destination, p.operation === 'text' ? new TextDecoder().decode(bytes) : bytes.toString('base64'), 'destination')
  return copy
}

export const execute: Executor<ExtractFromFileParams, 'files'> = async (ctx) => {
  parsePath(ctx.params.field, 'field')
  parsePath(ctx.params.destination, 'destination')
  const files = ctx.services.files.forRun(ctx)
  const out = new PageWriter((output) => ctx.write(output))
  const contents: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    if (p.operation === 'text' || p.operation === 'base64') contents.push(await withContent(files, ctx.items[i], p, index))
    else await itemsOfFile(ctx, files, ctx.items[i], p, index, out)
  }
  await out.flush()
  return { main: contents }
}
