// Split Out, Aggregate, Summarize, Sort, Limit, Remove Duplicates (v1–v2), Date & Time (v2), Crypto, HTML (extract),
// XML, and the old Item Lists → split-out, aggregate, summarize, sort, limit, remove-duplicates, date-time, crypto,
// html, xml.
import type { NodeContext, NodeMapper } from '../context'

/** A comma-separated list of field names (n8n writes several fields in one text param). */
function fieldList(ctx: NodeContext, path: string): string[] {
  return ctx.text(path, '').split(',').map((s) => s.trim()).filter(Boolean)
}

export const splitOutMapper: NodeMapper = (ctx) => {
  const fields = fieldList(ctx, 'fieldToSplitOut')
  if (fields.length > 1) ctx.unmapped('fieldToSplitOut', `splitting several lists at once has no equivalent here: only "${fields[0]}" is split`)
  const include = String(ctx.raw('include') ?? 'noOtherFields')
  if (include === 'selectedOtherFields') ctx.unmapped('fieldsToInclude', 'keeping selected other fields has no equivalent here: all other fields are kept')
  const destination = ctx.text('options.destinationFieldName', '')
  return {
    type: 'split-out',
    params: { field: fields[0] ?? '', include: include === 'noOtherFields' ? 'noOtherFields' : 'allOtherFields', ...(destination ? { destination } : {}) },
  }
}

export const aggregateMapper: NodeMapper = (ctx) => {
  if (ctx.raw('aggregate') === 'aggregateAllItemData') {
    return { type: 'aggregate', params: { aggregate: 'allItemData', destination: ctx.text('destinationFieldName', 'data') || 'data' } }
  }
  const fields = ctx.list('fieldsToAggregate.fieldToAggregate').map(({ item, path }) => {
    ctx.raw(path)
    return { field: ctx.text(`${path}.fieldToAggregate`, ''), outputName: item.renameField === true ? ctx.text(`${path}.outputFieldName`, '') : '' }
  })
  if (ctx.raw('options.mergeLists') === true) ctx.unmapped('options.mergeLists', 'merging lists into one has no equivalent here: each value (a list too) is one entry')
  return { type: 'aggregate', params: { aggregate: 'individualFields', fields, keepMissing: ctx.raw('options.keepMissing') === true } }
}

/** n8n's result-name prefix per aggregation (checked against n8n's Summarize utils.ts). */
const SUMMARIZE_PREFIX: Record<string, string> = {
  count: 'count_', countUnique: 'unique_count_', sum: 'sum_', average: 'average_', min: 'min_', max: 'max_', concatenate: 'concatenated_',
}
const SUMMARIZE_OPERATIONS = new Set(Object.keys(SUMMARIZE_PREFIX))

export const summarizeMapper: NodeMapper = (ctx) => {
  const aggregations = ctx.list('fieldsToSummarize.values').flatMap(({ item, path }) => {
    ctx.raw(path)
    const operation = String(item.aggregation ?? 'count')
    if (!SUMMARIZE_OPERATIONS.has(operation)) {
      ctx.unmapped(`${path}.aggregation`, `the aggregation ${operation} has no equivalent here; it was left out`)
      return []
    }
    const field = ctx.text(`${path}.field`, '')
    // n8n names the result <prefix><field> with brackets and quotes dropped and spaces and dots made `_`
    // (Summarize's utils.ts); ours is <operation>_<field> as written, so a name differing from that is given.
    const n8nName = `${SUMMARIZE_PREFIX[operation]}${field.replace(/[\]["]/g, '').replace(/[ .]/g, '_')}`
    const outputName = n8nName === `${operation}_${field}` ? undefined : n8nName
    if (operation !== 'concatenate') return [{ operation, field, ...(outputName ? { outputName } : {}) }]
    const separateBy = String(item.separateBy ?? ',')
    return [{ operation, field, outputName, separator: separateBy === 'other' ? String(item.customSeparator ?? ',') : separateBy }]
  })
  return { type: 'summarize', params: { groupBy: fieldList(ctx, 'fieldsToSplitBy'), aggregations } }
}

