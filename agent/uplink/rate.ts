// A token bucket: lets the backlog send up to `perSecond` readings a second, with at most
// one second's worth in a burst, so a long outage's backlog does not swamp a 4G link.
export interface TokenBucket {
  /** Tokens available now (whole readings). */
  available(): number;
  take(n: number): void;
  /** Milliseconds until `n` tokens are available. */
  waitMs(n: number): number;
}

export function createTokenBucket(perSecond: number, now: () => number = Date.now): TokenBucket {
  let tokens = perSecond;
  let at = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(perSecond, tokens + ((t - at) * perSecond) / 1000);
    at = t;
  };
  return {
    available() {
      refill();
      return Math.floor(tokens);
    },
    take(n) {
      refill();
      tokens -= n;
    },
    waitMs(n) {
      refill();
      return Math.max(0, Math.ceil(((Math.min(n, perSecond) - tokens) * 1000) / perSecond));
    },
  };
}
