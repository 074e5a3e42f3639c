// Page addresses of collections. Names may hold any character, so they are always encoded.
export const collectionHref = (name: string) => `/collections/${encodeURIComponent(name)}`

/** A page's path parameter as the name it encodes (the app router hands pages the encoded segment). */
export function decodeParam(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
