// Bearer tokens (RFC 6750): operators' tokens are random and stored as SHA-256 hashes;
// `admin` may do everything `read` may.
import { hashToken, newSecret } from '../broker/secrets.js';
import { collectorError } from '../errors.js';
import type { Store, TokenRole } from '../store/store.js';

export const TOKEN_ROLES: readonly TokenRole[] = ['read', 'admin'];

/** Creates an operator token; the plain token is returned once and never stored. */
export async function createApiToken(store: Store, role: TokenRole, name: string, now: number): Promise<string> {
  const token = `tdm_${newSecret()}`;
  await store.addApiToken(hashToken(token), role, name, now);
  return token;
}

export async function authorize(store: Store, header: string | undefined, needed: TokenRole | 'public'): Promise<TokenRole | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  const role = token ? await store.apiTokenRole(hashToken(token)) : null;
  if (needed === 'public') return role;
  if (!token) throw collectorError('TANDEM_COLLECTOR_UNAUTHORIZED', 'send an operator token as "Authorization: Bearer <token>" (create one with `tandem collector token create`)');
  if (!role) throw collectorError('TANDEM_COLLECTOR_UNAUTHORIZED', 'the bearer token is not known to this collector');
  if (needed === 'admin' && role !== 'admin') throw collectorError('TANDEM_COLLECTOR_FORBIDDEN', 'this needs a token with role admin; yours has role read');
  return role;
}
