// Seeded pseudo-random numbers, so a site with the same seed produces the same history.

/** mulberry32: a small, fast 32-bit generator; plenty for load noise. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of the parts (FNV-1a), to derive one seed per meter or facility. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic noise in −1..1 for (seed, step): the same step always gives the same value. */
export function noiseAt(seed: number, step: number): number {
  let t = (seed ^ Math.imul(step | 0, 0x9e3779b1) ^ Math.imul((step / 4294967296) | 0, 0x85ebca6b)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d);
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b);
  t ^= t >>> 16;
  return ((t >>> 0) / 4294967296) * 2 - 1;
}
