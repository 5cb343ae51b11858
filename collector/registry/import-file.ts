// Bulk set-up from a file: JSON or YAML holding one Enterprise or {enterprises: [...]}.
// A simulator site file imports as is (its `sim` section is ignored). Nothing is written
// unless every enterprise in the file is valid.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { formatIssues, type Enterprise } from '../../protocol/index.js';
import { collectorError } from '../errors.js';
import type { Store } from '../store/store.js';
import { enterpriseIssues } from './validate.js';

/** Turns a parsed document into enterprises, or throws naming the file and field. */
export function enterprisesFromDocument(document: unknown, source: string): Enterprise[] {
  const list = document && typeof document === 'object' && 'enterprises' in document ? (document as { enterprises: unknown }).enterprises : [document];
  if (!Array.isArray(list)) throw collectorError('TANDEM_COLLECTOR_INVALID', `${source}: enterprises must be a list`);
  return list.map((item, i) => {
    const { sim: _sim, ...enterprise } = (item ?? {}) as Record<string, unknown>;
    const issues = enterpriseIssues(enterprise);
    if (issues.length) {
      const where = list.length > 1 || document !== item ? `${source} enterprises[${i}]` : source;
      throw collectorError('TANDEM_COLLECTOR_INVALID', `${where}: ${formatIssues(issues)}`);
    }
    return enterprise as Enterprise;
  });
}

export async function readRegistryFile(path: string): Promise<Enterprise[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `cannot read ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  return enterprisesFromDocument(document, path);
}

export async function importEnterprises(store: Store, enterprises: Enterprise[], now: number): Promise<void> {
  for (const enterprise of enterprises) await store.importEnterprise(enterprise, now);
}
