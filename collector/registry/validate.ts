// Checks an Enterprise (protocol/registry.ts) before it touches the store: the schema, then
// the cross references JSON Schema cannot express. Every issue names its path.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { EnterpriseSchema, pollConfigIssues, type Enterprise, type Issue } from '../../protocol/index.js';
import { DEFAULT_POLL_INTERVAL_S } from '../store/sqlite/registry.js';
import { derivePollConfig } from '../config-service/derive.js';

const check = TypeCompiler.Compile(EnterpriseSchema);
const MAX_ISSUES = 50;

export function enterpriseIssues(value: unknown): Issue[] {
  if (!check.Check(value)) {
    return [...check.Errors(value)].slice(0, MAX_ISSUES).map((e) => ({ path: pointerPath(e.path), message: e.message }));
  }
  const e = value as Enterprise;
  const issues: Issue[] = [];
  const facilities = new Map(e.facilities.map((f) => [f.id, f]));
  if (facilities.size !== e.facilities.length) issues.push({ path: 'facilities', message: 'facility ids must be unique' });
  e.facilities.forEach((f, i) => {
    if (f.serves?.length && f.kind !== 'treatment') issues.push({ path: `facilities[${i}].serves`, message: `only a treatment facility serves others; '${f.id}' is ${f.kind}` });
    f.serves?.forEach((p, j) => {
      if (facilities.get(p)?.kind !== 'production') {
        issues.push({ path: `facilities[${i}].serves[${j}]`, message: `'${p}' is not a production facility of enterprise '${e.id}'` });
      }
    });
  });
  const busIds = new Set(e.gateway.buses.map((b) => String(b.id)));
  e.meters.forEach((m, i) => {
    if (!facilities.has(m.facility)) issues.push({ path: `meters[${i}].facility`, message: `no facility '${m.facility}' in this enterprise` });
    if (!busIds.has(m.bus)) issues.push({ path: `meters[${i}].bus`, message: `no bus '${m.bus}' on gateway '${e.gateway.id}' (buses: ${[...busIds].join(', ') || 'none'})` });
  });
  if (issues.length) return issues;
  // The poll configuration this registry yields must be one an agent accepts.
  const gateway = { id: e.gateway.id, enterpriseId: e.id, pollIntervalS: e.gateway.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S, buses: e.gateway.buses, hasPassword: false, createdAt: 0 };
  const poll = derivePollConfig(gateway, e.meters.map((m) => ({ ...m, gatewayId: e.gateway.id })));
  return pollConfigIssues(poll, 'gateway').map((issue) => ({ ...issue, path: issue.path.replace(/\.meters\[\d+\]/, '.meters') }));
}

/** '/facilities/0/id' → 'facilities[0].id' */
function pointerPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}
