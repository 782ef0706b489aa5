import { describe, expect, it } from 'vitest';
import { VetValidationError } from '@vet/core';
import { defaultNotaryConfig, formatNotaryConfig, parseNotaryConfig } from './config.js';
import { createRateLimiter } from './http/rate-limit.js';

describe('parseNotaryConfig', () => {
  it('round-trips the default config', () => {
    const c = defaultNotaryConfig('example.com/log');
    expect(parseNotaryConfig(formatNotaryConfig(c), 'notary.json')).toEqual(c);
  });

  it('reports every problem at once, with the file name', () => {
    const text = JSON.stringify({
      origin: 'has space',
      limits: { maxBodyBytes: 10_000_000 },
      policy: { quorum: 0, criteria: ['custom'] },
    });
    try {
      parseNotaryConfig(text, 'notary.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VetValidationError);
      const v = e as VetValidationError;
      expect(v.code).toBe('INVALID_ARGUMENT');
      expect(v.problems.map((p) => p.file)).toEqual(Array(4).fill('notary.json'));
      const messages = v.problems.map((p) => p.message);
      for (const needle of ['origin', 'limits.maxBodyBytes', 'custom criterion "custom"', 'policy.quorum']) {
        expect(
          messages.some((m) => m.includes(needle)),
          needle,
        ).toBe(true);
      }
    }
  });

  it('refuses non-JSON with PARSE_ERROR', () => {
    expect(() => parseNotaryConfig('{', 'notary.json')).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', file: 'notary.json' }),
    );
  });
});

describe('anonymous limits in notary.json', () => {
  const base = { origin: 'n.test/log' };
  it('reads per-address rates (fractions allowed), bursts and the proxy header', () => {
    const cfg = parseNotaryConfig(
      JSON.stringify({
        ...base,
        limits: {
          anonymousRatePerSecond: 0.5,
          anonymousBurst: 9,
          lookupRatePerSecond: 2,
          lookupBurst: 3,
          clientAddressHeader: 'x-forwarded-for',
        },
      }),
      'notary.json',
    );
    expect(cfg.limits).toMatchObject({
      anonymousRatePerSecond: 0.5,
      anonymousBurst: 9,
      lookupRatePerSecond: 2,
      lookupBurst: 3,
      clientAddressHeader: 'x-forwarded-for',
    });
  });
  it('refuses zero rates, fractional bursts and a header that is not a header name', () => {
    try {
      parseNotaryConfig(
        JSON.stringify({
          ...base,
          limits: { anonymousRatePerSecond: 0, lookupBurst: 1.5, clientAddressHeader: 'X Forwarded' },
        }),
        'notary.json',
      );
      expect.unreachable();
    } catch (e) {
      const messages = (e as VetValidationError).problems.map((p) => p.message).join('\n');
      for (const k of ['anonymousRatePerSecond', 'lookupBurst', 'clientAddressHeader']) expect(messages).toContain(k);
    }
  });
});

describe('token bucket', () => {
  it('allows the burst, then refills at the configured rate', () => {
    let now = 0;
    const rl = createRateLimiter(2, 3, () => now);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBeGreaterThan(0);
    expect(rl.take('b')).toBe(0); // buckets are per key
    now += 500; // one token back at 2/s
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBeGreaterThan(0);
  });
});
