// The compiled server build (scripts/build-server.mjs) and how the project finds itself (lib/paths.ts): dist/ is
// stale whenever a source it is built from is newer, every entry it promises exists as a source, and the root is
// found from any folder inside it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SERVER_ENTRIES, serverBuildIsFresh } from '../../../scripts/build-server.mjs'
import { findProjectRoot, projectRoot, runningCompiled } from '@/lib/paths'

const root = path.resolve(import.meta.dirname, '../../..')
const tmp: string[] = []
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function fakeProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-build-'))
  tmp.push(dir)
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'auterity-studio' }))
  fs.mkdirSync(path.join(dir, 'lib/deep'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'lib/deep/a.ts'), 'export {}')
  fs.mkdirSync(path.join(dir, 'dist'))
  for (const name of Object.keys(SERVER_ENTRIES)) fs.writeFileSync(path.join(dir, 'dist', `${name}.mjs`), '')
  return dir
}

const age = (file: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000)
  fs.utimesSync(file, t, t)
}

describe('the server build', () => {
  it('names a source that exists for every compiled entry', () => {
    for (const [name, src] of Object.entries(SERVER_ENTRIES)) expect(fs.existsSync(path.join(root, src)), `${name}: ${src}`).toBe(true)
    expect(Object.keys(SERVER_ENTRIES)).toEqual(expect.arrayContaining(['start', 'server', 'worker', 'sandbox-child', 'setup', 'migrate']))
  })

  it('is fresh only with a stamp newer than every source and every entry present', () => {
    const dir = fakeProject()
    expect(serverBuildIsFresh(dir)).toBe(false) // no stamp yet
    fs.writeFileSync(path.join(dir, 'dist/.build-stamp'), 'x')
    age(path.join(dir, 'lib/deep/a.ts'), 60)
    age(path.join(dir, 'package.json'), 60)
    expect(serverBuildIsFresh(dir)).toBe(true)
    fs.writeFileSync(path.join(dir, 'lib/deep/a.ts'), 'export const changed = 1') // a source edited after the build
    expect(serverBuildIsFresh(dir)).toBe(false)
    age(path.join(dir, 'lib/deep/a.ts'), 60)
    expect(serverBuildIsFresh(dir)).toBe(true)
    fs.rmSync(path.join(dir, 'dist/worker.mjs'))
    expect(serverBuildIsFresh(dir)).toBe(false)
  })

  it('finds the project root from a folder inside it, and nothing outside it', () => {
    const dir = fakeProject()
    expect(findProjectRoot(path.join(dir, 'lib/deep'))).toBe(dir)
    expect(findProjectRoot(os.tmpdir())).toBeUndefined()
    expect(projectRoot).toBe(root)
    expect(runningCompiled).toBe(false) // the tests run the sources
  })

  it('is what the production commands run: no TypeScript loader in npm start, the images or Kubernetes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    for (const name of ['start', 'start:web', 'start:worker', 'start:webhooks', 'start:realtime', 'backup', 'restore', 'rotate-key']) {
      expect(pkg.scripts[name], name).toMatch(/^node (--[a-z-]+(=\d+)? )*scripts\/launch\.mjs [a-z-]+/)
      expect(pkg.scripts[name], name).not.toMatch(/tsx/)
    }
    expect(pkg.scripts.build).toMatch(/scripts\/build-server\.mjs/)
    for (const file of ['Dockerfile', 'compose.yaml', 'deploy/kubernetes/base/web.yaml', 'deploy/kubernetes/base/worker.yaml', 'deploy/kubernetes/base/migrate-job.yaml']) {
      const text = fs.readFileSync(path.join(root, file), 'utf8')
      expect(text, file).not.toMatch(/"--import", "tsx"|\.ts"\]/)
      expect(text, file).toMatch(/scripts\/launch\.mjs/)
    }
  })
})
