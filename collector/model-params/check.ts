// Model parameters an operator may set: only names a model has in its defaults, each of the
// same type as its default (DESIGN.md "The models": every threshold is configurable per
// enterprise or facility). Shared by the API (http/routes/model-params.ts) and the CLI.
import { MODELS } from '../models/registry.js';
import type { Model, Params } from '../models/model.js';

export type ParamsCheck = { ok: true; params: Params } | { ok: false; problems: string[] };

export function findModel(id: string): Model | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Why `model` is not a model id, or null when it is one. */
export function unknownModel(model: string): string | null {
  return findModel(model) ? null : `model: no model '${model}' (models: ${MODELS.map((m) => m.id).join(', ')})`;
}

/** Checks `input` (an object of name → value) against the model's defaults. */
export function checkParams(model: Model, input: Record<string, unknown>): ParamsCheck {
  const problems: string[] = [];
  const params: Params = {};
  const names = Object.keys(model.defaults);
  if (Object.keys(input).length === 0) problems.push(`no parameters given (${model.id} has ${names.join(', ')})`);
  for (const [name, value] of Object.entries(input)) {
    if (!Object.hasOwn(model.defaults, name)) {
      problems.push(`${name}: not a parameter of ${model.id} (it has ${names.join(', ')})`);
      continue;
    }
    const expected = typeof model.defaults[name];
    if (typeof value !== expected || (typeof value === 'number' && !Number.isFinite(value))) {
      problems.push(`${name}: expected a ${expected === 'number' ? 'finite number' : expected} like the default ${model.defaults[name]}, got ${JSON.stringify(value)}`);
      continue;
    }
    params[name] = value as number;
  }
  return problems.length ? { ok: false, problems } : { ok: true, params };
}

/** CLI `name=value` words as an object: numbers as numbers, true/false as booleans, anything else as given. */
export function parseAssignments(words: readonly string[]): { input: Record<string, unknown>; problems: string[] } {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      problems.push(`'${word}': expected NAME=VALUE`);
      continue;
    }
    const raw = word.slice(eq + 1).trim();
    input[word.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return { input, problems };
}
