/**
 * The export's time formatter must write exactly what `Date.prototype.toISOString` writes, for any sequence
 * of times (it caches the date part per day), including the edges of days, of years 0000 and 9999 and beyond.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcTimeFormatter } from '../../main/core/audit/audit-log';

const EDGES = [
  0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 1_700_000_000_000, 951_782_400_000 /* 2000-02-29 */,
  -62_167_219_200_000 /* 0000-01-01 */, -62_167_219_200_001,
  253_402_300_799_999 /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000, 8.64e15, -8.64e15,
];

describe('utcTimeFormatter', () => {
  it('writes what toISOString writes at the edges, in any order', () => {
    const format = utcTimeFormatter();
    for (const ms of [...EDGES, ...EDGES.slice().reverse()])
      expect(format(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for any sequence of times', () => {
    const time = fc.integer({ min: -8.64e15, max: 8.64e15 });
    const nearby = fc.tuple(
      fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
      fc.array(fc.integer({ min: -90_000_000, max: 90_000_000 }), { maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(time, { maxLength: 30 }), nearby, (times, [start, steps]) => {
        const format = utcTimeFormatter();
        let at = start;
        const sequence = [
          ...times,
          ...steps.map((step) => (at = Math.max(-8.64e15, Math.min(8.64e15, at + step)))),
        ];
        for (const ms of sequence) expect(format(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 300 },
    );
  });
});
