import { describe, expect, it } from 'vitest'
import { lintExpression, syntaxErrors } from '@/lib/forms/expression-lint'

const lint = (t: string, nodeNames: string[] | null = ['Code', 'HTTP Request']) => lintExpression(t, { nodeNames })

describe('expression lint', () => {
  it.each([
    'plain text',
    '{{ $json.name }}',
    'Hello {{ $json.name }}, {{ $json.age + 1 }}',
    '{{ $node["HTTP Request"].json.status }}',
    '{{ $("Code").json.x }}',
    '{{ $input.all().map((i) => i.n).join(", ") }}',
    '{{ Math.max($json.a, 2) }}',
    '{{ { a: 1 } }}',
    '{{ $now }} {{ $execution.id }} {{ $itemIndex }} {{ $trigger.body }}',
  ])('accepts %s', (t) => expect(lint(t)).toEqual([]))

  it.each([
    ['{{ $json.a', 0, 10, /“{{” is not closed/],
    ['a }} b', 2, 4, /“}}” closes nothing/],
    ['{{ $json.a }} }}', 14, 16, /“}}” closes nothing/],
    ['{{ $json.a + }}', 12, 13, /^Syntax error: it ends too early/],
    ['{{ (a b) }}', 6, 7, /^Syntax error: unexpected “b”/],
    ['{{ json.name }}', 3, 7, /Unknown name json \(did you mean \$json\?\)/],
    ['{{ $foo }}', 3, 7, /Unknown variable \$foo \(available: \$json/],
    ['{{ $node["Nope"].json.a }}', 3, 16, /No node named “Nope” runs before this one/],
  ])('%s → a problem at %i–%i', (t, from, to, message) => {
    const [p] = lint(t)
    expect(p).toMatchObject({ from, to, severity: 'error' })
    expect(p.message).toMatch(message)
  })

  it('warns on an empty {{ }} and skips node names when they are unknown', () => {
    expect(lint('{{  }}')).toMatchObject([{ severity: 'warning', message: expect.stringMatching(/Empty expression/) }])
    expect(lint('{{ $node["Nope"].json }}', null)).toEqual([])
  })

  it('finds syntax errors in code bodies (top-level return and await are fine)', () => {
    expect(syntaxErrors('const r = await fetchLike()\nreturn items.map((x) => ({ ...x, r }))')).toEqual([])
    const [p] = syntaxErrors('return items.map((x) => {\n  x.a = \n})')
    expect(p.message).toMatch(/^Syntax error/)
    expect(p.from).toBeGreaterThan(20)
  })
})
