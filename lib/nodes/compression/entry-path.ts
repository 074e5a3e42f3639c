// Entry names come from whoever made the archive. The store never writes to a path taken from one (its keys are ids),
// but the `path` handed to the next step must be clean: relative, inside the archive, printable.

export type CheckedPath = { path: string; directory: boolean } | { reason: string }

const CONTROL = /[\u0000-\u001f\u007f]/

/** Backslashes count as `/` (older Windows tools write them); `.` and empty segments are dropped. */
export function checkEntryPath(name: string): CheckedPath {
  if (CONTROL.test(name)) return { reason: 'holds control characters (such as NUL)' }
  const slashed = name.replace(/\\/g, '/')
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) return { reason: 'is an absolute path' }
  const segments = slashed.split('/')
  if (segments.includes('..')) return { reason: 'climbs out of the archive ("..")' }
  const kept = segments.filter((s) => s !== '' && s !== '.')
  const directory = slashed.endsWith('/')
  if (kept.length === 0 && !directory) return { reason: 'is empty' }
  return { path: kept.join('/'), directory }
}
