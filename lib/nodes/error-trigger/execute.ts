import type { Executor } from '../define'
import type { ErrorTriggerParams } from './definition'

/** The failed run's item, as the host built it (workers/runtime/error-workflows.ts). */
export const execute: Executor<ErrorTriggerParams> = async (ctx) => ({ main: ctx.items })
