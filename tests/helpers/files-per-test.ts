// memoryFiles() for one test file: the folders of the stores it makes are removed after each test.
import fs from 'node:fs/promises'
import { afterEach } from 'vitest'
import { memoryFiles } from './files'

export type MemoryFiles = ReturnType<typeof memoryFiles>

export function memoryFilesPerTest(): (opts?: Parameters<typeof memoryFiles>[0]) => MemoryFiles {
  const made: string[] = []
  afterEach(async () => {
    for (const dir of made.splice(0)) await fs.rm(dir, { recursive: true, force: true })
  })
  return (opts) => {
    const files = memoryFiles(opts)
    made.push(files.root)
    return files
  }
}
