// Keys that lead from plain data to the host's prototypes. Items are plain JSON, so no path a user writes
// (an expression, a field name, a join key) ever needs them; following or writing one would let a workflow
// edit `Object.prototype` in the worker or the web process, which every tenant shares.
import { NodeError } from './types'

export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor'])

export function isReservedKey(key: string | number): boolean {
  return typeof key === 'string' && RESERVED_KEYS.has(key)
}

export function reservedKeyError(key: string, where: string, field: string): NodeError {
  return new NodeError(`${where} uses the reserved name "${key}" (not allowed: ${[...RESERVED_KEYS].join(', ')})`, {
    code: 'RESERVED_KEY',
    retryable: false,
    field,
  })
}

/** Reads an own property only: inherited members (`toString`, a prototype) are not data. */
export function ownValue(container: unknown, key: string | number): unknown {
  if (container === null || container === undefined) return undefined
  const obj = Object(container) as Record<string | number, unknown>
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** True for an object the engine may write into: a plain object or an array, never a built-in prototype. */
export function isWritableContainer(value: unknown): value is Record<string | number, unknown> {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value !== Array.prototype
  const proto = Object.getPrototypeOf(value)
  return (proto === Object.prototype || proto === null) && value !== Object.prototype
}
