// Is the production build of the UI (.next) at least as new as the sources it was built from?
import fs from 'node:fs'
import path from 'node:path'

const SOURCE_DIRS = ['app', 'components', 'lib', 'public']
const SOURCE_FILES = ['next.config.js', 'package.json', 'postcss.config.mjs']

function newestSourceMtime(root: string): number {
  let newest = 0
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'generated' || entry.name.startsWith('.')) continue
      const p = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(p)
      else newest = Math.max(newest, fs.statSync(p).mtimeMs)
    }
  }
  for (const d of SOURCE_DIRS) walk(path.join(root, d))
  for (const f of SOURCE_FILES) {
    const p = path.join(root, f)
    if (fs.existsSync(p)) newest = Math.max(newest, fs.statSync(p).mtimeMs)
  }
  return newest
}

export function hasBuild(root: string): boolean {
  return fs.existsSync(path.join(root, '.next/BUILD_ID'))
}

export function isBuildFresh(root: string): boolean {
  const buildId = path.join(root, '.next/BUILD_ID')
  return fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= newestSourceMtime(root)
}

/** The e2e suite's build: `next build` under the checkout's build lock (one build per checkout at a time). On CI the
 * type check is skipped: `npm run typecheck` ran first and covers every file the build would check. */
export function e2eBuildCommand(root: string): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    cmd: 'flock',
    args: ['-w', '900', path.join(root, '.next-build.lock'), path.join(root, 'node_modules/.bin/next'), 'build'],
    env: { ...process.env, NODE_ENV: 'production', ...(process.env.CI ? { AUTERITY_BUILD_SKIP_TYPECHECK: '1' } : {}) },
  }
}