export const sortMapper: NodeMapper = (ctx) => {
  const kind = String(ctx.raw('type') ?? 'simple')
  if (kind !== 'simple') {
    ctx.unmapped(kind === 'code' ? 'code' : 'type', `sorting by ${kind} has no equivalent here`)
    return null
  }
  const sortBy = ctx.list('sortFieldsUi.sortField').map(({ item, path }) => {
    ctx.raw(path)
    return { field: ctx.text(`${path}.fieldName`, ''), order: item.order === 'descending' ? 'desc' : 'asc' }
  })
  return { type: 'sort', params: { sortBy } }
}

export const limitMapper: NodeMapper = (ctx) => ({
  type: 'limit',
  params: { maxItems: ctx.num('maxItems', 1), keep: ctx.raw('keep') === 'lastItems' ? 'last' : 'first' },
})

export const removeDuplicatesMapper: NodeMapper = (ctx) => {
  const operation = String(ctx.raw('operation') ?? 'removeDuplicateInputItems')
  if (operation !== 'removeDuplicateInputItems') {
    ctx.unmapped('operation', `${operation} has no equivalent here (our history mode remembers whole items or fields, not a computed value)`)
    return null
  }
  const compare = String(ctx.raw('compare') ?? 'allFields')
  if (compare === 'allFieldsExcept') {
    ctx.unmapped('fieldsToExclude', 'comparing all fields but some has no equivalent here: all fields are compared')
    return { type: 'remove-duplicates', params: { compare: 'allFields' } }
  }
  if (compare !== 'selectedFields') return { type: 'remove-duplicates', params: { compare: 'allFields' } }
  // v1.0 held the fields as a list of { fieldName }, later versions as comma-separated text.
  const listed = ctx.list('fieldsToCompare.fields').map(({ path }) => ctx.text(`${path}.fieldName`, ''))
  const fields = listed.length ? listed : fieldList(ctx, 'fieldsToCompare')
  ctx.raw('fieldsToCompare')
  return { type: 'remove-duplicates', params: { compare: 'selectedFields', fields } }
}

const DATE_FORMATS: Record<string, { outputFormat: string; outputPattern?: string }> = {
  X: { outputFormat: 'epochSeconds' },
  x: { outputFormat: 'epochMillis' },
}

export const dateTimeMapper: NodeMapper = (ctx) => {
  if (ctx.version < 2) {
    ctx.unmapped('action', 'Date & Time v1 (moment.js formats) has no equivalent here; rebuild it with our Date & Time node')
    return null
  }
  const operation = String(ctx.raw('operation') ?? 'getCurrentDate')
  switch (operation) {
    case 'getCurrentDate':
      return { type: 'date-time', params: { operation: 'format', source: 'value', value: '{{ $now }}', outputField: ctx.text('outputFieldName', 'currentDate') } }
    case 'addToDate':
    case 'subtractFromDate':
      return {
        type: 'date-time',
        params: {
          operation: operation === 'addToDate' ? 'add' : 'subtract',
          source: 'value',
          value: ctx.value('magnitude', ''),
          amount: ctx.num('duration', 0),
          unit: ctx.text('timeUnit', 'days'),
          outputField: ctx.text('outputFieldName', 'newDate'),
        },
      }
    case 'formatDate': {
      const format = ctx.text('format', 'MM/dd/yyyy')
      const output = format === 'custom' ? { outputFormat: 'custom', outputPattern: ctx.text('customFormat', '') } : (DATE_FORMATS[format] ?? { outputFormat: 'custom', outputPattern: format })
      return { type: 'date-time', params: { operation: 'format', source: 'value', value: ctx.value('date', ''), ...output, outputField: ctx.text('outputFieldName', 'formattedDate') } }
    }
    default:
      ctx.unmapped('operation', `the Date & Time operation ${operation} has no equivalent here`)
      return null
  }
}

const HASHES: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512', 'SHA3-256': 'sha3-256' }

