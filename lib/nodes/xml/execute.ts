import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { getPath, parsePath, setPath } from '../paths'
import { readTextField } from '../text-input'
import type { XmlParams } from './definition'

/**
 * DOCTYPE entities stay on (documents use them for ordinary text) but capped explicitly, so a looser library
 * default can never turn an entity bomb back on. fast-xml-parser expands each entity once and leaves references
 * inside entity values as text, which is what defuses "billion laughs"; the caps stop the flat, quadratic kind.
 */
const ENTITY_LIMITS = { enabled: true, maxEntityCount: 100, maxEntitySize: 10_000, maxTotalExpansions: 1000, maxExpandedLength: 100_000 }

function parserFor(p: XmlParams): XMLParser {
  const arrays = new Set(p.alwaysArray)
  return new XMLParser({
    ignoreAttributes: !p.attributes,
    attributeNamePrefix: p.attributePrefix,
    textNodeName: p.textNodeName,
    parseTagValue: p.parseNumbers,
    parseAttributeValue: false,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && arrays.has(name),
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: ENTITY_LIMITS,
    maxNestedTags: p.maxDepth,
  })
}

/** The library reports its limits as plain Errors; the step error says which limit and which item. */
function parseError(e: unknown, path: string, index: number, maxDepth: number): NodeError {
  const message = (e as Error).message
  const base = { field: 'sourceField', details: { item: index }, cause: e }
  if (/nested tags/i.test(message)) {
    return new NodeError(`"${path}" on item ${index} nests elements deeper than ${maxDepth} levels (maxDepth)`, { ...base, code: 'XML_TOO_DEEP' })
  }
  if (/entit/i.test(message)) {
    return new NodeError(`"${path}" on item ${index} goes over the entity expansion limits: ${message}`, { ...base, code: 'XML_ENTITY_LIMIT' })
  }
  return new NodeError(`"${path}" on item ${index} is not valid XML: ${message}`, { ...base, code: 'INVALID_XML' })
}

function toJson(item: Item, p: XmlParams, index: number): unknown {
  const xml = readTextField(item, p.sourceField, 'sourceField', index, p.maxInputMb)
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { msg, line, col } = valid.err
    throw new NodeError(`"${p.sourceField}" on item ${index} is not valid XML: ${msg} (line ${line}, column ${col})`, {
      code: 'INVALID_XML',
      field: 'sourceField',
      details: { item: index, line, column: col },
    })
  }
  try {
    return parserFor(p).parse(xml)
  } catch (e) {
    throw parseError(e, p.sourceField, index, p.maxDepth)
  }
}

function toXml(item: Item, p: XmlParams, index: number): string {
  const value = getPath(item, p.sourceField, 'sourceField')
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value)
  if (!p.rootName && !isObject) {
    const kind = value === undefined ? 'missing' : value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`
    throw new NodeError(`"${p.sourceField}" on item ${index} is ${kind}, not an object (set rootName to wrap it in an element)`, {
      code: 'INVALID_VALUE',
      field: 'sourceField',
      details: { item: index },
    })
  }
  const builder = new XMLBuilder({
    ignoreAttributes: !p.attributes,
    attributeNamePrefix: p.attributePrefix,
    textNodeName: p.textNodeName,
    format: p.format,
    maxNestedTags: p.maxDepth,
  })
  try {
    return builder.build(p.rootName ? { [p.rootName]: value } : value)
  } catch (e) {
    const message = (e as Error).message
    const tooDeep = /nested tags/i.test(message)
    throw new NodeError(
      tooDeep ? `"${p.sourceField}" on item ${index} nests deeper than ${p.maxDepth} levels (maxDepth)` : `"${p.sourceField}" on item ${index} cannot be written as XML: ${message}`,
      { code: tooDeep ? 'XML_TOO_DEEP' : 'INVALID_VALUE', field: 'sourceField', details: { item: index }, cause: e },
    )
  }
}

export const execute: NodeExecutor<XmlParams> = async (ctx) => {
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    const item = ctx.items[i]
    const result = p.operation === 'toJson' ? toJson(item, p, index) : toXml(item, p, index)
    const target = p.destination || p.sourceField
    const field = p.destination ? 'destination' : 'sourceField'
    // A nested target writes into a clone so the input item's objects stay untouched.
    const copy = parsePath(target, field).length > 1 ? structuredClone(item) : { ...item }
    setPath(copy, target, result, field)
    out.push(copy)
  }
  return { main: out }
}
