// The chunker: sizes in tokens, overlap between neighbours, structure (headings, paragraphs) before size.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTokenizer, type Tokenizer } from '../../../lib/ai/tokens'
import { chunkText, embeddingInput, sections } from '../../../lib/vector/chunk'

let tokenizer: Tokenizer
beforeAll(async () => {
  tokenizer = await loadTokenizer()
})
const countTokens = (text: string) => tokenizer.countOnce(text)

// Every word carries its sentence's number, so a chunk's overlap with the previous one cannot match by chance.
const sentence = (i: number) => `Sentence ${i} says alpha${i} beta${i} gamma${i} delta${i} epsilon${i} over topic${i}.`
const paragraph = (from: number, n: number) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(' ')
const words = (s: string) => s.split(/\s+/).filter(Boolean)

describe('chunk sizes and overlap', () => {
  it.each([
    [64, 0],
    [64, 16],
    [200, 40],
  ])('size %i, overlap %i: every chunk fits, and together they cover the text in order', async (size, overlap) => {
    const text = Array.from({ length: 6 }, (_, p) => paragraph(p * 10, 10)).join('\n\n')
    const chunks = await chunkText(text, { size, overlap, markdown: false })
    expect(chunks.length).toBeGreaterThan(text.length / (size * 6))
    for (const c of chunks) {
      expect(c.tokens).toBe(countTokens(c.text))
      expect(c.tokens).toBeLessThanOrEqual(size)
    }
    // Dropping each chunk's overlap with the previous one gives back the text's words, in order.
    const rebuilt: string[] = []
    chunks.forEach((c, i) => {
      const w = words(c.text)
      if (i === 0) return rebuilt.push(...w)
      let shared = 0
      for (let k = Math.min(w.length, rebuilt.length); k > 0; k--) {
        if (w.slice(0, k).join(' ') === rebuilt.slice(-k).join(' ')) {
          shared = k
          break
        }
      }
      if (overlap === 0) expect(shared).toBe(0)
      else {
        expect(shared).toBeGreaterThan(0)
        expect(countTokens(w.slice(0, shared).join(' '))).toBeLessThanOrEqual(overlap + 1)
      }
      rebuilt.push(...w.slice(shared))
    })
    expect(rebuilt).toEqual(words(text))
  })

  it('ends chunks at paragraph boundaries when paragraphs fit', async () => {
    const paras = Array.from({ length: 5 }, (_, p) => paragraph(p * 3, 3))
    const size = countTokens(paras[0]) + 5
    const chunks = await chunkText(paras.join('\n\n'), { size, overlap: 0, markdown: false })
    expect(chunks.map((c) => c.text)).toEqual(paras)
  })

  it('splits a single word longer than the size by tokens', async () => {
    const blob = 'Q29udGVudA'.repeat(200)
    const chunks = await chunkText(`before ${blob} after`, { size: 50, overlap: 0, markdown: false })
    expect(chunks.length).toBeGreaterThan(5)
    expect(chunks.every((c) => c.tokens <= 50)).toBe(true)
    expect(chunks.map((c) => c.text).join('').replace(/\s/g, '')).toBe(`before${blob}after`)
  })
})

describe('Markdown structure', () => {
  const md = [
    '# Guide',
    '',
    'Intro to the guide.',
    '',
    '## Install',
    '',
    '### Linux',
    '',
    'Run the installer on Linux.',
    '',
    '```sh',
    '# not a heading: a comment in code',
    'make install',
    '```',
    '',
    '### macOS',
    '',
    'Drag the app to Applications.',
    '',
    '## Use',
    '',
    'Open it and go.',
  ].join('\n')

  it('keeps the heading path of each section, never mixes sections in a chunk, and reads no heading in code', async () => {
    const chunks = await chunkText(md, { size: 400, overlap: 60, markdown: true })
    expect(chunks.map((c) => c.section)).toEqual(['Guide', 'Guide › Install › Linux', 'Guide › Install › macOS', 'Guide › Use'])
    expect(chunks[1].text).toContain('# not a heading: a comment in code')
    expect(chunks[1].text.startsWith('### Linux')).toBe(true)
    expect(chunks[2].text).not.toContain('Linux')
  })

  it('drops a section that is only its heading (its title lives on in the path below it)', () => {
    expect(sections('# A\n\n## B\n\nText under B.', true).map((s) => [s.path, s.body])).toEqual([['A › B', '## B\n\nText under B.']])
  })

  it('treats plain text as one section, headings or not', async () => {
    expect((await chunkText('# Not a heading here\n\nJust text.', { size: 100, overlap: 0, markdown: false })).map((c) => c.section)).toEqual([''])
  })

  it('embeds a chunk with its heading path above its text', () => {
    expect(embeddingInput({ section: 'Guide › Use', text: 'Open it.' })).toBe('Guide › Use\n\nOpen it.')
    expect(embeddingInput({ section: '', text: 'Open it.' })).toBe('Open it.')
  })
})
