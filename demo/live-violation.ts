// The demo's live scenario: shortly after start, a treatment facility whose production is
// running switches off, so a treatment-off alert appears through the whole live path.
// When no production runs at that moment (night, weekend), a reversed CT on a production
// meter is injected instead: meter-integrity raises it at once, whatever the load.
import type { RunningSite, Site } from '../firmware-sim/index.js';

/** Long enough to pass the shortened dwell with room to spare, short enough to end on its own. */
const VIOLATION_MINUTES = 30;

export interface LiveViolation {
  enterpriseId: string;
  kind: 'treatment-off' | 'reversed-ct';
  /** The treatment facility switched off, or the meter whose CT is reversed. */
  target: string;
  /** The model expected to raise the alert. */
  model: 'treatment-off' | 'meter-integrity';
  at: number;
}

export function injectLiveViolation(
  sites: readonly { site: Site; running: RunningSite }[],
  afterMs: number,
  progress: (line: string) => void,
): { started: Promise<LiveViolation>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const started = new Promise<LiveViolation>((resolve) => {
    timer = setTimeout(() => {
      const violation = inject(sites, Date.now());
      progress(`live scenario: ${describe(violation)} for ${VIOLATION_MINUTES} min; expect a ${violation.model} alert`);
      resolve(violation);
    }, afterMs);
  });
  return { started, cancel: () => clearTimeout(timer) };
}

function inject(sites: readonly { site: Site; running: RunningSite }[], now: number): LiveViolation {
  for (const { site, running } of sites) {
    for (const treatment of site.facilities.filter((f) => f.kind === 'treatment')) {
      if ((treatment.serves ?? []).some((p) => running.plant.productionRunning(p, now))) {
        running.inject({ kind: 'treatment-off', facility: treatment.id, minutes: VIOLATION_MINUTES, id: 'demo-live-treatment-off' });
        return { enterpriseId: site.id, kind: 'treatment-off', target: treatment.id, model: 'treatment-off', at: now };
      }
    }
  }
  const { site, running } = sites[0]!;
  const production = site.facilities.find((f) => f.kind === 'production')!;
  const meter = site.meters.find((m) => m.facility === production.id)!;
  running.inject({ kind: 'reversed-ct', meter: meter.id, minutes: VIOLATION_MINUTES, id: 'demo-live-reversed-ct' });
  return { enterpriseId: site.id, kind: 'reversed-ct', target: meter.id, model: 'meter-integrity', at: now };
}

function describe(v: LiveViolation): string {
  return v.kind === 'treatment-off' ? `${v.enterpriseId}: treatment '${v.target}' switched off while its production runs` : `${v.enterpriseId}: CT of meter '${v.target}' reversed (no production runs now)`;
}
