// Where the project is on disk, found the same way from the sources (tsx, vitest), the compiled processes (dist/)
// and Next's server bundle (.next/server): the nearest folder upwards holding this project's package.json.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const NAME = 'auterity-studio'

export function findProjectRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json')
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === NAME) return dir
      } catch {
        // an unreadable package.json is not ours
      }
    }
    if (path.dirname(dir) === dir) return undefined
  }
}

const here = (() => {
  try {
    return path.dirname(fileURLToPath(import.meta.url))
  } catch {
    return process.cwd()
  }
})()

/** The project's root folder (falls back to the working directory, where `npm start` runs). */
export const projectRoot: string = findProjectRoot(here) ?? findProjectRoot(process.cwd()) ?? process.cwd()

/** Is this module running from the compiled server build (dist/) rather than from TypeScript sources? */
export const runningCompiled: boolean = (here + path.sep).startsWith(path.join(projectRoot, 'dist') + path.sep)

/** The compiled server build (scripts/build-server.mjs): entry points and chunks. */
export const DIST_DIR = path.join(projectRoot, 'dist')
