// Known credentials of the e2e studio's owner (set through AUTERITY_ADMIN_* / AUTERITY_API_KEY by global-setup).
export const E2E = {
  email: 'owner@e2e.auterity.test',
  password: 'e2e-Password-1234',
  apiKey: 'ak_e2e0123456789abcdef0123456789abcdef',
} as const
