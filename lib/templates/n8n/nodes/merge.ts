// Merge v1 (append, mergeByIndex, mergeByKey, passThrough, …), v2–v2.1 (append, combine by fields / position,
// chooseBranch) and v3+ (combineByFields, combineByPosition, chooseBranch, up to 4 inputs here) → merge.
// n8n input index i → our port input<i+1>.
import type { MergeParams } from '../../../nodes/merge/definition'
import type { NodeContext, NodeMapper } from '../context'

type Params = Partial<MergeParams>

const APPEND: Params = { mode: 'append' }

function unmappedMode(ctx: NodeContext, path: string, mode: string): Params {
  ctx.unmapped(path, `merge mode "${mode}" has no equivalent here; imported as append (input 1's items, then input 2's)`)
  return APPEND
}

function clash(ctx: NodeContext): Pick<Params, 'preferOnClash'> {
  const resolve = ctx.raw('options.clashHandling.values.resolveClash') ?? 'preferInput2'
  if (resolve === 'addSuffix') ctx.unmapped('options.clashHandling.values.resolveClash', 'adding a suffix to clashing fields has no equivalent here: input 2 wins')
  return { preferOnClash: resolve === 'preferInput1' ? 'input1' : 'input2' }
}

function byPosition(ctx: NodeContext): Params {
  return { mode: 'byPosition', includeUnpaired: ctx.raw('options.includeUnpaired') === true, ...clash(ctx) }
}

/** v2+: joinMode + the pair of key fields (v2 `mergeByFields.values`, v3 also `fieldsToMatchString`). */
function byFields(ctx: NodeContext): Params {
  const pairs = ctx.list('mergeByFields.values')
  ctx.raw('advanced')
  let field1 = 'id'
  let field2 = 'id'
  if (ctx.version >= 3 && ctx.peek('advanced') !== true) {
    const names = ctx.text('fieldsToMatchString', '').split(',').map((s) => s.trim()).filter(Boolean)
    if (names.length > 1) ctx.unmapped('fieldsToMatchString', `matching on several fields has no equivalent here: only "${names[0]}" is used`)
    field1 = field2 = names[0] ?? 'id'
  } else if (pairs.length > 0) {
    field1 = ctx.text(`${pairs[0].path}.field1`, 'id')
    field2 = ctx.text(`${pairs[0].path}.field2`, 'id')
    if (pairs.length > 1) ctx.unmapped('mergeByFields.values', `matching on several field pairs has no equivalent here: only ${field1} = ${field2} is used`)
    ctx.raw('mergeByFields')
  }
  const joinMode = String(ctx.raw('joinMode') ?? 'keepMatches')
  const kind = ({ keepMatches: 'inner', keepEverything: 'outer', enrichInput1: 'left' } as const)[joinMode as 'keepMatches']
  if (!kind) return unmappedMode(ctx, 'joinMode', joinMode)
  const from = ctx.raw('outputDataFrom') ?? 'both'
  if (joinMode === 'keepMatches' && from !== 'both') ctx.unmapped('outputDataFrom', `keeping only ${String(from)}'s fields has no equivalent here: matched items hold both inputs' fields`)
  if (ctx.peek('options.fuzzyCompare') === true) {
    ctx.raw('options.fuzzyCompare')
    ctx.note('fuzzy compare: keys always compare as text here (42 matches "42")')
  }
  return { mode: 'byKey', joinKind: kind, field1, field2, ...clash(ctx) }
}

function chooseBranch(ctx: NodeContext): Params {
  ctx.raw('chooseBranchMode')
  const output = String(ctx.raw('output') ?? (ctx.version >= 3 ? 'specifiedInput' : 'input1'))
  if (output === 'empty') {
    ctx.unmapped('output', 'outputting one empty item has no equivalent here: input 1 is output')
    return { mode: 'waitForAll', output: 'input1' }
  }
  const n = output === 'specifiedInput' ? Number(ctx.raw('useDataOfInput') ?? 1) : output === 'input2' ? 2 : 1
  return { mode: 'waitForAll', output: n === 2 ? 'input2' : n === 3 ? 'input3' : n === 4 ? 'input4' : 'input1' }
}

function v1(ctx: NodeContext, mode: string): Params {
  switch (mode) {
    case 'append':
      return APPEND
    case 'mergeByIndex': {
      const join = String(ctx.raw('join') ?? 'left')
      if (join === 'left') ctx.note('merge by index, left join: when input 2 is longer its extra items are passed on too (n8n drops them)')
      return { mode: 'byPosition', includeUnpaired: join !== 'inner' }
    }
    case 'mergeByKey': {
      const overwrite = ctx.raw('overwrite') ?? 'always'
      if (overwrite !== 'always') ctx.unmapped('overwrite', `overwriting only ${String(overwrite)} values has no equivalent here: input 2 always wins`)
      return { mode: 'byKey', joinKind: 'left', field1: ctx.text('propertyName1', ''), field2: ctx.text('propertyName2', ''), preferOnClash: 'input2' }
    }
    case 'passThrough':
      return { mode: 'waitForAll', output: ctx.raw('output') === 'input2' ? 'input2' : 'input1' }
    default:
      return unmappedMode(ctx, 'mode', mode)
  }
}

export const mergeMapper: NodeMapper = (ctx) => {
  const mode = String(ctx.raw('mode') ?? 'append')
  let params: Params
  if (ctx.version < 2) params = v1(ctx, mode)
  else if (mode === 'append') params = APPEND
  else if (mode === 'chooseBranch') params = chooseBranch(ctx)
  else if (mode === 'combine') {
    const by = String(ctx.raw(ctx.version >= 3 ? 'combineBy' : 'combinationMode') ?? (ctx.version >= 3 ? 'combineByFields' : 'mergeByFields'))
    params = by === 'mergeByFields' || by === 'combineByFields' ? byFields(ctx) : by === 'mergeByPosition' || by === 'combineByPosition' ? byPosition(ctx) : unmappedMode(ctx, ctx.version >= 3 ? 'combineBy' : 'combinationMode', by)
  } else params = unmappedMode(ctx, 'mode', mode)
  ctx.raw('numberInputs')
  return { type: 'merge', params, inputPort: (i) => (i >= 0 && i < 4 ? `input${i + 1}` : undefined) }
}
