import type { NodeExecutor } from '../../engine/types'
import type { NoOpParams } from './definition'

export const execute: NodeExecutor<NoOpParams> = async (ctx) => ({ main: ctx.items })
