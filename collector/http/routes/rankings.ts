// The daily risk ranking (collector/models/risk-ranking): enterprises of one local day by
// score, for planning inspections. Stored by the live models (store/risk-scores.ts).
import { rankEnterprises } from '../../models/risk-ranking/index.js';
import { collectorError } from '../../errors.js';
import type { Route } from '../router.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateParam(query: URLSearchParams): string | null {
  const raw = query.get('date');
  if (raw === null || raw === '') return null;
  if (!DATE.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
    throw collectorError('TANDEM_COLLECTOR_INVALID', `date: expected a local date YYYY-MM-DD, got '${raw}'`);
  }
  return raw;
}

export const rankingRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/rankings',
    role: 'read',
    async handler({ query }, { store }) {
      const date = dateParam(query);
      const scores = await store.riskScores(date);
      const byEnterprise = new Map(scores.map((s) => [s.enterpriseId, s]));
      const ranking = rankEnterprises(scores.map((s) => s.event)).map(({ enterpriseId, score, rank }) => {
        const { event, updatedAt } = byEnterprise.get(enterpriseId)!;
        return { rank, enterpriseId, score, from: event.from, to: event.to, declared: event.declared, evidence: event.evidence, message: event.message, updatedAt };
      });
      return { body: { date: scores[0]?.date ?? date, ranking } };
    },
  },
];
