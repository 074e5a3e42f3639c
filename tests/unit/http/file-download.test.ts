// The pure parts of a download answer: the attachment header's two names, which types go out as octet-stream,
// and which Range headers are served.
import { describe, expect, it } from 'vitest'
import { attachmentDisposition, downloadType, parseRange } from '@/lib/http/file-download'

describe('attachmentDisposition', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['say "hi".txt', `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
    ['naïve résumé.txt', `attachment; filename="na_ve r_sum_.txt"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt`],
    ['a\\b;c%20(1)*\'.txt', `attachment; filename="a_b;c_20(1)*'.txt"; filename*=UTF-8''a%5Cb%3Bc%2520%281%29%2A%27.txt`],
    ['日本.csv', `attachment; filename="__.csv"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.csv`],
  ])('%s', (name, header) => {
    expect(attachmentDisposition(name)).toBe(header)
    // A header value may not hold control characters or anything outside Latin-1.
    expect(() => new Headers({ 'content-disposition': attachmentDisposition(name) })).not.toThrow()
  })

  it('keeps line breaks out of the header even if a name carries them', () => {
    expect(attachmentDisposition('a\r\nSet-Cookie: x=1')).toBe(`attachment; filename="a__Set-Cookie: x=1"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1`)
  })
})

describe('downloadType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['application/json', 'application/json'],
    ['application/pdf', 'application/pdf'],
    ['text/html', 'application/octet-stream'],
    ['TEXT/HTML; charset=utf-8', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['application/atom+xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/x-javascript', 'application/octet-stream'],
    ['multipart/x-mixed-replace; boundary=x', 'application/octet-stream'],
    ['not a type', 'application/octet-stream'],
    ['text/plain\r\nX-Evil: 1', 'application/octet-stream'],
  ])('%s → %s', (stored, sent) => expect(downloadType(stored)).toBe(sent))
})

describe('parseRange', () => {
  it.each([
    [null, 100, undefined],
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=5-2', 100, undefined],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-1', 100, undefined],
    ['bytes=-', 100, undefined],
    ['bytes=0-65535', 0, undefined],
  ])('%s of %i bytes', (header, size, expected) => expect(parseRange(header, size)).toEqual(expected))
})
