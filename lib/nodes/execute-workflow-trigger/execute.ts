import { NodeError } from '../../engine/types'
import type { Executor } from '../define'
import { inputProblem, type ExecuteWorkflowTriggerParams } from './definition'

/** The items the caller handed over, checked against the input schema (the host checks before it starts a run). */
export const execute: Executor<ExecuteWorkflowTriggerParams> = async (ctx) => {
  const problem = inputProblem(ctx.params, ctx.items)
  if (problem) throw new NodeError(problem.message, { code: 'INVALID_INPUT', field: `fields.${problem.field}`, details: problem })
  return { main: ctx.items }
}
