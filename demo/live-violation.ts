// The demo's live scenario: shortly after start, a treatment facility whose production is
// running switches off, so a treatment-off alert appears through the whole live path.
// When no production runs at that moment (night, weekend), a reversed CT on a production
// meter is injected instead: meter-integrity raises it at once, whatever the load.
// The demo shortens treatment-off's dwell for that one treatment facility (a model
// parameter, as an operator would set it) so the alert comes within minutes.
import type { Store } from '../collector/store/store.js';
import type { DemoSite } from './demo.js';

/** treatment-off's dwell for the violated facility in the demo (the default is 10 min). */
export const DEMO_DWELL_MIN = 2;
/** Long enough to pass the dwell with room to spare, short enough to end on its own. */
const VIOLATION_MINUTES = 30;
/** How often the demo looks for the live alert in the store, to say when it is raised (ms). */
const WATCH_EVERY_MS = 2000;

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
  sites: readonly DemoSite[],
  store: Store,
  afterMs: number,
  choice: 'auto' | 'reversed-ct',
  progress: (line: string) => void,
): { started: Promise<LiveViolation>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  const started = new Promise<LiveViolation>((resolve) => {
    timer = setTimeout(async () => {
      const now = Date.now();
      const violation = pick(sites, now, choice);
      if (violation.kind === 'treatment-off') {
        await store.setModelParams('facility', violation.target, 'treatment-off', { dwellMin: DEMO_DWELL_MIN }, now);
      }
      violation.sim.command(violation.command);
      progress(`live scenario: ${describe(violation)} for ${VIOLATION_MINUTES} min; expect a ${violation.model} alert${violation.kind === 'treatment-off' ? ` after the demo's ${DEMO_DWELL_MIN} min dwell (default 10)` : ''}`);
      const { sim: _sim, command: _command, ...started } = violation;
      watch = watchForAlert(store, started, progress);
      resolve(started);
    }, afterMs);
  });
  return {
    started,
    cancel: () => {
      clearTimeout(timer);
      clearInterval(watch);
    },
  };
}

/** Says when the violation's alert is in the store (live, not revealed by backlog), or that none came while it lasted. */
function watchForAlert(store: Store, violation: LiveViolation, progress: (line: string) => void): NodeJS.Timeout {
  const deadline = violation.at + (VIOLATION_MINUTES + DEMO_DWELL_MIN) * 60_000;
  let busy = false;
  const watch = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const alerts = await store.alerts({ model: violation.model, enterpriseId: violation.enterpriseId, from: violation.at, limit: 50 });
      const alert = alerts.find((a) => !a.late);
      const seconds = Math.round((Date.now() - violation.at) / 1000);
      if (alert) {
        clearInterval(watch);
        progress(`live alert #${alert.id} raised ${seconds} s after the injection: ${alert.model}, ${alert.message}`);
      } else if (Date.now() > deadline) {
        clearInterval(watch);
        progress(`no live ${violation.model} alert for ${violation.enterpriseId} in ${seconds} s; see the collector's log`);
      }
    } catch (error) {
      clearInterval(watch);
      progress(`stopped looking for the live alert: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  }, WATCH_EVERY_MS);
  watch.unref();
  return watch;
}

/** The violation to inject and the simulator command that injects it. */
function pick(sites: readonly DemoSite[], now: number, choice: 'auto' | 'reversed-ct'): LiveViolation & { sim: DemoSite['sim']; command: string } {
  for (const { site, plant, sim } of choice === 'auto' ? sites : []) {
    for (const treatment of site.facilities.filter((f) => f.kind === 'treatment')) {
      if ((treatment.serves ?? []).some((p) => plant.productionRunning(p, now))) {
        const command = `scenario treatment-off ${treatment.id} minutes=${VIOLATION_MINUTES}`;
        return { enterpriseId: site.id, kind: 'treatment-off', target: treatment.id, model: 'treatment-off', at: now, sim, command };
      }
    }
  }
  const { site, sim } = sites[0]!;
  const production = site.facilities.find((f) => f.kind === 'production')!;
  const meter = site.meters.find((m) => m.facility === production.id)!;
  const command = `fault ${meter.id} reversed-ct minutes=${VIOLATION_MINUTES}`;
  return { enterpriseId: site.id, kind: 'reversed-ct', target: meter.id, model: 'meter-integrity', at: now, sim, command };
}

function describe(v: LiveViolation): string {
  return v.kind === 'treatment-off' ? `${v.enterpriseId}: treatment '${v.target}' switched off while its production runs` : `${v.enterpriseId}: CT of meter '${v.target}' reversed (no production runs now)`;
}
