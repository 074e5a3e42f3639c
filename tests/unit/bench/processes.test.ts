import { describe, expect, it } from 'vitest'
import { parsePssKiB, parseStat, processGroup, processTree, type ProcInfo } from '../../../bench/processes'

const proc = (pid: number, ppid: number, comm: string, cmdline: string[] = [comm]): ProcInfo => ({ pid, ppid, pgrp: 1, comm, cmdline })

describe('bench process memory helpers', () => {
  it('reads the command name and parent from /proc/<pid>/stat, parentheses in the name included', () => {
    expect(parseStat('4242 (npm start) S 4000 4242 4000 0 -1 4194560 12 0 0 0')).toEqual({ comm: 'npm start', ppid: 4000, pgrp: 4242 })
    expect(parseStat('77 (a) b) R 1 77 77 0')).toEqual({ comm: 'a) b', ppid: 1, pgrp: 77 })
  })

  it('reads PSS from smaps_rollup', () => {
    const rollup = '55d0c0000000-7ffd00000000 ---p 00000000 00:00 0    [rollup]\nRss:              123456 kB\nPss:               98765 kB\nPss_Anon:          80000 kB\n'
    expect(parsePssKiB(rollup)).toBe(98765)
    expect(() => parsePssKiB('Rss: 1 kB')).toThrow(/no Pss/)
  })

  it('walks a process tree from its root, leaving other trees out', () => {
    const table = [proc(1, 0, 'init'), proc(10, 1, 'npm'), proc(11, 10, 'sh'), proc(12, 11, 'node'), proc(13, 12, 'postgres'), proc(14, 13, 'postgres'), proc(20, 1, 'redis-server')]
    expect(processTree(table, 10).map((p) => p.pid)).toEqual([10, 11, 12, 13, 14])
    expect(processTree(table, 99)).toEqual([])
  })

  it.each([
    [['postgres: auterity auterity 127.0.0.1(5432) idle'], 'postgres', 'postgres'],
    [['sh', '-c', 'tsx scripts/start.ts'], 'sh', 'sh'],
    [['node', '/w/node_modules/.bin/tsx', 'scripts/start.ts'], 'node', 'tsx wrapper'],
    [['/usr/bin/node', '--require', '/w/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///w/node_modules/tsx/dist/loader.mjs', 'scripts/start.ts'], 'node', 'start supervisor'],
    [['/usr/bin/node', 'dist/scripts/start.js'], 'node', 'start supervisor'],
    [['/usr/bin/node', '--no-node-snapshot', '--max-semi-space-size=64', '--import', 'tsx', 'server.ts'], 'node', 'web'],
    [['/usr/bin/node', '--no-node-snapshot', 'dist/server.mjs'], 'node', 'web'],
    [['/usr/bin/node', '--no-node-snapshot', '--import', 'tsx', 'workers/worker.ts'], 'node', 'worker'],
    [['/usr/bin/node', '--no-node-snapshot', '--import', 'tsx', '/w/lib/sandbox/child.ts', '{"poolSize":2}'], 'node', 'code sandbox'],
    [['/w/node_modules/@esbuild/linux-x64/bin/esbuild', '--service=0.25.0', '--ping'], 'esbuild', 'esbuild (tsx)'],
    [['/usr/bin/node', '/w/node_modules/.bin/next', 'build'], 'node', 'next build'],
    [['node', 'scripts/launch.mjs', 'start'], 'node', 'start supervisor'],
    [['/usr/bin/node', '--no-node-snapshot', '--max-semi-space-size=64', '/w/dist/worker.mjs'], 'node', 'worker'],
    [['/usr/bin/node', '--no-node-snapshot', '/w/dist/sandbox-child.mjs', '{"poolSize":4}'], 'node', 'code sandbox'],
    [['/usr/bin/node', '--import', 'tsx', 'scripts/other.ts'], 'node', 'node other.ts'],
    [['redis-server', '127.0.0.1:0'], 'redis-server', 'redis-server'],
  ])('names %j as a part of the studio', (cmdline, comm, group) => {
    expect(processGroup(proc(2, 1, comm, cmdline))).toBe(group)
  })
})
