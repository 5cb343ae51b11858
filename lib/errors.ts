// Error codes TANDEM_<AREA>_<WHAT>: each area keeps its catalogue beside its code, every
// code is documented in docs/errors.md (a test keeps the two in step), codes are never reused.

export interface ErrorCatalogue {
  [code: string]: string;
}

export class TandemError extends Error {
  override name = 'TandemError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Declares an area's codes; the returned factory only accepts declared codes. */
export function defineErrors<const C extends ErrorCatalogue>(catalogue: C) {
  return {
    catalogue,
    error(code: keyof C & string, message: string, details?: unknown): TandemError {
      return new TandemError(code, message, details);
    },
  };
}
