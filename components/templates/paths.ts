// Page addresses of the gallery. Built-in ids hold a colon (`builtin:<slug>`), so ids are always encoded.
export const templateHref = (id: string) => `/templates/${encodeURIComponent(id)}`
export const templateUseHref = (id: string, version?: number) => `${templateHref(id)}/use${version ? `?version=${version}` : ''}`
