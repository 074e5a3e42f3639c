// Keyset pagination by (createdAt, id): stable under inserts, no OFFSET scans.
import { ValidationError } from '../errors'

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url')
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(iso)
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError('cursor: not a cursor from this API', { cursor: 'invalid' })
  return { createdAt, id }
}

/** The rows after `cursor` in (`column` desc, id desc) order, as a `where.OR` (undefined: from the first row). */
export function afterCursor<K extends string>(cursor: string | undefined, column: K): Array<Record<K, { lt: Date }> | (Record<K, Date> & { id: { lt: string } })> | undefined {
  if (!cursor) return undefined
  const after = decodeCursor(cursor)
  return [{ [column]: { lt: after.createdAt } } as Record<K, { lt: Date }>, { [column]: after.createdAt, id: { lt: after.id } } as Record<K, Date> & { id: { lt: string } }]
}

/** A page out of `limit + 1` rows read: the first `limit`, and the cursor of the next page when there is one. */
export function keysetPage<R extends { id: string }>(rows: R[], limit: number, keyOf: (row: R) => Date): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { page, nextCursor: rows.length > limit ? encodeCursor({ createdAt: keyOf(last), id: last.id }) : null }
}
