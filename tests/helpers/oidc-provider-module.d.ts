// oidc-provider v8 ships no type declarations; this is the part tests/helpers/oidc-provider.ts uses.
declare module 'oidc-provider' {
  interface StoredToken {
    jti: string
    clientId: string
    accountId?: string
    scope?: string
    isExpired: boolean
    destroy(): Promise<void>
  }
  interface TokenModel {
    find(value: string): Promise<StoredToken | undefined>
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    AccessToken: TokenModel
    ClientCredentials: TokenModel
    on(event: string, listener: (...args: any[]) => void): this
    use(middleware: (ctx: any, next: () => Promise<void>) => Promise<unknown>): void
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void
  }
}
