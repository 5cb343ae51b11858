// Collects every problem of one site file with its field path, so one run shows them all.
type Obj = Record<string, unknown>;

export class FieldChecker {
  readonly problems: string[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push(`${path}: ${message}`);
    return undefined;
  }

  object(value: unknown, path: string, allowed: readonly string[]): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(path, `${show(value)} is not a mapping`);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
    return value as Obj;
  }

  /** A number in [min, max], or `fallback` when absent. */
  number(value: unknown, path: string, min: number, max: number, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    this.fail(path, `${show(value)} is not a number from ${min} to ${max}`);
    return fallback;
  }

  integer(value: unknown, path: string, min: number, max: number, fallback: number): number {
    const n = this.number(value, path, min, max, fallback);
    if (Number.isInteger(n)) return n;
    this.fail(path, `${show(value)} is not a whole number`);
    return fallback;
  }

  string(value: unknown, path: string): string | undefined {
    return typeof value === 'string' && value.trim() !== '' ? value : this.fail(path, `${show(value)} is not a non-empty string`);
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.fail(path, `${show(value)} is not true or false`);
    return fallback;
  }
}

export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
