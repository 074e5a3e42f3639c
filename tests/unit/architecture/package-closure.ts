// What a production install holds, read from package-lock.json the way npm lays out node_modules: the packages
// reachable from the root's "dependencies" (and optional dependencies) through dependencies, optional
// dependencies and required peers. Optional peers are not followed: npm installs one only because some other
// edge wants it, and the image's prune drops those that only a devDependency wanted (docs/operations.md,
// "Install size").
import path from 'node:path'

export interface LockEntry {
  version?: string
  dev?: boolean
  optional?: boolean
  devOptional?: boolean
  link?: boolean
  resolved?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

export interface Lockfile {
  packages: Record<string, LockEntry>
}

/** Where node's resolution finds `name` when `from` (a lockfile key, '' for the root) requires it. */
export function resolveInLock(lock: Lockfile, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = parentPackage(dir)) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`
    if (lock.packages[key]) return key
    if (!dir) return undefined
  }
}

/** The package folder whose node_modules holds `key`: node_modules/a/node_modules/b → node_modules/a; top level → ''. */
function parentPackage(key: string): string {
  const i = key.lastIndexOf('/node_modules/')
  return i === -1 ? '' : key.slice(0, i)
}

/** Lockfile keys of every package a production install keeps; links count as their target too. */
export function productionClosure(lock: Lockfile): Set<string> {
  const root = lock.packages['']
  const kept = new Set<string>()
  const queue: Array<[string, string]> = Object.keys({ ...root.dependencies, ...root.optionalDependencies }).map((n) => ['', n])
  while (queue.length) {
    const [from, name] = queue.shift()!
    let key = resolveInLock(lock, from, name)
    if (!key || kept.has(key)) continue
    kept.add(key)
    const entry = lock.packages[key]
    if (entry.link && entry.resolved) {
      key = path.posix.normalize(entry.resolved)
      if (kept.has(key) || !lock.packages[key]) continue
      kept.add(key)
    }
    const e = lock.packages[key]
    const requiredPeers = Object.keys(e.peerDependencies ?? {}).filter((p) => !e.peerDependenciesMeta?.[p]?.optional)
    for (const dep of [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}), ...requiredPeers]) queue.push([key, dep])
  }
  return kept
}
