import { describe, expect, it } from 'vitest';
import { GraphQLScalarType } from 'graphql';
import { schema } from '../../src/schema/index.js';
import { parseIsoDate, parseIsoInstant, readIsoDate } from '../../src/vendors/iso-date.js';

// parseIsoDate reads the common exact form without a regex; readIsoDate is the general reading. They must agree
// on every string, valid or not: the fast path is a shortcut, never a second opinion.
const time = (d: Date | null) => (d === null ? null : d.getTime());

describe('parseIsoDate', () => {
  it.each<[string, string | null]>([
    ['2025-06-12T08:00:00Z', '2025-06-12T08:00:00.000Z'],
    ['2025-06-05T10:00:00.123Z', '2025-06-05T10:00:00.123Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1000-01-01T00:00:00Z', '1000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    // Impossible dates are null, never rolled over.
    ['2023-02-29T00:00:00Z', null],
    ['1900-02-29T00:00:00Z', null],
    ['2025-04-31T00:00:00Z', null],
    ['2025-13-01T00:00:00Z', null],
    ['2025-00-10T00:00:00Z', null],
    ['2025-06-00T00:00:00Z', null],
    ['2025-06-12T24:00:00Z', null],
    ['2025-06-12T08:60:00Z', null],
    ['2025-06-12T08:00:60Z', null],
    ['2025-06-12T08:00:00.12xZ', null],
    // Other forms go to the general reading.
    ['2025-06-12t08:00:00z', '2025-06-12T08:00:00.000Z'],
    ['2025-06-12T08:00:00+02:00', '2025-06-12T06:00:00.000Z'],
    ['2025-06-12T08:00:00.123456Z', '2025-06-12T08:00:00.123Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
    [' 2025-06-12T08:00:00Z', '2025-06-12T08:00:00.000Z'],
    ['2025-06-12', '2025-06-12T00:00:00.000Z'],
  ])('%s -> %s', (text, iso) => {
    expect(parseIsoDate(text)?.toISOString() ?? null).toBe(iso);
    expect(time(parseIsoDate(text))).toBe(time(readIsoDate(text)));
    // What the mappings keep (the domain's Instant) is the same reading, as a number.
    expect(parseIsoInstant(text)).toBe(time(readIsoDate(text)));
  });

  // Records hold Instants, filter inputs are Dates: the graph must write both as it always wrote a Date.
  it.each([
    '2025-06-12T08:00:00.000Z',
    '2025-06-05T10:00:00.123Z',
    '0099-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ])('the DateTime scalar writes the Instant of %s as it writes the Date', (iso) => {
    const scalar = schema.getType('DateTime') as GraphQLScalarType;
    const written = (v: unknown) => JSON.parse(JSON.stringify({ v: scalar.serialize(v) })).v as unknown;
    expect(written(parseIsoInstant(iso))).toBe(iso);
    expect(written(parseIsoInstant(iso))).toBe(written(new Date(iso)));
  });

  it('agrees with the general reading on 50,000 near-canonical strings, valid and not', () => {
    // Seeded, so a failure names a string that fails again.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const noise = '0123456789-:TZtz.+ x';
    let disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 50_000; i++) {
      const year = [1000 + rand(9000), 1900, 2000, 2024, 2100, rand(1000)][rand(6)]!;
      let s =
        `${pad(year, 4)}-${pad(rand(14), 2)}-${pad(rand(33), 2)}T${pad(rand(26), 2)}:${pad(rand(62), 2)}:` +
        `${pad(rand(62), 2)}${rand(2) ? `.${pad(rand(1000), 3)}` : ''}Z`;
      // One character in five strings is replaced by noise.
      if (rand(5) === 0) {
        const at = rand(s.length);
        s = s.slice(0, at) + noise[rand(noise.length)]! + s.slice(at + 1);
      }
      const fast = time(parseIsoDate(s));
      if (fast !== null) valid++;
      if (fast !== time(readIsoDate(s)) || parseIsoInstant(s) !== fast) disagreements.push(s);
    }
    disagreements = disagreements.slice(0, 10);
    expect(disagreements).toEqual([]);
    // The sample must exercise both outcomes, or the agreement says little.
    expect(valid).toBeGreaterThan(5_000);
    expect(valid).toBeLessThan(45_000);
  });
});
