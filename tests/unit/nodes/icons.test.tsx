// Icons are data on the definition: every registered one must resolve, and SVG icons must never become live markup.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { ICONS, NodeIcon } from '@/components/canvas/icons'
import type { NodeType } from '@/lib/nodes/define'
import { LUCIDE_ICON_NAMES, isLucideName, svgDataUrl } from '@/lib/nodes/icons'
import { nodeCatalogue } from '@/lib/nodes/catalogue'

describe('node icons', () => {
  it.each(nodeCatalogue().map((e) => [e.type, e.icon] as const))('%s has an icon that resolves', (_type, icon) => {
    if (typeof icon === 'object') expect(icon.svg).toMatch(/^\s*<svg[\s>]/)
    else expect(ICONS[icon]).toBeDefined()
  })

  it('maps every listed lucide name to a component', () => {
    for (const name of LUCIDE_ICON_NAMES) expect(ICONS[name]).toBeDefined()
    expect(isLucideName('NoSuchIcon')).toBe(false)
  })

  it('rejects an unknown lucide name at compile time', () => {
    expectTypeOf<'NoSuchIcon'>().not.toMatchTypeOf<NodeType['icon']>()
    expectTypeOf<'Globe'>().toMatchTypeOf<NodeType['icon']>()
    // @ts-expect-error an unknown icon name is not an icon
    const bad: NodeType['icon'] = 'NoSuchIcon'
    expect(bad).toBe('NoSuchIcon')
  })

  it('renders an SVG icon as an image, so its scripts and handlers never run in the page', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><circle r="4"/></svg>'
    const html = renderToStaticMarkup(<NodeIcon icon={{ svg }} className="size-4" />)
    expect(html).toMatch(/^<img /)
    expect(html).toContain(`src="${svgDataUrl(svg)}"`)
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<svg')
    expect(decodeURIComponent(svgDataUrl(svg).split(',')[1])).toBe(svg)
  })

  it('renders a lucide icon as its component', () => {
    expect(renderToStaticMarkup(<NodeIcon icon="Globe" />)).toContain('lucide-globe')
  })
})
