// n8n expression forms → ours, and the ones that are refused with a reason.
import { describe, expect, it } from 'vitest'
import { convertN8nString } from '@/lib/templates/n8n/expressions'

const names = (n: string) => ({ Webhook: 'Webhook', 'Get order': 'Get order', "Bob's node": "Bob's node" })[n]
const convert = (value: string) => convertN8nString(value, names)

describe('convertN8nString', () => {
  it.each([
    ['={{ $json.x }}', '{{ $json.x }}'],
    ['=Hello {{ $json.name }}!', 'Hello {{ $json.name }}!'],
    ['=plain text after the marker', 'plain text after the marker'],
    ["={{ $('Get order').first().json.total }}", '{{ $("Get order").json.total }}'],
    ['={{ $("Webhook").last().json.body.id }}', '{{ $("Webhook").items.at(-1).body.id }}'],
    ["={{ $('Webhook').all().length }}", '{{ $("Webhook").items.map((json) => ({ json })).length }}'],
    ['={{ $node["Get order"].json.total }}', '{{ $node["Get order"].json.total }}'],
    ['={{ $node.Webhook.json.body }}', '{{ $node["Webhook"].json.body }}'],
    ["={{ $items('Webhook')[0].json.id }}", '{{ $("Webhook").items.map((json) => ({ json }))[0].json.id }}'],
    ["={{ $node[\"Bob's node\"].json.a }}", '{{ $node["Bob\'s node"].json.a }}'],
    ['={{ $input.item.json.price * 2 }}', '{{ $json.price * 2 }}'],
    ['={{ $input.first().json.id }}', '{{ $input.first().id }}'],
    ['={{ $input.last().json.id }}', '{{ $input.last().id }}'],
    ['={{ $input.all().map(i => i.json.id) }}', '{{ $input.all().map((json) => ({ json })).map(i => i.json.id) }}'],
    ['={{ $input.item }}', '{{ ({ json: $json }) }}'],
    ['={{ $now }}', '{{ $now }}'],
    ['={{ $now.toISO() }}', '{{ $now }}'],
    ['={{ $now.toMillis() }}', '{{ Date.parse($now) }}'],
    ['={{ $today.toISODate() }}', '{{ $now.slice(0, 10) }}'],
    ['={{ $execution.id }}', '{{ $execution.id }}'],
    ['={{ $itemIndex + 1 }}', '{{ $itemIndex + 1 }}'],
    ['={{ Math.round($json.total) }}', '{{ Math.round($json.total) }}'],
    ['a plain value', 'a plain value'],
  ])('%s → %s', (input, output) => {
    expect(convert(input)).toEqual({ value: output, problems: [], notes: expect.any(Array) })
  })

  it('says where a conversion is approximate: paired items by position, $today in UTC, pages of 1,000', () => {
    expect(convert("={{ $('Webhook').item.json.body.email }}")).toEqual({
      value: '{{ ($("Webhook").items[$itemIndex] ?? $("Webhook").json).body.email }}',
      problems: [],
      notes: ["$('Webhook').item: n8n follows paired items; here the item at the same position is used, or the node's first item when it has fewer"],
    })
    expect(convert('={{ $today }}')).toEqual({
      value: '{{ ($now.slice(0, 10) + "T00:00:00.000Z") }}',
      problems: [],
      notes: ["$today: midnight UTC of the current day (n8n uses the workflow's time zone)"],
    })
    expect(convert("={{ $('Webhook').all().length }}").notes).toEqual(["$('Webhook').all(): the node's first page of items (1,000)"])
  })

  it.each([
    ['={{ $env.API_TOKEN }}', 'reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand'],
    ['=Bearer {{ $vars.token }}', 'reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand'],
    ['={{ $secrets.vault.key }}', 'reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand'],
    ['={{ process.env.HOME }}', 'reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand'],
    ['={{ $parameter.url }}', '$parameter has no equivalent here'],
    ['={{ $workflow.name }}', '$workflow has no equivalent here'],
    ['={{ $runIndex }}', '$runIndex has no equivalent here'],
    ['={{ $execution.resumeUrl }}', '$execution.resumeUrl has no equivalent here (only $execution.id)'],
    ["={{ $now.toFormat('yyyy-MM-dd') }}", "$now.toFormat: Luxon date methods are not available ($now is an ISO string here)"],
    ['={{ $json.email.isEmail() }}', "uses n8n's isEmail() function, which plain JavaScript values do not have"],
    ['={{ $json.total.round(2) }}', "uses n8n's round() function, which plain JavaScript values do not have"],
    ['={{ $json.list.first() }}', "uses n8n's first() function, which plain JavaScript values do not have"],
    ["={{ $('Missing').item.json.x }}", 'refers to node "Missing", which is not in the workflow'],
    ["={{ $('Webhook').params.path }}", "$('Webhook').params has no equivalent here (use .item, .first(), .last() or .all())"],
    ['={{ $node["Webhook"].parameter.path }}', '$node["Webhook"].parameter has no equivalent here (only .json is available)'],
    ["={{ $('Webhook').item.binary.data }}", "$('Webhook').item.binary has no equivalent here (only .json of an item is available)"],
    ['={{ $(name).item.json.x }}', 'computes a node name, or calls $items / $() in a form that cannot be rewritten'],
    ['={{ $input.params }}', '$input.params has no equivalent here'],
    ['literal {{ not an n8n expression }}', 'literal text containing {{ … }}: n8n keeps it as text, here it would be evaluated as an expression'],
  ])('refuses %s and keeps it as written', (input, problem) => {
    const result = convert(input)
    expect(result.problems).toContain(problem)
    expect(result.value).toBe(input.startsWith('=') ? input.slice(1) : input)
  })
})
