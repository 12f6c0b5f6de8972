/**
 * A field the gateway refuses reaches the window with the rule it broke and its limit, not only main's
 * English sentence: the window says it in the person's language from those (renderer/src/i18n/validation.ts).
 */
import { describe, expect, it } from 'vitest';
import { gatewayFixture, seedAccounts } from '../support/gateway-fixture';

describe('gateway validation refusals', () => {
  it('carry the rule and its limit to the window, for its localized message', async () => {
    const f = await gatewayFixture();
    const { admin } = await seedAccounts(f);
    const result = await f.call(admin, 'sc:users:create', {
      username: 'u'.repeat(65),
      password: 'a-Long-enough-Pa55word',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'Username can have at most 64 characters.',
        field: 'username',
        params: { rule: 'tooLong', limit: 64 },
      },
    });
  });
});