export const cryptoMapper: NodeMapper = (ctx) => {
  const action = String(ctx.raw('action') ?? 'hash')
  const outputField = ctx.text('dataPropertyName', 'data')
  const encoding = ctx.raw('encoding') === 'base64' ? 'base64' : 'hex'
  if (action === 'generate') {
    const kind = String(ctx.raw('encodingType') ?? 'uuid')
    if (kind === 'uuid') return { type: 'crypto', params: { operation: 'uuid', outputField } }
    if (kind === 'ascii') ctx.unmapped('encodingType', 'random ASCII text has no equivalent here: hex is generated')
    return { type: 'crypto', params: { operation: 'randomBytes', length: ctx.num('stringLength', 32), encoding: kind === 'base64' ? 'base64' : 'hex', outputField } }
  }
  if (action !== 'hash' && action !== 'hmac') {
    ctx.unmapped('action', `${action} has no direct equivalent here (our sign needs a signing key credential)`)
    return null
  }
  const type = String(ctx.raw('type') ?? 'MD5')
  const algorithm = HASHES[type]
  if (!algorithm) ctx.unmapped('type', `the algorithm ${type} has no equivalent here: sha256 is used`)
  if (action === 'hmac') ctx.unmapped('secret', 'secrets are not imported: store the HMAC secret in a credential and pick it on the node', ctx.has('secret') ? '(hidden)' : undefined)
  return { type: 'crypto', params: { operation: action, source: 'value', value: ctx.value('value', ''), algorithm: algorithm ?? 'sha256', encoding, outputField } }
}

export const htmlMapper: NodeMapper = (ctx) => {
  const operation = String(ctx.raw('operation') ?? 'generateHtmlTemplate')
  if (operation !== 'extractHtmlContent') {
    ctx.unmapped('operation', `the HTML operation ${operation} has no equivalent here (ours extracts)`)
    return null
  }
  if (ctx.raw('sourceData') === 'binary') ctx.unmapped('sourceData', 'HTML from a binary file has no equivalent here: the HTML is read from a field')
  const rules = ctx.list('extractionValues.values').map(({ item, path }) => {
    ctx.raw(path)
    const ret = String(item.returnValue ?? 'text')
    return {
      key: ctx.text(`${path}.key`, ''),
      selector: ctx.text(`${path}.cssSelector`, ''),
      return: ['text', 'html', 'attribute', 'value'].includes(ret) ? ret : 'text',
      ...(ret === 'attribute' ? { attribute: ctx.text(`${path}.attribute`, '') } : {}),
      multiple: item.returnArray === true,
    }
  })
  return { type: 'html', params: { operation: 'extract', sourceField: ctx.text('dataPropertyName', 'data'), rules, trim: ctx.raw('options.trimValues') !== false } }
}

export const xmlMapper: NodeMapper = (ctx) => {
  const toXml = ctx.raw('mode') === 'jsonToxml'
  ctx.note('XML: our parser names attributes "@_name" and text "#text" (n8n\'s xml2js uses "$" and "_"), so paths into the parsed object may need editing')
  const sourceField = ctx.text('dataPropertyName', 'data')
  return { type: 'xml', params: toXml ? { operation: 'toXml', sourceField } : { operation: 'toJson', sourceField } }
}

/** Item Lists (v1–v3), the node the list nodes above were split out of: same parameters, chosen by `operation`. */
export const itemListsMapper: NodeMapper = (ctx) => {
  const operation = String(ctx.raw('operation') ?? 'splitOutItems')
  const byOperation: Record<string, NodeMapper> = {
    splitOutItems: splitOutMapper,
    aggregateItems: aggregateMapper,
    removeDuplicates: removeDuplicatesMapper,
    sort: sortMapper,
    limit: limitMapper,
    summarize: summarizeMapper,
  }
  const mapper = byOperation[operation]
  if (mapper) return mapper(ctx)
  ctx.unmapped('operation', `the Item Lists operation ${operation} has no equivalent here`)
  return null
}
