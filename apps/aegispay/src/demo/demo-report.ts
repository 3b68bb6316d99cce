import type { ChaosTotals } from '@aegispay/chaos';
import type { GatewayRow, PhaseComparison, RunSummary, TimeSlice } from './demo-analysis';
import type { DemoScenario } from './demo-scenario';
import type { InvariantCheck } from './run-checks';
import type { BreakerTransition, FinalRecovery, TimelineEvent } from './scenario-run';

/** Everything the demo measured: what the text and HTML reports show. */
export interface DemoReport {
  readonly seed: number;
  readonly payments: number;
  readonly concurrency: number;
  readonly ratePerSecond: number;
  readonly database: string;
  readonly migrationsApplied: readonly string[];
  readonly scenario: DemoScenario;
  /** The gateway the outage took down; `null` when the stream was too short for one. */
  readonly outageGateway: string | null;
  /** Wall time of the main run and of the replay, ms. */
  readonly wallMs: { readonly main: number; readonly baseline: number };
  /** Virtual time the traffic took, ms. */
  readonly virtualMs: number;
  readonly gateways: readonly GatewayRow[];
  readonly transitions: readonly BreakerTransition[];
  readonly timeline: readonly TimelineEvent[];
  readonly slices: readonly TimeSlice[];
  readonly main: RunSummary;
  readonly baseline: RunSummary & { readonly gateway: string };
  readonly phases: readonly PhaseComparison[];
  readonly recovery: FinalRecovery;
  readonly chaos: ChaosTotals | null;
  readonly invariants: readonly InvariantCheck[];
  readonly baselineInvariants: readonly InvariantCheck[];
}
